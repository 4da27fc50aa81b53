import { randomBytes, scryptSync } from 'node:crypto'
import { generateSync } from 'otplib'
import { describe, expect, test } from 'vitest'
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from '../../server/auth/passwords'
import { READABLE_CODE_ALPHABET, hashSecret, newId, newReadableCode, newSecretToken, normalizeReadableCode, sameSecret } from '../../server/auth/secrets'
import { SignInThrottle } from '../../server/auth/throttle'
import { newTotpSecret, totpSetupUri, verifyTotp } from '../../server/auth/totp'

describe('passwords', () => {
  // Each hash takes ~100 ms by design, so the scrypt tests share as few hashes as they can.
  test('a hash verifies its own password only, and two hashes of one password differ', async () => {
    const password = 'correct horse battery staple'
    const [first, second] = await Promise.all([hashPassword(password), hashPassword(password)])
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(second).not.toBe(first)
    expect(await verifyPassword(password, first)).toBe(true)
    expect(await verifyPassword(password, second)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', first)).toBe(false)
    expect(await verifyPassword('', first)).toBe(false)
    expect(needsRehash(first)).toBe(false)
  })

  test('the same password composed or decomposed verifies', async () => {
    const stored = await hashPassword('caf\u00e9 au lait please')
    expect(await verifyPassword('cafe\u0301 au lait please', stored)).toBe(true)
  })

  test('hashes made with other parameters still verify, and weaker ones need a rehash', async () => {
    // Made with N=2^14: what a hash from an earlier, cheaper setting looks like.
    const salt = randomBytes(16)
    const hash = scryptSync('an older password', salt, 32, { N: 2 ** 14, r: 8, p: 1 })
    const stored = `scrypt$16384$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`
    expect(await verifyPassword('an older password', stored)).toBe(true)
    expect(needsRehash(stored)).toBe(true)
  })

  test('malformed stored strings are false, never an error', async () => {
    const salt = Buffer.alloc(16, 1).toString('base64url')
    const hash = Buffer.alloc(32, 2).toString('base64url')
    const malformed = [
      '',
      'not a hash',
      `bcrypt$32768$8$1$${salt}$${hash}`,
      `scrypt$32768$8$1$${salt}`,
      `scrypt$32768$8$1$${salt}$${hash}$extra`,
      `scrypt$30000$8$1$${salt}$${hash}`, // N not a power of two
      `scrypt$0$8$1$${salt}$${hash}`,
      `scrypt$-32768$8$1$${salt}$${hash}`,
      `scrypt$1048576$64$1$${salt}$${hash}`, // 8 GiB: refused, not attempted
      `scrypt$32768$8$99$${salt}$${hash}`,
      `scrypt$32768$8$1$${salt}$not+base64/url`,
      `scrypt$32768$8$1$c2hvcnQ$${hash}`, // salt too short
      `scrypt$32768$8$1$${salt}$`,
    ]
    for (const stored of malformed) {
      expect(await verifyPassword('correct horse battery staple', stored), stored).toBe(false)
      expect(needsRehash(stored), stored).toBe(true)
    }
  })

  test('passwordProblem explains what is wrong with a new password', () => {
    expect(passwordProblem('short')).toMatch(/at least 12 characters/)
    expect(passwordProblem('elevenchars')).toMatch(/at least 12/)
    // Emoji and accented letters count as one character each, as people see them.
    expect(passwordProblem('🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒x')).toBeNull()
    expect(passwordProblem('🔒🔒🔒🔒🔒🔒')).toMatch(/at least 12/)
    expect(passwordProblem('x'.repeat(201).replace(/^x/, 'y'))).toMatch(/no more than 200/)
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/same one repeated/)
    expect(passwordProblem('twelve chars')).toBeNull()
    expect(passwordProblem('y' + 'x'.repeat(199))).toBeNull()
  })
})

