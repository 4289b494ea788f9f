import { useState } from 'react'
import { useApp } from './app-context.ts'
import { describeError } from '../app/describe-error.ts'

/** The space link, for people the space's privacy setting admits: no invitation, and useless to anyone else. */
export function SpaceLinkField({ spaceId }: { spaceId: string }) {
  const app = useApp()
  const [link, setLink] = useState<string>()
  const [error, setError] = useState<string>()
  const show = (): void => {
    try {
      setLink(app.spaces.links.spaceLink(spaceId))
      setError(undefined)
    } catch (err) {
      setError(describeError(err))
    }
  }
  return (
    <div className="invite">
      <button type="button" onClick={show}>
        Show the link for them
      </button>
      {error !== undefined && <p role="alert">{error}</p>}
      {link !== undefined && (
        <>
          <input aria-label="Space link" readOnly value={link} onFocus={(e) => e.target.select()} />
          <p className="hint">
            Whom the setting admits becomes a member with the part chosen here, for as long as it admits them. Anyone else is refused, as if
            the space did not exist.
          </p>
        </>
      )}
    </div>
  )
}
