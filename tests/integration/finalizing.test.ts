import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { plainText } from '../../shared/conference/richText'
import { conferenceRecord } from '../../shared/conference'
import { readFinalization, type Finalization } from '../../shared/conference/meta'
import { scoresPart, type ScoringRound } from '../../shared/conference/scores'
import { syncRoomName } from '../../shared/conference/documents'
import { professionalsOnlyPart } from '../../shared/conference/professionalsOnly'
import { CloseCode } from '../../shared/protocol'
import { can, isProfessionalRole, ROLES } from '../../shared/roles'
import { api, expectJson, inviteAndJoin, professionalIn, refusal } from '../helpers/devices'
import { chairAndMumConnected, connectParticipant, typeInto, waitUntil } from '../helpers/participants'
import { createTestConference, serverForEachTest, type TestServer } from '../helpers/server'
import { finalizationOf, finalizeRecord } from '../../server/documents/finalizing'
import type { Storage } from '../../server/storage/types'

const servers = serverForEachTest()

/**
 * Starts closing the record with a slow disk: resolves once the copy is taken and being kept,
 * and the close ends only when `letCopyFinish` is called.
 */
async function closingHeldAtItsCopy(server: TestServer, conferenceId: string): Promise<{ closing: Promise<Finalization>; letCopyFinish: () => void }> {
  let copyStarted!: () => void
  const copying = new Promise<void>((resolve) => { copyStarted = resolve })
  let letCopyFinish!: () => void
  const copyMayFinish = new Promise<void>((resolve) => { letCopyFinish = resolve })
  const slow: Storage = Object.create(server.storage) as Storage
  slow.keepFinalCopy = async (id, state) => {
    copyStarted()
    await copyMayFinish
    return server.storage.keepFinalCopy(id, state)
  }
  const closing = finalizeRecord(slow, server.rooms, conferenceId, 'Ada Admin')
  await copying
  return { closing, letCopyFinish }
}

