import fs from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { Amendment, AmendmentsResponse, ApiErrorBody } from '../../shared/api'
import type { Finalization } from '../../shared/conference/meta'
import { plainText } from '../../shared/conference/richText'
import { can, isProfessionalRole, ROLES } from '../../shared/roles'
import type { AuditEntry } from '../../server/audit/auditLog'
import { AUDIT_FILE } from '../../server/server'
import { amendmentsOf } from '../../server/storage/amendments'
import { api, expectJson, inviteAndJoin, professionalIn, type Device } from '../helpers/devices'
import { connectParticipant, typeInto, waitUntil } from '../helpers/participants'
import { createTestConference, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

const CORRECTION = 'It was my sister who collected the children on Tuesday, not me.'

function amendmentsPath(conferenceId: string): string {
  return `/api/conferences/${conferenceId}/amendments`
}

async function amend(device: Device, conferenceId: string, body: unknown): Promise<Response> {
  return api(device, amendmentsPath(conferenceId), { method: 'POST', body })
}

async function amendmentsSeenBy(device: Device, conferenceId: string): Promise<AmendmentsResponse> {
  return expectJson<AmendmentsResponse>(await api(device, amendmentsPath(conferenceId)), 200)
}

async function finalize(chair: Device, conferenceId: string): Promise<Finalization> {
  return (await expectJson<{ finalization: Finalization }>(await api(chair, `/api/conferences/${conferenceId}/finalize`, { method: 'POST' }), 200)).finalization
}

describe('amendments after the record is finalized', () => {
  test('before the chair closes the record, corrections go into the record itself: an amendment is refused with 409', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })

    const refused = await amend(mum, conference.id, { section: 'map', text: CORRECTION })
    const { error } = await expectJson<ApiErrorBody>(refused, 409)
    expect(error.code).toBe('record-not-final')
    expect(error.message).toMatch(/correct it on the board/)
    expect(await amendmentsSeenBy(mum, conference.id)).toEqual({ amendments: [], final: false, mayAmend: false })
    expect(server.storage.amendments.all()).toEqual([])
  })

  test('after it, a parent adds one: dated, attributed and listed after the original, which does not change', async () => {
    let server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mumDevice = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const observerDevice = await inviteAndJoin(server.admin, conference.id, { name: 'Student social worker', role: 'observer' })
    const other = await createTestConference(server.admin, { title: 'Another family' })
    const outsider = await inviteAndJoin(server.admin, other.id, { name: 'Someone else', role: 'parentOrCarer' })

    const mum = servers.track(connectParticipant(mumDevice, conference.id))
    await mum.synced()
    typeInto(mum.record.map.section('pastHarm').add(mumDevice.participantId).richText('text'), 'I collected the children late on Tuesday.')
    await mum.saved()
    const finalization = await finalize(server.admin, conference.id)
    await waitUntil(() => mum.record.meta.finalization() !== null, 'the parent sees the record is final')

    const before = Date.now()
    const { amendment } = await expectJson<{ amendment: Amendment }>(await amend(mumDevice, conference.id, { section: 'map', text: `  ${CORRECTION}  ` }), 201)
    expect(amendment).toMatchObject({ by: 'Mum', role: 'parentOrCarer', section: 'map', text: CORRECTION })
    expect(Date.parse(amendment.at)).toBeGreaterThanOrEqual(before - 1000)
    expect(Date.parse(amendment.at)).toBeGreaterThanOrEqual(Date.parse(finalization.at))

    // A second one, later: they are listed oldest first, after the original.
    const { amendment: second } = await expectJson<{ amendment: Amendment }>(await amend(server.admin, conference.id, { section: 'actions', text: 'The school visit is on Thursday.' }), 201)
    const seen = await amendmentsSeenBy(mumDevice, conference.id)
    expect(seen).toEqual({ amendments: [amendment, second], final: true, mayAmend: true })
    expect(amendmentsOf(server.storage, conference.id)).toEqual([amendment, second])
    expect(amendmentsOf(server.storage, other.id)).toEqual([])

    // An observer may read them but not add one; someone outside cannot tell the conference exists.
    expect(await amendmentsSeenBy(observerDevice, conference.id)).toMatchObject({ amendments: [amendment, second], final: true, mayAmend: false })
    expect((await amend(observerDevice, conference.id, { section: 'map', text: 'Me too' })).status).toBe(403)
    expect((await amend(outsider, conference.id, { section: 'map', text: 'Me too' })).status).toBe(404)
    expect((await api(outsider, amendmentsPath(conference.id))).status).toBe(404)

    // Bad input gets a clear answer and stores nothing.
    const bad = await expectJson<ApiErrorBody>(await amend(mumDevice, conference.id, { section: 'somewhere', text: '   ' }), 400)
    expect(Object.keys(bad.error.fields ?? {}).sort()).toEqual(['section', 'text'])
    expect(server.storage.amendments.all()).toHaveLength(2)

    // The record and the copy kept under its hash are unchanged.
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.map.section('pastHarm').entries().map((entry) => plainText(entry.richText('text')))).toEqual(['I collected the children late on Tuesday.'])
    expect(reader.record.meta.finalization()).toEqual(finalization)
    expect(await server.storage.readFinalCopy(conference.id, finalization.hash)).toBeDefined()

    // A change to the final record over the websocket is still refused (4409, recordFinal).
    typeInto(mum.record.map.section('pastHarm').add(mumDevice.participantId).richText('text'), 'Sneaked in')
    await waitUntil(() => mum.tracker.status.state === 'stopped', 'the late change is refused')
    expect(mum.tracker.status).toMatchObject({ state: 'stopped', reason: 'recordFinal' })

    // The audit trail says who amended which section, never the words.
    const audit = (await fs.readFile(path.join(server.dataDir, AUDIT_FILE), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as AuditEntry)
    const added = audit.filter((entry) => entry.action === 'amendment-added')
    expect(added.map((entry) => [entry.actor.name, entry.details?.section])).toEqual([['Mum', 'map'], ['Ada Admin', 'actions']])
    expect(JSON.stringify(audit)).not.toContain('sister')

    // Amendments are kept across a restart.
    reader.destroy()
    mum.destroy()
    server = await servers.restart()
    expect((await amendmentsSeenBy(server.admin, conference.id)).amendments).toEqual([amendment, second])
  })

  test('after finalizing, exactly the roles that correct entries may add an amendment', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const devices = await Promise.all(ROLES.filter((role) => role !== 'chair').map(async (role) => ({
      role,
      device: isProfessionalRole(role)
        ? await professionalIn(server.admin, server.admin, conference.id, { name: `The ${role}`, email: `${role.toLowerCase()}.amend@example.org`, role })
        : await inviteAndJoin(server.admin, conference.id, { name: `The ${role}`, role }),
    })))
    await finalize(server.admin, conference.id)
    const answers = await Promise.all([{ role: 'chair' as const, device: server.admin }, ...devices].map(async ({ role, device }) =>
      [role, (await amend(device, conference.id, { section: 'decision', text: `From the ${role}` })).status] as const))
    expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(ROLES.map((role) => [role, can(role, 'editEntries') ? 201 : 403])))
  })
})
