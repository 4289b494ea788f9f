import { NotBuiltInError } from './not-built-in.ts'

/** Veramo's core makes one validator when loaded; it validates only with schemaValidation on, which the app leaves off. */
export default class SchemaValidationNotBuiltIn {
  setRemoteReference(): void {}

  validate(): never {
    throw new NotBuiltInError('Veramo schema validation')
  }
}
