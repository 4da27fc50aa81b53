import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { syncRoomName } from '../../shared/conference/documents'
import { PRIVATE_SESSION_ROOT, professionalsOnlyPart } from '../../shared/conference/professionalsOnly'
import { plainText } from '../../shared/conference/richText'
import { CloseCode } from '../../shared/protocol'
import { inviteAndJoin } from '../helpers/devices'
import { connectParticipant, openRawSocket, updateFrame, typeInto, waitUntil } from '../helpers/participants'
import { createTestConference, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

const SECRET = 'Police shared information that must not reach the family'

describe('the professionals-only section', () => {
  test('professionals share it live and it is stored on its own; a family device cannot open it and never receives it', async () => {
    let server = await servers.start()
    const conference = await createTestConference(server.admin)
    const parentDevice = await inviteAndJoin(server.admin, conference.id, { name: 'Parent', role: 'parentOrCarer' })
    const professionalsRoom = syncRoomName(conference.id, 'professionalsOnly')

    const chair = servers.track(connectParticipant(server.admin, professionalsRoom))
    const parentOnRecord = openRawSocket(parentDevice, `/${conference.id}`)
    await Promise.all([chair.synced(), parentOnRecord.opened])
    typeInto(professionalsOnlyPart(chair.doc).privateSession, SECRET)
    await chair.saved()

    // The family's device is refused exactly as for a conference that does not exist.
    const parentOnSection = openRawSocket(parentDevice, `/${professionalsRoom}`)
    expect((await parentOnSection.closed).code).toBe(CloseCode.conferenceNotFound)
    expect(parentOnSection.received).toEqual([])
    // Nothing of it travels on the record's connection either.
    const everything = Buffer.concat(parentOnRecord.received.map((frame) => Buffer.from(frame)))
    expect(everything.includes(Buffer.from('Police'))).toBe(false)
    parentOnRecord.socket.close()

    chair.destroy()
    server = await servers.restart()
    const later = servers.track(connectParticipant(server.admin, professionalsRoom))
    const record = servers.track(connectParticipant(server.admin, conference.id))
    await Promise.all([later.synced(), record.synced()])
    expect(plainText(professionalsOnlyPart(later.doc).privateSession)).toBe(SECRET)
    // The record itself holds none of it.
    expect(record.doc.share.has(PRIVATE_SESSION_ROOT)).toBe(false)
  })

  test('each document takes only its own parts: writing a section into the other is refused', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)

    const stray = new Y.Doc()
    professionalsOnlyPart(stray).privateSession.insert(0, [new Y.XmlText('in the wrong document')])
    const intoRecord = openRawSocket(server.admin, `/${conference.id}`)
    await intoRecord.opened
    intoRecord.socket.send(updateFrame(Y.encodeStateAsUpdate(stray)))
    expect((await intoRecord.closed).code).toBe(CloseCode.updateRejected)

    const recordPart = new Y.Doc()
    recordPart.getXmlFragment('contingency.text').insert(0, [new Y.XmlText('also in the wrong document')])
    const intoSection = openRawSocket(server.admin, `/${syncRoomName(conference.id, 'professionalsOnly')}`)
    await intoSection.opened
    intoSection.socket.send(updateFrame(Y.encodeStateAsUpdate(recordPart)))
    expect((await intoSection.closed).code).toBe(CloseCode.updateRejected)
    await waitUntil(() => server.rooms.loadedCount === 0, 'both rooms unloaded')
  })
})
