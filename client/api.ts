/** Typed calls to the SafetyMap HTTP API (docs/http-api.md). */

import type { ConferenceKind } from '../shared/conference/details'
import type { Amendment, AmendmentsResponse, ConferenceSummary, Dashboard, DashboardConference } from '../shared/api'
import type {
  AccountSummary,
  Membership,
  NewAccountResponse,
  NewInvitation,
  ParticipantSummary,
  SecondFactorSetup,
  SessionInfo,
  SessionResponse,
  TakenOut,
} from '../shared/access'
import type { Role } from '../shared/roles'
import type { GivenScore, Scale, ScoringRound } from '../shared/conference/scores'
import type { ExportDocument, SentDocument, SentDocumentsResponse } from '../shared/exports'
import type { CaseProgress } from '../shared/cases'
import type { CarriedPair, NewHarm } from '../shared/conference/dangerStatements'
import type { Finalization } from '../shared/conference/meta'
import type { ReferralInput } from '../shared/programmes/referral'
import type { AcceptedOffer, AreaPlaces, ChildRemoved, ListedOffer, ParentPartnerOffer, ParentPartnerResponse } from '../shared/programmes/parentPartner'
import type { ChildOutcome, OutcomeChange } from '../shared/programmes/outcomes'
import type { FeedbackInput, FeedbackState } from '../shared/programmes/feedback'
import type { PeriodKind, ProgrammeFigures } from '../shared/programmes/figures'

export type { AccountSummary, Amendment, AmendmentsResponse, ConferenceSummary, Dashboard, Membership, NewAccountResponse, NewInvitation, ParticipantSummary, SecondFactorSetup, SessionInfo }

/** Every failed API call, carrying the server's `{ error: { code, message, fields? } }` when it sent one. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The server's stable code (e.g. `conference-not-found`), or `network-error` / `bad-response`. */
    readonly code: string,
    /** Plain English, fit to show a person. */
    message: string,
    /** On `invalid-request`: what is wrong with each field, by field name. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const unreachable = 'SafetyMap could not be reached. Check your internet connection and try again.'
const unexpected = 'Something went wrong on the SafetyMap server. Please try again.'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function stringFields(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {}
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

/** Told when the server says this device is no longer signed in (the session ended or expired). */
const signedOutListeners = new Set<() => void>()

export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener)
  return () => { signedOutListeners.delete(listener) }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * The one place that calls fetch. Same-origin, so the session cookie goes along and the browser
 * adds the Origin header the server checks on POST/PUT/PATCH/DELETE. Resolves to the parsed JSON body,
 * or null for an empty success (204).
 */
async function request(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, 'network-error', unreachable)
  }
  const parsed: unknown = response.status === 204 ? null : await response.json().catch(() => null)
  if (!response.ok) {
    const serverError = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null
    const code = typeof serverError?.code === 'string' ? serverError.code : 'bad-response'
    const message = typeof serverError?.message === 'string' ? serverError.message : unexpected
    if (response.status === 401 && code === 'not-signed-in') for (const listener of signedOutListeners) listener()
    throw new ApiError(response.status, code, message, stringFields(serverError?.fields))
  }
  if (parsed === null && response.status !== 204) throw new ApiError(response.status, 'bad-response', unexpected)
  return parsed
}

function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  return request('GET', path, undefined, signal)
}

function sendJson(method: Exclude<Method, 'GET'>, path: string, body?: unknown): Promise<unknown> {
  return request(method, path, body)
}

/**
 * `body[key]`, checked to be an object (or an array when asked); the caller names its type. A
 * wrong shape is the server's fault, not the person's.
 */
function field(body: unknown, key: string, kind: 'object' | 'array' = 'object'): unknown {
  const value = isRecord(body) ? body[key] : undefined
  const ok = kind === 'array' ? Array.isArray(value) : isRecord(value)
  if (!ok) throw new ApiError(200, 'bad-response', unexpected)
  return value
}

const conferencePath = (conferenceId: string): string => `/api/conferences/${encodeURIComponent(conferenceId)}`

// Session and sign-in

/** Who is signed in on this device, or null. */
export async function getSession(signal?: AbortSignal): Promise<SessionResponse> {
  const body = await getJson('/api/session', signal)
  if (!isRecord(body) || !('session' in body)) throw new ApiError(200, 'bad-response', unexpected)
  const session = body.session === null ? null : field(body, 'session') as SessionInfo
  return 'takenOut' in body ? { session, takenOut: field(body, 'takenOut') as TakenOut } : { session }
}