describe('secrets', () => {
  test('tokens are 43 base64url characters and distinct; ids are 22', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newSecretToken()))
    expect(tokens.size).toBe(200)
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const ids = new Set(Array.from({ length: 200 }, () => newId()))
    expect(ids.size).toBe(200)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })

  test('hashSecret is SHA-256 hex and stable', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    const token = newSecretToken()
    expect(hashSecret(token)).toBe(hashSecret(token))
    expect(hashSecret(token)).not.toBe(hashSecret(newSecretToken()))
  })

  test('sameSecret compares exactly, whatever the lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true)
    expect(sameSecret('abc', 'abd')).toBe(false)
    expect(sameSecret('abc', 'abcd')).toBe(false)
    expect(sameSecret('', '')).toBe(true)
  })

  test('readable codes are two groups of five from an alphabet without look-alikes', () => {
    expect(READABLE_CODE_ALPHABET).not.toMatch(/[01OILU]/)
    const seen = new Set<string>()
    for (let i = 0; i < 300; i++) {
      const code = newReadableCode()
      expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}$/)
      for (const character of code.replace('-', '')) seen.add(character)
    }
    // 3,000 draws from 30 characters: every one shows up.
    expect([...seen].sort().join('')).toBe(READABLE_CODE_ALPHABET)
  })

  test('normalizing ignores case, spaces and dashes, and round-trips a new code', () => {
    const code = newReadableCode()
    const plain = code.replace('-', '')
    expect(normalizeReadableCode(code)).toBe(plain)
    expect(normalizeReadableCode(code.toLowerCase())).toBe(plain)
    expect(normalizeReadableCode(` ${plain.slice(0, 3)} ${plain.slice(3, 7)}\u2013${plain.slice(7)} `)).toBe(plain)
    expect(normalizeReadableCode('abcde fghjk')).toBe('ABCDEFGHJK')
  })

  test('normalizing refuses what cannot be a code, including look-alikes', () => {
    for (const input of ['', 'ABCDE', 'ABCDE-FGHJKM', 'ABCDE-FGHJ0', 'ABCDE-FGHJO', 'ABCDE-FGHJ1', 'ABCDE-FGHJI', 'ABCDE-FGHJL', 'ABCDE-FGHJU', 'ABCDE_FGHJK', 'ABCDE-FGHJ!', ' '.repeat(100) + 'ABCDEFGHJK']) {
      expect(normalizeReadableCode(input), input).toBeNull()
    }
  })
})

describe('TOTP', () => {
  // RFC 6238 appendix B: SHA-1, secret "12345678901234567890" (base32 below), 8-digit codes.
  // A 6-digit code is the last 6 digits of the 8-digit one (both are the same number mod 10^d).
  const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
  const rfcVectors: [seconds: number, code: string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ]

  test('matches the RFC 6238 test vectors', () => {
    for (const [seconds, code] of rfcVectors) {
      expect(verifyTotp(rfcSecret, code.slice(2), { now: seconds * 1000 }), `${seconds}`).toEqual({ ok: true, step: Math.floor(seconds / 30) })
    }
  })

  test('accepts the step either side of now and refuses two away', () => {
    const code = '081804' // step 37037036, from 1111111080 to 1111111109 seconds
    const step = 37037036
    const at = (seconds: number) => verifyTotp(rfcSecret, code, { now: seconds * 1000 })
    expect(at(1111111080)).toEqual({ ok: true, step })
    expect(at(1111111109.999)).toEqual({ ok: true, step })
    expect(at(1111111110)).toEqual({ ok: true, step }) // one step late
    expect(at(1111111139)).toEqual({ ok: true, step })
    expect(at(1111111050)).toEqual({ ok: true, step }) // one step early
    expect(at(1111111140)).toEqual({ ok: false }) // two steps late
    expect(at(1111111049)).toEqual({ ok: false }) // two steps early
  })

  test('a code cannot be used again, nor an older one after a newer', () => {
    const now = 1111111111 * 1000 // step 37037037
    expect(verifyTotp(rfcSecret, '050471', { now, lastUsedStep: 37037036 })).toEqual({ ok: true, step: 37037037 })
    expect(verifyTotp(rfcSecret, '050471', { now, lastUsedStep: 37037037 })).toEqual({ ok: false })
    expect(verifyTotp(rfcSecret, '081804', { now, lastUsedStep: 37037037 })).toEqual({ ok: false })
    expect(verifyTotp(rfcSecret, '081804', { now, lastUsedStep: 37037035 })).toEqual({ ok: true, step: 37037036 })
  })

  test('wrong and malformed codes are refused without an error', () => {
    const now = 59_000
    for (const code of ['287081', '', '28708', '2870822', 'abcdef', '28 70 8x', '94287082']) {
      expect(verifyTotp(rfcSecret, code, { now }), code).toEqual({ ok: false })
    }
    expect(verifyTotp(rfcSecret, '287 082', { now })).toEqual({ ok: true, step: 1 })
  })

  test('a new secret works with an authenticator and has a setup URI', () => {
    const secret = newTotpSecret()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(newTotpSecret()).not.toBe(secret)
    const now = Date.UTC(2026, 0, 5, 9, 30)
    const code = generateSync({ secret, epoch: now / 1000 })
    expect(verifyTotp(secret, code, { now })).toEqual({ ok: true, step: now / 30_000 })
    const uri = new URL(totpSetupUri(secret, 'jo@example.org'))
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.host).toBe('totp')
    expect(decodeURIComponent(uri.pathname)).toBe('/SafetyMap:jo@example.org')
    expect(uri.searchParams.get('secret')).toBe(secret)
    expect(uri.searchParams.get('issuer')).toBe('SafetyMap')
  })
})

