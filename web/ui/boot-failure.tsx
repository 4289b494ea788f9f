import { describeError } from '../app/describe-error.ts'

export function BootFailure({ error }: { error: unknown }) {
  return (
    <main className="boot-failure" role="alert">
      <h1>CAS/DISOT Peer could not start</h1>
      <p>{describeError(error)}</p>
      <p>This app needs IndexedDB and WebRTC. Private windows of some browsers disable them.</p>
    </main>
  )
}
