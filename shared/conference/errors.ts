/**
 * Typed errors of the conference record. The UI switches over `reason`, never over messages,
 * so a message can be reworded without breaking anything.
 */

export type RecordValidationReason =
  /** A field value the schema does not allow (wrong type, bad date, unknown choice, too long). */
  | 'invalid-field'
  /** A field name the part does not have. */
  | 'unknown-field'
  /** An author id that is empty or implausibly long. */
  | 'invalid-author'
  /** Words left empty where they are the point ("I'd put it differently" needs the different words). */
  | 'words-needed'
  /** The list is at its limit (e.g. 4 danger statement pairs). */
  | 'too-many-entries'
  /** No entry with that id (never added, or removed by someone). */
  | 'unknown-entry'
  /** A rich-text name the list does not have. */
  | 'unknown-rich-text'
  /** The entry was written without one of its rich-text parts (only a faulty client does that). */
  | 'missing-rich-text'

export class RecordValidationError extends Error {
  override readonly name = 'RecordValidationError'

  constructor(
    readonly reason: RecordValidationReason,
    message: string,
    /** Zod's issue messages, when the reason is an invalid field. */
    readonly issues: readonly string[] = [],
  ) {
    super(message)
  }
}

/**
 * The record was written by a newer SafetyMap than this one. A server never downgrades a
 * record: it refuses to open it rather than rewrite parts it does not understand.
 */
export class NewerSchemaVersionError extends Error {
  override readonly name = 'NewerSchemaVersionError'
  readonly reason = 'newer-schema-version'

  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`This conference record has schema version ${found}; this SafetyMap understands up to ${supported}.`)
  }
}
