/**
 * When the audit trail cannot be written (a full disk): nothing is changed unaudited, a change
 * whose audit failed afterwards says so, and the trail works again once the disk does, without a
 * restart. A real server on port 0; the disk fails underneath the audit log's open file.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { ADMIN, api, expectJson, inviteAndJoin, newProfessional, refusal, signedOutDevice } from '../helpers/devices'
import { openRawSocket } from '../helpers/participants'
import { auditTrail, createCsc, createTestConference, removeTempDirs, startTestServer, stopAndVerify, uniqueEmail, type TestServer } from '../helpers/server'

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
    // The change that stood is in the trail after all, first, marked as written late; the refused ones are not.
    const trail = await auditTrail(server)
    expect(trail.slice(-3).map((entry) => entry.action)).toEqual(['account-disabled', 'sign-in', 'account-enabled'])
    const late = trail.filter((entry) => entry.action === 'account-disabled')
    expect(late.map((entry) => [entry.actor.name, entry.details])).toEqual([
      [ADMIN.name, { accountName: 'Bob', accountId: bob.accountId, recordedLate: true, happenedAt: expect.any(String) as unknown }],
    ])
  })

  test('signing out works while the trail cannot be written: the session ends and the entry is logged', async () => {
    server = await startTestServer()
    const mum = await inviteAndJoin(server.admin, (await createTestConference(server.admin)).id, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    fillAuditDisk(server)
    expect((await api(mum, '/api/session', { method: 'DELETE' })).status).toBe(204)
    expect(await expectJson<{ session: unknown }>(await api(mum, '/api/session'), 200)).toEqual({ session: null })
    expect(server.logLines.find((line) => line.event === 'audit.not-recorded')).toMatchObject({ level: 'error', action: 'sign-out', actorName: 'Sam (Mum)' })
  })

  test('a parent’s feedback, which is never audited, is still taken while the trail cannot be written', async () => {
    server = await startTestServer()
    const csc = await createCsc(server.admin)
    const maria = await inviteAndJoin(server.admin, csc.id, { name: 'Maria Diaz', role: 'parentOrCarer' })
    fillAuditDisk(server)
    // The server learns the trail cannot be written, and refuses changes up front from then on.
    await refusal(await api(server.admin, `/api/conferences/${csc.id}`, { method: 'PATCH', body: { title: 'Renamed' } }), 500)
    expect((await refusal(await api(server.admin, `/api/conferences/${csc.id}`, { method: 'PATCH', body: { title: 'Renamed again' } }), 503)).code).toBe('audit-unavailable')
    const feedback = `/api/conferences/${csc.id}/feedback`
    expect(await expectJson(await api(maria, feedback, { method: 'POST', body: { answers: { listenedTo: 'yes' }, words: 'They listened.', shareWords: true } }), 201)).toEqual({ asked: true, given: true })
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
    const disk = fillAuditDisk(server)
    const socket = openRawSocket(server.admin, `/${conference.id}?v=1`)
    const asked = Date.now()
    expect(await socket.closed).toMatchObject({ code: 1011 })
    // At once, not after the close timeout.
    expect(Date.now() - asked).toBeLessThan(5000)
    expect(socket.received).toHaveLength(0)
    // No leave without its join: nothing is even tried for it. Nothing was opened, so once the
    // trail works again there is no late join either.
    disk.mend()
    await expectJson(await api(server.admin, `/api/conferences/${conference.id}`), 200)
    expect((await auditTrail(server)).filter((entry) => entry.action === 'join' || entry.action === 'leave')).toEqual([])
    expect(server.logLines.filter((line) => line.action === 'leave')).toEqual([])
  })
})
