// Veramo's plugins each carry the JSON schema of their methods (270 kB), merged
// into the agent for validation and getSchema(), neither of which the app uses:
// every interface's schema is empty here.
const empty = { components: { schemas: {}, methods: {} } }
export const schema: Record<string, typeof empty> = new Proxy({}, { get: () => empty })