describe('finalizing the record', () => {
  test('only roles with finalize may close the record; someone outside it cannot tell it exists', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const other = await createTestConference(server.admin, { title: 'Another family' })
    const outsider = await inviteAndJoin(server.admin, other.id, { name: 'Outsider', role: 'parentOrCarer' })
    expect((await api(outsider, `/api/conferences/${conference.id}/finalize`, { method: 'POST' })).status).toBe(404)
    // Everyone else first (the chair's success would end the test), one of each role.
    const roles = [...ROLES].sort((a, b) => Number(can(a, 'finalize')) - Number(can(b, 'finalize')))
    for (const role of roles) {
      const device = role === 'chair'
        ? server.admin
        : isProfessionalRole(role)
          ? await professionalIn(server.admin, server.admin, conference.id, { name: `The ${role}`, email: `${role.toLowerCase()}.final@example.org`, role })
          : await inviteAndJoin(server.admin, conference.id, { name: `The ${role}`, role })
      const response = await api(device, `/api/conferences/${conference.id}/finalize`, { method: 'POST' })
      expect([role, response.status]).toEqual([role, can(role, 'finalize') ? 200 : 403])
    }
  })

  test('the chair closes the record: a copy is kept under its hash, and nobody can change it afterwards', async () => {
    const { server, conference, mumDevice, chair, mum } = await chairAndMumConnected(servers)
    typeInto(chair.record.map.section('pastHarm').add(chair.authorId).richText('text'), 'Agreed before the end.')
    await chair.saved()

    // Only the chair may close it.
    expect((await api(mumDevice, `/api/conferences/${conference.id}/finalize`, { method: 'POST' })).status).toBe(403)
    const { finalization } = await expectJson<{ finalization: Finalization }>(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    await waitUntil(() => mum.record.meta.finalization()?.hash === finalization.hash, 'everyone sees the record is final')

    const copy = await server.storage.readFinalCopy(conference.id, finalization.hash)
    if (!copy) throw new Error('no copy kept')
    const kept = new Y.Doc()
    Y.applyUpdate(kept, copy)
    const keptEntries = conferenceRecord(kept).map.section('pastHarm').entries()
    expect(keptEntries.map((entry) => plainText(entry.richText('text')))).toEqual(['Agreed before the end.'])

    // A change typed afterwards is refused; the connection says why, and nothing is stored.
    typeInto(mum.record.map.section('pastHarm').add(mum.authorId).richText('text'), 'Too late')
    await waitUntil(() => mum.tracker.status.state === 'stopped', 'the late change is refused')
    expect(mum.tracker.status).toMatchObject({ state: 'stopped', reason: 'recordFinal' })
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.map.section('pastHarm').entries()).toHaveLength(1)

    // A reader with nothing to add stays connected.
    expect(reader.provider.wsconnected).toBe(true)
    const again = await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' })
    expect(again.status).toBe(409)
    const scoring = await api(server.admin, `/api/conferences/${conference.id}/scoring-rounds`, { method: 'POST', body: { scale: { kind: 'overall' } } })
    expect(scoring.status).toBe(409)
  })

  test('devices that come back to a closed record with nothing new stay connected, though the record holds deletions', async () => {
    const { server, conference, chair, mum } = await chairAndMumConnected(servers)
    const pastHarm = chair.record.map.section('pastHarm')
    typeInto(pastHarm.add(chair.authorId).richText('text'), 'Kept.')
    const mistake = pastHarm.add(chair.authorId)
    typeInto(mistake.richText('text'), 'Added by mistake.')
    pastHarm.remove(mistake.id)
    await chair.saved()
    await waitUntil(() => mum.record.map.section('pastHarm').entries().length === 1, 'mum has the record as the chair left it')
    await mum.saved()

    const { finalization } = await expectJson<{ finalization: Finalization }>(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    await waitUntil(() => mum.record.meta.finalization()?.hash === finalization.hash, 'mum sees the record is final')
    // A blip in mum's connection: her reply on reconnect carries every deletion she knows of, and nothing new.
    for (const person of [mum, chair]) {
      person.provider.disconnect()
      person.provider.connect()
    }
    await Promise.all([mum.synced(), chair.synced()])
    await Promise.all([mum.saved(), chair.saved()])
    for (const person of [mum, chair]) {
      expect(person.tracker.status.state).toBe('saved')
      expect(person.provider.wsconnected).toBe(true)
    }
  })

  test('when its copy cannot be kept, the record is not closed: people go on typing, and the chair can close it again', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const chair = servers.track(connectParticipant(server.admin, conference.id))
    await chair.synced()
    typeInto(chair.record.map.section('pastHarm').add(chair.authorId).richText('text'), 'Before.')
    await chair.saved()
    // The disk refuses the copy (full, say), once.
    const failing: Storage = Object.create(server.storage) as Storage
    failing.keepFinalCopy = () => Promise.reject(new Error('no space left on device'))
    await expect(finalizeRecord(failing, server.rooms, conference.id, 'Ada Admin')).rejects.toThrow('no space left on device')

    typeInto(chair.record.map.section('pastHarm').add(chair.authorId).richText('text'), 'After the failed close.')
    await chair.saved()
    expect(chair.tracker.status.state).toBe('saved')
    const { finalization } = await expectJson<{ finalization: Finalization }>(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    const copy = await server.storage.readFinalCopy(conference.id, finalization.hash)
    if (!copy) throw new Error('no copy kept')
    const kept = new Y.Doc()
    Y.applyUpdate(kept, copy)
    expect(conferenceRecord(kept).map.section('pastHarm').entries().map((entry) => plainText(entry.richText('text')))).toEqual(['Before.', 'After the failed close.'])
  })

  test('words typed while a close is under way go in when the close fails: the record is still open', async () => {
    const { server, conference, mum } = await chairAndMumConnected(servers)
    let copyStarted!: () => void
    const copying = new Promise<void>((resolve) => { copyStarted = resolve })
    let failCopy!: () => void
    const copyFails = new Promise<void>((resolve) => { failCopy = resolve })
    const failing: Storage = Object.create(server.storage) as Storage
    failing.keepFinalCopy = async () => {
      copyStarted()
      await copyFails
      throw new Error('no space left on device')
    }
    const closes: number[] = []
    mum.provider.on('connection-close', (event: CloseEvent | null) => { if (event) closes.push(event.code) })
    const closing = finalizeRecord(failing, server.rooms, conference.id, 'Ada Admin')
    await copying
    typeInto(mum.record.contingency.text, 'I want my sister at the next meeting.')
    await waitUntil(() => closes.includes(CloseCode.recordClosing), 'held off while the record is being closed')
    failCopy()
    await expect(closing).rejects.toThrow('no space left on device')

    // Her device tries again, and the record, still open, takes her words.
    await mum.saved()
    expect(mum.tracker.status.state).toBe('saved')
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(readFinalization(reader.doc)).toBeNull()
    expect(plainText(reader.record.contingency.text)).toBe('I want my sister at the next meeting.')
  })

  test('closed while nobody has it open: someone who opens it before closing ends cannot change it', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mumDevice = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    // The copy is slow to keep; meanwhile the record's room, with nobody in it, is unloaded.
    const { closing, letCopyFinish } = await closingHeldAtItsCopy(server, conference.id)
    expect(server.rooms.loadedCount).toBe(0)

    const mum = servers.track(connectParticipant(mumDevice, conference.id))
    const closes: number[] = []
    mum.provider.on('connection-close', (event: CloseEvent | null) => { if (event) closes.push(event.code) })
    await mum.synced()
    typeInto(mum.record.contingency.text, 'Written after the chair pressed close')
    // Not yet "closed for good": whether the close succeeds is not known yet.
    await waitUntil(() => closes.includes(CloseCode.recordClosing), 'the change is held off while the record is being closed')
    expect(mum.tracker.status.state).not.toBe('stopped')
    letCopyFinish()
    const finalization = await closing
    await waitUntil(() => mum.tracker.status.state === 'stopped', 'the change is refused once the record is closed')
    expect(mum.tracker.status).toMatchObject({ reason: 'recordFinal', unsaved: true })

    const copy = await server.storage.readFinalCopy(conference.id, finalization.hash)
    if (!copy) throw new Error('no copy kept')
    const kept = new Y.Doc()
    Y.applyUpdate(kept, copy)
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(plainText(reader.record.contingency.text)).toBe('')
    expect(plainText(conferenceRecord(kept).contingency.text)).toBe('')
  })

  test('a record is not closed while a scale is being scored: the scores given would never be seen; shown or stopped, it closes', async () => {
    const { server, conference, mumDevice } = await chairAndMumConnected(servers)
    const rounds = `/api/conferences/${conference.id}/scoring-rounds`
    const opened = async (): Promise<ScoringRound> => (await expectJson<{ round: ScoringRound }>(await api(server.admin, rounds, { method: 'POST', body: { scale: { kind: 'overall' } } }), 201)).round
    const shown = await opened()
    await expectJson(await api(mumDevice, `${rounds}/${shown.id}/scores`, { method: 'POST', body: { value: 7, reason: 'He is safe at his nan’s' } }), 200)
    const finalize = (): Promise<Response> => api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' })

    expect(await refusal(await finalize(), 409)).toMatchObject({ code: 'scoring-open' })
    await expectJson(await api(server.admin, `${rounds}/${shown.id}/reveal`, { method: 'POST' }), 200)
    const stopped = await opened()
    expect(await refusal(await finalize(), 409)).toMatchObject({ code: 'scoring-open' })
    await expectJson(await api(server.admin, `${rounds}/${stopped.id}/cancel`, { method: 'POST' }), 200)
    expect(await finalizationOf(server.rooms, conference.id)).toBeNull()
    await expectJson(await finalize(), 200)
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(scoresPart(reader.doc).round(shown.id)?.scores.map((given) => [given.name, given.score.value])).toEqual([['Mum', 7]])
  })

  test('what the server writes for people while the record is being closed (a round, a changed score, a new date) is refused, and the kept copy is the whole record', async () => {
    const { server, conference, mumDevice } = await chairAndMumConnected(servers)
    const rounds = `/api/conferences/${conference.id}/scoring-rounds`
    const { round } = await expectJson<{ round: ScoringRound }>(await api(server.admin, rounds, { method: 'POST', body: { scale: { kind: 'overall' } } }), 201)
    await expectJson(await api(mumDevice, `${rounds}/${round.id}/scores`, { method: 'POST', body: { value: 7, reason: 'He is safe at his nan’s' } }), 200)
    await expectJson(await api(server.admin, `${rounds}/${round.id}/reveal`, { method: 'POST' }), 200)
    const { closing, letCopyFinish } = await closingHeldAtItsCopy(server, conference.id)

    const closingNow = { code: 'record-being-closed', message: 'The chair is closing this record right now. Wait a moment, then try again.' }
    expect(await refusal(await api(server.admin, rounds, { method: 'POST', body: { scale: { kind: 'overall' } } }), 409)).toMatchObject(closingNow)
    expect(await refusal(await api(mumDevice, `${rounds}/${round.id}/scores`, { method: 'POST', body: { value: 9, reason: 'Changed my mind' } }), 409)).toMatchObject(closingNow)
    expect(await refusal(await api(server.admin, `/api/conferences/${conference.id}`, { method: 'PATCH', body: { date: '2026-12-17' } }), 409)).toMatchObject(closingNow)
    // A second close, and a correction, are told the same: the first close may still fail, and the board takes no change now.
    expect(await refusal(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 409)).toMatchObject(closingNow)
    expect(await refusal(await api(mumDevice, `/api/conferences/${conference.id}/amendments`, { method: 'POST', body: { section: 'map', text: 'It was Saturday.' } }), 409)).toMatchObject(closingNow)
    letCopyFinish()
    const finalization = await closing

    // The documents are made from the copy: it and the live record agree, nothing refused in them.
    const copy = await server.storage.readFinalCopy(conference.id, finalization.hash)
    if (!copy) throw new Error('no copy kept')
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    const kept = new Y.Doc()
    Y.applyUpdate(kept, copy)
    for (const doc of [kept, reader.doc]) {
      expect(scoresPart(doc).rounds().map((each) => each.id)).toEqual([round.id])
      expect(scoresPart(doc).round(round.id)?.scores.map((given) => given.score.value)).toEqual([7])
      expect(conferenceRecord(doc).details.get().date).toBe(conference.date)
    }
  })

  test('a finalized record stays final after a restart', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    await expectJson(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    const restarted = await servers.restart()
    const late = servers.track(connectParticipant(restarted.admin, conference.id))
    await late.synced()
    typeInto(late.record.map.section('pastHarm').add(late.authorId).richText('text'), 'After the restart')
    await waitUntil(() => late.tracker.status.state === 'stopped', 'refused after the restart too')
    expect(late.tracker.status).toMatchObject({ reason: 'recordFinal' })
  })

  test('the professionals-only section closes with the record: its copy is kept too, and it takes no change, before or after a restart', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const room = syncRoomName(conference.id, 'professionalsOnly')
    const chair = servers.track(connectParticipant(server.admin, room))
    await chair.synced()
    typeInto(professionalsOnlyPart(chair.doc).privateSession, 'Said in the private session.')
    await chair.saved()

    const { finalization } = await expectJson<{ finalization: Finalization }>(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    await waitUntil(() => readFinalization(chair.doc) !== null, 'the section says it is final')
    const sectionFinal = readFinalization(chair.doc)!
    expect(sectionFinal).toMatchObject({ at: finalization.at, by: finalization.by })
    const copy = await server.storage.readFinalCopy(conference.id, sectionFinal.hash)
    if (!copy) throw new Error('no copy of the section kept')
    const kept = new Y.Doc()
    Y.applyUpdate(kept, copy)
    expect(plainText(professionalsOnlyPart(kept).privateSession)).toBe('Said in the private session.')

    typeInto(professionalsOnlyPart(chair.doc).thirdPartyInformation, 'Too late')
    await waitUntil(() => chair.tracker.status.state === 'stopped', 'the late change is refused')
    expect(chair.tracker.status).toMatchObject({ state: 'stopped', reason: 'recordFinal' })

    chair.destroy()
    const restarted = await servers.restart()
    const late = servers.track(connectParticipant(restarted.admin, room))
    await late.synced()
    expect(plainText(professionalsOnlyPart(late.doc).thirdPartyInformation)).toBe('')
    typeInto(professionalsOnlyPart(late.doc).thirdPartyInformation, 'After the restart')
    await waitUntil(() => late.tracker.status.state === 'stopped', 'refused after the restart too')
    expect(late.tracker.status).toMatchObject({ reason: 'recordFinal' })
  })
})
