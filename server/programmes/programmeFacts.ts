import { caseIdOf } from '../../shared/api'
import type { ConferenceRooms } from '../documents/rooms'
import type { Storage } from '../storage/types'
import { cscHoldBy } from '../../shared/programmes/deadlines'
import { AREA_NOT_RECORDED, type ProgrammeConference, type ProgrammeFacts } from './figures'
import { childOutcomes } from './outcomes'
import type { ParentPartners } from './parentPartners'
import { readRecordFacts } from './recordFacts'

/**
 * Everything the programme figures are worked out from, read from the records and the programme
 * store. Demo conferences (invented families) are left out. Reads every record, as the dashboard
 * does: figures are asked for rarely, and always match the records as they are now.
 */
export async function gatherProgrammeFacts(storage: Storage, rooms: ConferenceRooms, parentPartners: ParentPartners): Promise<ProgrammeFacts> {
  const conferences: ProgrammeConference[] = []
  for (const conference of await storage.conferences.list()) {
    if (conference.demo) continue
    const facts = await readRecordFacts(rooms, conference)
    const referral = storage.programmes.referrals.get(conference.id)
    conferences.push({
      id: conference.id,
      caseId: caseIdOf(conference),
      kind: conference.kind,
      date: facts.date,
      serviceArea: referral?.serviceArea ?? (facts.area || AREA_NOT_RECORDED),
      decision: facts.decision,
      referral: referral
        ? { holdBy: cscHoldBy(new Date(referral.concernRaisedAt)), timeZone: referral.timeZone, afterRemoval: referral.afterRemoval, independentFacilitator: referral.facilitator.independent }
        : null,
      children: childOutcomes(storage, conference, facts),
    })
  }
  const counted = new Set(conferences.map((conference) => conference.id))
  return {
    conferences,
    offers: storage.programmes.parentPartnerOffers.all().filter((offer) => counted.has(offer.conferenceId)),
    feedback: storage.programmes.feedback.all(),
    places: parentPartners.places(),
  }
}
