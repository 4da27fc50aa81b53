/**
 * When the audit trail cannot be written (a full disk): nothing is changed unaudited, a change
 * whose audit failed afterwards says so, and the trail works again once the disk does, without a
 * restart. A real server on port 0; the disk fails underneath the audit log's open file.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { ADMIN, api, expectJson, inviteAndJoin, newProfessional, refusal, signedOutDevice } from '../helpers/devices'
import { openRawSocket } from '../helpers/participants'
import { auditTrail, createTestConference, removeTempDirs, startTestServer, stopAndVerify, uniqueEmail, type TestServer } from '../helpers/server'

afterAll(removeTempDirs)

let server: TestServer | undefined
afterEach(async () => {
  if (!server) return
  await stopAndVerify(server)
  server = undefined
})


/** The disk under the audit log refuses every write (ENOSPC) until `mend()`. */
function fillAuditDisk(running: TestServer): { mend(): void } {
  type Write = (...args: unknown[]) => Promise<unknown>
  const { handle } = (running.access as unknown as { audit: { handle: { write: Write } } }).audit
  const write = handle.write.bind(handle)
  let full = true
  handle.write = async (...args) => {
    if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    return write(...args)
  }
  return { mend: () => { full = false } }
}

const signInAsAdmin = (running: TestServer): Promise<Response> =>
  api(signedOutDevice(running.admin.baseUrl), '/api/session', { method: 'POST', body: { email: ADMIN.email, password: ADMIN.password } })

describe('a full disk under the audit trail', () => {
  test('a change whose audit fails says it may have been made; later changes are refused until the disk works, then the trail goes on', async () => {
    server = await startTestServer()
    const { admin } = server
    const bob = await newProfessional(admin, { name: 'Bob', email: uniqueEmail('bob') })
    const disk = fillAuditDisk(server)

    const disabling = await refusal(await api(admin, `/api/admin/accounts/${bob.accountId}/disable`, { method: 'POST' }), 500)
    expect(disabling).toMatchObject({ code: 'not-audited' })
    expect(disabling.message).toMatch(/may have been made: check before trying again/)
    expect(server.logLines.find((line) => line.event === 'audit.not-recorded')).toMatchObject({ level: 'error', action: 'account-disabled', actorName: ADMIN.name })

    // The disk is still full: refused before anything changes, in plain words.
    const sessionsBefore = server.storage.access.sessions.all().length
    const enabling = await refusal(await api(admin, `/api/admin/accounts/${bob.accountId}/enable`, { method: 'POST' }), 503)
    expect(enabling).toMatchObject({ code: 'audit-unavailable' })
    expect(enabling.message).toMatch(/has not made this change/)
    expect(server.storage.access.accounts.get(bob.accountId)?.disabled).toBe(true)
    expect((await refusal(await signInAsAdmin(server), 503)).code).toBe('audit-unavailable')
    expect(server.storage.access.sessions.all().length).toBe(sessionsBefore)

    disk.mend()
    await expectJson(await signInAsAdmin(server), 200)
    await expectJson(await api(admin, `/api/admin/accounts/${bob.accountId}/enable`, { method: 'POST' }), 200)
    const actions = (await auditTrail(server)).map((entry) => entry.action)
    expect(actions.slice(-2)).toEqual(['sign-in', 'account-enabled'])
    expect(actions).not.toContain('account-disabled')
  })

  test('signing out works while the trail cannot be written: the session ends and the entry is logged', async () => {
    server = await startTestServer()
    const mum = await inviteAndJoin(server.admin, (await createTestConference(server.admin)).id, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    fillAuditDisk(server)
    expect((await api(mum, '/api/session', { method: 'DELETE' })).status).toBe(204)
    expect(await expectJson<{ session: unknown }>(await api(mum, '/api/session'), 200)).toEqual({ session: null })
    expect(server.logLines.find((line) => line.event === 'audit.not-recorded')).toMatchObject({ level: 'error', action: 'sign-out', actorName: 'Sam (Mum)' })
  })

  test('a sign-in that cannot be audited stores no session', async () => {
    server = await startTestServer()
    const sessionsBefore = server.storage.access.sessions.all().length
    fillAuditDisk(server)
    expect((await refusal(await signInAsAdmin(server), 503)).code).toBe('audit-unavailable')
    expect(server.storage.access.sessions.all().length).toBe(sessionsBefore)
  })

  test('opening a record that cannot be audited closes the connection with a server error', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    fillAuditDisk(server)
    const socket = openRawSocket(server.admin, `/${conference.id}?v=1`)
    const asked = Date.now()
    expect(await socket.closed).toMatchObject({ code: 1011 })
    // At once, not after the close timeout.
    expect(Date.now() - asked).toBeLessThan(5000)
    expect(socket.received).toHaveLength(0)
    // No leave without its join: nothing is even tried for it.
    const { logLines } = server
    await server.stop()
    server = undefined
    expect(logLines.filter((line) => line.action === 'leave')).toEqual([])

  })
})
