import { describe, expect, test } from 'vitest'
import { inviteAndJoin } from '../helpers/devices'
import { connectParticipant, waitUntil } from '../helpers/participants'
import { createTestConference, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

describe('views on map entries over the websocket', () => {
  test("a parent's view reaches everyone and is stored; an observer's is never applied", async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const [mumDevice, observerDevice] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Observer', role: 'observer' }),
    ])
    const noteTaker = servers.track(connectParticipant(server.admin, conference.id))
    const mum = servers.track(connectParticipant(mumDevice, conference.id))
    const observer = servers.track(connectParticipant(observerDevice, conference.id))
    await Promise.all([noteTaker.synced(), mum.synced(), observer.synced()])

    const { id } = noteTaker.record.map.section('pastHarm').add('note-taker', { text: { text: 'Dad shouted on Friday.' } })
    await noteTaker.saved()
    await waitUntil(() => observer.record.map.section('pastHarm').get(id) !== undefined, 'the entry reaches the observer')

    // A changed client could try to write a view as an observer: the server drops it.
    observer.record.views.give(observerDevice.participantId, id, { stance: 'agree', words: 'Written by an observer' })
    await observer.saved()
    mum.record.views.give(mumDevice.participantId, id, { stance: 'disagree', words: 'It was Saturday.' })
    await mum.saved()
    await waitUntil(() => noteTaker.record.views.on(id).length > 0, "the parent's view reaches the note-taker")
    // Everything the observer sent reached the server before the parent's view did.
    expect(noteTaker.record.views.on(id).map((view) => [view.authorId, view.fields.stance, view.fields.words])).toEqual([
      [mumDevice.participantId, 'disagree', 'It was Saturday.'],
    ])

    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.views.on(id).map((view) => view.fields.words)).toEqual(['It was Saturday.'])
  })
})
