/**
 * Slows down password and code guessing. Failures are counted per account and per client
 * address; too many within the window lock that key for a while. A browser that has signed in to
 * an account before is held only by its own count (see `check`), so nobody can keep an account's
 * owner out by failing on purpose. Invitation codes have a count of their own per address.
 *
 * Kept in memory only: a restart forgets every count and lock, which is acceptable because a
 * restart is rare and slow compared with the guesses it would give back.
 *
 * Times are milliseconds since the epoch (`Date.now()`); every method takes `now` so tests can
 * walk through time without waiting.
 */

export interface ThrottlePolicy {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number
  windowMs: number
  /** The first lock; each further lock doubles it, up to `maxLockMs`. */
  lockMs: number
  /** Longest lock. Also how long after a lock ends it still counts towards doubling the next. */
  maxLockMs: number
}

export interface SignInThrottleOptions {
  account?: Partial<ThrottlePolicy>
  address?: Partial<ThrottlePolicy>
  /** Failed invitation codes, per address. */
  code?: Partial<ThrottlePolicy>
  /** Keys kept per kind (accounts, addresses, trusted devices, codes) before the least recently failed are dropped. */
  maxEntries?: number
  /** How often, at most, a call looks through every key to drop finished ones. */
  sweepEveryMs?: number
}

export interface ThrottleKeys {
  /** The account being signed in to, normalised by the caller (e.g. lower-cased email); absent when not known. */
  account?: string
  address: string
  /**
   * The browser's device id (from its long-lived httpOnly cookie), hashed by the caller; absent
   * when it has none. Once it has signed in to the account, the account's lock does not hold it.
   */
  device?: string
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

const MINUTE = 60_000
const HOUR = 60 * MINUTE

const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, maxLockMs: 24 * HOUR }
// An address may be a school or an office behind one router: a higher limit and no doubling.
const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, maxLockMs: 15 * MINUTE }

interface Entry {
  /** Times of failures not yet counted into a lock, oldest first; at most `maxFailures`. */
  failures: number[]
  lockedUntil: number
  /** Locks so far, each ending less than `maxLockMs` before the next began. */
  locks: number
}

/** Failures and locks for one kind of key. */
class FailureCounter {
  // A Map iterates in insertion order; entries are re-inserted on every failure, so the first
  // is the one that failed least recently: the one to drop when the map is full.
  private readonly entries = new Map<string, Entry>()
  /** Attempts whose password is being checked now, by key. */
  private readonly underWay = new Map<string, number>()
  private lastSweep = Number.NEGATIVE_INFINITY

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly maxEntries: number,
    private readonly sweepEveryMs: number,
  ) {}

  get size(): number {
    return this.entries.size
  }

  lockedUntil(key: string, now: number): number {
    this.sweepIfDue(now)
    return this.entries.get(key)?.lockedUntil ?? 0
  }

  failed(key: string, now: number): void {
    this.sweepIfDue(now)
    const entry = this.entries.get(key) ?? { failures: [], lockedUntil: 0, locks: 0 }
    // An attempt refused while locked was never tried, so it does not count (or extend the lock).
    if (entry.lockedUntil > now) return
    if (entry.locks > 0 && now >= entry.lockedUntil + this.policy.maxLockMs) entry.locks = 0
    entry.failures = entry.failures.filter((time) => time > now - this.policy.windowMs)
    entry.failures.push(now)
    if (entry.failures.length >= this.policy.maxFailures) {
      entry.lockedUntil = now + Math.min(this.policy.lockMs * 2 ** entry.locks, this.policy.maxLockMs)
      entry.locks += 1
      entry.failures = []
    }
    this.entries.delete(key)
    this.entries.set(key, entry)
    if (this.entries.size > this.maxEntries) this.dropLeastRecent()
  }

  clear(key: string): void {
    this.entries.delete(key)
  }

  clearWhere(matches: (key: string) => boolean): void {
    for (const key of this.entries.keys()) {
      if (matches(key)) this.entries.delete(key)
    }
  }

  /** Whether the attempts under way could, all failing, lock the key: no more may start until one ends. */
  full(key: string, now: number): boolean {
    const recent = this.entries.get(key)?.failures.filter((time) => time > now - this.policy.windowMs).length ?? 0
    return recent + (this.underWay.get(key) ?? 0) >= this.policy.maxFailures
  }

  started(key: string): void {
    this.underWay.set(key, (this.underWay.get(key) ?? 0) + 1)
  }

  ended(key: string): void {
    const left = (this.underWay.get(key) ?? 1) - 1
    if (left > 0) this.underWay.set(key, left)
    else this.underWay.delete(key)
  }

  /** Whether forgetting the entry changes nothing: no failure in the window, no lock to remember. */
  private finished(entry: Entry, now: number): boolean {
    const lastFailure = entry.failures.at(-1) ?? Number.NEGATIVE_INFINITY
    const rememberLockUntil = entry.locks > 0 ? entry.lockedUntil + this.policy.maxLockMs : 0
    return now >= lastFailure + this.policy.windowMs && now >= rememberLockUntil
  }

  // A full pass at most every `sweepEveryMs`: cheap on average, and never once per request
  // even when the map is full of live entries.
  private sweepIfDue(now: number): void {
    if (now - this.lastSweep < this.sweepEveryMs) return
    this.lastSweep = now
    for (const [key, entry] of this.entries) {
      if (this.finished(entry, now)) this.entries.delete(key)
    }
  }

  private dropLeastRecent(): void {
    const oldest = this.entries.keys().next()
    if (oldest.done !== true) this.entries.delete(oldest.value)
  }
}

