import { Router } from 'express'
import type * as Y from 'yjs'
import { z } from 'zod'
import type { ConferenceDatesResponse, Dashboard, DashboardAction, DashboardConference, DashboardDate } from '../../shared/api'
import { conferenceRecord } from '../../shared/conference'
import type { NextMeetingKind } from '../../shared/conference/coreGroup'
import type { ConferenceKind } from '../../shared/conference/details'
import { plainText } from '../../shared/conference/richText'
import { conferenceTimescales, dueState, inConferenceYears, localDate, type IsoDate, type Timescale, type TimescaleId, type WorkingCalendar } from '../../shared/timescales'
import type { AccessControl, ConferenceMember } from '../auth/accessControl'
import type { RecordReader } from '../documents/recordReader'
import type { ConferenceSummary, Storage } from '../storage/types'
import type { ExportDocument } from '../../shared/exports'
import { zonedTime } from '../../shared/programmes/deadlines'
import { withReferral } from '../programmes/referrals'
import { nextConferenceOf, storedOutcomesOf } from '../programmes/outcomes'
import { signedIn, signedInAccount } from './auth'
import { calendarDate } from './dates'
import { conferenceNotFound, parseOrThrow } from './errors'

/** `today` is the asking device's own calendar day, so "overdue" follows the person's time zone. */
const dashboardQuery = z.object({ today: calendarDate.optional() })

/** Which meeting booked in the record's "next dates" settles which timescale. */
const BOOKED_BY: Partial<Record<TimescaleId, NextMeetingKind>> = {
  coreGroup: 'core-group',
  review: 'review-conference',
  followUp: 'follow-up',
}

/**
 * Which conference, created to follow this one, settles which timescale: it is booked from the
 * moment it exists, and done once held. Once the record is closed nothing more can be booked in
 * it, so without this a closed conference's review stayed overdue for good.
 */
const HELD_AS: Partial<Record<TimescaleId, ConferenceKind>> = {
  review: 'uk-review',
  followUp: 'us-csc-follow-up',
}

/** Sending either of these is sending the minutes. */
const MINUTES: ReadonlySet<ExportDocument> = new Set<ExportDocument>(['minutes.docx', 'minutes.pdf'])

/** What the dashboard reads from one conference's record, kept (RecordReader) until the record changes. */
export interface DashboardRecord {
  /** '' while the board has no date. */
  readonly date: IsoDate
  readonly final: boolean
  readonly childIds: readonly string[]
  readonly nextMeetings: readonly { readonly kind: NextMeetingKind; readonly date: IsoDate }[]
  readonly actions: readonly { readonly id: string; readonly authorId: string; readonly who: string; readonly byWhen: IsoDate | null; readonly what: string }[]
}

export function readDashboardRecord(doc: Y.Doc): DashboardRecord {
  const record = conferenceRecord(doc)
  return {
    date: record.details.get().date,
    final: record.meta.finalization() !== null,
    childIds: record.details.children.entries().map((entry) => entry.id),
    nextMeetings: record.coreGroup.nextMeetings.entries().flatMap(({ fields }) => (fields.date ? [{ kind: fields.kind, date: fields.date }] : [])),
    actions: record.actions.entries()
      .filter((entry) => entry.fields.status === 'open')
      .map((entry) => ({
        id: entry.id,
        authorId: entry.authorId,
        who: entry.fields.who,
        byWhen: entry.fields.byWhen,
        what: entry.hasRichText('what') ? plainText(entry.richText('what')) : '',
      })),
  }
}

/** What the dashboard needs to know of one conference: its record, and what the server keeps beside it. */
interface RecordFacts extends Omit<DashboardRecord, 'childIds'> {
  /**
   * What someone has recorded sending of the minutes (server/http/exports.ts): the final minutes,
   * or only a draft, or only ones stored before the version was kept; null for nothing.
   */
  readonly minutesSent: 'final' | 'draft' | 'unknown' | null
  /** Every child of the record has where they stay 6 months on recorded (server/programmes/outcomes.ts). */
  readonly sixMonthsRecorded: boolean
  /** The day of the review or follow-up created to follow this conference (HELD_AS), by the timescale it settles. */
  readonly nextConference: Partial<Record<TimescaleId, IsoDate>>
}

