import { deadlineWords, heldInTime, zonedTime } from '../../../shared/programmes/deadlines'
import type { IsoDate } from '../../../shared/timescales'
import type { Facilitator, ReferralSummary } from '../../../shared/programmes/referral'

/**
 * A child safety conference's referral in words, wherever the conference is listed or opened:
 * the 72-hour deadline in the referral's own time zone, and who facilitates.
 */

/**
 * "Hold by Thu 26 Nov, 3:00 pm CST · After a removal" until the day of the conference has gone by
 * (in the referral's time zone); from then on, whether it was held within the 72 hours, because a
 * deadline already past reads as one still to meet. Shown beside the conference's date, so the
 * date is not repeated.
 */
export function holdByWords(referral: ReferralSummary, conferenceDate: IsoDate, now = new Date()): string {
  const words = deadlineOrOutcome(referral, conferenceDate, now)
  return referral.afterRemoval ? `${words} · After a removal` : words
}

function deadlineOrOutcome({ holdBy, timeZone }: ReferralSummary, conferenceDate: IsoDate, now: Date): string {
  const deadline = new Date(holdBy)
  // A conference with no date yet has not been held.
  const held = conferenceDate !== '' && conferenceDate < zonedTime(now, timeZone).date
  if (!held) return `Hold by ${deadlineWords(deadline, timeZone)}`
  return heldInTime(conferenceDate, deadline, timeZone)
    ? 'Held within 72 hours of the concern being raised'
    : 'Held more than 72 hours after the concern was raised'
}

/** "Facilitator: Sam Lee, Family Voices (independent of the agency)". */
export function facilitatorWords({ name, organisation, independent }: Facilitator): string {
  return `Facilitator: ${name}, ${organisation} (${independent ? 'independent of the agency' : 'works with the agency'})`
}
