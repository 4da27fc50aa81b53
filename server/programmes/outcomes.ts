import { z } from 'zod'
import { isUsConference } from '../../shared/conference/agenda'
import { OUTCOME_POINTS, PARTICIPATION, WHERE_STAYING, type ChildOutcome, type OutcomeChange, type OutcomePoint, type Participation, type WhereStaying } from '../../shared/programmes/outcomes'
import { actorOf, type AccessControl, type RequestContext, type Signedin } from '../auth/accessControl'
import type { RecordReader } from '../documents/recordReader'
import { HttpError } from '../http/errors'
import type { ConferenceKind, ConferenceSummary, Storage, StoredChildOutcome } from '../storage/types'
import { Turns } from '../turns'
import { readRecordFacts, type RecordFacts } from './recordFacts'

export const outcomeChangeBody = z.union([
  z.object({ point: z.enum(OUTCOME_POINTS), staying: z.enum(WHERE_STAYING).nullable() }).strict(),
  z.object({ participation: z.enum(PARTICIPATION).nullable() }).strict(),
]) satisfies z.ZodType<OutcomeChange>

/**
 * Each child's outcomes: what the organiser recorded for that child, and otherwise the record's
 * answer for all the children (where they stay after a CSC; how their views reached a UK
 * conference; at 10 days, the follow-up conference's record). The records stay the source; a
 * child's own entry only says where they differ or what came after the records were closed.
 */
export function childOutcomes(conference: ConferenceSummary, facts: RecordFacts, stored: ReadonlyMap<string, StoredChildOutcome>, followUp?: RecordFacts): ChildOutcome[] {
  const placeIn = (record: RecordFacts | undefined): WhereStaying | undefined => (record && record.whereChildrenStay !== 'not-yet-recorded' ? record.whereChildrenStay : undefined)
  const initial = conference.kind === 'us-csc-initial'
  const fromRecords: Partial<Record<OutcomePoint, WhereStaying>> = initial ? { afterConference: placeIn(facts), atFollowUp: placeIn(followUp) } : {}
  const recordParticipation: Participation | null = facts.howShared === 'not-yet-recorded' ? null : facts.howShared
  const us = isUsConference(conference.kind)
  return facts.children.map(({ id, name }) => {
    const own = stored.get(id)
    const staying = Object.fromEntries(OUTCOME_POINTS.flatMap((point) => {
      const place = own?.staying[point] ?? fromRecords[point]
      return place ? [[point, place]] : []
    }))
    return {
      childId: id,
      name,
      staying: us ? staying : {},
      participation: us ? null : own?.participation ?? recordParticipation,
    }
  })
}

/** What the organiser recorded for each child, by conference id, then child id: read once for many conferences. */
export function storedOutcomesByConference(storage: Storage): Map<string, Map<string, StoredChildOutcome>> {
  const byConference = new Map<string, Map<string, StoredChildOutcome>>()
  for (const outcome of storage.programmes.childOutcomes.all()) {
    const children = byConference.get(outcome.conferenceId) ?? new Map<string, StoredChildOutcome>()
    children.set(outcome.childId, outcome)
    byConference.set(outcome.conferenceId, children)
  }
  return byConference
}

/** What the organiser recorded for each child of one conference, by child id. */
export function storedOutcomesOf(storage: Storage, conferenceId: string): ReadonlyMap<string, StoredChildOutcome> {
  return storedOutcomesByConference(storage).get(conferenceId) ?? new Map()
}

/** The follow-up conference of an initial CSC, if one has been created: its record says where the children stay at 10 days. */
export function followUpOf(conferences: readonly ConferenceSummary[], initialId: string): ConferenceSummary | undefined {
  return nextConferenceOf(conferences, initialId, 'us-csc-follow-up')
}

/** The earliest conference of this kind created to follow `earlierId` (a review of it, a follow-up of it), if any. */
export function nextConferenceOf(conferences: readonly ConferenceSummary[], earlierId: string, kind: ConferenceKind): ConferenceSummary | undefined {
  return conferences.filter((candidate) => candidate.follows === earlierId && candidate.kind === kind).sort((a, b) => a.date.localeCompare(b.date))[0]
}

/** One child's outcomes are kept under this id. */
function childOutcomeId(conferenceId: string, childId: string): string {
  return `${conferenceId}/${childId}`
}

const childNotFound = (): HttpError => new HttpError(404, 'child-not-found', 'There is no child with this id in this conference’s record.')

export class Outcomes {
  /** One change at a time: each reads the child's entry and writes it whole, so two at once would keep only the last. */
  private readonly changes = new Turns()

  constructor(
    private readonly storage: Storage,
    private readonly records: RecordReader<RecordFacts>,
    private readonly access: AccessControl,
    private readonly now: () => number = Date.now,
  ) {}

  async of(conference: ConferenceSummary): Promise<ChildOutcome[]> {
    const [facts, followUp] = await this.recordsOf(conference)
    return childOutcomes(conference, facts, storedOutcomesOf(this.storage, conference.id), followUp)
  }

  /** The conference's record and, for an initial CSC, its follow-up's. */
  private async recordsOf(conference: ConferenceSummary): Promise<[RecordFacts, RecordFacts?]> {
    const facts = await readRecordFacts(this.records, conference)
    const followUp = conference.kind === 'us-csc-initial' ? followUpOf(await this.storage.conferences.list(), conference.id) : undefined
    return followUp ? [facts, await readRecordFacts(this.records, followUp)] : [facts]
  }

  /** Records one child's place at one point, or their participation; null takes it back out. */
  async change(who: Signedin, conference: ConferenceSummary, childId: string, change: OutcomeChange, context: RequestContext): Promise<ChildOutcome> {
    const [facts, followUp] = await this.recordsOf(conference)
    if (!facts.children.some((child) => child.id === childId)) throw childNotFound()
    const us = isUsConference(conference.kind)
    if ('point' in change ? conference.kind !== 'us-csc-initial' : us) {
      throw new HttpError(409, 'outcome-not-kept', 'point' in change
        ? 'Where each child stays is followed from the initial child safety conference.'
        : 'How each child’s views reached the meeting is kept for UK conferences.')
    }
    const id = childOutcomeId(conference.id, childId)
    await this.changes.run(async () => {
      const current: StoredChildOutcome = this.storage.programmes.childOutcomes.get(id) ?? { id, conferenceId: conference.id, childId, staying: {}, participation: null, updatedAt: '' }
      const staying = 'point' in change
        ? Object.fromEntries(OUTCOME_POINTS.flatMap((point) => {
          const place = point === change.point ? change.staying : current.staying[point]
          return place ? [[point, place]] : []
        }))
        : current.staying
      await this.storage.programmes.childOutcomes.put({
        ...current,
        staying,
        participation: 'participation' in change ? change.participation : current.participation,
        updatedAt: new Date(this.now()).toISOString(),
      })
    })
    await this.access.record({ action: 'outcome-recorded', actor: actorOf(who), conferenceId: conference.id, from: context.from, details: { childId } })
    const outcome = childOutcomes(conference, facts, storedOutcomesOf(this.storage, conference.id), followUp).find((child) => child.childId === childId)
    if (!outcome) throw childNotFound()
    return outcome
  }
}
