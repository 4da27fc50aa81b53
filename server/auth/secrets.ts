import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isNotFound, replaceFileDurably } from '../storage/durable'

/** 32 random bytes (256 bits) as 43 base64url characters: for invitation links and session ids. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * SHA-256 in hex. Only this is stored for tokens and codes, so a copied data folder does not hand
 * out sessions or invitations. A fast hash is enough: the tokens are random, not guessable words.
 */
export function hashSecret(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** HMAC-SHA-256 in hex: only whoever holds `key` can make it from what it marks, or match it. */
export function keyedHash(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex')
}

/**
 * A server key of 32 random bytes in a file of its own, made the first time it is needed. Kept
 * apart from the data files whose marks it keys, so nothing in them leads back to what was marked.
 */
export async function serverKey(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file)
  } catch (error) {
    if (!isNotFound(error)) throw error
  }
  const key = randomBytes(32)
  // Durably: a key lost in a power cut would forget every mark made with it.
  await replaceFileDurably(file, key, 'programmes', {})
  return key
}

/** 16 random bytes as 22 base64url characters: for record ids that must be unguessable. */
export function newId(): string {
  return randomBytes(16).toString('base64url')
}

/**
 * Readable codes are read out over the phone and typed by hand, so their alphabet leaves out the
 * look-alikes 0/O, 1/I/L, and U (which turns letter runs into words): 8 digits and 22 letters.
 * 10 characters carry about 49 bits; codes are meant to be short-lived and wrong ones are throttled per address.
 */
export const READABLE_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'
const READABLE_CODE_LENGTH = 10
const GROUP = 5

/** A new code, shown grouped as `ABCDE-FGHJK`. Store `hashSecret(normalizeReadableCode(code))`. */
export function newReadableCode(): string {
  let code = ''
  for (let i = 0; i < READABLE_CODE_LENGTH; i++) {
    if (i === GROUP) code += '-'
    // randomInt draws without modulo bias, so every character is equally likely.
    code += READABLE_CODE_ALPHABET.charAt(randomInt(READABLE_CODE_ALPHABET.length))
  }
  return code
}

// Spaces of any kind, hyphens, and the dashes phones substitute for a typed hyphen.
const SEPARATORS = /[\s\u002D\u2010-\u2015\u2212]/gu
const CODE_SHAPE = new RegExp(`^[${READABLE_CODE_ALPHABET}]{${READABLE_CODE_LENGTH}}$`)

/**
 * The code as stored and compared: 10 upper-case characters with no grouping. Case, spaces and
 * dashes are ignored. The rule for look-alikes is simple: codes never contain 0, O, 1, I, L or
 * U, so a typed one is not guessed at (it could be either of two) and the input is refused
 * with null, as is anything else that cannot be a code.
 */
export function normalizeReadableCode(input: string): string | null {
  // Generous room for separators; anything longer is not a mistyped code.
  if (input.length > 4 * READABLE_CODE_LENGTH) return null
  const code = input.replace(SEPARATORS, '').toUpperCase()
  return CODE_SHAPE.test(code) ? code : null
}

/** Equal strings, in time that does not depend on where they differ (or on their lengths). */
export function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal-length inputs for timingSafeEqual, which throws on unequal ones.
  const digestA = createHash('sha256').update(a, 'utf8').digest()
  const digestB = createHash('sha256').update(b, 'utf8').digest()
  return timingSafeEqual(digestA, digestB)
}