/**
 * `GET /api/dashboard`: for a professional, each conference they are in with the dates that
 * follow from it (shared/timescales.ts) as they stand today, and their open actions across all
 * of them. Only conferences they are a member of. Documented in docs/http-api.md.
 */
export function dashboardRoutes(storage: Storage, records: RecordReader<DashboardRecord>, access: AccessControl, calendar: WorkingCalendar): Router {
  const router = Router()

  router.get('/', async (request, response) => {
    const who = signedInAccount(response)
    const { today = localDate(new Date()) } = parseOrThrow(dashboardQuery, request.query)
    const dashboard: Dashboard = { today, conferences: [], actions: [] }
    const catalogue = await storage.conferences.list()
    for (const conference of await access.conferencesOf(who)) {
      const member = access.memberOf(who, conference.id)
      if (!member) continue
      const facts = await readFacts(storage, records, conference, catalogue)
      dashboard.conferences.push(conferenceDates(withReferral(storage, conference), member, facts, today, calendar))
      dashboard.actions.push(...openActionsOf(member, conference, facts, today))
    }
    dashboard.actions.sort((a, b) => (a.byWhen ?? '9999').localeCompare(b.byWhen ?? '9999') || a.conferenceTitle.localeCompare(b.conferenceTitle))
    response.json(dashboard)
  })

  return router
}

const conferenceParams = z.object({ conferenceId: z.string().max(100) })

/**
 * `GET /api/conferences/:conferenceId/dates`: the same dates for one conference, for anyone in
 * it: the board suggests the next meetings from them. Documented in docs/http-api.md.
 */
export function conferenceDatesRoutes(storage: Storage, records: RecordReader<DashboardRecord>, access: AccessControl, calendar: WorkingCalendar): Router {
  const router = Router({ mergeParams: true })

  router.get('/', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const { today = localDate(new Date()) } = parseOrThrow(dashboardQuery, request.query)
    const member = access.requireMember(signedIn(response), conferenceId, 'seeRecord')
    const conference = await storage.conferences.get(conferenceId)
    if (!conference) throw conferenceNotFound()
    const facts = await readFacts(storage, records, conference, await storage.conferences.list())
    const body: ConferenceDatesResponse = { dates: conferenceDates(withReferral(storage, conference), member, facts, today, calendar) }
    response.json(body)
  })

  return router
}

async function readFacts(storage: Storage, records: RecordReader<DashboardRecord>, conference: ConferenceSummary, catalogue: readonly ConferenceSummary[]): Promise<RecordFacts> {
  const { childIds, ...record } = await records.read(conference.id)
  const recorded = storedOutcomesOf(storage, conference.id)
  const nextConference: Partial<Record<TimescaleId, IsoDate>> = {}
  for (const [id, kind] of Object.entries(HELD_AS) as [TimescaleId, ConferenceKind][]) {
    const next = nextConferenceOf(catalogue, conference.id, kind)
    if (next) nextConference[id] = await dateOf(records, next)
  }
  return {
    ...record,
    date: await dateOf(records, conference, record),
    minutesSent: minutesSentOf(storage, conference.id),
    sixMonthsRecorded: childIds.length > 0 && childIds.every((childId) => recorded.get(childId)?.staying.atSixMonths !== undefined),
    nextConference,
  }
}

/** A conference's day: the board may have moved it since the conference was created. */
async function dateOf(records: RecordReader<DashboardRecord>, conference: ConferenceSummary, record?: Pick<DashboardRecord, 'date'>): Promise<IsoDate> {
  return (record ?? await records.read(conference.id)).date || conference.date
}

/**
 * The best of the minutes sent: the final ones settle the timescale; a draft does not (the chair
 * closes the record afterwards, and the final minutes may never go out), nor does a sending
 * stored before the version was kept, which may have been either.
 */
