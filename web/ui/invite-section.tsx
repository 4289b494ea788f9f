import { useState } from 'react'
import { qrCodeDataUrl } from './qr-code.ts'
import { useApp } from './app-context.ts'
import { describeError } from '../app/describe-error.ts'

const DAY = 24 * 3600

/** The owner makes a single-use, expiring invitation: a link and the same link as a QR code. */
export function InviteSection({ spaceId }: { spaceId: string }) {
  const app = useApp()
  const [role, setRole] = useState<'write' | 'read'>('write')
  const [days, setDays] = useState(7)
  const [link, setLink] = useState<string>()
  const [qr, setQr] = useState<string>()
  const [error, setError] = useState<string>()
  const make = async (): Promise<void> => {
    setError(undefined)
    try {
      const next = await app.spaces.links.invite(spaceId, role, days * DAY)
      setLink(next)
      setQr(await qrCodeDataUrl(next, 220))
    } catch (err) {
      setError(describeError(err))
    }
  }
  return (
    <section aria-label="Invite">
      <h4>Invite someone</h4>
      <div className="row">
        <label>
          May{' '}
          <select aria-label="Invitee may" value={role} onChange={(e) => setRole(e.target.value as 'write' | 'read')}>
            <option value="write">read and write</option>
            <option value="read">read only</option>
          </select>
        </label>
        <label>
          Valid for{' '}
          <input
            aria-label="Valid for days"
            type="number"
            min={1}
            max={30}
            value={days}
            onChange={(e) => setDays(Number(e.target.value) || 1)}
          />{' '}
          days
        </label>
        <button type="button" onClick={() => void make()}>
          Create invitation
        </button>
      </div>
      {error !== undefined && <p role="alert">{error}</p>}
      {link !== undefined && (
        <div className="invite">
          <input aria-label="Invitation link" readOnly value={link} onFocus={(e) => e.target.select()} />
          <p className="hint">One person can use it. It expires in {days} day(s).</p>
          {qr !== undefined && <img src={qr} alt="Invitation QR code" width={220} height={220} />}
        </div>
      )}
    </section>
  )
}
