import * as Y from 'yjs'
import { recordSnapshot, type EntrySnapshot, type RecordSnapshot } from '../../shared/conference/snapshot'
import { MAP_COLUMNS, MAP_SECTION_IDS } from '../../shared/conference/map'
import { THREE_HOUSES } from '../../shared/conference/childsVoice'
import { agendaFor, type AgendaStepId } from '../../shared/conference/agenda'

/** Words on this device that the record does not hold, and the part of the record they were in. */
export interface MissingWords {
  /** The part, as the board names it, e.g. "Past harm". */
  part: string
  /** Which entry of it, as the board numbers it on this device (1 is the first), or null for a part that is one text. */
  entry: number | null
  /** The words the record lacks: the whole entry if the record does not have it, else the words that differ. */
  words: string
}

/** One piece of writing in a record: where it is (`key`, the same on every device) and its words. */
interface Passage {
  key: string
  part: string
  entry: number | null
  text: string
}

const MAP_TITLES = new Map<string, string>(MAP_COLUMNS.flatMap((column) => column.sections.map((section) => [section.id, section.title] as const)))

/**
 * Which strings of a part of the record hold words people type (true), and which do not (false:
 * ids, choices from a list, copies of words kept elsewhere). It follows the shape of the record's
 * snapshot, so a part or a field added to the record does not compile until it is said here.
 */
type Words<T> = T extends readonly EntrySnapshot<infer F>[]
  ? { readonly fields: { readonly [K in keyof F]: boolean } }
  : T extends readonly unknown[]
    ? false
    : T extends string
      ? boolean
      : T extends object
        ? { readonly [K in keyof T]: Words<T[K]> }
        : false

/** The rich text of every entry is words, always; these say which of the other fields are. */
const WORDS: Words<RecordSnapshot> = {
  schemaVersion: false,
  details: { kind: false, title: true, date: true, area: true, children: { fields: { name: true, dateOfBirth: true } } },
  network: { people: { fields: { name: true, relationship: true, roleInMeeting: false, agency: true, present: false, inSafetyNetwork: false } } },
  map: Object.fromEntries(MAP_SECTION_IDS.map((id) => [id, { fields: { parked: false } }])) as Words<RecordSnapshot['map']>,
  // A view's `about` is a copy of the entry's words, not the words of the person giving the view.
  views: { fields: { entryId: false, stance: false, words: true, about: false } },
  childsVoice: {
    howShared: false,
    houses: Object.fromEntries(THREE_HOUSES.map((house) => [house.id, true])) as Words<RecordSnapshot['childsVoice']['houses']>,
    // The same words as the houses, as the child's version shows them.
    housesForChild: Object.fromEntries(THREE_HOUSES.map((house) => [house.id, false])) as Words<RecordSnapshot['childsVoice']['housesForChild']>,
  },
  involvement: true,
  dangerStatements: { fields: { carriedForwardFrom: false } },
  overallScale: { question: true },
  scores: false,
  contingency: true,
  decision: {
    decision: false,
    category: false,
    whereChildrenStay: false,
    recommendations: { fields: { professionalName: true, roleOrAgency: true } },
    familyView: true,
    rationale: true,
  },
  plan: { immediateSafety: true, bottomLines: true, timeline: { fields: { byWhen: true } }, rules: { fields: {} }, howRecordedAndShown: true },
  actions: { fields: { who: true, ownedBy: false, byWhen: true, status: false } },
  coreGroup: { members: { fields: { name: true, roleOrAgency: true } }, nextMeetings: { fields: { kind: false, date: true, note: true } } },
}

/** The board's step holding each part of the record. */
const STEP_OF: Readonly<Record<keyof RecordSnapshot, AgendaStepId>> = {
  schemaVersion: 'family',
  details: 'family',
  network: 'family',
  map: 'map',
  views: 'map',
  childsVoice: 'childsVoice',
  involvement: 'involvement',
  dangerStatements: 'dangerStatements',
  overallScale: 'scales',
  scores: 'scales',
  contingency: 'contingency',
  decision: 'decision',
  plan: 'plan',
  actions: 'actions',
  coreGroup: 'coreGroup',
}

