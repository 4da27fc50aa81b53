/**
 * The Parent Partner offer at a Child Safety Conference (Iowa's Parent Partner CSC pilot,
 * ../shared/seeds/): a peer mentor who has been through it is offered to a parent who is not
 * already supported by one and whose child has not been removed, formally or informally. Taking
 * part is voluntary: the Parent Partner programme contacts the parent, who accepts or declines. An
 * accepted parent takes one of their service area's places (the pilot: 50 in each of 5 areas).
 */

export const CHILD_REMOVED = ['no', 'formally', 'informally'] as const
export type ChildRemoved = (typeof CHILD_REMOVED)[number]

export const CHILD_REMOVED_LABELS: Readonly<Record<ChildRemoved, string>> = {
  no: 'No, the children are at home',
  formally: 'Yes, formally (a court order or a voluntary placement agreement)',
  informally: 'Yes, informally (staying with someone else at the agency’s request)',
}

/** What the organiser records about one parent. */
export interface EligibilityFacts {
  /** The parent already has a Parent Partner. */
  alreadySupported: boolean
  childRemoved: ChildRemoved
}

const FOR_CHILDREN_AT_HOME = 'The pilot is for parents whose children are still at home. The usual Parent Partner programme supports parents whose children have been removed.'

/**
 * Why a parent cannot be offered a Parent Partner by the pilot, or null when they can.
 * `heldAfterRemoval`: the case's referral says its CSC was held right after a removal, whatever
 * the organiser answers about this parent.
 */
export function ineligibility({ alreadySupported, childRemoved }: EligibilityFacts, heldAfterRemoval = false): string | null {
  if (alreadySupported) return 'This parent already has a Parent Partner.'
  if (heldAfterRemoval) return `This case’s conference was held after the children were removed. ${FOR_CHILDREN_AT_HOME}`
  if (childRemoved !== 'no') return FOR_CHILDREN_AT_HOME
  return null
}

/**
 * Where an offer stands: offered (the programme is contacting the parent), then accepted or
 * declined by the parent; an accepted parent's support ends in time, which frees their place.
 */
export const OFFER_STATUSES = ['offered', 'accepted', 'declined', 'ended'] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

export const OFFER_STATUS_LABELS: Readonly<Record<OfferStatus, string>> = {
  offered: 'Offered: the Parent Partner programme is contacting the parent',
  accepted: 'Accepted: a Parent Partner supports this parent',
  declined: 'Declined by the parent',
  ended: 'Support has ended',
}

/** An offer that holds one of its area's places. */
export function holdsPlace(status: OfferStatus): boolean {
  return status === 'accepted'
}

/** One parent's Parent Partner offer at one CSC, as the organiser sees it. */
export interface ParentPartnerOffer {
  id: string
  conferenceId: string
  parentName: string
  serviceArea: string
  alreadySupported: boolean
  childRemoved: ChildRemoved
  status: OfferStatus
  /** The Parent Partner's name once the parent accepted; they are invited to the CSC. */
  parentPartnerName: string | null
  /**
   * The participant the Parent Partner was invited as, whose invitation is withdrawn when support
   * ends. Offers accepted before it was kept have none.
   */
  parentPartnerId?: string
  /** ISO 8601 UTC. */
  offeredAt: string
  answeredAt: string | null
}

/** An offer that still stands: the parent has not declined it and their support has not ended. */
export function stillStands(status: OfferStatus): boolean {
  return status === 'offered' || status === 'accepted'
}

/** An offer as listed at a conference: made there or at another conference of its case. */
export interface ListedOffer extends ParentPartnerOffer {
  /** The conference it was made at; only there can the parent's answer be recorded. */
  madeAt: { title: string; date: string }
}

/** A service area's places and how many are taken. */
export interface AreaPlaces {
  serviceArea: string
  places: number
  taken: number
}

/** `GET /api/conferences/:id/parent-partner` */
export interface ParentPartnerResponse {
  /** Every offer in the conference's case (one parent is offered a Parent Partner once per case), oldest first. */
  offers: ListedOffer[]
  areas: AreaPlaces[]
  /** The case's referral says its CSC was held right after a removal: no parent in it is eligible. */
  heldAfterRemoval: boolean
}

/** `POST .../parent-partner/:offerId/answer` when accepted: the invitation for the Parent Partner. */
export interface AcceptedOffer {
  offer: ParentPartnerOffer
  invitation: { participantId: string; link: string; code: string }
}
