import type * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { serverOrigin } from '../../shared/conference/origins'
import type { ConferenceChange, ConferenceSummary, NewConference, Storage } from '../storage/types'
import { changeOpenRecord } from './finalizing'
import type { ConferenceRooms } from './rooms'

/**
 * Creates a conference: its catalogue entry, then its record with the details filled in,
 * on disk before this resolves.
 */
export async function createConference(
  storage: Storage,
  rooms: ConferenceRooms,
  input: NewConference,
  fill?: (record: ReturnType<typeof conferenceRecord>, doc: Y.Doc) => void,
): Promise<ConferenceSummary> {
  const conference = await storage.conferences.create(input)
  await rooms.change(conference.id, (room) => {
    const record = conferenceRecord(room.doc)
    room.doc.transact(() => {
      record.details.update({ title: input.title, kind: input.kind, date: input.date }, serverOrigin)
      fill?.(record, room.doc)
    }, serverOrigin)
  })
  return conference
}

/**
 * Moves a conference to another day, or corrects its title or date, until its record is closed.
 * The record is changed first: it is what everyone sees (live, in the heading and the dates worked
 * out from it), and a crash before the catalogue follows is put right by asking again. The caller
 * has checked that the conference exists. Returns it as the catalogue now has it.
 */
export async function changeTitleOrDate(
  storage: Storage,
  rooms: ConferenceRooms,
  conferenceId: string,
  change: ConferenceChange,
): Promise<ConferenceSummary> {
  await changeOpenRecord(rooms, conferenceId, (room) => {
    conferenceRecord(room.doc).details.update(change, serverOrigin)
  })
  return storage.conferences.update(conferenceId, change)
}
