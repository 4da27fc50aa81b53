import { z } from 'zod'
import { caseIdOf, type ConferenceSummary } from '../../shared/api'
import { isUsConference } from '../../shared/conference/agenda'
import { CHILD_REMOVED, holdsPlace, ineligibility, stillStands, type AcceptedOffer, type AreaPlaces, type ListedOffer, type ParentPartnerOffer, type ParentPartnerResponse } from '../../shared/programmes/parentPartner'
import { actorOf, takenOut, type AccessControl, type ConferenceMember, type RequestContext, type Signedin } from '../auth/accessControl'
import { newId } from '../auth/secrets'
import { conferencesInCase } from '../documents/cases'
import { HttpError, invalidRequest } from '../http/errors'
import { personName } from '../http/words'
import type { Storage, StoredParticipant } from '../storage/types'
import { sameWords } from '../../shared/sameWords'
import type { ServiceAreaPlaces } from './places'
import { errorMessage, type Logger } from '../log'

export const offerBody = z.object({
  parentName: personName,
  serviceArea: z.string().trim().min(1).max(120),
  alreadySupported: z.boolean(),
  childRemoved: z.enum(CHILD_REMOVED),
})

export const answerBody = z.discriminatedUnion('answer', [
  z.object({ answer: z.literal('accepted'), parentPartnerName: personName }),
  z.object({ answer: z.literal('declined') }),
])

const offerNotFound = (): HttpError => new HttpError(404, 'offer-not-found', 'There is no Parent Partner offer with this id in this conference.')

/**
 * Parent Partner offers at Child Safety Conferences (shared/programmes/parentPartner.ts). The
 * organiser (anyone who may invite people) records eligibility and the offer, then the parent's
 * answer as the Parent Partner programme reports it. Accepting takes one of the area's places and
 * invites the Parent Partner to the CSC. Place-taking changes run one at a time, so two answers
 * at once can never take the last place twice.
 */
export class ParentPartners {
  private placeChanges: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly storage: Storage,
    private readonly access: AccessControl,
    private readonly areas: readonly ServiceAreaPlaces[],
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every service area's places and how many are taken now. */
  places(): AreaPlaces[] {
    const offers = this.storage.programmes.parentPartnerOffers.all()
    return this.areas.map(({ serviceArea, places }) => ({
      serviceArea,
      places,
      taken: offers.filter((offer) => offer.serviceArea === serviceArea && holdsPlace(offer.status)).length,
    }))
  }

  /** The offers in the conference's case: a follow-up shows those made at the initial CSC. */
  async list(member: ConferenceMember): Promise<ParentPartnerResponse> {
    const conferenceId = member.participant.conferenceId
    const inCase = await conferencesInCase(this.storage, conferenceId)
    const offers = this.offersIn(inCase).sort((a, b) => a.offeredAt.localeCompare(b.offeredAt))
    const conference = inCase.find((candidate) => candidate.id === conferenceId)
    return { offers, areas: this.places(), heldAfterRemoval: conference !== undefined && this.heldAfterRemoval(conference) }
  }

  async offer(member: ConferenceMember, who: Signedin, input: z.infer<typeof offerBody>, context: RequestContext): Promise<ParentPartnerOffer> {
    const conferenceId = member.participant.conferenceId
    const conference = await this.storage.conferences.get(conferenceId)
    if (!conference || !isUsConference(conference.kind)) {
      throw new HttpError(409, 'not-a-csc', 'Parent Partners are offered at child safety conferences only.')
    }
    const reason = ineligibility(input, this.heldAfterRemoval(conference))
    if (reason) throw new HttpError(422, 'not-eligible', reason)
    const inCase = await conferencesInCase(this.storage, conferenceId)
    return this.changingPlaces(async () => {
      const area = this.area(input.serviceArea)
      // Per case, not per conference: offered again at the follow-up, one parent would take two places.
      const standing = this.offersIn(inCase).find((offer) => sameWords(offer.parentName, input.parentName) && stillStands(offer.status))
      if (standing) {
        const { title, date } = standing.madeAt
        throw new HttpError(409, 'already-offered', `${standing.parentName} was already offered a Parent Partner at “${title}” on ${date}, and that offer still stands. Record the parent’s answer there.`)
      }
      this.assertPlaceLeft(area)
      const offer: ParentPartnerOffer = {
        id: newId(),
        conferenceId,
        parentName: input.parentName,
        serviceArea: area.serviceArea,
        alreadySupported: input.alreadySupported,
        childRemoved: input.childRemoved,
        status: 'offered',
        parentPartnerName: null,
        offeredAt: new Date(this.now()).toISOString(),
        answeredAt: null,
      }
      await this.storage.programmes.parentPartnerOffers.put(offer)
      await this.access.record({ action: 'parent-partner-offered', actor: actorOf(who), conferenceId, from: context.from, details: { offerId: offer.id, serviceArea: offer.serviceArea } })
      return offer
    })
  }

