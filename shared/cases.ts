/**
 * A case: the conferences held about one family over time, linked from the first (an initial
 * conference) through its reviews, follow-ups and core groups. A new conference joins a case by
 * naming the earlier conference it follows; a conference that follows none is a case of its own.
 * The same danger statements, and so the same scales, run through the whole case, which is what
 * lets progress be seen over time. Shapes of the case API (docs/http-api.md), shared by server
 * and client; no runtime dependencies, so the list page stays small.
 */
import { isUsConference } from './conference/agenda'
import type { ConferenceKind } from './conference/details'
import type { Scale } from './conference/scores'
import type { Role } from './roles'
import type { ReferralSummary } from './programmes/referral'

/** UK child protection conferences and US child safety conferences never share a case. */
export type CaseFamily = 'uk' | 'us'

export function caseFamily(kind: ConferenceKind): CaseFamily {
  return isUsConference(kind) ? 'us' : 'uk'
}

/** A UK review and a US follow-up start from the danger statements agreed before (DOMAIN.md). */
export function carriesForward(kind: ConferenceKind): boolean {
  return kind === 'uk-review' || kind === 'us-csc-follow-up'
}

/** One conference of a case, as a member of one of its conferences sees it listed. */
export interface CaseConference {
  id: string
  title: string
  kind: ConferenceKind
  /** YYYY-MM-DD */
  date: string
  /** The conference this one follows, or null for the first of the case. */
  follows: string | null
  /** Whether the person asking is in this conference (and so may open it). */
  youAreIn: boolean
  /** An initial CSC's referral and 72-hour deadline, as every list shows it. */
  referral?: ReferralSummary
}

/** `GET /api/conferences/:id/case`: every conference of the case, oldest first. */
export interface ConferenceCase {
  conferences: CaseConference[]
}

/** One person's (or, typed in for someone, one name's) revealed number. */
export interface ProgressScore {
  name: string
  role: Role | null
  value: number
}

/** A scale's revealed scores at one conference of the case: its last revealed round there. */
export interface ProgressReading {
  conferenceId: string
  title: string
  kind: ConferenceKind
  date: string
  revealedAt: string
  scores: ProgressScore[]
  median: number
  /**
   * The words scored against are not those of the reading before: the chair changed the pair
   * after new harm, or the overall question was changed. The numbers answer a different question,
   * so a drop is not lost progress.
   */
  wordsChanged: boolean
}

/** One scale (a danger statement pair, followed across the case by its id, or the overall scale), first conference to now. */
export interface ScaleProgress {
  scale: Scale
  readings: ProgressReading[]
}

/** `GET /api/conferences/:id/case/progress`: revealed scores only, never a sealed one. */
export interface CaseProgress {
  scales: ScaleProgress[]
}

/** One key per scale, the same in every conference of the case. */
export function scaleKey(scale: Scale): string {
  return scale.kind === 'overall' ? 'overall' : `pair:${scale.pairId}`
}
