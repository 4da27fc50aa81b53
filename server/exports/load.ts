import * as Y from 'yjs'
import { carriedForwardPairs, type CarriedPair } from '../../shared/conference/dangerStatements'
import { readFinalization, type Finalization } from '../../shared/conference/meta'
import { recordSnapshot, type RecordSnapshot } from '../../shared/conference/snapshot'
import { caseProgress } from '../documents/cases'
import type { RecordReader } from '../documents/recordReader'
import type { ConferenceRooms } from '../documents/rooms'
import type { ScoringRound } from '../../shared/conference/scores'
import { amendmentsOf } from '../storage/amendments'
import type { Storage } from '../storage/types'
import { referralSummary, timeZoneOf } from '../programmes/referrals'
import type { ReferralSummary } from '../../shared/programmes/referral'
import { buildExportModel, type ExportPerson } from './model'
import { peopleOf, readPeopleAtClose } from './peopleAtClose'
import type { ExportModel } from './schema'

/**
 * The export model of a conference as it stands: from the copy kept at finalizing when the
 * record is final (so every export of a final record is the same, whatever happened after), else
 * from the live record, marked as a draft. Only the record is read, never the
 * professionals-only section.
 */
export async function exportModelOf(storage: Storage, rooms: ConferenceRooms, scoring: RecordReader<readonly ScoringRound[]>, conferenceId: string, timeZone: string, now: () => number = Date.now): Promise<ExportModel> {
  const read: { live?: RecordRead; finalization: Finalization | null } = { finalization: null }
  await rooms.change(conferenceId, (room) => {
    read.finalization = readFinalization(room.doc)
    if (!read.finalization) read.live = readRecord(room.doc)
  })
  const record = read.finalization ? await finalRecord(storage, conferenceId, read.finalization) : read.live
  if (!record) throw new Error('the record was not read')
  const { peopleAtClose, ...recordRead } = record
  return buildExportModel({
    conferenceId,
    ...recordRead,
    progress: await caseProgress(storage, scoring, conferenceId, true),
    people: peopleAtClose ?? peopleOf(storage, conferenceId),
    amendments: amendmentsOf(storage, conferenceId),
    finalization: read.finalization,
    generatedAt: new Date(now()).toISOString(),
    timeZone: await timeZoneOf(storage, conferenceId, timeZone),
    ...withReferralOf(storage, conferenceId),
  })
}

function withReferralOf(storage: Storage, conferenceId: string): { referral?: ReferralSummary } {
  const referral = referralSummary(storage, conferenceId)
  return referral ? { referral } : {}
}

/**
 * What the documents are made of: the record, the danger statements a review carries forward
 * (kept beside it), and for a closed record, who was in it then (null: read who is in it now).
 */
interface RecordRead {
  snapshot: RecordSnapshot
  carriedForward: CarriedPair[]
  peopleAtClose: Map<string, ExportPerson> | null
}

function readRecord(doc: Y.Doc): RecordRead {
  return { snapshot: recordSnapshot(doc), carriedForward: carriedForwardPairs(doc).pairs(), peopleAtClose: readPeopleAtClose(doc) }
}

async function finalRecord(storage: Storage, conferenceId: string, finalization: Finalization): Promise<RecordRead> {
  const copy = await storage.readFinalCopy(conferenceId, finalization.hash)
  if (!copy) throw new Error(`the final copy ${finalization.hash} of conference ${conferenceId} is missing`)
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, copy)
    return readRecord(doc)
  } finally {
    doc.destroy()
  }
}

