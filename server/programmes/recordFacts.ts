import { conferenceRecord } from '../../shared/conference'
import type { HowShared } from '../../shared/conference/childsVoice'
import type { ConferenceDecision, WhereChildrenStay } from '../../shared/conference/decision'
import type { ConferenceRooms } from '../documents/rooms'
import type { ConferenceSummary } from '../storage/types'

/** What the programmes read from one conference's record. */
export interface RecordFacts {
  /** The record's date, or the catalogue's while the record has none. */
  date: string
  /** The local authority or service area, as the record has it ('' when not filled in). */
  area: string
  decision: ConferenceDecision
  /** The meeting's answer for all the children together. */
  whereChildrenStay: WhereChildrenStay
  howShared: HowShared
  children: { id: string; name: string }[]
}

export async function readRecordFacts(rooms: ConferenceRooms, conference: ConferenceSummary): Promise<RecordFacts> {
  let facts: RecordFacts | undefined
  await rooms.change(conference.id, (room) => {
    const record = conferenceRecord(room.doc)
    const details = record.details.get()
    const decision = record.decision.get()
    facts = {
      date: details.date || conference.date,
      area: details.area.trim(),
      decision: decision.decision,
      whereChildrenStay: decision.whereChildrenStay,
      howShared: record.childsVoice.howShared(),
      children: record.details.children.entries().map((entry) => ({ id: entry.id, name: entry.fields.name.trim() })),
    }
  })
  if (!facts) throw new Error(`the record of ${conference.id} was not read`)
  return facts
}