/**
 * Fails with `sign-in-failed`, `too-many-attempts`, `second-factor-needed` (then ask for the
 * 6-digit code from their authenticator app and call again with `code`), or `second-factor-wrong`
 * (the password was right, the code was not: say so at the code, which counts as a failed attempt).
 */
export async function signIn(details: { email: string; password: string; code?: string }): Promise<SessionInfo> {
  return field(await sendJson('POST', '/api/session', details), 'session') as SessionInfo
}

export async function signOut(): Promise<void> {
  await sendJson('DELETE', '/api/session')
}

/** Whether SafetyMap still needs its first administrator (the `/welcome#<token>` link). */
export async function setupNeeded(signal?: AbortSignal): Promise<boolean> {
  const body = await getJson('/api/setup', signal)
  if (!isRecord(body) || typeof body.needed !== 'boolean') throw new ApiError(200, 'bad-response', unexpected)
  return body.needed
}

export async function setUp(details: { token: string; name: string; email: string; password: string }): Promise<SessionInfo> {
  return field(await sendJson('POST', '/api/setup', details), 'session') as SessionInfo
}

/** Uses the one-time `/set-password#<token>` link an administrator gave a new professional. */
export async function setPassword(details: { token: string; password: string }): Promise<SessionInfo> {
  return field(await sendJson('POST', '/api/account/password', details), 'session') as SessionInfo
}

export async function startSecondFactor(password: string): Promise<SecondFactorSetup> {
  const body = await sendJson('POST', '/api/account/second-factor', { password })
  if (!isRecord(body) || typeof body.secret !== 'string' || typeof body.uri !== 'string') throw new ApiError(200, 'bad-response', unexpected)
  return { secret: body.secret, uri: body.uri }
}

/** A new password while signed in. Fails with `password-wrong` (under `currentPassword`), `password-not-acceptable`, `password-unchanged`, `too-many-attempts`. */
export async function changePassword(details: { currentPassword: string; password: string }): Promise<SessionInfo> {
  return field(await sendJson('POST', '/api/account/password/change', details), 'session') as SessionInfo
}

/** Starts moving the second step to a new phone; confirm with `confirmSecondFactor` and a code from the new phone. */
export async function moveSecondFactor(details: { password: string; code: string }): Promise<SecondFactorSetup> {
  const body = await sendJson('POST', '/api/account/second-factor/move', details)
  if (!isRecord(body) || typeof body.secret !== 'string' || typeof body.uri !== 'string') throw new ApiError(200, 'bad-response', unexpected)
  return { secret: body.secret, uri: body.uri }
}

export async function confirmSecondFactor(code: string): Promise<SessionInfo> {
  return field(await sendJson('POST', '/api/account/second-factor/confirm', { code }), 'session') as SessionInfo
}

/** Signs this device in to the one conference the invitation is for. Fails with `invitation-not-valid`. */
export async function redeemInvitation(secret: { token: string } | { code: string }): Promise<{ session: SessionInfo; conferenceId: string }> {
  const body = await sendJson('POST', '/api/invitations/redeem', secret)
  const session = field(body, 'session') as SessionInfo
  if (!isRecord(body) || typeof body.conferenceId !== 'string') throw new ApiError(200, 'bad-response', unexpected)
  return { session, conferenceId: body.conferenceId }
}

// Conferences

/** The conferences the signed-in person is in. */
export async function listConferences(signal?: AbortSignal): Promise<ConferenceSummary[]> {
  return field(await getJson('/api/conferences', signal), 'conferences', 'array') as ConferenceSummary[]
}

/** The roles a professional may give themselves in a conference they create. */
export type CreatorRole = Extract<Role, 'chair' | 'noteTaker' | 'socialWorker'>

/**
 * `follows`: the earlier conference this one is a review or follow-up of (its danger statements are carried forward).
 * `referral`: an initial child safety conference's referral; fails with `fields` named
 * `referral.<field>`, `concernRaisedAt`, `date` or `serviceArea`.
 */
export async function createConference(details: { title: string; kind: ConferenceKind; date: string; role: CreatorRole; follows?: string; referral?: ReferralInput }): Promise<ConferenceSummary> {
  return field(await sendJson('POST', '/api/conferences', details), 'conference') as ConferenceSummary
}