  /** The parent's answer. Accepting takes a place (refused when the area is full) and invites the Parent Partner to the CSC. */
  async answer(member: ConferenceMember, who: Signedin, offerId: string, input: z.infer<typeof answerBody>, context: RequestContext): Promise<AcceptedOffer | { offer: ParentPartnerOffer }> {
    const conferenceId = member.participant.conferenceId
    const answered = await this.changingPlaces(async (): Promise<AcceptedOffer | { offer: ParentPartnerOffer }> => {
      const current = this.offerIn(conferenceId, offerId)
      if (current.status !== 'offered') throw new HttpError(409, 'already-answered', 'The parent has already answered this offer.')
      const answeredAt = new Date(this.now()).toISOString()
      if (input.answer === 'declined') {
        const declined: ParentPartnerOffer = { ...current, status: 'declined', answeredAt }
        await this.storage.programmes.parentPartnerOffers.put(declined)
        return { offer: declined }
      }
      this.assertPlaceLeft(this.area(current.serviceArea))
      // Invited before the offer is kept, so that it keeps who to withdraw when support ends.
      const invited = await this.access.invite(member, who, { name: input.parentPartnerName, role: 'parentPartner' }, context, true)
      const accepted: ParentPartnerOffer = { ...current, status: 'accepted', parentPartnerName: input.parentPartnerName, parentPartnerId: invited.participant.id, answeredAt }
      try {
        await this.storage.programmes.parentPartnerOffers.put(accepted)
      } catch (error) {
        // The answer was not kept, so its invitation must not stand: the organiser will answer
        // again, and the family's record must not stay open to a link nobody holds. Whether or
        // not that works, the answer's own failure is the one to report.
        await this.access.revokeInvitation(member, who, invited.participant.id, context).catch((failed: unknown) => {
          this.log.error('parent-partner.invitation-left', { conferenceId, participantId: invited.participant.id, error: errorMessage(failed) })
        })
        throw error
      }
      return { offer: accepted, invitation: { participantId: invited.participant.id, link: invited.link, code: invited.code } }
    })
    await this.access.record({ action: `parent-partner-${input.answer}`, actor: actorOf(who), conferenceId, from: context.from, details: { offerId } })
    return answered
  }

  /**
   * The parent's support has ended: their place is free for the next parent, and the Parent
   * Partner's invitation is withdrawn as any other is (their sessions stop working, their open
   * connections close, the audit trail says so): the family's record is no longer theirs to see.
   */
  async end(member: ConferenceMember, who: Signedin, offerId: string, context: RequestContext): Promise<ParentPartnerOffer> {
    const conferenceId = member.participant.conferenceId
    const ended = await this.changingPlaces(async () => {
      const current = this.offerIn(conferenceId, offerId)
      if (current.status !== 'accepted') throw new HttpError(409, 'not-supported', 'Only a parent who has a Parent Partner can have their support ended.')
      for (const parentPartner of this.stillInvited(current)) await this.access.revokeInvitation(member, who, parentPartner.id, context)
      const next: ParentPartnerOffer = { ...current, status: 'ended' }
      await this.storage.programmes.parentPartnerOffers.put(next)
      return next
    })
    await this.access.record({ action: 'parent-partner-ended', actor: actorOf(who), conferenceId, from: context.from, details: { offerId } })
    return ended
  }

  /**
   * The Parent Partner an accepted offer brought into the conference, while still invited. An
   * offer accepted before offers kept who was invited, or one whose Parent Partner was withdrawn
   * and invited again by hand, is matched by name among the conference's Parent Partners: ending
   * the support must not leave the record open to them.
   */
  private stillInvited(offer: ParentPartnerOffer): StoredParticipant[] {
    const invited = offer.parentPartnerId === undefined ? undefined : this.storage.access.participants.get(offer.parentPartnerId)
    if (invited && !takenOut(invited)) return [invited]
    const name = offer.parentPartnerName ?? ''
    return this.storage.access.participants.all((participant) =>
      participant.conferenceId === offer.conferenceId && participant.role === 'parentPartner' && !takenOut(participant) && name !== '' && sameWords(participant.name, name))
  }

  /** The offers made at these conferences (a case's), each with where it was made. */
  private offersIn(conferences: readonly ConferenceSummary[]): ListedOffer[] {
    return conferences.flatMap(({ id, title, date }) =>
      this.storage.programmes.parentPartnerOffers.all((offer) => offer.conferenceId === id).map((offer) => ({ ...offer, madeAt: { title, date } })))
  }

  /** The case's referral (its initial CSC's) says the CSC was held right after a removal. */
  private heldAfterRemoval(conference: ConferenceSummary): boolean {
    return this.storage.programmes.referrals.get(caseIdOf(conference))?.afterRemoval === true
  }

  private offerIn(conferenceId: string, offerId: string): ParentPartnerOffer {
    const offer = this.storage.programmes.parentPartnerOffers.get(offerId)
    if (offer?.conferenceId !== conferenceId) throw offerNotFound()
    return offer
  }

  private area(name: string): ServiceAreaPlaces {
    const area = this.areas.find((candidate) => candidate.serviceArea.toLocaleLowerCase() === name.toLocaleLowerCase())
    if (!area) {
      throw invalidRequest({
        serviceArea: `Choose one of the service areas: ${this.areas.map((candidate) => candidate.serviceArea).join(', ')}.`,
      })
    }
    return area
  }

  private assertPlaceLeft(area: ServiceAreaPlaces): void {
    const taken = this.places().find((places) => places.serviceArea === area.serviceArea)?.taken ?? 0
    if (taken >= area.places) {
      throw new HttpError(409, 'area-full', `All ${area.places} Parent Partner places in the ${area.serviceArea} service area are taken. A place comes free when a parent’s support ends.`)
    }
  }

  private changingPlaces<T>(change: () => Promise<T>): Promise<T> {
    const next = this.placeChanges.catch(() => undefined).then(change)
    this.placeChanges = next
    return next
  }
}