/**
 * How one attempt is counted, fixed when it starts (a device may become trusted while it runs):
 * pass it back to `settle`.
 */
export interface ThrottleAttempt {
  readonly keys: ThrottleKeys
  /** The key of the trusted device it came from, or null when it is counted against the account's lock. */
  readonly deviceKey: string | null
}

export type AttemptDecision = { allowed: true; attempt: ThrottleAttempt } | { allowed: false; retryAfterSeconds: number }

export class SignInThrottle {
  private readonly accounts: FailureCounter
  private readonly addresses: FailureCounter
  /** Failures from a trusted device, by account and device. */
  private readonly devices: FailureCounter
  /** Failed invitation codes, by address: apart from passwords, so neither locks out the other. */
  private readonly codes: FailureCounter
  /**
   * Devices that have signed in to an account, as `deviceKey(account, device)`, least recently
   * used first. In memory like the counts: a restart forgets them, and also every lock.
   */
  private readonly trusted = new Set<string>()
  private readonly maxEntries: number

  constructor(options: SignInThrottleOptions = {}) {
    // Bounds memory against a flood of made-up accounts or spoofed addresses; dropping the least
    // recently failed key then forgets its count, which a flood that large would get past anyway.
    const maxEntries = options.maxEntries ?? 100_000
    const sweepEveryMs = options.sweepEveryMs ?? MINUTE
    this.maxEntries = maxEntries
    this.accounts = new FailureCounter({ ...ACCOUNT_POLICY, ...options.account }, maxEntries, sweepEveryMs)
    this.addresses = new FailureCounter({ ...ADDRESS_POLICY, ...options.address }, maxEntries, sweepEveryMs)
    this.devices = new FailureCounter({ ...ACCOUNT_POLICY, ...options.account }, maxEntries, sweepEveryMs)
    this.codes = new FailureCounter({ ...ADDRESS_POLICY, ...options.code }, maxEntries, sweepEveryMs)
  }

  /**
   * Ask before checking a password or code; when refused, say when to try again.
   *
   * Anyone can send five wrong passwords for someone else's email, so the account's lock alone
   * would let them keep its owner out for good. A device that has signed in to the account before
   * (OWASP's "device cookies": the browser's random, httpOnly device id) is not held by the
   * account's lock nor its address's, only by a lock of its own, after as many failures: guessing
   * stays as slow from it, and the owner keeps signing in there. Chosen over keying the lock on
   * account and address because an attacker may share the owner's address (an office, a venue)
   * and may have many addresses; and the browser already carries a device id for invitations.
   */
  check(keys: ThrottleKeys, now = Date.now()): ThrottleDecision {
    const deviceKey = this.trustedDeviceKey(keys)
    return this.decision(deviceKey === null ? this.untrustedUntil(keys, now) : this.devices.lockedUntil(deviceKey, now), now)
  }

