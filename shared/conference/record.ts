import type * as Y from 'yjs'
import { actionList, type ActionList } from './actions'
import { childsVoicePart, type ChildsVoicePart } from './childsVoice'
import { contingencyPart, type ContingencyPart } from './contingency'
import { coreGroupPart, type CoreGroupPart } from './coreGroup'
import { dangerStatementPairs, type DangerStatementPairs } from './dangerStatements'
import { decisionPart, type DecisionPart } from './decision'
import { detailsPart, type DetailsPart } from './details'
import { involvementPart, type InvolvementPart } from './involvement'
import { mapPart, type MapPart } from './map'
import { meetingPart, type MeetingPart } from './meeting'
import { metaPart, type MetaPart } from './meta'
import { networkPart, type NetworkPart } from './network'
import { overallScalePart, type OverallScalePart } from './overallScale'
import { planPart, type PlanPart } from './plan'
import { scoresPart, type ScoresPart } from './scores'
import { viewsPart, type ViewsPart } from './views'

/** The whole conference record, one accessor per part, in the order of the agenda. */
export interface ConferenceRecord {
  /** Where the meeting is now (the agenda step). */
  readonly meeting: MeetingPart
  readonly details: DetailsPart
  readonly network: NetworkPart
  readonly map: MapPart
  /** People's views beside entries of the map (I agree, I disagree, I'd put it differently). */
  readonly views: ViewsPart
  readonly childsVoice: ChildsVoicePart
  readonly involvement: InvolvementPart
  readonly dangerStatements: DangerStatementPairs
  readonly overallScale: OverallScalePart
  readonly scores: ScoresPart
  readonly contingency: ContingencyPart
  readonly decision: DecisionPart
  readonly plan: PlanPart
  readonly actions: ActionList
  readonly coreGroup: CoreGroupPart
  readonly meta: MetaPart
}

const records = new WeakMap<Y.Doc, ConferenceRecord>()

/** The record of a conference doc; the same object each time for the same doc. */
export function conferenceRecord(doc: Y.Doc): ConferenceRecord {
  const known = records.get(doc)
  if (known) return known
  const record: ConferenceRecord = {
    meeting: meetingPart(doc),
    details: detailsPart(doc),
    network: networkPart(doc),
    map: mapPart(doc),
    views: viewsPart(doc),
    childsVoice: childsVoicePart(doc),
    involvement: involvementPart(doc),
    dangerStatements: dangerStatementPairs(doc),
    overallScale: overallScalePart(doc),
    scores: scoresPart(doc),
    contingency: contingencyPart(doc),
    decision: decisionPart(doc),
    plan: planPart(doc),
    actions: actionList(doc),
    coreGroup: coreGroupPart(doc),
    meta: metaPart(doc),
  }
  records.set(doc, record)
  return record
}
