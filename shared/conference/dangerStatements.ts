import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList } from './entryList'

/**
 * Part 4 of the record: 1 to 4 danger statements, each paired with its safety goal. Agreed at
 * the initial conference and carried to reviews unchanged unless significant new harm appears.
 * The scale of each pair is scored in the scores part, not here.
 */

export const MAX_DANGER_STATEMENT_PAIRS = 4

export const DANGER_STATEMENT_PAIRS_ROOT = 'dangerStatements.pairs'
export const DANGER_STATEMENTS_ROOT_NAMES = [DANGER_STATEMENT_PAIRS_ROOT] as const

export const dangerStatementPairSchema = z.object({
  /** The conference id this pair was carried forward from, or null when agreed here. */
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