function minutesSentOf(storage: Storage, conferenceId: string): RecordFacts['minutesSent'] {
  const states = new Set(storage.sentDocuments
    .all((sent) => sent.conferenceId === conferenceId && MINUTES.has(sent.document))
    .map((sent) => sent.status?.state ?? 'unknown'))
  if (states.has('final')) return 'final'
  if (states.has('unknown')) return 'unknown'
  return states.has('draft') ? 'draft' : null
}

function conferenceDates(conference: ConferenceSummary, member: ConferenceMember, facts: RecordFacts, today: IsoDate, calendar: WorkingCalendar): DashboardConference {
  // The 72 hours end at an instant; the dashboard counts in days, so the day it falls on where the referral was made.
  const holdBy = conference.referral ? zonedTime(new Date(conference.referral.holdBy), conference.referral.timeZone).date : null
  const dateLooksWrong = facts.date !== '' && !inConferenceYears(facts.date)
  const date = dateLooksWrong ? '' : facts.date
  const dates = conferenceTimescales({ kind: conference.kind, date, holdBy }, calendar).map((timescale): DashboardDate => {
    const booked = bookedDate(timescale, facts)
    const date: DashboardDate = { ...timescale, booked, state: dueState(timescale, today, settled(timescale, facts, today, booked)) }
    if (timescale.id === 'minutesSent' && (facts.minutesSent === 'draft' || facts.minutesSent === 'unknown')) date.sentSoFar = facts.minutesSent
    return date
  })
  return { conference: { ...conference, date: facts.date || conference.date }, role: member.role, final: facts.final, dates, dateLooksWrong }
}

/**
 * The day of the conference created to follow this one, which is the meeting itself; else the
 * earliest meeting of the matching kind booked in the record on or after the conference.
 */
function bookedDate(timescale: Timescale, facts: RecordFacts): IsoDate | null {
  const next = facts.nextConference[timescale.id]
  if (next) return next
  const kind = BOOKED_BY[timescale.id]
  const dates = facts.nextMeetings.filter((meeting) => meeting.kind === kind && meeting.date >= facts.date).map((meeting) => meeting.date).sort()
  return dates[0] ?? null
}

/**
 * What is settled: reports matter only until the conference meets; a CSC's 72 hours once it met in time; the 6-month check once every child's place is recorded; the minutes once someone has
 * recorded sending the final ones; a review or follow-up once the conference that follows has met; a next meeting once it is booked.
 */
function settled(timescale: Timescale, facts: RecordFacts, today: IsoDate, booked: IsoDate | null): 'done' | { booked: IsoDate } | null {
  const next = facts.nextConference[timescale.id]
  if (next && next <= today) return 'done'
  if (booked) return { booked }
  if (timescale.id === 'reportsDue' && facts.date !== '' && today >= facts.date) return 'done'
  if (timescale.id === 'conferenceHeld' && facts.date !== '' && today >= facts.date && facts.date <= timescale.latest) return 'done'
  if (timescale.id === 'minutesSent' && facts.minutesSent === 'final') return 'done'
  if (timescale.id === 'sixMonthCheck' && facts.sixMonthsRecorded) return 'done'
  return null
}

/**
 * A person's open actions in one conference: those given to them (the action's "who" is their
 * name in the conference) and those they wrote (the author id is their participant id), since
 * whoever writes an action down is the one who follows it up. Not the note-taker: she types
 * everyone's actions as the meeting agrees them, and follows up only her own.
 */
function openActionsOf(member: ConferenceMember, conference: ConferenceSummary, facts: RecordFacts, today: IsoDate): DashboardAction[] {
  const name = comparable(member.participant.name)
  const writesForEveryone = member.role === 'noteTaker'
  return facts.actions.flatMap((action) => {
    const assigned = comparable(action.who) === name || action.who === member.participant.id
    const written = !writesForEveryone && action.authorId === member.participant.id
    if (!assigned && !written) return []
    return [{
      id: action.id,
      conferenceId: conference.id,
      conferenceTitle: conference.title,
      what: action.what,
      who: action.who,
      byWhen: action.byWhen,
      overdue: action.byWhen !== null && action.byWhen < today,
      yours: { assigned, written },
    }]
  })
}

function comparable(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase()
}