/** The conference and what the signed-in person is in it. 404 `conference-not-found` also when they are not in it. */
export async function getConference(conferenceId: string, signal?: AbortSignal): Promise<{ conference: ConferenceSummary; you: Membership }> {
  const body = await getJson(conferencePath(conferenceId), signal)
  return { conference: field(body, 'conference') as ConferenceSummary, you: field(body, 'you') as Membership }
}

/**
 * Moves the conference to another day, or corrects its title. Everyone connected sees the record's
 * details change; invitations then work until a week after the new date. `record-final` (409) once closed, `record-being-closed` (409) while the chair is closing it.
 */
export async function changeTitleOrDate(conferenceId: string, change: { title?: string; date?: string }): Promise<ConferenceSummary> {
  return field(await sendJson('PATCH', conferencePath(conferenceId), change), 'conference') as ConferenceSummary
}

/**
 * The chair closes the record: from then on nobody can change it (corrections are amendments).
 * Fails with `record-final` (409) when it is already closed.
 */
export async function finalizeRecord(conferenceId: string): Promise<Finalization> {
  return field(await sendJson('POST', `${conferencePath(conferenceId)}/finalize`), 'finalization') as Finalization
}

// The dashboard and amendments

/** A professional's conferences with the dates that follow from them, and their open actions, judged on `today` (YYYY-MM-DD, the device's own day). */
export async function getDashboard(today: string, signal?: AbortSignal): Promise<Dashboard> {
  const body = await getJson(`/api/dashboard?today=${encodeURIComponent(today)}`, signal)
  field(body, 'conferences', 'array')
  field(body, 'actions', 'array')
  return body as Dashboard
}

/** One conference's dates (the same rules as the dashboard), judged on `today`: the board suggests the next meetings from them. */
export async function getConferenceDates(conferenceId: string, today: string, signal?: AbortSignal): Promise<DashboardConference> {
  return field(await getJson(`${conferencePath(conferenceId)}/dates?today=${encodeURIComponent(today)}`, signal), 'dates') as DashboardConference
}

/** Corrections made after the record was closed, oldest first, and whether this person may add one now. */
export async function listAmendments(conferenceId: string, signal?: AbortSignal): Promise<AmendmentsResponse> {
  const body = await getJson(`${conferencePath(conferenceId)}/amendments`, signal)
  field(body, 'amendments', 'array')
  return body as AmendmentsResponse
}

/** Adds a correction to a closed record. Fails with `record-not-final` while the record is still open. */
export async function addAmendment(conferenceId: string, amendment: Pick<Amendment, 'section' | 'text'>): Promise<Amendment> {
  return field(await sendJson('POST', `${conferencePath(conferenceId)}/amendments`, amendment), 'amendment') as Amendment
}

// People in a conference

export async function listPeople(conferenceId: string, signal?: AbortSignal): Promise<ParticipantSummary[]> {
  return field(await getJson(`${conferencePath(conferenceId)}/people`, signal), 'people', 'array') as ParticipantSummary[]
}

/** Adds a professional who has an account. */
export async function addProfessional(conferenceId: string, details: { email: string; role: Role }): Promise<ParticipantSummary> {
  return field(await sendJson('POST', `${conferencePath(conferenceId)}/people`, details), 'participant') as ParticipantSummary
}

/** Invites someone without an account. The link and code in the answer are never shown again. */
export async function invite(conferenceId: string, details: { name: string; role: Role }): Promise<NewInvitation> {
  const body = await sendJson('POST', `${conferencePath(conferenceId)}/invitations`, details)
  const participant = field(body, 'participant') as ParticipantSummary
  if (!isRecord(body) || typeof body.link !== 'string' || typeof body.code !== 'string') throw new ApiError(200, 'bad-response', unexpected)
  return { participant, link: body.link, code: body.code }
}

/** The link and code stop working, and the person's devices are disconnected at once. */
export async function withdrawInvitation(conferenceId: string, participantId: string): Promise<ParticipantSummary> {
  const path = `${conferencePath(conferenceId)}/invitations/${encodeURIComponent(participantId)}`
  return field(await sendJson('DELETE', path), 'participant') as ParticipantSummary
}

