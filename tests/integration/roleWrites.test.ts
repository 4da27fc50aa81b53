import { describe, expect, test } from 'vitest'
import { plainText } from '../../shared/conference/richText'
import { inviteAndJoin, professionalIn } from '../helpers/devices'
import { chairAndMumConnected, connectParticipant, typeInto, waitUntil } from '../helpers/participants'
import { createTestConference, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

describe('what each role may write over the websocket', () => {
  test('only the chair (or decision-maker) records the decision; the family still writes its view beside it', async () => {
    const { server, conference, chair, mum } = await chairAndMumConnected(servers)

    typeInto(mum.record.decision.familyView, 'We want the children to stay at home.')
    await mum.saved()
    await waitUntil(() => plainText(chair.record.decision.familyView) === 'We want the children to stay at home.', 'the family view reaches the chair')

    // A changed client could try to record the decision itself: its connection is closed, nothing applied.
    mum.record.decision.update({ decision: 'child-protection-plan' })
    await waitUntil(() => mum.tracker.status.state === 'stopped', 'the parent connection is refused')
    expect(mum.tracker.status).toMatchObject({ state: 'stopped', reason: 'updateRejected' })

    chair.record.decision.update({ decision: 'no-plan' })
    await chair.saved()
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.decision.get().decision).toBe('no-plan')
  })

  test('nobody changes the conference’s kind, date or title over the websocket, the chair included; the children stay open to editors', async () => {
    const { server, conference, mumDevice, chair, mum } = await chairAndMumConnected(servers, { date: '2026-12-01' })

    mum.record.details.children.add(mumDevice.participantId, { fields: { name: 'Robin', dateOfBirth: null } })
    await mum.saved()
    // Its deadlines, the 72-hour target and the programme figures follow from the date: a changed client could move them all.
    mum.record.details.update({ date: '2027-06-01' })
    chair.record.details.update({ title: 'Renamed over the websocket' })
    await waitUntil(() => [mum, chair].every((person) => person.tracker.status.state === 'stopped'), 'both connections are refused')
    for (const person of [mum, chair]) expect(person.tracker.status).toMatchObject({ state: 'stopped', reason: 'updateRejected' })

    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.details.get()).toMatchObject({ date: '2026-12-01', title: conference.title })
    expect(reader.record.details.children.entries().map((child) => child.fields.name)).toEqual(['Robin'])
  })

  test('a parent removes what they wrote, never what someone else wrote; the chair removes anyone’s', async () => {
    const { server, conference, chair, mum } = await chairAndMumConnected(servers)
    const chairsWorry = chair.record.map.section('pastHarm').add(chair.authorId, { text: { text: 'Dad shouted on Friday.' } }).id
    await chair.saved()
    const pastHarm = mum.record.map.section('pastHarm')
    await waitUntil(() => pastHarm.get(chairsWorry) !== undefined, 'the chair’s worry reaches Mum')
    const [kept, withdrawn] = ['He was tired, not angry.', 'Written in the wrong place.'].map((text) => pastHarm.add(mum.authorId, { text: { text } }).id)
    pastHarm.remove(withdrawn!)
    await mum.saved()

    // A changed client could take the chair's words out for everyone: its connection is closed, nothing applied.
    pastHarm.remove(chairsWorry)
    await waitUntil(() => mum.tracker.status.state === 'stopped', 'the parent connection is refused')
    expect(mum.tracker.status).toMatchObject({ state: 'stopped', reason: 'updateRejected' })

    chair.record.map.section('pastHarm').remove(kept!)
    await chair.saved()
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.map.section('pastHarm').entries().map((entry) => plainText(entry.richText('text')))).toEqual(['Dad shouted on Friday.'])
  })

  test('only the chair and the note-taker move the meeting on: a parent’s or social worker’s move is refused and nothing is kept', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const [mumDevice, socialWorkerDevice, noteTakerDevice] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' }),
      professionalIn(server.admin, server.admin, conference.id, { name: 'Priya', email: 'priya@example.org', role: 'socialWorker' }),
      professionalIn(server.admin, server.admin, conference.id, { name: 'Nadia', email: 'nadia@example.org', role: 'noteTaker' }),
    ])
    const mum = servers.track(connectParticipant(mumDevice, conference.id))
    const socialWorker = servers.track(connectParticipant(socialWorkerDevice, conference.id))
    const noteTaker = servers.track(connectParticipant(noteTakerDevice, conference.id))
    await Promise.all([mum.synced(), socialWorker.synced(), noteTaker.synced()])

    // A changed client could try to move everyone's board: its connection is closed, nothing applied.
    mum.record.meeting.moveTo('decision', mumDevice.participantId)
    socialWorker.record.meeting.moveTo('plan', socialWorkerDevice.participantId)
    await waitUntil(() => mum.tracker.status.state === 'stopped', 'the parent connection is refused')
    await waitUntil(() => socialWorker.tracker.status.state === 'stopped', 'the social worker connection is refused')
    expect(mum.tracker.status).toMatchObject({ state: 'stopped', reason: 'updateRejected' })
    expect(socialWorker.tracker.status).toMatchObject({ state: 'stopped', reason: 'updateRejected' })
    const before = servers.track(connectParticipant(server.admin, conference.id))
    await before.synced()
    expect(before.record.meeting.get()).toEqual({ step: 'family', movedBy: '', movedAt: '' })

    noteTaker.record.meeting.moveTo('map', noteTakerDevice.participantId)
    await noteTaker.saved()
    await waitUntil(() => before.record.meeting.get().step === 'map', 'the move reaches the chair')
    const after = servers.track(connectParticipant(server.admin, conference.id))
    await after.synced()
    expect(after.record.meeting.get()).toMatchObject({ step: 'map', movedBy: noteTakerDevice.participantId })
  })
})
