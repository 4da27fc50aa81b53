import { caseIdOf } from '../../shared/api'
import type { RecordReader } from '../documents/recordReader'
import type { Storage } from '../storage/types'
import { cscHoldBy } from '../../shared/programmes/deadlines'
import { AREA_NOT_RECORDED, type ProgrammeConference, type ProgrammeFacts } from './figures'
import { childOutcomes, followUpOf, storedOutcomesByConference } from './outcomes'
import type { ParentPartners } from './parentPartners'
import { readRecordFacts, type RecordFacts } from './recordFacts'

/** Records read at the same time (each one not open and changed since it was last read is opened, read and closed again). */
const READ_AT_ONCE = 8

/**
 * Everything the programme figures are worked out from, read from the records and the programme
 * store. Demo conferences (invented families) are left out. Every record is read, as the dashboard
 * reads its own, through a RecordReader: only those changed since the last request are opened, so
 * the figures always match the records as they are now.
 */
export async function gatherProgrammeFacts(storage: Storage, records: RecordReader<RecordFacts>, parentPartners: ParentPartners): Promise<ProgrammeFacts> {
  const catalogue = (await storage.conferences.list()).filter((conference) => !conference.demo)
  const factsOf = new Map<string, RecordFacts>()
  // A few at a time: reading a record that is not open is mostly waiting on the disk.
  for (let start = 0; start < catalogue.length; start += READ_AT_ONCE) {
    const batch = catalogue.slice(start, start + READ_AT_ONCE)
    const read = await Promise.all(batch.map((conference) => readRecordFacts(records, conference)))
    batch.forEach((conference, index) => { const facts = read[index]; if (facts) factsOf.set(conference.id, facts) })
  }
  const recorded = storedOutcomesByConference(storage)
  const conferences: ProgrammeConference[] = []
  for (const conference of catalogue) {
    const facts = factsOf.get(conference.id)
    if (!facts) continue
    const followUp = conference.kind === 'us-csc-initial' ? followUpOf(catalogue, conference.id) : undefined
    const referral = storage.programmes.referrals.get(conference.id)
    const caseId = caseIdOf(conference)
    conferences.push({
      id: conference.id,
      caseId,
      kind: conference.kind,
      date: facts.date,
      // A follow-up has no referral, and one created before it carried the area has none in its record: the case's referral's.
      serviceArea: referral?.serviceArea ?? (facts.area || storage.programmes.referrals.get(caseId)?.serviceArea || AREA_NOT_RECORDED),
      decision: facts.decision,
      referral: referral
        ? { holdBy: cscHoldBy(new Date(referral.concernRaisedAt)), timeZone: referral.timeZone, afterRemoval: referral.afterRemoval, independentFacilitator: referral.facilitator.independent }
        : null,
      children: childOutcomes(conference, facts, recorded.get(conference.id) ?? new Map(), followUp && factsOf.get(followUp.id)),
    })
  }
  const counted = new Set(conferences.map((conference) => conference.id))
  return {
    conferences,
    offers: storage.programmes.parentPartnerOffers.all((offer) => counted.has(offer.conferenceId)),
    feedback: storage.programmes.feedback.all(),
    places: parentPartners.places(),
  }
}