export async function changeRole(conferenceId: string, participantId: string, role: Role): Promise<ParticipantSummary> {
  const path = `${conferencePath(conferenceId)}/people/${encodeURIComponent(participantId)}`
  return field(await sendJson('PATCH', path, { role }), 'participant') as ParticipantSummary
}

/** Removes the person from the conference; their devices are disconnected at once. */
export async function removePerson(conferenceId: string, participantId: string): Promise<void> {
  await sendJson('DELETE', `${conferencePath(conferenceId)}/people/${encodeURIComponent(participantId)}`)
}

// Scoring rounds: numbers stay with the server until the chair reveals them all at once.

const roundPath = (conferenceId: string, roundId: string): string => `${conferencePath(conferenceId)}/scoring-rounds/${encodeURIComponent(roundId)}`

/** The chair opens a round of scoring for one scale. */
export async function openScoringRound(conferenceId: string, scale: Scale): Promise<ScoringRound> {
  return field(await sendJson('POST', `${conferencePath(conferenceId)}/scoring-rounds`, { scale }), 'round') as ScoringRound
}

/**
 * Gives (or changes) this person's score; the note-taker types one in for someone without a
 * device with `onBehalfOf` (their name). Before the reveal, the answer says only who has scored.
 */
export async function giveScore(conferenceId: string, roundId: string, score: { value: number; reason: string; onBehalfOf?: string }): Promise<ScoringRound> {
  return field(await sendJson('POST', `${roundPath(conferenceId, roundId)}/scores`, score), 'round') as ScoringRound
}

/** The score this person gave in a round not yet revealed, or null. */
export async function getMyScore(conferenceId: string, roundId: string, signal?: AbortSignal): Promise<GivenScore | null> {
  const body = await getJson(`${roundPath(conferenceId, roundId)}/my-score`, signal)
  if (!isRecord(body) || !('score' in body)) throw new ApiError(200, 'bad-response', unexpected)
  return body.score === null ? null : field(body, 'score') as GivenScore
}

/** The chair shows everyone's scores at once. */
export async function revealScores(conferenceId: string, roundId: string): Promise<ScoringRound> {
  return field(await sendJson('POST', `${roundPath(conferenceId, roundId)}/reveal`), 'round') as ScoringRound
}

/** The chair stops a round nobody should use any more; the scores given in it are thrown away unseen. */
export async function cancelScoringRound(conferenceId: string, roundId: string): Promise<ScoringRound> {
  return field(await sendJson('POST', `${roundPath(conferenceId, roundId)}/cancel`), 'round') as ScoringRound
}

// Cases: the conferences about one family over time, and how each scale moved across them.

/** Each scale's revealed scores at each conference of the case (never a score still sealed). */
export async function getCaseProgress(conferenceId: string, signal?: AbortSignal): Promise<CaseProgress> {
  return { scales: field(await getJson(`${conferencePath(conferenceId)}/case/progress`, signal), 'scales', 'array') as CaseProgress['scales'] }
}

/** The chair changes a danger statement carried forward from an earlier conference, recording the new harm; both versions are kept. */
export async function reviseCarriedPair(conferenceId: string, pairId: string, change: { dangerStatement: string; safetyGoal: string; newHarm: NewHarm }): Promise<CarriedPair> {
  const path = `${conferencePath(conferenceId)}/carried-forward/${encodeURIComponent(pairId)}/versions`
  return field(await sendJson('POST', path, change), 'pair') as CarriedPair
}

// Administration

export async function listAccounts(signal?: AbortSignal): Promise<AccountSummary[]> {
  return field(await getJson('/api/admin/accounts', signal), 'accounts', 'array') as AccountSummary[]
}

/** Creates a professional's account. The password link in the answer is never shown again. */
export async function createAccount(details: { name: string; email: string; admin?: boolean; programmeLead?: boolean }): Promise<NewAccountResponse> {
  return withPasswordLink(await sendJson('POST', '/api/admin/accounts', details))
}

/** Clears someone's password and second sign-in step and signs them out everywhere; the answer's new password link is never shown again. */
export async function resetSignIn(accountId: string): Promise<NewAccountResponse> {
  return withPasswordLink(await sendJson('POST', `/api/admin/accounts/${encodeURIComponent(accountId)}/reset-sign-in`))
}

