import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList } from './entryList'
import { plainText } from './richText'

/**
 * Part 4 of the record: 1 to 4 danger statements, each paired with its safety goal. Agreed at
 * the initial conference and carried to reviews unchanged unless significant new harm appears.
 * The scale of each pair is scored in the scores part, not here.
 *
 * Two roots: the pairs agreed in this conference (everyone who edits may write them), and the
 * pairs carried forward from the conference this one follows. Only the server writes the second:
 * it copies them in when the review is created, and adds a new version only when the chair
 * records significant new harm (server/documents/cases.ts). Every version stays in the record.
 */

export const MAX_DANGER_STATEMENT_PAIRS = 4

export const DANGER_STATEMENT_PAIRS_ROOT = 'dangerStatements.pairs'
export const CARRIED_FORWARD_ROOT = 'dangerStatements.carriedForward'
export const DANGER_STATEMENTS_ROOT_NAMES = [DANGER_STATEMENT_PAIRS_ROOT, CARRIED_FORWARD_ROOT] as const
/** Written by the server only: the words agreed at an earlier conference must not change by plain editing. */
export const CARRIED_FORWARD_ROOT_NAMES = [CARRIED_FORWARD_ROOT] as const

export const dangerStatementPairSchema = z.object({
  /**
   * Kept for records written before carried-forward pairs had their own part: always null for a
   * pair agreed here (carried pairs live in CARRIED_FORWARD_ROOT).
   */
  carriedForwardFrom: z.string().min(1).max(100).nullable(),
})
export type DangerStatementPairFields = z.infer<typeof dangerStatementPairSchema>
export const DEFAULT_DANGER_STATEMENT_PAIR: DangerStatementPairFields = { carriedForwardFrom: null }

/**
 * `add` refuses a fifth pair. Two people adding at once can still leave five or more after the
 * merge: `entries()` then returns all of them (nothing anyone wrote is hidden) and
 * `exceedsLimit()` is true, for the chair to merge or remove one.
 */
export type DangerStatementPairs = EntryList<DangerStatementPairFields, 'dangerStatement' | 'safetyGoal'>

export function dangerStatementPairs(doc: Y.Doc): DangerStatementPairs {
  return new EntryList(doc, DANGER_STATEMENT_PAIRS_ROOT, {
    schema: dangerStatementPairSchema,
    defaults: DEFAULT_DANGER_STATEMENT_PAIR,
    richText: ['dangerStatement', 'safetyGoal'],
    maxEntries: MAX_DANGER_STATEMENT_PAIRS,
  })
}

// ---- pairs carried forward from an earlier conference of the case -------------------------------------

export const PAIR_TEXT_MAX = 5000

/** The significant new harm that justified changing a carried-forward pair. */
export const newHarmSchema = z.object({
  /** What happened. */
  what: z.string().trim().min(1).max(2000),
  /** When it happened, in the chair's words ("Saturday 14 November", "over half term"). */
  when: z.string().trim().min(1).max(200),
})
export type NewHarm = z.infer<typeof newHarmSchema>

export const carriedPairVersionSchema = z.object({
  dangerStatement: z.string().max(PAIR_TEXT_MAX),
  safetyGoal: z.string().max(PAIR_TEXT_MAX),
  at: z.iso.datetime(),
  /** Who recorded this version (the chair); null for the words as they were carried forward. */
  by: z.string().max(120).nullable(),
  /** Null for the words as they were carried forward; set on every later version. */
  newHarm: newHarmSchema.nullable(),
})
export type CarriedPairVersion = z.infer<typeof carriedPairVersionSchema>

export const carriedPairSchema = z.object({
  /** The pair's id where it was first agreed: its scale keeps it, so progress can be followed across the case. */
  id: z.string().min(1).max(100),
  /** Order among the carried-forward pairs, as they were in the earlier conference. */
  position: z.number(),
  /** The conference these words were carried from. */
  from: z.object({ conferenceId: z.string().min(1).max(100), title: z.string().max(200), date: z.string().max(10) }),
  /** Oldest first: the words carried forward, then each change for new harm. Never empty. */
  versions: z.array(carriedPairVersionSchema).min(1),
})
export type CarriedPair = z.infer<typeof carriedPairSchema>

export interface CarriedForwardPairs {
  /** In their order. A value the server wrote in a shape this code does not know is skipped. */
  pairs(): CarriedPair[]
  get(id: string): CarriedPair | undefined
  observe(callback: () => void): () => void
}

export function carriedForwardPairs(doc: Y.Doc): CarriedForwardPairs {
  const root = doc.getMap<unknown>(CARRIED_FORWARD_ROOT)
  const parse = (value: unknown): CarriedPair | undefined => {
    const parsed = carriedPairSchema.safeParse(value)
    return parsed.success ? parsed.data : undefined
  }
  return {
    pairs: () =>
      [...root.values()]
        .map(parse)
        .filter((pair) => pair !== undefined)
        .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    get: (id) => parse(root.get(id)),
    observe(callback) {
      const listener = (): void => {
        callback()
      }
      root.observeDeep(listener)
      return () => {
        root.unobserveDeep(listener)
      }
    },
  }
}

/** Writes a carried-forward pair. For the server only: a client's update touching this part is refused. */
export function writeCarriedPair(doc: Y.Doc, pair: CarriedPair): void {
  doc.getMap<unknown>(CARRIED_FORWARD_ROOT).set(pair.id, carriedPairSchema.parse(pair))
}

/** The words the pair has now: its latest version. */
export function currentWords(pair: CarriedPair): CarriedPairVersion {
  const latest = pair.versions.at(-1)
  if (!latest) throw new Error(`carried-forward pair ${pair.id} has no version`)
  return latest
}

export interface PairWords {
  dangerStatement: string
  safetyGoal: string
}

/** What a pair (agreed here or carried forward) says now, as plain text; undefined when this conference has no such pair. */
export function pairWords(doc: Y.Doc, pairId: string): PairWords | undefined {
  const agreed = dangerStatementPairs(doc).get(pairId)
  if (agreed) return { dangerStatement: plainText(agreed.richText('dangerStatement')), safetyGoal: plainText(agreed.richText('safetyGoal')) }
  const carried = carriedForwardPairs(doc).get(pairId)
  if (!carried) return undefined
  const { dangerStatement, safetyGoal } = currentWords(carried)
  return { dangerStatement, safetyGoal }
}
