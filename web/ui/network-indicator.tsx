import { summarizeNetwork } from '../app/network-summary.ts'
import { useAppState } from './app-context.ts'

/** The network in one line, in the header of every page; the network panel says more. */
export function NetworkIndicator() {
  const { network } = useAppState()
  const { headline } = summarizeNetwork(network)
  return (
    <p className={`badge ${headline.tone}`} role="status" aria-label="Network" data-testid="network-indicator" data-tone={headline.tone}>
      {headline.label}
    </p>
  )
}
