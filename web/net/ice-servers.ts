/**
 * ICE servers from the build's VITE_ICE_SERVERS (a JSON array of
 * RTCIceServer). None by default: on one machine or LAN, host candidates are
 * enough; deployments add STUN/TURN here.
 */
export function iceServersFrom(json: string | undefined): RTCIceServer[] {
  if (json === undefined || json.trim() === '') return []
  const parsed: unknown = JSON.parse(json)
  if (!Array.isArray(parsed)) throw new Error('VITE_ICE_SERVERS must be a JSON array of RTCIceServer objects')
  return parsed as RTCIceServer[]
}
