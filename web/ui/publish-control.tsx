import type { PinRef } from '../app/library.ts'
import type { Privacy } from '../app/peer-app.ts'

const PIN_WORDS = { queued: 'waiting', pinning: 'publishing…', pinned: 'pinned', failed: 'failed' } as const

/** Publish public content on the relay and other pinning services (so it can be had while this browser is closed), or take it off. */
export function PublishControl(props: {
  name: string
  privacy: Privacy
  pins: PinRef[] | undefined
  onPublish: () => void
  onUnpin: () => void
}) {
  if (props.privacy.class !== 'public') return null
  const pins = props.pins ?? []
  const busy = pins.some((p) => p.status === 'pinning')
  const pinned = pins.some((p) => p.status === 'pinned')
  return (
    <span className="publish" data-testid="pin-state" data-state={pins[0]?.status ?? 'none'}>
      {pins.map((pin) => (
        <span key={pin.service} data-service={pin.service} data-status={pin.status}>
          <span className={pin.status === 'pinned' ? 'badge ok' : pin.status === 'failed' ? 'badge bad' : 'badge warn'} title={pin.detail}>
            {PIN_WORDS[pin.status]} {pin.service === location.origin ? 'on the relay' : `on ${new URL(pin.service).host}`}
          </span>
          {pin.status === 'failed' && pin.detail !== undefined && <small> {pin.detail}</small>}
        </span>
      ))}
      {pinned && !busy && (
        <button type="button" aria-label={`Unpin ${props.name}`} onClick={props.onUnpin}>
          Unpin
        </button>
      )}
      {!pinned && !busy && (
        <button
          type="button"
          aria-label={`Publish ${props.name}`}
          title="Pin it on the relay, so it can be fetched while this browser is closed"
          onClick={props.onPublish}
        >
          Publish
        </button>
      )}
    </span>
  )
}
