import { describeError } from '../app/describe-error.ts'
import { useApp } from './app-context.ts'

/** Runs an app action from a click; a refusal, thrown or rejected, is reported in words. */
export function useAct(): (action: () => unknown) => void {
  const app = useApp()
  return (action) => {
    try {
      const result = action()
      if (result instanceof Promise) result.catch((err: unknown) => app.reportError(describeError(err)))
    } catch (err) {
      app.reportError(describeError(err))
    }
  }
}
