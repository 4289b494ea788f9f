import { useState, type FormEvent } from 'react'
import { describeError } from '../app/describe-error.ts'
import { useApp } from './app-context.ts'

/** Looks content up by CID or by the SHA-256 hex that earlier CAS/DISOT tools used. */
export function LookupForm({ onFound }: { onFound: (cid: string) => void }) {
  const app = useApp()
  const [text, setText] = useState('')
  const [answer, setAnswer] = useState<string | undefined>()

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    app.findFile(text).then(
      (file) => {
        if (file === undefined) {
          setAnswer('Not in this library.')
          return
        }
        setAnswer(`Found: ${file.name}`)
        onFound(file.cid)
      },
      (err: unknown) => setAnswer(describeError(err)),
    )
  }

  return (
    <form onSubmit={submit} className="lookup-form" role="search">
      <label htmlFor="lookup">Look up by CID or SHA-256</label>
      <input id="lookup" type="text" value={text} onChange={(e) => setText(e.target.value)} placeholder="bafk… or 64 hex digits" />
      <button type="submit">Look up</button>
      {answer !== undefined && <span role="status">{answer}</span>}
    </form>
  )
}