  /**
   * For a check that waits (a password takes tens of milliseconds to hash): like `check`, and also
   * refused while the account (or trusted device) has as many attempts under way as it has failures
   * left before its lock. Otherwise guesses sent all at once would all pass the check before the
   * first failed. Only the account's count: at an office behind one address, many people sign in
   * at once. Each allowed attempt must be ended with `settle`.
   */
  attempt(keys: ThrottleKeys, now = Date.now()): AttemptDecision {
    const deviceKey = this.trustedDeviceKey(keys)
    const decision = this.check(keys, now)
    if (!decision.allowed) return decision
    const attempt: ThrottleAttempt = { keys, deviceKey }
    const counter = deviceKey === null ? this.accounts : this.devices
    const key = deviceKey ?? keys.account
    if (key === undefined) return { allowed: true, attempt }
    if (counter.full(key, now)) return { allowed: false, retryAfterSeconds: 60 }
    counter.started(key)
    return { allowed: true, attempt }
  }

  /** Ends an attempt allowed by `attempt`: a wrong password or code, a sign-in, or neither (a right password waiting for its code). */
  settle(attempt: ThrottleAttempt, outcome: 'failed' | 'succeeded' | 'neither', now = Date.now()): void {
    if (attempt.deviceKey !== null) this.devices.ended(attempt.deviceKey)
    else if (attempt.keys.account !== undefined) this.accounts.ended(attempt.keys.account)
    if (outcome === 'failed') this.failed(attempt.keys, now)
    if (outcome === 'succeeded') this.succeeded(attempt.keys)
  }

  /**
   * A wrong password or code. Counted against the account and the address even from a trusted
   * device (which they do not hold), so that device's guesses still lock everyone else out; and
   * against the device itself.
   */
  failed(keys: ThrottleKeys, now = Date.now()): void {
    const deviceKey = this.trustedDeviceKey(keys)
    if (deviceKey !== null) this.devices.failed(deviceKey, now)
    if (keys.account !== undefined) this.accounts.failed(keys.account, now)
    this.addresses.failed(keys.address, now)
  }

  /**
   * A successful sign-in clears the account's failures and lock history, and trusts the device
   * from then on. The address keeps its count: one right password must not reset guessing at
   * every other account from there.
   */
  succeeded(keys: ThrottleKeys): void {
    if (keys.account === undefined) return
    this.accounts.clear(keys.account)
    if (keys.device === undefined) return
    const deviceKey = deviceKeyOf(keys.account, keys.device)
    this.devices.clear(deviceKey)
    this.trusted.delete(deviceKey)
    this.trusted.add(deviceKey)
    if (this.trusted.size > this.maxEntries) {
      const oldest = this.trusted.values().next()
      if (oldest.done !== true) this.trusted.delete(oldest.value)
    }
  }

  /**
   * Forgets everything about an account: its failures and locks, its trusted devices and theirs.
   * For an administrator's reset and a password chosen through a link, which is how someone kept
   * out on a new device gets back in.
   */
  forgetAccount(account: string): void {
    this.accounts.clear(account)
    const prefix = deviceKeyOf(account, '')
    for (const key of this.trusted) {
      if (key.startsWith(prefix)) this.trusted.delete(key)
    }
    this.devices.clearWhere((key) => key.startsWith(prefix))
  }

  /**
   * Ask before checking an invitation's readable code (a link's token is never guessed, so never
   * throttled). Counted per address apart from sign-in failures: professionals' typos at an office
   * must not keep families there out, nor the other way round.
   */
  checkCode(address: string, now = Date.now()): ThrottleDecision {
    return this.decision(this.codes.lockedUntil(address, now), now)
  }

  /** A code that matched no working invitation. */
  codeFailed(address: string, now = Date.now()): void {
    this.codes.failed(address, now)
  }

  /** Keys currently remembered, every kind together (trusted devices apart); for tests and monitoring. */
  get size(): number {
    return this.accounts.size + this.addresses.size + this.devices.size + this.codes.size
  }

  private trustedDeviceKey(keys: ThrottleKeys): string | null {
    if (keys.account === undefined || keys.device === undefined) return null
    const key = deviceKeyOf(keys.account, keys.device)
    return this.trusted.has(key) ? key : null
  }

  private untrustedUntil(keys: ThrottleKeys, now: number): number {
    const accountUntil = keys.account === undefined ? 0 : this.accounts.lockedUntil(keys.account, now)
    return Math.max(accountUntil, this.addresses.lockedUntil(keys.address, now))
  }

  private decision(until: number, now: number): ThrottleDecision {
    if (until <= now) return { allowed: true }
    return { allowed: false, retryAfterSeconds: Math.ceil((until - now) / 1000) }
  }
}

/** An email has no NUL in it, so the account's devices are the keys starting with `account` and NUL. */
function deviceKeyOf(account: string, device: string): string {
  return `${account}\u0000${device}`
}
