import type * as Y from 'yjs'
import { z } from 'zod'
import type { ConferenceKind } from './details'
import { EntryList, type Entry } from './entryList'
import { RecordValidationError } from './errors'

/**
 * Part 2 of the record: the three-column Signs of Safety map. Each of its eight sub-sections
 * is a list of entries at its own root ('map.pastHarm'...). Titles and hints are written for a
 * worried parent reading on a phone.
 */

export const MAP_COLUMNS = [
  {
    id: 'worries',
    title: 'What are we worried about?',
    sections: [
      { id: 'pastHarm', title: 'Past harm', hint: 'What has happened to the children that worries people: who, when, how bad, how often, and how it affected them.' },
      { id: 'dangerStatements', title: 'Danger statements', hint: 'What people are afraid could happen to the children in future if nothing changes.' },
      { id: 'complicatingFactors', title: 'Complicating factors', hint: 'Things that make the worries harder to sort out.' },
    ],
  },
  {
    id: 'workingWell',
    title: "What's working well?",
    sections: [
      { id: 'existingStrengths', title: 'Existing strengths', hint: 'The good things about how the children are cared for.' },
      { id: 'existingSafety', title: 'Existing safety', hint: 'Times the children have been kept safe from the dangers people are worried about, and who did it.' },
    ],
  },
  {
    id: 'needsToHappen',
    title: 'What needs to happen?',
    sections: [
      { id: 'safetyGoals', title: 'Safety goals', hint: 'What the adults caring for the children need to be doing for everyone to agree they are safe.' },
      { id: 'familyGoals', title: 'Family goals', hint: 'What the family wants to happen.' },
      { id: 'nextSteps', title: 'Next steps', hint: 'What happens next to reach the goals, and ideas parked to come back to before the end.' },
    ],
  },
] as const

export type MapColumn = (typeof MAP_COLUMNS)[number]
export type MapColumnId = MapColumn['id']
export type MapSection = MapColumn['sections'][number]
export type MapSectionId = MapSection['id']

/**
 * The columns in the order a conference of this kind goes through them, on the board and in the
 * minutes: at a review the family speaks first, so the map starts with what is working well.
 */
export function mapColumnsFor(kind: ConferenceKind): readonly MapColumn[] {
  if (kind !== 'uk-review') return MAP_COLUMNS
  const workingWell = MAP_COLUMNS.filter((column) => column.id === 'workingWell')
  return [...workingWell, ...MAP_COLUMNS.filter((column) => column.id !== 'workingWell')]
}

export const MAP_SECTION_IDS: readonly MapSectionId[] = MAP_COLUMNS.flatMap((column) => column.sections.map((section) => section.id))

export function mapRootName(section: MapSectionId): `map.${MapSectionId}` {
  return `map.${section}`
}

export const MAP_ROOT_NAMES: readonly string[] = MAP_SECTION_IDS.map(mapRootName)

export const mapEntrySchema = z.object({
  /** An idea raised early and parked in Next steps, to be picked up before the end. */
  parked: z.boolean(),
})
export type MapEntryFields = z.infer<typeof mapEntrySchema>

export const DEFAULT_MAP_ENTRY: MapEntryFields = { parked: false }

export type MapEntryList = EntryList<MapEntryFields, 'text'>

/** The sub-section where parked ideas wait to be picked up before the end. */
export const PARKING_SECTION: MapSectionId = 'nextSteps'

export interface MapPart {
  /** The same list object every time for the same sub-section. */
  section(id: MapSectionId): MapEntryList
  /**
   * Moves an entry to another sub-section with its id (so its views stay with it), author and
   * text, placed at `index` there (last by default). See EntryList.moveTo for concurrent edits.
   */
  moveEntry(id: string, from: MapSectionId, to: MapSectionId, by: string, index?: number): MapEntry
  /**
   * Parks an idea raised early: it goes last in Next steps, marked parked, to be picked up
   * before the end. One already in Next steps is only marked.
   */
  park(id: string, from: MapSectionId, by: string): MapEntry
  /** The sub-section holding the entry with this id; null when it is not on the map. */
  sectionOf(id: string): MapSectionId | null
}

export type MapEntry = Entry<MapEntryFields, 'text'>

export function mapPart(doc: Y.Doc): MapPart {
  const sections = new Map<MapSectionId, MapEntryList>(
    MAP_SECTION_IDS.map((id) => [id, new EntryList(doc, mapRootName(id), { schema: mapEntrySchema, defaults: DEFAULT_MAP_ENTRY, richText: ['text'] })]),
  )
  const section = (id: MapSectionId): MapEntryList => {
    const list = sections.get(id)
    if (!list) throw new Error(`The map has no section "${id}"`)
    return list
  }
  return {
    section,
    moveEntry(id, from, to, by, index) {
      if (from === to) throw new Error('moveEntry moves between two sub-sections')
      return section(from).moveTo(id, section(to), by, index === undefined ? {} : { index })
    },
    park(id, from, by) {
      if (from !== PARKING_SECTION) return section(from).moveTo(id, section(PARKING_SECTION), by, { fields: { parked: true } })
      const entry = section(from).get(id)
      if (!entry) throw new RecordValidationError('unknown-entry', `There is no entry ${id} here.`)
      entry.update(by, { parked: true })
      return entry
    },
    sectionOf(id) {
      return MAP_SECTION_IDS.find((sectionId) => section(sectionId).get(id) !== undefined) ?? null
    },
  }
}
