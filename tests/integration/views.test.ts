import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { viewsPart } from '../../shared/conference/views'
import { CloseCode } from '../../shared/protocol'
import { inviteAndJoin } from '../helpers/devices'
import { connectParticipant, openRawSocket, updateFrame, waitUntil } from '../helpers/participants'
import { createTestConference, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

describe('views on map entries over the websocket', () => {
  test("a parent's view reaches everyone and is stored; an observer's is refused, never applied", async () => {
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

    const { id } = noteTaker.record.map.section('pastHarm').add(noteTaker.authorId, { text: { text: 'Dad shouted on Friday.' } })
    await noteTaker.saved()
    await waitUntil(() => observer.record.map.section('pastHarm').get(id) !== undefined, 'the entry reaches the observer')

    // A changed client could try to write a view as an observer: the server refuses it, never answering "saved".
    observer.record.views.give(observerDevice.participantId, id, { stance: 'agree', words: 'Written by an observer', about: '' })
    await waitUntil(() => observer.tracker.status.state === 'stopped', "the observer's view is refused")
    expect(observer.tracker.status).toMatchObject({ reason: 'readOnly' })
    mum.record.views.give(mumDevice.participantId, id, { stance: 'disagree', words: 'It was Saturday.', about: '' })
    await mum.saved()
    await waitUntil(() => noteTaker.record.views.on(id).length > 0, "the parent's view reaches the note-taker")
    // The observer's connection was closed before the parent's view was sent.
    expect(noteTaker.record.views.on(id).map((view) => [view.authorId, view.fields.stance, view.fields.words])).toEqual([
      [mumDevice.participantId, 'disagree', 'It was Saturday.'],
    ])

    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.views.on(id).map((view) => view.fields.words)).toEqual(['It was Saturday.'])
  })

  test("nobody can change or withdraw someone else's view: the update is refused and the parent's words stay", async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const [mumDevice, workerDevice] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Gran', role: 'familyNetwork' }),
    ])
    const noteTaker = servers.track(connectParticipant(server.admin, conference.id))
    const mum = servers.track(connectParticipant(mumDevice, conference.id))
    await Promise.all([noteTaker.synced(), mum.synced()])
    const { id } = noteTaker.record.map.section('pastHarm').add(noteTaker.authorId, { text: { text: 'Dad shouted on Friday.' } })
    await noteTaker.saved()
    await waitUntil(() => mum.record.map.section('pastHarm').get(id) !== undefined, 'the entry reaches the parent')
    mum.record.views.give(mumDevice.participantId, id, { stance: 'disagree', words: 'It was Saturday.', about: '' })
    await mum.saved()

    // A changed client, connected as someone else, rewrites the parent's view, then withdraws it.
    for (const tamper of [
      (doc: Y.Doc) => { viewsPart(doc).of(mumDevice.participantId, id)?.update(workerDevice.participantId, { stance: 'agree', words: 'Fine.' }) },
      (doc: Y.Doc) => { viewsPart(doc).withdraw(mumDevice.participantId, id) },
      // A copy under the parent's view id and name, written first (the board shows the first-written copy).
      (doc: Y.Doc) => {
        doc.clientID = 1
        const views = doc.getArray<unknown>('views').toArray()
        const original = views.find((view): view is Y.Map<unknown> => view instanceof Y.Map && view.get('authorId') === mumDevice.participantId)
        const forged = new Y.Map<unknown>()
        for (const [key, value] of Object.entries(original?.toJSON() ?? {})) forged.set(key, JSON.stringify(value).includes('Saturday') ? 'I agree with all of it.' : value)
        doc.getArray('views').insert(0, [forged])
      },
    ]) {
      const copy = new Y.Doc()
      const reader = servers.track(connectParticipant(workerDevice, conference.id))
      await reader.synced()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(reader.doc))
      reader.destroy()
      const before = Y.encodeStateVector(copy)
      tamper(copy)
      const raw = openRawSocket(workerDevice, `/${conference.id}`)
      await raw.opened
      raw.socket.send(updateFrame(Y.encodeStateAsUpdate(copy, before)))
      expect((await raw.closed).code).toBe(CloseCode.updateRejected)
    }

    // Their own view they may still give and change.
    const gran = servers.track(connectParticipant(workerDevice, conference.id))
    await gran.synced()
    gran.record.views.give(workerDevice.participantId, id, { stance: 'agree', words: 'I saw it too.', about: '' })
    await gran.saved()
    gran.record.views.give(workerDevice.participantId, id, { stance: 'differently', words: 'It was late on Friday.', about: '' })
    await gran.saved()

    const later = servers.track(connectParticipant(server.admin, conference.id))
    await later.synced()
    expect(later.record.views.on(id).map((view) => [view.authorId, view.fields.stance, view.fields.words])).toEqual([
      [mumDevice.participantId, 'disagree', 'It was Saturday.'],
      [workerDevice.participantId, 'differently', 'It was late on Friday.'],
    ])
  })
})
