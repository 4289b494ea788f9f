/** Our errors are told apart by name (they cross module and realm boundaries). */
export function hasName(err: unknown, name: string): boolean {
  return err instanceof Error && err.name === name
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}
