import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList, type Entry } from './entryList'
import { RecordValidationError } from './errors'
import { localEdit, type ConferenceOrigin } from './origins'

/**
 * People's views on entries of the map: anyone in the meeting but observers (permission
 * 'addViews'), the family first, can say "I agree", "I disagree" or "I'd put it differently",
 * in their own words, beside any entry. One list at its own root; a view is an entry whose
 * author is the person whose view it is, and which points at a map entry by its id (kept when
 * the entry moves between sub-sections). A view is never hidden: it stays in the record even
 * if its entry is removed, so an undo brings both back.
 */

export const VIEWS_ROOT = 'views'
export const VIEWS_ROOT_NAMES: readonly string[] = [VIEWS_ROOT]

export const VIEW_STANCES = ['agree', 'disagree', 'differently'] as const
export type ViewStance = (typeof VIEW_STANCES)[number]

/** In the person's own voice, as shown beside the entry: words, never colour alone. */
export const VIEW_STANCE_LABELS: Record<ViewStance, string> = {
  agree: 'I agree',
  disagree: 'I disagree',
  differently: 'I’d put it differently',
}

/** Enough for a few sentences from a phone; longer belongs in an entry of its own. */
export const MAX_VIEW_WORDS = 1000

/** How much of an entry's words a view keeps: map entries and danger statements are a few sentences. */
export const MAX_VIEWED_WORDS = 4000

export const viewSchema = z.object({
  /** The map entry this view is about. */
  entryId: z.string().max(200),
  stance: z.enum(VIEW_STANCES),
  /** The person's own words (may be empty: "I agree" says enough). */
  words: z.string().max(MAX_VIEW_WORDS),
  /**
   * The entry's words when the view was given or last changed, so that nobody's "I agree" is read
   * as agreeing with words changed after it. Empty in views given before these were kept.
   */
  about: z.string().max(MAX_VIEWED_WORDS),
})
export type ViewFields = z.infer<typeof viewSchema>

export const DEFAULT_VIEW: ViewFields = { entryId: '', stance: 'agree', words: '', about: '' }

export type View = Entry<ViewFields, never>

export interface ViewsPart {
  readonly list: EntryList<ViewFields, never>
  /** Every view on one entry, oldest first. */
  on(entryId: string): View[]
  /** This person's view on that entry, if they gave one. */
  of(authorId: string, entryId: string): View | undefined
  /**
   * Gives or changes this person's view on an entry: one view per person per entry, so a
   * second call changes the first rather than adding another. `about` is the entry's words as
   * the person saw them (viewedWords of a danger statement pair).
   */
  give(authorId: string, entryId: string, view: { stance: ViewStance; words: string; about: string }, origin?: ConferenceOrigin): View
  /** Withdraws this person's view; false when they had none. */
  withdraw(authorId: string, entryId: string, origin?: ConferenceOrigin): boolean
  observe(callback: () => void): () => void
}

export function viewsPart(doc: Y.Doc): ViewsPart {
  const list = new EntryList<ViewFields, never>(doc, VIEWS_ROOT, { schema: viewSchema, defaults: DEFAULT_VIEW, richText: [] })
  const on = (entryId: string): View[] => list.entries()
    .filter((view) => view.fields.entryId === entryId)
    .sort(oldestFirst)
  const of = (authorId: string, entryId: string): View | undefined => on(entryId).find((view) => view.authorId === authorId)
  return {
    list,
    on,
    of,
    give(authorId, entryId, { stance, words, about }, origin = localEdit) {
      if (entryId.length === 0) throw new RecordValidationError('unknown-entry', 'A view needs the entry it is about.')
      const trimmed = words.trim()
      // "I agree" says enough; "I'd put it differently" without the words says nothing anyone can use.
      if (stance === 'differently' && trimmed === '') throw new RecordValidationError('words-needed', 'Say how you would put it.')
      const fields = { stance, words: trimmed, about: keptWords(about) }
      const given = of(authorId, entryId)
      if (!given) return list.add(authorId, { fields: { entryId, ...fields } }, origin)
      given.update(authorId, fields, origin)
      return given
    },
    withdraw(authorId, entryId, origin = localEdit) {
      const given = of(authorId, entryId)
      return given ? list.remove(given.id, origin) : false
    },
    observe: (callback) => list.observe(callback),
  }
}

/** Views in the order they were given, as the board and the minutes list them. */
export function oldestFirst(a: { createdAt: string }, b: { createdAt: string }): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0
}

/** What a view on a danger statement is about: both halves of its pair, as the minutes show a pair's earlier words. */
export function pairViewedWords(pair: { dangerStatement: string; safetyGoal: string }): string {
  return `${pair.dangerStatement.trim()} / ${pair.safetyGoal.trim()}`
}

/**
 * True when the entry's words are not those the view was given on. Spaces and line breaks aside:
 * a view is about what the words say, not how they were laid out.
 */
export function wordsChangedSince(view: ViewFields, wordsNow: string): boolean {
  return view.about !== '' && spacesAside(view.about) !== spacesAside(keptWords(wordsNow))
}

function keptWords(words: string): string {
  return words.trim().slice(0, MAX_VIEWED_WORDS)
}

function spacesAside(words: string): string {
  return words.replace(/\s+/g, ' ').trim()
}