/** Signs the professional out everywhere at once; they cannot sign in, or be added to a conference, until enabled again. */
export async function disableAccount(accountId: string): Promise<AccountSummary> {
  return field(await sendJson('POST', `/api/admin/accounts/${encodeURIComponent(accountId)}/disable`), 'account') as AccountSummary
}

/** A disabled account works again, with the password and second step it had. */
export async function enableAccount(accountId: string): Promise<AccountSummary> {
  return field(await sendJson('POST', `/api/admin/accounts/${encodeURIComponent(accountId)}/enable`), 'account') as AccountSummary
}

function withPasswordLink(body: unknown): NewAccountResponse {
  const account = field(body, 'account') as AccountSummary
  if (!isRecord(body) || typeof body.passwordLink !== 'string') throw new ApiError(200, 'bad-response', unexpected)
  return { account, passwordLink: body.passwordLink }
}

/** One line of the audit trail. */
export interface AuditEntryView {
  seq: number
  /** ISO 8601 UTC. */
  at: string
  action: string
  actor: { kind: string; id?: string; name?: string }
  conferenceId?: string
  /** Where the request came from (the client's address). */
  from?: string
  details?: Record<string, string | number | boolean>
}

/** Audit entries, newest first; `before` (a seq) pages back to older ones. */
export async function listAudit(query: { conferenceId?: string; before?: number; limit?: number } = {}, signal?: AbortSignal): Promise<AuditEntryView[]> {
  const params = new URLSearchParams()
  if (query.conferenceId) params.set('conferenceId', query.conferenceId)
  if (query.before !== undefined) params.set('before', String(query.before))
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  const search = params.toString() ? `?${params.toString()}` : ''
  return field(await getJson(`/api/admin/audit${search}`, signal), 'entries', 'array') as AuditEntryView[]
}

/** The whole audit trail as a JSON-lines file: a plain link with `download` fetches it. */
export const AUDIT_EXPORT_PATH = '/api/admin/audit/export'

// Documents made from the record (docs/exports.md): plain links download them.

/** The address of one document of a conference; a link with `download` fetches it with the session cookie. */
export function exportPath(conferenceId: string, document: ExportDocument): string {
  return `${conferencePath(conferenceId)}/exports/${document}`
}

/** Who each document was sent to and when, against the target (professionals only). */
export async function listSentDocuments(conferenceId: string, signal?: AbortSignal): Promise<SentDocumentsResponse> {
  const body = await getJson(`${conferencePath(conferenceId)}/exports/sent`, signal)
  const sent = field(body, 'sent', 'array') as SentDocument[]
  const dueBy = isRecord(body) && typeof body.dueBy === 'string' ? body.dueBy : null
  return { dueBy, sent }
}

/** Records that a document was sent to someone; `at` defaults to now on the server. */
export async function recordSentDocument(conferenceId: string, details: { document: ExportDocument; to: string; at?: string }): Promise<SentDocument> {
  return field(await sendJson('POST', `${conferencePath(conferenceId)}/exports/sent`, details), 'sent') as SentDocument
}

// Programmes (shared/programmes/): Parent Partners, each child's outcomes, parents' feedback and the figures.

/** The service areas and their Parent Partner places, for the referral form. */
export async function listServiceAreas(signal?: AbortSignal): Promise<AreaPlaces[]> {
  return field(await getJson('/api/programme/areas', signal), 'areas', 'array') as AreaPlaces[]
}

/** The Parent Partner offers in a CSC's case, oldest first, and every area's places (for whoever may invite people). */
export async function getParentPartners(conferenceId: string, signal?: AbortSignal): Promise<ParentPartnerResponse> {
  const body = await getJson(`${conferencePath(conferenceId)}/parent-partner`, signal)
  return {
    offers: field(body, 'offers', 'array') as ListedOffer[],
    areas: field(body, 'areas', 'array') as AreaPlaces[],
    heldAfterRemoval: isRecord(body) && body.heldAfterRemoval === true,
  }
}

/** Records an offer to one parent. Fails with `not-eligible` (with the reason), `area-full` or `already-offered`. */
export async function offerParentPartner(conferenceId: string, details: { parentName: string; serviceArea: string; alreadySupported: boolean; childRemoved: ChildRemoved }): Promise<ParentPartnerOffer> {
  return field(await sendJson('POST', `${conferencePath(conferenceId)}/parent-partner`, details), 'offer') as ParentPartnerOffer
}

