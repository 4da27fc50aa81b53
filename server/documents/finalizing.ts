import * as Y from 'yjs'
import { readFinalization, writeFinalization, type Finalization } from '../../shared/conference/meta'
import { serverOrigin } from '../../shared/conference/origins'
import { HttpError } from '../http/errors'
import type { Storage } from '../storage/types'
import type { ConferenceRooms } from './rooms'

const alreadyFinal = (): HttpError => new HttpError(409, 'record-final', 'The chair has already closed this record. It can no longer be changed.')

/**
 * The chair closes the record at the end of the meeting. From the moment its copy is taken no
 * change is applied (the room refuses them), the copy is stored under its SHA-256, and then the
 * record itself says it is final, when and by whom, with that hash.
 */
export async function finalizeRecord(storage: Storage, rooms: ConferenceRooms, conferenceId: string, chairName: string, now: () => number = Date.now): Promise<Finalization> {
  let state: Uint8Array | undefined
  await rooms.change(conferenceId, (room) => {
    if (room.final || readFinalization(room.doc)) throw alreadyFinal()
    room.final = true
    state = Y.encodeStateAsUpdate(room.doc)
  })
  if (!state) throw new Error('the record was not read')
  const hash = await storage.keepFinalCopy(conferenceId, state)
  const finalization: Finalization = { at: new Date(now()).toISOString(), by: chairName, hash }
  await rooms.change(conferenceId, (room) => {
    room.doc.transact(() => { writeFinalization(room.doc, finalization) }, serverOrigin)
  })
  return finalization
}

/** For routes that change the record through the server (scoring): refused once it is final. */
export async function assertNotFinal(rooms: ConferenceRooms, conferenceId: string): Promise<void> {
  const seen = { final: false }
  await rooms.change(conferenceId, (room) => { seen.final = room.final })
  if (seen.final) throw alreadyFinal()
}
