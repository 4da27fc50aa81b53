import { randomBytes } from 'node:crypto'

/**
 * 16 random bytes in base64url are 22 characters; the last one carries only 2 bits, so it is one
 * of A, Q, g, w. Checking that exactly keeps every other string (paths, `..`, `__proto__`) away
 * from the filesystem and the database.
 */
const CONFERENCE_ID = /^[A-Za-z0-9_-]{21}[AQgw]$/

export function isConferenceId(value: string): boolean {
  return CONFERENCE_ID.test(value)
}

/** Unguessable: the id is the only thing standing between a URL and a family's record until access control lands. */
export function newConferenceId(): string {
  return randomBytes(16).toString('base64url')
}