const offerPath = (conferenceId: string, offerId: string): string => `${conferencePath(conferenceId)}/parent-partner/${encodeURIComponent(offerId)}`

/** The parent accepted: takes a place (fails with `area-full`) and invites the Parent Partner; the link and code are never shown again. */
export async function acceptParentPartner(conferenceId: string, offerId: string, parentPartnerName: string): Promise<AcceptedOffer> {
  const body = await sendJson('POST', `${offerPath(conferenceId, offerId)}/answer`, { answer: 'accepted', parentPartnerName })
  const offer = field(body, 'offer') as ParentPartnerOffer
  const invitation = field(body, 'invitation')
  if (!isRecord(invitation) || typeof invitation.link !== 'string' || typeof invitation.code !== 'string' || typeof invitation.participantId !== 'string') {
    throw new ApiError(200, 'bad-response', unexpected)
  }
  return { offer, invitation: { participantId: invitation.participantId, link: invitation.link, code: invitation.code } }
}

export async function declineParentPartner(conferenceId: string, offerId: string): Promise<ParentPartnerOffer> {
  return field(await sendJson('POST', `${offerPath(conferenceId, offerId)}/answer`, { answer: 'declined' }), 'offer') as ParentPartnerOffer
}

/** The parent's support has ended: their place is free for the next parent. */
export async function endParentPartner(conferenceId: string, offerId: string): Promise<ParentPartnerOffer> {
  return field(await sendJson('POST', `${offerPath(conferenceId, offerId)}/end`), 'offer') as ParentPartnerOffer
}

/** Each child in the record with their outcomes (for whoever may record them). */
export async function getOutcomes(conferenceId: string, signal?: AbortSignal): Promise<ChildOutcome[]> {
  return field(await getJson(`${conferencePath(conferenceId)}/outcomes`, signal), 'children', 'array') as ChildOutcome[]
}

/** Records one child's place at one point, or their participation; null takes it back out. The answer is the child as it now reads. */
export async function changeOutcome(conferenceId: string, childId: string, change: OutcomeChange): Promise<ChildOutcome> {
  return field(await sendJson('PUT', `${conferencePath(conferenceId)}/outcomes/${encodeURIComponent(childId)}`, change), 'child') as ChildOutcome
}

function feedbackState(body: unknown): FeedbackState {
  if (!isRecord(body) || typeof body.asked !== 'boolean' || typeof body.given !== 'boolean') throw new ApiError(200, 'bad-response', unexpected)
  return { asked: body.asked, given: body.given }
}

/** Whether this person is asked for feedback on the meeting (parents and carers), and whether they gave it. */
export async function getFeedbackState(conferenceId: string, signal?: AbortSignal): Promise<FeedbackState> {
  return feedbackState(await getJson(`${conferencePath(conferenceId)}/feedback`, signal))
}

/** A parent's feedback, once. Fails with `feedback-given` the second time. */
export async function giveFeedback(conferenceId: string, feedback: FeedbackInput): Promise<FeedbackState> {
  return feedbackState(await sendJson('POST', `${conferencePath(conferenceId)}/feedback`, feedback))
}

/** What the programme page asks for; empty dates leave the server's default (the last 12 months). */
export interface FiguresQuery {
  from: string
  to: string
  period: PeriodKind
  /** '' for every area together. */
  serviceArea: string
}

function figuresSearch(query: FiguresQuery): string {
  const params = new URLSearchParams()
  if (query.from) params.set('from', query.from)
  if (query.to) params.set('to', query.to)
  params.set('period', query.period)
  if (query.serviceArea) params.set('serviceArea', query.serviceArea)
  return params.toString()
}

/** For programme leads (and administrators): figures across conferences, never a family. 404 for anyone else. */
export async function getProgrammeFigures(query: FiguresQuery, signal?: AbortSignal): Promise<ProgrammeFigures> {
  const body = await getJson(`/api/programme/figures?${figuresSearch(query)}`, signal)
  field(body, 'total')
  field(body, 'periods', 'array')
  field(body, 'byArea', 'array')
  return body as ProgrammeFigures
}

/** The same figures as a spreadsheet: a plain link with `download` fetches it. */
export function programmeFiguresCsvPath(query: FiguresQuery): string {
  return `/api/programme/figures.csv?${figuresSearch(query)}`
}
