import { HOW_SHARED, HOW_SHARED_LABELS, type HowShared } from '../conference/childsVoice'
import { WHERE_CHILDREN_STAY, WHERE_CHILDREN_STAY_LABELS, type WhereChildrenStay } from '../conference/decision'

/**
 * What happened to each child, as the programmes count it (../shared/DOMAIN.md, "Outcomes that
 * programmes track"): after a CSC, where each child is staying then, at the 10-day follow-up and 6
 * months on; at a UK conference, how each child's views reached it. The record holds the meeting's
 * answer for all the children together; these are per child, and the later two come after the
 * record is closed. Shapes of `/api/conferences/:id/outcomes` (docs/http-api.md).
 */

export const OUTCOME_POINTS = ['afterConference', 'atFollowUp', 'atSixMonths'] as const
export type OutcomePoint = (typeof OUTCOME_POINTS)[number]

export const OUTCOME_POINT_LABELS: Readonly<Record<OutcomePoint, string>> = {
  afterConference: 'After the conference',
  atFollowUp: 'At the 10-day follow-up',
  atSixMonths: '6 months on',
}

export const WHERE_STAYING = WHERE_CHILDREN_STAY.filter((place): place is Exclude<WhereChildrenStay, 'not-yet-recorded'> => place !== 'not-yet-recorded')
export type WhereStaying = (typeof WHERE_STAYING)[number]
export const WHERE_STAYING_LABELS: Readonly<Record<WhereStaying, string>> = WHERE_CHILDREN_STAY_LABELS

export const PARTICIPATION = HOW_SHARED.filter((how): how is Exclude<HowShared, 'not-yet-recorded'> => how !== 'not-yet-recorded')
export type Participation = (typeof PARTICIPATION)[number]
export const PARTICIPATION_LABELS: Readonly<Record<Participation, string>> = HOW_SHARED_LABELS

/** At home or with someone the child knows: what the CSC aims for. */
export function staysWithFamiliarPeople(place: WhereStaying): boolean {
  return place !== 'in-a-placement'
}

/** One child of one conference. A value the organiser has not recorded falls back to the record's answer for all the children, where it has one. */
export interface ChildOutcome {
  /** The child's entry id in the record. */
  childId: string
  name: string
  staying: Partial<Record<OutcomePoint, WhereStaying>>
  participation: Participation | null
}

/** `GET /api/conferences/:id/outcomes`, for whoever may record them. */
export interface OutcomesResponse {
  children: ChildOutcome[]
}

/** `PUT /api/conferences/:id/outcomes/:childId`: one point's place, or the child's participation. */
export type OutcomeChange =
  | { point: OutcomePoint; staying: WhereStaying | null }
  | { participation: Participation | null }
