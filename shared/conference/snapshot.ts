import type * as Y from 'yjs'
import type { Entry, EntryList } from './entryList'
import type { FieldValues } from './fields'
import { THREE_HOUSES, type HouseId } from './childsVoice'
import { MAP_SECTION_IDS, type MapEntryFields, type MapSectionId } from './map'
import { conferenceRecord } from './record'
import { plainText } from './richText'

/** One entry as plain JSON: who and when, its fields, and its rich text as plain lines. */
export interface EntrySnapshot<F extends FieldValues = FieldValues, R extends string = string> {
  id: string
  authorId: string
  createdAt: string
  updatedAt: string
  updatedBy: string
  fields: F
  text: Record<R, string>
}

function entrySnapshot<F extends FieldValues, R extends string>(entry: Entry<F, R>, richText: readonly R[]): EntrySnapshot<F, R> {
  const text = {} as Record<R, string>
  for (const name of richText) text[name] = entry.hasRichText(name) ? plainText(entry.richText(name)) : ''
  return {
    id: entry.id,
    authorId: entry.authorId,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    updatedBy: entry.updatedBy,
    fields: entry.fields,
    text,
  }
}

function listSnapshot<F extends FieldValues, R extends string>(list: EntryList<F, R>): EntrySnapshot<F, R>[] {
  return list.entries().map((entry) => entrySnapshot(entry, list.richTextParts))
}

/**
 * The whole record as plain JSON, read through the accessors (so stored values that are
 * invalid read as their defaults). For exports, and for tests proving that docs converge.
 */
export function recordSnapshot(doc: Y.Doc) {
  const record = conferenceRecord(doc)
  return {
    schemaVersion: record.meta.schemaVersion(),
    details: { ...record.details.get(), children: listSnapshot(record.details.children) },
    network: { people: listSnapshot(record.network.people) },
    map: Object.fromEntries(MAP_SECTION_IDS.map((id) => [id, listSnapshot(record.map.section(id))])) as Record<MapSectionId, EntrySnapshot<MapEntryFields, 'text'>[]>,
    views: listSnapshot(record.views.list),
    childsVoice: {
      howShared: record.childsVoice.howShared(),
      houses: Object.fromEntries(THREE_HOUSES.map((house) => [house.id, plainText(record.childsVoice.house(house.id))])) as Record<HouseId, string>,
      /** As the child's own version shows them: crossed-out words were taken back, so the child never meets them. */
      housesForChild: Object.fromEntries(THREE_HOUSES.map((house) => [house.id, plainText(record.childsVoice.house(house.id), 'left out')])) as Record<HouseId, string>,
    },
    involvement: plainText(record.involvement.text),
    dangerStatements: listSnapshot(record.dangerStatements),
    overallScale: record.overallScale.get(),
    scores: record.scores.rounds(),
    contingency: plainText(record.contingency.text),
    decision: {
      ...record.decision.get(),
      recommendations: listSnapshot(record.decision.recommendations),
      familyView: plainText(record.decision.familyView),
      rationale: plainText(record.decision.rationale),
    },
    plan: {
      immediateSafety: plainText(record.plan.immediateSafety),
      bottomLines: plainText(record.plan.bottomLines),
      timeline: listSnapshot(record.plan.timeline),
      rules: listSnapshot(record.plan.rules),
      howRecordedAndShown: plainText(record.plan.howRecordedAndShown),
    },
    actions: listSnapshot(record.actions),
    coreGroup: {
      members: listSnapshot(record.coreGroup.members),
      nextMeetings: listSnapshot(record.coreGroup.nextMeetings),
    },
  }
}

export type RecordSnapshot = ReturnType<typeof recordSnapshot>
