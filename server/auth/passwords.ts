import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Passwords are stored as `scrypt$N$r$p$salt$hash` (salt and hash in base64url). The parameters
 * travel with each hash, so they can be raised later: old hashes still verify, and
 * `needsRehash` says when to store a fresh one after a successful sign-in.
 */

interface ScryptParams {
  N: number
  r: number
  p: number
}

// scrypt needs 128 * N * r bytes: 32 MiB and ~100 ms here, which makes guessing expensive.
const CURRENT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 }
const SALT_BYTES = 16
const KEY_BYTES = 32

// A tampered or corrupt stored string must not make one sign-in allocate gigabytes or run for
// minutes, so parameters beyond these are treated as malformed.
const MAX_MEMORY_BYTES = 256 * 1024 * 1024
const MAX_P = 16

const MIN_LENGTH = 12
const MAX_LENGTH = 200
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

interface StoredHash extends ScryptParams {
  salt: Buffer
  hash: Buffer
}

function derive(password: string, salt: Buffer, keyBytes: number, params: ScryptParams): Promise<Buffer> {
  // Node refuses (default maxmem 32 MiB) at exactly what N=2^15, r=8 needs; allow twice the need.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 2 * 128 * params.N * params.r }
  // NFC: the same password typed on two devices can arrive composed or decomposed.
  const input = password.normalize('NFC')
  return new Promise((resolve, reject) => {
    scrypt(input, salt, keyBytes, options, (error, key) => {
      if (error) reject(error)
      else resolve(key)
    })
  })
}

const BASE64URL = /^[A-Za-z0-9_-]+$/
const DECIMAL = /^[1-9][0-9]{0,9}$/

function parse(stored: string): StoredHash | null {
  const parts = stored.split('$')
  if (parts.length !== 6) return null
  const [scheme, n, r, p, salt, hash] = parts as [string, string, string, string, string, string]
  if (scheme !== 'scrypt') return null
  if (![n, r, p].every((part) => DECIMAL.test(part))) return null
  if (!BASE64URL.test(salt) || !BASE64URL.test(hash)) return null
  const params = { N: Number(n), r: Number(r), p: Number(p) }
  if (params.N < 2 || !Number.isInteger(Math.log2(params.N)) || params.p > MAX_P || 128 * params.N * params.r > MAX_MEMORY_BYTES) return null
  const saltBytes = Buffer.from(salt, 'base64url')
  const hashBytes = Buffer.from(hash, 'base64url')
  if (saltBytes.length < SALT_BYTES || hashBytes.length < 16 || hashBytes.length > 64) return null
  return { ...params, salt: saltBytes, hash: hashBytes }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const hash = await derive(password, salt, KEY_BYTES, CURRENT)
  return ['scrypt', CURRENT.N, CURRENT.r, CURRENT.p, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

/** False for a wrong password and for a stored string that is not one of our hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored)
  if (!parsed) return false
  const candidate = await derive(password, parsed.salt, parsed.hash.length, parsed)
  return timingSafeEqual(candidate, parsed.hash)
}

let standIn: Promise<string> | null = null

/**
 * Checks a password against an account's stored hash or, when there is no account (or it has no
 * password yet), against a stand-in hash, and answers false. Both cost one scrypt, so how long a
 * sign-in takes does not tell anyone which email addresses have an account.
 */
export async function passwordMatches(password: string, stored: string | null | undefined): Promise<boolean> {
  if (stored) return verifyPassword(password, stored)
  standIn ??= hashPassword(randomBytes(SALT_BYTES).toString('base64url'))
  await verifyPassword(password, await standIn)
  return false
}

/** True when the stored hash is weaker than what `hashPassword` makes now (or unreadable). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored)
  if (!parsed) return true
  return parsed.N < CURRENT.N || parsed.r < CURRENT.r || parsed.p < CURRENT.p || parsed.salt.length < SALT_BYTES || parsed.hash.length < KEY_BYTES
}

/** Why a new password cannot be used, in words to show the person choosing it; null if it can. */
export function passwordProblem(password: string): string | null {
  // Count characters as people see them, so an accented letter or an emoji is one, not two.
  const characters = Array.from(graphemes.segment(password), (part) => part.segment)
  if (characters.length < MIN_LENGTH) return `Use at least ${MIN_LENGTH} characters. A few words together are easy to remember.`
  if (characters.length > MAX_LENGTH) return `Use no more than ${MAX_LENGTH} characters.`
  if (characters.every((character) => character === characters[0])) return 'Use more than one kind of character, not the same one repeated.'
  return null
}
