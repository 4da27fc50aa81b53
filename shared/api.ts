/** Shapes of the HTTP API shared by server and client (docs/http-api.md). */
import type { AgendaStepId } from './conference/agenda'
import type { ConferenceKind } from './conference/details'
import type { Role } from './roles'
import type { DueState, TimescaleId } from './timescales'
import type { ReferralSummary } from './programmes/referral'

export type { DueState }

export interface ConferenceSummary {
  id: string
  title: string
  kind: ConferenceKind
  /** The day the conference meets, YYYY-MM-DD. */
  date: string
  /** When the record was created, ISO 8601 UTC. */
  createdAt: string
  /** Demo conferences hold invented families only. */
  demo: boolean
  /** The earlier conference this one follows (a review of it, a follow-up of it); absent for the first of a case. */
  follows?: string
  /** The case this conference belongs to (shared/cases.ts); absent when it is a case of its own. */
  caseId?: string
  /** A US initial CSC's referral: when the concern was raised and the 72-hour deadline (shared/programmes/referral.ts). Never stored in the catalogue. */
  referral?: ReferralSummary
}

/** The case a conference belongs to: conferences stored before cases existed are each their own. */
export function caseIdOf(conference: Pick<ConferenceSummary, 'id' | 'caseId'>): string {
  return conference.caseId ?? conference.id
}

/** Every API error has this one JSON shape; `code` is stable, `message` is for people. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> }
}

/**
 * A correction made after the chair closed the record: shown after the original section, which
 * stays as it was. Dated and attributed (docs/http-api.md).
 */
export interface Amendment {
  id: string
  /** ISO 8601 UTC. */
  at: string
  /** The person's name in the conference. */
  by: string
  /** Their role then. */
  role: Role
  /** The agenda step (shared/conference/agenda.ts) the correction is to. */
  section: AgendaStepId
  text: string
}

/** The longest correction one amendment may hold. */
export const MAX_AMENDMENT_LENGTH = 4000

/** GET /api/conferences/:id/amendments */
export interface AmendmentsResponse {
  amendments: Amendment[]
  /** The chair has closed the record: corrections are amendments from now on. */
  final: boolean
  /** This person may add one now (final, and their role lets them correct the record). */
  mayAmend: boolean
}


/** One date that follows from a conference (shared/timescales.ts), as it stands. */
export interface DashboardDate {
  id: TimescaleId
  label: string
  /** The target, YYYY-MM-DD. */
  date: string
  /** The latest acceptable day, when later than the target. */
  latest: string
  /** The rule, in words: "within 10 working days". */
  rule: string
  /** The date booked in the record for it, if any (next meetings). */
  booked: string | null
  state: DueState
  /**
   * The minutes only: sent, but not the final minutes, so not done: only a draft went out
   * ('draft'), or only minutes recorded before SafetyMap kept whether they were final ('unknown').
   */
  sentSoFar?: 'draft' | 'unknown'
}

export interface DashboardConference {
  conference: ConferenceSummary
  role: Role
  /** The chair has closed the record. */
  final: boolean
  dates: DashboardDate[]
  /**
   * The conference's date is outside the years any conference can fall in (a record stored before
   * the server refused such dates): no dates can follow from it until it is put right.
   */
  dateLooksWrong: boolean
}

/** An action still to do that is this person's: given to them by name, or written by them. */
export interface DashboardAction {
  id: string
  conferenceId: string
  conferenceTitle: string
  what: string
  who: string
  byWhen: string | null
  overdue: boolean
  /** Why it is on their list. */
  yours: { assigned: boolean; written: boolean }
}

/** `GET /api/conferences/:conferenceId/dates`: one conference's dates, as the dashboard shows them. */
export interface ConferenceDatesResponse {
  dates: DashboardConference
}

/** GET /api/dashboard */
export interface Dashboard {
  /** The day the dates were judged against, YYYY-MM-DD. */
  today: string
  conferences: DashboardConference[]
  actions: DashboardAction[]
}
