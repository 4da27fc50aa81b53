import * as Y from 'yjs'
import type { ConferenceDocument } from '../../shared/conference/documents'
import { readFinalization, writeFinalization, type Finalization } from '../../shared/conference/meta'
import { serverOrigin } from '../../shared/conference/origins'
import { isBeingScored, scoresPart } from '../../shared/conference/scores'
import { HttpError } from '../http/errors'
import { peopleOf, withPeopleAtClose } from '../exports/peopleAtClose'
import type { Storage } from '../storage/types'
import type { ConferenceRoom } from './room'
import type { ConferenceRooms } from './rooms'

const alreadyFinal = (): HttpError => new HttpError(409, 'record-final', 'This record has already been closed. It can no longer be changed.')
const scoringOpen = (): HttpError => new HttpError(409, 'scoring-open', 'A scale is still being scored. Show the scores, or stop that round, before closing the record: closed now, the scores given would never be seen.')
const beingClosed = (): HttpError => new HttpError(409, 'record-being-closed', 'The chair is closing this record right now. Wait a moment, then try again.')

/**
 * The chair closes the record at the end of the meeting, and with it the professionals-only
 * section (its own document). From the moment each copy is taken no change is applied (the room
 * refuses them), each copy is stored under its SHA-256, and then each document itself says it is
 * final, when and by whom, with the hash of its own copy. The record is written last: until it
 * says it is final, finalizing can be run again, so a crash half way never leaves the section open
 * beside a closed record. Refused while a scoring round is open (neither revealed nor stopped):
 * its sealed numbers would never reach the record. The answer is the record's finalization.
 */
export async function finalizeRecord(storage: Storage, rooms: ConferenceRooms, conferenceId: string, chairName: string, now: () => number = Date.now): Promise<Finalization> {
  let recordState: Uint8Array | undefined
  await rooms.change(conferenceId, (room) => {
    // A second close while one is under way is told so: that one may still fail.
    const refusal = finalRefusal(room)
    if (refusal) throw refusal
    // Sealed scores reach the record only at the reveal, which a closed record refuses.
    if (scoresPart(room.doc).rounds().some(isBeingScored)) throw scoringOpen()
    rooms.setBeingClosed(room, true)
    recordState = withPeopleAtClose(Y.encodeStateAsUpdate(room.doc), peopleOf(storage, conferenceId))
  })
  if (!recordState) throw new Error('the record was not read')
  try {
    const professionalsOnlyState = await freeze(rooms, conferenceId, 'professionalsOnly')
    const at = new Date(now()).toISOString()
    const professionalsOnlyHash = await storage.keepFinalCopy(conferenceId, professionalsOnlyState)
    const hash = await storage.keepFinalCopy(conferenceId, recordState)
    await markFinal(rooms, conferenceId, 'professionalsOnly', { at, by: chairName, hash: professionalsOnlyHash })
    const finalization: Finalization = { at, by: chairName, hash }
    await markFinal(rooms, conferenceId, 'record', finalization)
    // No round is open, so any sealed number left (by a server stopped mid-reveal) can never be
    // shown: a family's scores and reasons are not kept where nobody will ever look.
    for (const left of storage.sealedScores.all((sealed) => sealed.conferenceId === conferenceId)) await storage.sealedScores.delete(left.id)
    return finalization
  } finally {
    // Each document now says it is final, or, when a copy could not be kept, it is not closed
    // after all: people may go on, and the chair try again.
    for (const document of ['professionalsOnly', 'record'] as const) {
      await rooms.change(conferenceId, (room) => { rooms.setBeingClosed(room, false) }, document)
    }
  }
}

/** Stops a document taking changes and returns its state at that moment. */
async function freeze(rooms: ConferenceRooms, conferenceId: string, document: ConferenceDocument): Promise<Uint8Array> {
  let state: Uint8Array | undefined
  await rooms.change(conferenceId, (room) => {
    rooms.setBeingClosed(room, true)
    state = Y.encodeStateAsUpdate(room.doc)
  }, document)
  if (!state) throw new Error(`the ${document} document was not read`)
  return state
}

/** Writes the finalization into the document, so its room reloads as final after a restart. */
async function markFinal(rooms: ConferenceRooms, conferenceId: string, document: ConferenceDocument, finalization: Finalization): Promise<void> {
  await rooms.change(conferenceId, (room) => {
    room.doc.transact(() => { writeFinalization(room.doc, finalization) }, serverOrigin)
  }, document)
}

/** The record's finalization, or null while it is open (during finalizing too, until it completes). */
export async function finalizationOf(rooms: ConferenceRooms, conferenceId: string): Promise<Finalization | null> {
  let finalization: Finalization | null = null
  await rooms.change(conferenceId, (room) => { finalization = readFinalization(room.doc) })
  return finalization
}

/** Why the record takes no change now: it is closed, or the chair is closing it; null while it is open. */
function finalRefusal(room: ConferenceRoom): HttpError | null {
  if (!room.final) return null
  return readFinalization(room.doc) ? alreadyFinal() : beingClosed()
}

/**
 * An early check, before work that must not be done for a closed record (sealing a score, moving
 * invitations): refused once it is final (with `whenFinal`'s words, when given: what to do
 * instead), or while it is being closed.
 */
export async function assertNotFinal(rooms: ConferenceRooms, conferenceId: string, whenFinal: () => HttpError = alreadyFinal): Promise<void> {
  const seen: { refusal: HttpError | null } = { refusal: null }
  await rooms.change(conferenceId, (room) => { seen.refusal = finalRefusal(room) })
  if (seen.refusal?.code === 'record-final') throw whenFinal()
  if (seen.refusal) throw seen.refusal
}

/**
 * For what only a closed record takes (an amendment): refused with `stillOpen` while it is open,
 * and while the chair is closing it, when neither correcting the board nor amending works yet.
 */
export async function assertFinal(rooms: ConferenceRooms, conferenceId: string, stillOpen: () => HttpError): Promise<void> {
  const seen: { refusal: HttpError | null } = { refusal: null }
  await rooms.change(conferenceId, (room) => {
    if (!room.final) seen.refusal = stillOpen()
    else if (!readFinalization(room.doc)) seen.refusal = beingClosed()
  })
  if (seen.refusal) throw seen.refusal
}

/**
 * A change the server makes to the record for someone (scoring, a revised danger statement, a new
 * date), as one transaction: refused once the record is final, and while the chair is closing
 * it. The check and the change are one step, so no change lands after the closing copy was taken
 * (it would be in the live record and missing from the copy the documents are made from).
 */
export async function changeOpenRecord(rooms: ConferenceRooms, conferenceId: string, change: (room: ConferenceRoom) => void): Promise<void> {
  await rooms.change(conferenceId, (room) => {
    const refusal = finalRefusal(room)
    if (refusal) throw refusal
    room.doc.transact(() => { change(room) }, serverOrigin)
  })
}
