/** Why storage refused or failed: callers switch over `reason`, never over message text. */
export type StorageErrorReason =
  /** No conference with this id (or the id is not even well formed). */
  | 'conference-not-found'
  /** The new conference's details are invalid. */
  | 'invalid-conference'
  /** An update that cannot be stored (empty or absurdly large). */
  | 'invalid-update'
  /** The conference's journal is already open; close it first. */
  | 'journal-busy'
  /** The storage or journal was closed. */
  | 'closed'
  /** Writing or syncing failed: what was being written is not known to be on disk. */
  | 'write-failed'
  /** Stored data is damaged in a way that cannot be explained by a crash; refusing beats guessing. */
  | 'corrupt'
  /** The data was written by a newer version of SafetyMap. */
  | 'unsupported-version'

export class StorageError extends Error {
  override readonly name: string = 'StorageError'

  constructor(
    readonly reason: StorageErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export class ConferenceNotFoundError extends StorageError {
  override readonly name = 'ConferenceNotFoundError'

  constructor(readonly conferenceId: string) {
    // The id may be hostile input: keep it out of the message (it is on the error if needed).
    super('conference-not-found', 'There is no conference with this id.')
  }
}

export function isStorageError(error: unknown, reason?: StorageErrorReason): error is StorageError {
  return error instanceof StorageError && (reason === undefined || error.reason === reason)
}
