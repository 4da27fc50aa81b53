import { z } from 'zod'
import { caseIdOf } from '../../shared/api'
import { cscHoldBy, isTimeZone, zonedTime } from '../../shared/programmes/deadlines'
import { serverOrigin } from '../../shared/conference/origins'
import { REFERRAL_AUTHOR, type ReferralInput, type ReferralSummary } from '../../shared/programmes/referral'
import type { ConferenceSummary, NewConference, Storage, StoredReferral } from '../storage/types'
import { createConference } from '../documents/conferences'
import type { ConferenceRooms } from '../documents/rooms'
import { invalidRequest } from '../http/errors'
import { personName, textToShow } from '../http/words'
import type { ServiceAreaPlaces } from './places'

/** The referral part of `POST /api/conferences` for a US initial CSC. */
export const referralBody = z.object({
  concernRaisedAt: z.iso.datetime({ offset: true }),
  timeZone: z.string().refine(isTimeZone, 'not a time zone this server knows'),
  family: personName,
  children: z.array(personName).min(1).max(20),
  serviceArea: z.string().trim().min(1).max(120),
  afterRemoval: z.boolean(),
  facilitator: z.object({ name: personName, organisation: textToShow({ max: 200, lines: false, empty: 'Write the organisation the facilitator works for.' }), independent: z.boolean() }),
}) satisfies z.ZodType<ReferralInput>


/** A referral a few minutes ahead of the server's clock is a clock slightly out, not the future. */
const CLOCK_SKEW_MS = 5 * 60_000
/**
 * A CSC meets within 72 hours of the concern; one held later is late, but a concern raised more
 * than a year before it is a mistyped year (1850 would show the CSC overdue for centuries).
 * Counted from the conference's day, not today: a CSC may be recorded after it was held.
 */
const CONCERN_AT_MOST_BEFORE_MS = 366 * 24 * 60 * 60_000

/**
 * Creates a US initial CSC from its referral: the conference (its record starts with the children
 * and the service area), then the referral beside it. The CSC cannot meet before the concern was
 * raised, and its area must be one the Parent Partner places are counted in.
 */
export async function createCscFromReferral(storage: Storage, rooms: ConferenceRooms, input: NewConference, referral: ReferralInput, areas: readonly ServiceAreaPlaces[], now: number): Promise<ConferenceSummary> {
  const raisedAt = new Date(referral.concernRaisedAt)
  if (raisedAt.getTime() > now + CLOCK_SKEW_MS) throw invalidRequest({ concernRaisedAt: 'The concern cannot have been raised in the future.' })
  checkMeetsAfterConcern(referral, input.date, 'concernRaisedAt')
  const area = areas.find((candidate) => candidate.serviceArea.toLocaleLowerCase() === referral.serviceArea.toLocaleLowerCase())
  if (!area) throw invalidRequest({ serviceArea: `Choose one of the service areas: ${areas.map((candidate) => candidate.serviceArea).join(', ')}.` })
  const conference = await createConference(storage, rooms, input, (record) => {
    record.details.update({ area: area.serviceArea }, serverOrigin)
    for (const name of referral.children) record.details.children.add(REFERRAL_AUTHOR, { fields: { name } }, serverOrigin)
  })
  const stored: StoredReferral = { ...referral, serviceArea: area.serviceArea, id: conference.id, recordedAt: new Date(now).toISOString() }
  await storage.programmes.referrals.put(stored)
  return conference
}

/**
 * A CSC cannot meet before the concern was raised (the day it was raised, where it was raised, is
 * fine), nor more than a year after it. `typed` is the date just typed, which a year too far
 * blames: the concern's when a CSC is created, the conference's when it is moved.
 */
function checkMeetsAfterConcern(referral: Pick<ReferralInput, 'concernRaisedAt' | 'timeZone'>, date: string, typed: 'concernRaisedAt' | 'date'): void {
  // First: a year before 1000 would not compare as a date below.
  if (Date.parse(referral.concernRaisedAt) < Date.parse(date) - CONCERN_AT_MOST_BEFORE_MS) {
    throw invalidRequest(typed === 'concernRaisedAt'
      ? { concernRaisedAt: 'This is more than a year before the conference. Check the date the concern was raised.' }
      : { date: 'This is more than a year after the concern was raised. Check the date of the conference.' })
  }
  if (date < zonedTime(new Date(referral.concernRaisedAt), referral.timeZone).date) throw invalidRequest({ date: 'The conference cannot meet before the concern was raised.' })
}

/** The same rules when a conference is moved to another day: for a CSC with a referral. */
export function checkNewDate(storage: Storage, conferenceId: string, date: string): void {
  const referral = storage.programmes.referrals.get(conferenceId)
  if (referral) checkMeetsAfterConcern(referral, date, 'date')
}

/**
 * Where a conference is held: a CSC started from a referral, where its concern was raised; a
 * follow-up, where the first conference of its case was (its id is the case's); any other, the
 * server's TIME_ZONE.
 */
export async function timeZoneOf(storage: Storage, conferenceId: string, serverTimeZone: string): Promise<string> {
  const { referrals } = storage.programmes
  const own = referrals.get(conferenceId)
  if (own) return own.timeZone
  const conference = await storage.conferences.get(conferenceId)
  return (conference && referrals.get(caseIdOf(conference))?.timeZone) ?? serverTimeZone
}

/** The referral as lists show it, or undefined when the conference has none. */
export function referralSummary(storage: Storage, conferenceId: string): ReferralSummary | undefined {
  const referral = storage.programmes.referrals.get(conferenceId)
  if (!referral) return undefined
  const { concernRaisedAt, timeZone, afterRemoval, serviceArea, facilitator } = referral
  return { concernRaisedAt, timeZone, holdBy: cscHoldBy(new Date(concernRaisedAt)).toISOString(), afterRemoval, serviceArea, facilitator }
}

/** A conference as every list shows it: with its referral's deadline when it is a CSC. */
export function withReferral(storage: Storage, conference: ConferenceSummary): ConferenceSummary {
  const referral = referralSummary(storage, conference.id)
  return referral ? { ...conference, referral } : conference
}
