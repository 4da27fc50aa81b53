import type * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { serverOrigin } from '../../shared/conference/origins'
import type { ConferenceSummary, NewConference, Storage } from '../storage/types'
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