describe('SignInThrottle', () => {
  const MINUTE = 60_000
  const start = Date.UTC(2026, 0, 5, 9, 0)
  const jo = { account: 'jo@example.org', address: '203.0.113.7' }

  function failTimes(throttle: SignInThrottle, keys: { account?: string; address: string }, times: number, at: number): void {
    for (let i = 0; i < times; i++) throttle.failed(keys, at)
  }

  test('five failures within 15 minutes lock the account for 15 minutes, from any address', () => {
    const throttle = new SignInThrottle()
    for (let i = 0; i < 4; i++) throttle.failed(jo, start + i * 3 * MINUTE)
    expect(throttle.check(jo, start + 12 * MINUTE)).toEqual({ allowed: true })
    throttle.failed(jo, start + 14 * MINUTE)
    const elsewhere = { account: jo.account, address: '198.51.100.9' }
    expect(throttle.check(elsewhere, start + 14 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
    expect(throttle.check(elsewhere, start + 28 * MINUTE + 30_500)).toEqual({ allowed: false, retryAfterSeconds: 30 })
    expect(throttle.check(elsewhere, start + 29 * MINUTE)).toEqual({ allowed: true })
    // Other accounts from Jo's address are not affected.
    expect(throttle.check({ account: 'sam@example.org', address: jo.address }, start + 14 * MINUTE)).toEqual({ allowed: true })
  })

  test('failures older than the window do not count', () => {
    const throttle = new SignInThrottle()
    failTimes(throttle, jo, 4, start)
    throttle.failed(jo, start + 15 * MINUTE)
    expect(throttle.check(jo, start + 15 * MINUTE)).toEqual({ allowed: true })
  })

  test('attempts refused during a lock neither count nor extend it', () => {
    const throttle = new SignInThrottle()
    failTimes(throttle, jo, 5, start)
    failTimes(throttle, jo, 10, start + MINUTE)
    expect(throttle.check(jo, start + 15 * MINUTE)).toEqual({ allowed: true })
  })

  test('each further lock doubles, up to 24 hours', () => {
    const throttle = new SignInThrottle()
    let now = start
    const locks: number[] = []
    for (let i = 0; i < 9; i++) {
      failTimes(throttle, jo, 5, now)
      const decision = throttle.check(jo, now)
      if (decision.allowed) throw new Error('expected a lock')
      locks.push(decision.retryAfterSeconds / 60)
      now += decision.retryAfterSeconds * 1000
    }
    expect(locks).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440])
  })

  test('the lock history is forgotten a day after the last lock ends', () => {
    const throttle = new SignInThrottle()
    failTimes(throttle, jo, 5, start)
    const lockEnds = start + 15 * MINUTE
    failTimes(throttle, jo, 5, lockEnds + 24 * 60 * MINUTE - 1)
    expect(throttle.check(jo, lockEnds + 24 * 60 * MINUTE - 1)).toEqual({ allowed: false, retryAfterSeconds: 30 * 60 })

    const fresh = new SignInThrottle()
    failTimes(fresh, jo, 5, start)
    failTimes(fresh, jo, 5, lockEnds + 24 * 60 * MINUTE)
    expect(fresh.check(jo, lockEnds + 24 * 60 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
  })

  test('success clears the account, including its lock history, but not the address', () => {
    const throttle = new SignInThrottle({ address: { maxFailures: 6 } })
    failTimes(throttle, jo, 5, start)
    const afterLock = start + 15 * MINUTE
    failTimes(throttle, { account: 'sam@example.org', address: jo.address }, 4, afterLock)
    expect(throttle.check(jo, afterLock)).toEqual({ allowed: true })
    throttle.succeeded(jo)
    // Without the history the next lock is 15 minutes again, not 30.
    failTimes(throttle, { account: jo.account, address: 'elsewhere' }, 5, afterLock)
    expect(throttle.check({ account: jo.account, address: 'elsewhere' }, afterLock)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
    // The address kept its 4 failures from before the success (its first 5 expired with the window).
    throttle.failed({ address: jo.address }, afterLock)
    expect(throttle.check({ address: jo.address }, afterLock)).toEqual({ allowed: true })
    throttle.failed({ address: jo.address }, afterLock)
    expect(throttle.check({ address: jo.address }, afterLock)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
  })

  test('twenty failures from one address lock it for 15 minutes, whichever accounts, without doubling', () => {
    const throttle = new SignInThrottle()
    const address = '192.0.2.44'
    for (let i = 0; i < 19; i++) throttle.failed({ account: `person${i}@example.org`, address }, start + i * 30_000)
    expect(throttle.check({ account: 'new@example.org', address }, start + 10 * MINUTE)).toEqual({ allowed: true })
    // Each account tried from there has one failure, far from its own lock.
    expect(throttle.check({ account: 'person0@example.org', address: 'elsewhere' }, start + 10 * MINUTE)).toEqual({ allowed: true })
    throttle.failed({ address }, start + 10 * MINUTE)
    expect(throttle.check({ account: 'new@example.org', address }, start + 10 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
    expect(throttle.check({ address }, start + 25 * MINUTE)).toEqual({ allowed: true })
    failTimes(throttle, { address }, 20, start + 25 * MINUTE)
    expect(throttle.check({ address }, start + 25 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
  })

  test('when both are locked, the later unlock is the one reported', () => {
    const throttle = new SignInThrottle({ address: { maxFailures: 5 } })
    failTimes(throttle, jo, 5, start)
    failTimes(throttle, jo, 5, start + 15 * MINUTE)
    // Account: 30 minutes (second lock); address: 15 minutes (no doubling).
    expect(throttle.check(jo, start + 15 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 30 * 60 })
    expect(throttle.check({ address: jo.address }, start + 15 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
  })

  test('finished entries are dropped by the lazy sweep', () => {
    const throttle = new SignInThrottle({ sweepEveryMs: MINUTE })
    for (let i = 0; i < 50; i++) throttle.failed({ account: `person${i}@example.org`, address: `10.0.0.${i}` }, start)
    expect(throttle.size).toBe(100)
    // Locked keys are kept while locked and, for doubling, a day after.
    failTimes(throttle, jo, 5, start)
    expect(throttle.check(jo, start + 15 * MINUTE)).toEqual({ allowed: true })
    expect(throttle.size).toBe(1)
    throttle.failed({ account: 'someone', address: 'anywhere' }, start + 15 * MINUTE + 24 * 60 * MINUTE)
    expect(throttle.size).toBe(2)
  })

  test('a browser that has signed in to the account before is not kept out by others failing on purpose, but is locked after its own five failures', () => {
    const throttle = new SignInThrottle()
    const own = { ...jo, device: 'jo-laptop' }
    throttle.succeeded(own)
    // Someone else, from anywhere, fails again and again: the account and their address lock.
    const attacker = { account: jo.account, address: '198.51.100.9' }
    let now = start
    for (let lock = 0; lock < 6; lock++) {
      failTimes(throttle, attacker, 5, now)
      const refused = throttle.check(attacker, now)
      if (refused.allowed) throw new Error('expected the account to be locked for everyone else')
      expect(throttle.check({ ...attacker, device: 'attacker-phone' }, now)).toEqual(refused)
      expect(throttle.check(own, now)).toEqual({ allowed: true })
      now += refused.retryAfterSeconds * 1000
    }
    // Nor is it held by a lock on the address it shares with them.
    failTimes(throttle, { address: jo.address }, 20, now)
    expect(throttle.check({ account: jo.account, address: jo.address }, now)).toMatchObject({ allowed: false })
    expect(throttle.check(own, now)).toEqual({ allowed: true })
    // Its own wrong passwords count under its own key: five lock it, for 15 minutes and then doubling.
    failTimes(throttle, own, 4, now)
    expect(throttle.check(own, now)).toEqual({ allowed: true })
    throttle.failed(own, now)
    expect(throttle.check(own, now)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
    failTimes(throttle, own, 5, now + 15 * MINUTE)
    expect(throttle.check(own, now + 15 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 30 * 60 })
    // Trusted for Jo's account only: the same browser signing in to another is counted as before.
    expect(throttle.check({ account: 'sam@example.org', address: jo.address, device: own.device }, now)).toMatchObject({ allowed: false })
  })

  test('a trusted browser’s guesses still count towards the account’s lock for everyone else', () => {
    const throttle = new SignInThrottle()
    const own = { ...jo, device: 'jo-laptop' }
    throttle.succeeded(own)
    failTimes(throttle, own, 5, start)
    expect(throttle.check({ account: jo.account, address: 'elsewhere' }, start)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
  })

  test('attempts at once from a trusted browser are limited by its own failures left', () => {
    const throttle = new SignInThrottle()
    const own = { ...jo, device: 'jo-laptop' }
    throttle.succeeded(own)
    failTimes(throttle, { account: jo.account, address: 'elsewhere' }, 4, start)
    const allowed = Array.from({ length: 8 }, () => throttle.attempt(own, start)).filter((decision) => decision.allowed)
    expect(allowed).toHaveLength(5)
    for (const decision of allowed) throttle.settle(decision.attempt, 'failed', start)
    expect(throttle.check(own, start)).toMatchObject({ allowed: false })
  })

  test('forgetting an account (a reset, a password chosen through a link) clears its lock, its lock history and its trusted browsers', () => {
    const throttle = new SignInThrottle()
    const own = { ...jo, device: 'jo-laptop' }
    throttle.succeeded(own)
    failTimes(throttle, jo, 5, start)
    failTimes(throttle, jo, 5, start + 15 * MINUTE)
    failTimes(throttle, own, 5, start + 15 * MINUTE)
    expect(throttle.check(jo, start + 15 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 30 * 60 })
    throttle.forgetAccount(jo.account)
    expect(throttle.check(jo, start + 15 * MINUTE)).toEqual({ allowed: true })
    expect(throttle.check(own, start + 15 * MINUTE)).toEqual({ allowed: true })
    // The history went too: the next lock is 15 minutes again. And the laptop is no longer trusted.
    failTimes(throttle, jo, 5, start + 15 * MINUTE)
    expect(throttle.check(jo, start + 15 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
    expect(throttle.check(own, start + 15 * MINUTE)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
  })

  test('invitation codes are counted per address apart from sign-ins: twenty of either lock only that kind', () => {
    const throttle = new SignInThrottle()
    const office = '192.0.2.80'
    for (let i = 0; i < 20; i++) throttle.failed({ account: `person${i}@example.org`, address: office }, start)
    expect(throttle.check({ account: 'new@example.org', address: office }, start)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
    expect(throttle.checkCode(office, start)).toEqual({ allowed: true })

    const venue = '192.0.2.81'
    for (let i = 0; i < 19; i++) throttle.codeFailed(venue, start)
    expect(throttle.checkCode(venue, start)).toEqual({ allowed: true })
    throttle.codeFailed(venue, start)
    expect(throttle.checkCode(venue, start)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
    expect(throttle.check({ account: 'new@example.org', address: venue }, start)).toEqual({ allowed: true })
    expect(throttle.checkCode(venue, start + 15 * MINUTE)).toEqual({ allowed: true })
  })

  test('memory is bounded: past the cap the least recently failed key is dropped', () => {
    const throttle = new SignInThrottle({ maxEntries: 3, account: { maxFailures: 1 } })
    throttle.failed({ account: 'a', address: 'x' }, start)
    expect(throttle.check({ account: 'a', address: 'y' }, start)).toMatchObject({ allowed: false })
    for (const account of ['b', 'c', 'd']) throttle.failed({ account, address: 'x' }, start)
    expect(throttle.size).toBe(3 + 1)
    // 'a' was the least recent account and made way for 'd'.
    expect(throttle.check({ account: 'a', address: 'y' }, start)).toEqual({ allowed: true })
    expect(throttle.check({ account: 'b', address: 'y' }, start)).toMatchObject({ allowed: false })
    for (let i = 0; i < 1000; i++) throttle.failed({ account: `flood${i}`, address: `addr${i}` }, start)
    expect(throttle.size).toBe(6)
  })
})
