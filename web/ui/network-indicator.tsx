import { summarizeNetwork } from '../app/network-summary.ts'
import { useAppState } from './app-context.ts'

/**
 * The network in one line, in the header of every page; the network panel says
 * more. Not a live region: it changes with every peer, which a screen reader
 * would announce each time.
 */
export function NetworkIndicator() {
  const { network } = useAppState()
  const { headline } = summarizeNetwork(network)
  return (
    <p className={`badge ${headline.tone}`} data-testid="network-indicator" data-tone={headline.tone}>
      {headline.label}
    </p>
  )
}
