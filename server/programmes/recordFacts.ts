import type * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import type { HowShared } from '../../shared/conference/childsVoice'
import type { ConferenceDecision, WhereChildrenStay } from '../../shared/conference/decision'
import type { RecordReader } from '../documents/recordReader'
import type { ConferenceSummary } from '../storage/types'

/** What the programmes read from one conference's record. */
export interface RecordFacts {
  /** The record's date: '' while it has none, which readRecordFacts replaces with the catalogue's. */
  readonly date: string
  /** The local authority or service area, as the record has it ('' when not filled in). */
  readonly area: string
  readonly decision: ConferenceDecision
  /** The meeting's answer for all the children together. */
  readonly whereChildrenStay: WhereChildrenStay
  readonly howShared: HowShared
  readonly children: readonly { readonly id: string; readonly name: string }[]
}

/** The facts as the record has them, kept by a RecordReader until the record changes. */
export function readProgrammeRecord(doc: Y.Doc): RecordFacts {
  const record = conferenceRecord(doc)
  const details = record.details.get()
  const decision = record.decision.get()
  return {
    date: details.date,
    area: details.area.trim(),
    decision: decision.decision,
    whereChildrenStay: decision.whereChildrenStay,
    howShared: record.childsVoice.howShared(),
    children: record.details.children.entries().map((entry) => ({ id: entry.id, name: entry.fields.name.trim() })),
  }
}

export async function readRecordFacts(records: RecordReader<RecordFacts>, conference: ConferenceSummary): Promise<RecordFacts> {
  const facts = await records.read(conference.id)
  return { ...facts, date: facts.date || conference.date }
}
