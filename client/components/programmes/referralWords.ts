import { deadlineWords } from '../../../shared/programmes/deadlines'
import type { Facilitator, ReferralSummary } from '../../../shared/programmes/referral'

/**
 * A child safety conference's referral in words, wherever the conference is listed or opened:
 * the 72-hour deadline in the referral's own time zone, and who facilitates.
 */

/** "Hold by Thu 26 Nov, 3:00 pm CST · After a removal". */
export function holdByWords(referral: ReferralSummary): string {
  const holdBy = `Hold by ${deadlineWords(new Date(referral.holdBy), referral.timeZone)}`
  return referral.afterRemoval ? `${holdBy} · After a removal` : holdBy
}

/** "Facilitator: Sam Lee, Family Voices (independent of the agency)". */
export function facilitatorWords({ name, organisation, independent }: Facilitator): string {
  return `Facilitator: ${name}, ${organisation} (${independent ? 'independent of the agency' : 'works with the agency'})`
}
