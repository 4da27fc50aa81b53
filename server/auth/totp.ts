import { generateSecret, generateURI, verifySync } from 'otplib'

/**
 * Optional second factor: TOTP as authenticator apps expect it (RFC 6238, SHA-1, 6 digits,
 * 30-second steps), through otplib. The secret is stored as is: the server needs it to check
 * codes, unlike passwords and tokens, which are stored only as hashes.
 */

const ISSUER = 'SafetyMap'
const STEP_SECONDS = 30

export type TotpResult = { ok: true; step: number } | { ok: false }

export interface VerifyTotpOptions {
  /** Milliseconds since the epoch, as `Date.now()`; for tests. */
  now?: number
  /** The step of the last code this account used: that code and older ones are refused. */
  lastUsedStep?: number
}

/** 20 random bytes (160 bits, RFC 4226's recommendation) in base32, as authenticator apps take it. */
export function newTotpSecret(): string {
  return generateSecret()
}

/** The otpauth:// URI to show as a QR code; the label is how the app lists the account. */
export function totpSetupUri(secret: string, accountLabel: string): string {
  return generateURI({ issuer: ISSUER, label: accountLabel, secret, period: STEP_SECONDS })
}

/**
 * Accepts the code of the current step or the one either side, for clocks that drift and codes
 * typed near a step's end. On success, store `step` and pass it back as `lastUsedStep` next
 * time, so a code seen over someone's shoulder cannot be used again.
 */
export function verifyTotp(secret: string, code: string, options: VerifyTotpOptions = {}): TotpResult {
  // Apps show codes as `123 456`; anything else that is not six digits cannot match.
  const token = code.replace(/\s/g, '')
  if (!/^[0-9]{6}$/.test(token)) return { ok: false }
  const result = verifySync({
    secret,
    token,
    period: STEP_SECONDS,
    epoch: Math.floor((options.now ?? Date.now()) / 1000),
    // In seconds either side of now; one whole step reaches exactly the neighbouring steps.
    epochTolerance: STEP_SECONDS,
    ...(options.lastUsedStep === undefined ? {} : { afterTimeStep: options.lastUsedStep }),
  })
  return result.valid && 'timeStep' in result ? { ok: true, step: result.timeStep } : { ok: false }
}