/** A part of the record as the board names it: a sub-section of the map by its own title. */
function partName(path: readonly string[], titleOf: (id: AgendaStepId) => string): string {
  const [top = '', section = ''] = path
  if (top === 'views') return 'Views beside the entries'
  if (top === 'map') return MAP_TITLES.get(section) ?? section
  return titleOf(STEP_OF[top as keyof RecordSnapshot])
}

/** Everything people write in words in a record, part by part in the order of the record, named by the board's steps for its kind of conference. */
function passagesOf(record: RecordSnapshot): Passage[] {
  const passages: Passage[] = []
  const steps = agendaFor(record.details.kind)
  const titleOf = (id: AgendaStepId): string => steps.find((step) => step.id === id)?.title ?? id
  const walk = (value: unknown, words: unknown, path: string[]): void => {
    if (words === false || words === undefined || value === null) return
    const key = path.join('.')
    if (words === true) {
      if (typeof value === 'string') passages.push({ key, part: partName(path, titleOf), entry: null, text: value })
      return
    }
    if (Array.isArray(value)) {
      const { fields } = words as { fields: Record<string, boolean> }
      ;(value as EntrySnapshot[]).forEach((entry, index) => {
        const texts = [
          ...Object.entries(entry.text),
          ...Object.entries(entry.fields).filter(([name, text]) => fields[name] === true && typeof text === 'string'),
        ]
        for (const [name, text] of texts) passages.push({ key: `${key}/${entry.id}/${name}`, part: partName(path, titleOf), entry: index + 1, text: String(text) })
      })
      return
    }
    if (typeof value === 'object') {
      for (const [name, inner] of Object.entries(value)) walk(inner, (words as Record<string, unknown>)[name], [...path, name])
    }
  }
  walk(record, WORDS, [])
  return passages
}

/**
 * The words of `mine` the record lacks: what is left of `mine` once the words it begins and ends
 * with in common with `theirs` are taken off (so one sentence added to an entry is quoted alone).
 * Empty when `mine` only lacks words `theirs` has.
 */
export function wordsNotIn(mine: string, theirs: string): string {
  if (mine === theirs) return ''
  const a = mine.match(/\S+|\s+/g) ?? []
  const b = theirs.match(/\S+|\s+/g) ?? []
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  return a.slice(start, a.length - end).join('').trim()
}

/**
 * What this device's copy of the record (`device`) holds in words that the record on the server
 * (`server`) does not, entry by entry: an entry the record does not have is quoted whole, an
 * entry it has with other words is quoted where they differ. Entries only the server has, and
 * words taken out here, are not words of this person's that would be lost, and are left out.
 */
export function wordsNotInRecord(device: RecordSnapshot, server: RecordSnapshot): MissingWords[] {
  const onServer = new Map(passagesOf(server).map((passage) => [passage.key, passage.text]))
  const missing: MissingWords[] = []
  for (const passage of passagesOf(device)) {
    const words = wordsNotIn(passage.text, onServer.get(passage.key) ?? '')
    if (words !== '') missing.push({ part: passage.part, entry: passage.entry, words })
  }
  return missing
}

/**
 * The words of changes made on this device that the record on the server (`serverState`, one
 * update) does not have: the server's record with this device's unsent changes put on top,
 * compared with the server's record alone. So words someone else changed or took out on the
 * server since this device last heard from it are not quoted as this person's.
 */
export function wordsNotSent(device: Y.Doc, serverState: Uint8Array): MissingWords[] {
  const server = new Y.Doc()
  const withMine = new Y.Doc()
  try {
    Y.applyUpdate(server, serverState)
    Y.applyUpdate(withMine, serverState)
    Y.applyUpdate(withMine, Y.encodeStateAsUpdate(device, Y.encodeStateVector(server)))
    return wordsNotInRecord(recordSnapshot(withMine), recordSnapshot(server))
  } finally {
    server.destroy()
    withMine.destroy()
  }
}

/** Where the words were, as a heading a parent can read: "Past harm, entry 2", or "If things do not change". */
export function whereWordsWere(missing: Pick<MissingWords, 'part' | 'entry'>): string {
  return missing.entry === null ? missing.part : `${missing.part}, entry ${String(missing.entry)}`
}

/** All the missing words as one text to copy: each under where it was, in the order shown. */
export function missingWordsToCopy(missing: readonly MissingWords[]): string {
  return missing.map((item) => `${whereWordsWere(item)}:\n${item.words}`).join('\n\n')
}
