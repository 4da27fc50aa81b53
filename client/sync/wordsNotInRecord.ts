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

function listPassages(passages: Passage[], path: string, part: string, entries: readonly EntrySnapshot[], fields: readonly string[] = []): void {
  entries.forEach((entry, index) => {
    for (const [name, text] of Object.entries(entry.text)) passages.push({ key: `${path}/${entry.id}/${name}`, part, entry: index + 1, text })
    for (const name of fields) {
      const value = (entry.fields as Record<string, unknown>)[name]
      if (typeof value === 'string') passages.push({ key: `${path}/${entry.id}/${name}`, part, entry: index + 1, text: value })
    }
  })
}

/** Everything people write in words in a record, part by part, named by the board's steps for its kind of conference. */
function passagesOf(record: RecordSnapshot): Passage[] {
  const passages: Passage[] = []
  const steps = agendaFor(record.details.kind)
  const titleOf = (id: AgendaStepId): string => steps.find((step) => step.id === id)?.title ?? id
  const one = (key: string, part: string, text: string): void => { passages.push({ key, part, entry: null, text }) }
  for (const id of MAP_SECTION_IDS) listPassages(passages, `map.${id}`, MAP_TITLES.get(id) ?? id, record.map[id])
  listPassages(passages, 'views', 'Views beside the entries', record.views, ['words'])
  for (const house of THREE_HOUSES) one(`childsVoice.${house.id}`, titleOf('childsVoice'), record.childsVoice.houses[house.id])
  one('involvement', titleOf('involvement'), record.involvement)
  listPassages(passages, 'dangerStatements', titleOf('dangerStatements'), record.dangerStatements)
  one('contingency', titleOf('contingency'), record.contingency)
  listPassages(passages, 'decision.recommendations', titleOf('decision'), record.decision.recommendations)
  one('decision.familyView', titleOf('decision'), record.decision.familyView)
  one('decision.rationale', titleOf('decision'), record.decision.rationale)
  one('plan.immediateSafety', titleOf('plan'), record.plan.immediateSafety)
  one('plan.bottomLines', titleOf('plan'), record.plan.bottomLines)
  listPassages(passages, 'plan.timeline', titleOf('plan'), record.plan.timeline)
  listPassages(passages, 'plan.rules', titleOf('plan'), record.plan.rules)
  one('plan.howRecordedAndShown', titleOf('plan'), record.plan.howRecordedAndShown)
  listPassages(passages, 'actions', titleOf('actions'), record.actions)
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
