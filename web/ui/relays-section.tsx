import { useState, type FormEvent } from 'react'
import { describeError } from '../app/describe-error.ts'
import { relayName } from '../app/network-summary.ts'
import { useApp, useAppState } from './app-context.ts'

const ORIGIN_WORDS = { served: 'served this app', configured: 'built in', added: 'added by you' } as const
const STATE_WORDS = {
  none: ['none', 'bad'],
  connecting: ['connecting…', 'warn'],
  connected: ['connected', 'ok'],
  disconnected: ['lost', 'bad'],
  standby: ['standing by', 'muted'],
} as const

/** Every relay this browser knows, how it stands with each, and the person's own relays. */
export function RelaysSection() {
  const app = useApp()
  const { network, turnOnly } = useAppState()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [adding, setAdding] = useState(false)
  const add = (event: FormEvent): void => {
    event.preventDefault()
    setAdding(true)
    app.addRelay(text).then(
      () => {
        setText('')
        setError(undefined)
        setAdding(false)
      },
      (err: unknown) => {
        setError(describeError(err))
        setAdding(false)
      },
    )
  }
  return (
    <section aria-labelledby="relays-heading">
      <h3 id="relays-heading">Relays</h3>
      <p className="hint">
        Relays introduce browsers to each other. This browser stays on two when two answer, so losing one loses no one.
      </p>
      <ul aria-label="Relays">
        {network.relays.map((relay) => {
          const [words, tone] = STATE_WORDS[relay.state]
          return (
            <li
              key={relay.address}
              data-testid="relay"
              data-peer-id={relay.peerId}
              data-state={relay.state}
              data-reservation={relay.reservation}
            >
              <strong>{relayName(relay.address)}</strong> <small className="muted">({ORIGIN_WORDS[relay.origin]})</small>{' '}
              <span className={`badge ${tone}`}>{words}</span>
              {relay.reservation === 'held' && <span className="badge ok">others reach you through it</span>}
              {relay.reservation === 'refused' && <span className="badge bad">gave you no address</span>}
              {relay.lastError !== undefined && relay.state !== 'connected' && <small> {relay.lastError}</small>}
              {relay.origin === 'added' && (
                <button
                  type="button"
                  aria-label={`Remove relay ${relayName(relay.address)}`}
                  onClick={() => void app.removeRelay(relay.address)}
                >
                  Remove
                </button>
              )}
            </li>
          )
        })}
      </ul>
      <form onSubmit={add} className="gateways-form">
        <label htmlFor="add-relay">Add a relay: its web address (https://…) or its multiaddr</label>
        <input id="add-relay" className="mono wide" value={text} onChange={(e) => setText(e.target.value)} required />
        <button type="submit" disabled={adding}>
          {adding ? 'Adding…' : 'Add relay'}
        </button>
        {error !== undefined && <p role="alert">{error}</p>}
      </form>
      <label className="switch">
        <input type="checkbox" checked={turnOnly} onChange={(e) => void app.setTurnOnly(e.target.checked)} /> Hide my IP address from peers
      </label>
      <p className="hint">
        Direct links then go only through TURN servers; with none set up, peers are reached through a relay, which carries less and more
        slowly.
      </p>
    </section>
  )
}
