import { RecordValidationError } from '../../shared/conference/errors'

/** The reason code of the RecordValidationError that `run` throws, or undefined if it does not throw. */
export function reasonOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    if (error instanceof RecordValidationError) return error.reason
    throw error
  }
  return undefined
}
