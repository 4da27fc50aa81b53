/**
 * A professional changing their own password, and moving their second sign-in step to a new
 * phone, from the account page: a real server on port 0, real HTTP and websockets.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { generateSync } from 'otplib'
import type { SecondFactorSetup, SessionInfo } from '../../shared/access'
import { AUDIT_FILE } from '../../server/server'
import { ADMIN, api, expectJson, newProfessional, professionalIn, refusal, setPassword, setUpFirstAdmin, signedOutDevice, signIn, type Device, type Professional } from '../helpers/devices'
import { openRawSocket, waitUntil } from '../helpers/participants'
import { auditTrail, createTestConference, makeTempDir, movableClock, removeTempDirs, startTestServer, stopAndVerify, uniqueEmail, type TestServer } from '../helpers/server'
import { spawnServer, type ServerProcess } from '../helpers/serverProcess'

afterAll(removeTempDirs)

let server: TestServer | undefined
let clock = movableClock()
afterEach(async () => {
  if (!server) return
  await stopAndVerify(server)
  server = undefined
})


async function clockedServer(): Promise<TestServer> {
  clock = movableClock()
  server = await startTestServer({ now: clock.read })
  return server
}

async function answerOf(response: Response): Promise<string> {
  const text = await response.text()
  if (response.status < 400) return String(response.status)
  return `${response.status} ${(JSON.parse(text) as { error: { code: string } }).error.code}`
}

async function sessionOf(device: Device): Promise<SessionInfo | null> {
  return (await expectJson<{ session: SessionInfo | null }>(await api(device, '/api/session'), 200)).session
}

const NEW_PASSWORD = 'a new password only Priya knows'

function changePassword(device: Device, currentPassword: string, password: string): Promise<Response> {
  return api(device, '/api/account/password/change', { method: 'POST', body: { currentPassword, password } })
}

function signInWith(priya: Professional, password: string, code?: string): Promise<Response> {
  return api(signedOutDevice(priya.baseUrl), '/api/session', { method: 'POST', body: { email: priya.email, password, ...(code === undefined ? {} : { code }) } })
}

const codeOf = (secret: string, at = clock.now): string => generateSync({ secret, period: 30, epoch: Math.floor(at / 1000) })
const notCodeOf = (secret: string): string => (codeOf(secret) === '000000' ? '111111' : '000000')

async function withSecondStep(priya: Professional): Promise<string> {
  const { secret } = await expectJson<SecondFactorSetup>(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }), 200)
  await expectJson(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: codeOf(secret) } }), 200)
  return secret
}

describe('changing your password', () => {
  test('needs the current password; the new one is stored, the old one stops working, other sessions end and this one stays; audited without the password', async () => {
    const { admin } = await clockedServer()
    const conference = await createTestConference(admin)
    const priya = await professionalIn(admin, admin, conference.id, { name: 'Priya', email: uniqueEmail('priya'), role: 'socialWorker' })
    const elsewhere = await signIn(priya.baseUrl, priya.email, priya.password)
    const socket = openRawSocket(elsewhere, `/${conference.id}`)
    await socket.opened
    let closedWith: number | undefined
    void socket.closed.then((closed) => { closedWith = closed.code })

    // The same rules as choosing a password the first time, said under the new password.
    const tooShort = await refusal(await changePassword(priya, priya.password, 'short'), 400)
    expect(tooShort.code).toBe('password-not-acceptable')
    expect(tooShort.fields?.password).toContain('at least 12 characters')
    // One too long is said in words too, not in the checker's terms.
    expect((await refusal(await changePassword(priya, priya.password, 'a long pass phrase '.repeat(11)), 400)).fields).toEqual({ password: 'Use a password of at most 200 characters.' })
    // A wrong current password is refused, said under that box, and changes nothing.
    expect(await refusal(await changePassword(priya, 'not her password at all', NEW_PASSWORD), 400)).toMatchObject({ code: 'password-wrong', fields: { currentPassword: 'That is not your password.' } })
    expect(await sessionOf(elsewhere)).not.toBeNull()
    expect(await answerOf(await signInWith(priya, NEW_PASSWORD))).toBe('401 sign-in-failed')
    // The password she has now, typed again as the new one: she would think it changed.
    expect(await refusal(await changePassword(priya, priya.password, priya.password), 400)).toMatchObject({ code: 'password-unchanged', fields: { password: 'That is the password you have now. Choose a new one.' } })
    expect(await sessionOf(elsewhere)).not.toBeNull()

    expect(await expectJson<{ session: SessionInfo }>(await changePassword(priya, priya.password, NEW_PASSWORD), 200)).toMatchObject({ session: { kind: 'account', account: { email: priya.email } } })
    // Cut off elsewhere at once, open record and all; not here.
    expect(await sessionOf(elsewhere)).toBeNull()
    await waitUntil(() => closedWith !== undefined, 'the other session’s websocket closes', 5_000)
    expect(closedWith).toBe(4401)
    expect(await sessionOf(priya)).toMatchObject({ kind: 'account' })
    expect(await answerOf(await signInWith(priya, priya.password))).toBe('401 sign-in-failed')
    expect(await answerOf(await signInWith(priya, NEW_PASSWORD))).toBe('200')

    const trail = await auditTrail(server!)
    expect(trail.filter((entry) => entry.action === 'password-changed').map((entry) => [entry.actor.id, entry.details])).toEqual([[priya.accountId, { otherSessionsEnded: 1 }]])
    expect(trail.filter((entry) => entry.action === 'sign-in-failed' && entry.actor.id === priya.accountId).map((entry) => entry.details))
      .toContainEqual({ reason: 'password', while: 'signed-in' })
    const raw = await readFile(path.join(server!.dataDir, AUDIT_FILE), 'utf8')
    for (const secret of [priya.password, NEW_PASSWORD, 'not her password at all']) expect(raw).not.toContain(secret)
  })

  test('wrong current passwords count towards the sign-in throttle: a session left open cannot be used to guess the password', async () => {
    await clockedServer()
    const priya = await newProfessional(server!.admin, { name: 'Priya', email: uniqueEmail('priya') })
    for (let tried = 0; tried < 5; tried++) expect(await answerOf(await changePassword(priya, `guess number ${tried}`, NEW_PASSWORD))).toBe('400 password-wrong')
    // Locked: the right password too, here and at the sign-in page.
    expect(await answerOf(await changePassword(priya, priya.password, NEW_PASSWORD))).toBe('429 too-many-attempts')
    expect(await answerOf(await signInWith(priya, priya.password))).toBe('429 too-many-attempts')
    clock.now += 16 * 60_000
    expect(await answerOf(await changePassword(priya, priya.password, NEW_PASSWORD))).toBe('200')
  })

  test('not for anyone signed out', async () => {
    const { admin } = await clockedServer()
    expect(await answerOf(await changePassword(signedOutDevice(admin.baseUrl), 'whatever it was', NEW_PASSWORD))).toBe('401 not-signed-in')
  })
})

describe('moving the second sign-in step to a new phone', () => {
  test('needs the password and a code from the old phone; the old phone’s codes work until the new one’s is confirmed, and not after; audited', async () => {
    await clockedServer()
    const priya = await newProfessional(server!.admin, { name: 'Priya', email: uniqueEmail('priya') })
    const oldSecret = await withSecondStep(priya)
    const move = (body: { password: string; code: string }) => api(priya, '/api/account/second-factor/move', { method: 'POST', body })
    // Setting it up again from scratch is still refused, and says how to move it.
    const again = await refusal(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }), 409)
    expect(again.code).toBe('second-factor-already-set-up')
    expect(again.message).toContain('new phone')

    clock.now += 30_000
    expect(await refusal(await move({ password: 'not her password at all', code: codeOf(oldSecret) }), 400)).toMatchObject({ code: 'password-wrong', fields: { password: 'That is not your password.' } })
    expect(await refusal(await move({ password: priya.password, code: notCodeOf(oldSecret) }), 400)).toMatchObject({ code: 'code-not-valid', fields: { code: 'That code did not work.' } })
    expect(await refusal(await move({ password: priya.password, code: '' }), 400)).toMatchObject({ code: 'code-not-valid' })
    const { secret: newSecret } = await expectJson<SecondFactorSetup>(await move({ password: priya.password, code: codeOf(oldSecret) }), 200)
    expect(newSecret).not.toBe(oldSecret)
    // That code was used: it cannot start another move, nor sign in.
    expect(await answerOf(await move({ password: priya.password, code: codeOf(oldSecret) }))).toBe('400 code-not-valid')

    // Until the new phone is confirmed, the old phone still signs in; the new one does not yet.
    clock.now += 30_000
    expect(await answerOf(await signInWith(priya, priya.password, codeOf(newSecret)))).toBe('401 second-factor-wrong')
    // Each refusal above counted as a failed attempt: five lock the account for a while.
    expect(await answerOf(await signInWith(priya, priya.password, codeOf(oldSecret)))).toBe('429 too-many-attempts')
    clock.now += 16 * 60_000
    expect(await answerOf(await signInWith(priya, priya.password, codeOf(oldSecret)))).toBe('200')
    // The old phone's code does not confirm the new one.
    clock.now += 30_000
    expect(await answerOf(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: codeOf(oldSecret) } }))).toBe('400 code-not-valid')
    const confirmed = await expectJson<{ session: SessionInfo }>(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: codeOf(newSecret) } }), 200)
    expect(confirmed.session).toMatchObject({ account: { secondFactor: true } })

    clock.now += 30_000
    expect(await answerOf(await signInWith(priya, priya.password, codeOf(oldSecret)))).toBe('401 second-factor-wrong')
    expect(await answerOf(await signInWith(priya, priya.password, codeOf(newSecret)))).toBe('200')
    // Nothing left to confirm.
    expect(await answerOf(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: codeOf(newSecret, clock.now + 30_000) } }))).toBe('400 no-second-factor-pending')

    const trail = await auditTrail(server!)
    expect(trail.filter((entry) => entry.action === 'second-factor-moved').map((entry) => entry.actor.id)).toEqual([priya.accountId])
    expect(trail.filter((entry) => entry.action === 'sign-in-failed' && entry.actor.id === priya.accountId).map((entry) => entry.details))
      .toEqual(expect.arrayContaining([{ reason: 'password', while: 'signed-in' }, { reason: 'second-factor', while: 'signed-in' }]))
    const raw = await readFile(path.join(server!.dataDir, AUDIT_FILE), 'utf8')
    for (const secret of [oldSecret, newSecret, priya.password]) expect(raw).not.toContain(secret)
  })

  test('wrong codes from the old phone count towards the sign-in throttle', async () => {
    await clockedServer()
    const priya = await newProfessional(server!.admin, { name: 'Priya', email: uniqueEmail('priya') })
    const oldSecret = await withSecondStep(priya)
    clock.now += 30_000
    const move = (code: string) => api(priya, '/api/account/second-factor/move', { method: 'POST', body: { password: priya.password, code } })
    for (let tried = 0; tried < 5; tried++) expect(await answerOf(await move(notCodeOf(oldSecret)))).toBe('400 code-not-valid')
    expect(await answerOf(await move(codeOf(oldSecret)))).toBe('429 too-many-attempts')
  })

  test('with no second step there is nothing to move', async () => {
    await clockedServer()
    const priya = await newProfessional(server!.admin, { name: 'Priya', email: uniqueEmail('priya') })
    expect(await answerOf(await api(priya, '/api/account/second-factor/move', { method: 'POST', body: { password: priya.password, code: '123456' } }))).toBe('409 no-second-factor')
  })
})

describe('when no administrator can sign in', () => {
  let running: ServerProcess | undefined
  afterEach(async () => {
    running?.child.kill('SIGTERM')
    await running?.exited
    running = undefined
  })

  test('started with SAFETYMAP_RESET_SIGN_IN, the server prints a one-time password link for that administrator; the old password stops working; a wrong email stops the start', async () => {
    const dataDir = await makeTempDir()
    running = await spawnServer(dataDir)
    if (!running.setupLink) throw new Error('a fresh data dir prints a set-up link')
    await setUpFirstAdmin(running.url, running.setupLink)
    running.child.kill('SIGTERM')
    await running.exited

    running = await spawnServer(dataDir, { env: { SAFETYMAP_RESET_SIGN_IN: ` ${ADMIN.email.toUpperCase()} ` } })
    const link = /The sign-in of Ada Admin was reset\. Give them this one-time link[^\n]*\n\s+http:\/\/\S+(\/set-password#\S+)/.exec(running.output())?.[1]
    if (!link) throw new Error(`no password link printed: ${running.output()}`)
    const adminNow = await setPassword(running.url, link, 'a brand new password for Ada')
    expect(await expectJson<{ session: SessionInfo }>(await api(adminNow, '/api/session'), 200)).toMatchObject({ session: { kind: 'account', account: { email: ADMIN.email, admin: true } } })
    expect((await api(signedOutDevice(running.url), '/api/session', { method: 'POST', body: { email: ADMIN.email, password: ADMIN.password } })).status).toBe(401)
    running.child.kill('SIGTERM')
    await running.exited

    // An email that is no administrator's: the start stops, saying why, rather than serve without the reset.
    const wrong = spawnServer(dataDir, { env: { SAFETYMAP_RESET_SIGN_IN: 'nobody@example.org' } })
    running = undefined
    await expect(wrong).rejects.toThrow(/there is no administrator with the email address nobody@example\.org/)
  })
})
