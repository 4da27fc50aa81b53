/**
 * A Child Safety Conference starts from a referral: when the removal concern was raised (in the
 * referring office's time zone), the family and its children, the service area, whether the
 * children were already removed, and who facilitates (families asked for a facilitator not tied
 * to child welfare, ../shared/seeds/). Shapes shared by server and client (docs/http-api.md).
 */

/** Who wrote the children into a new CSC's record: the referral, before anyone had joined. */
export const REFERRAL_AUTHOR = 'referral'

export interface Facilitator {
  name: string
  organisation: string
  /** Neither employed by nor working for the child welfare agency. */
  independent: boolean
}

/** What the organiser enters when the concern is referred (`POST /api/conferences`, `referral`). */
export interface ReferralInput {
  /** ISO 8601 with its offset: the instant the concern was raised. */
  concernRaisedAt: string
  /** IANA time zone of the referring office (America/Chicago): the deadline is shown in it. */
  timeZone: string
  family: string
  children: string[]
  serviceArea: string
  /** Held right after a removal, to speed the children's return home. */
  afterRemoval: boolean
  facilitator: Facilitator
}

/** The referral as every list of conferences shows it beside a CSC. */
export interface ReferralSummary {
  concernRaisedAt: string
  timeZone: string
  /** ISO 8601 UTC: 72 hours after the concern was raised. */
  holdBy: string
  afterRemoval: boolean
  serviceArea: string
  facilitator: Facilitator
}
