import type * as Y from 'yjs'
import { z } from 'zod'
import { ROLES } from '../roles'

/**
 * The scores on every scale: each danger statement pair's and the overall one. Practitioners
 * moved to paper slips so that nobody follows anybody else's number; here the server keeps each
 * number to itself until the chair reveals them all at once. So this part of the record holds,
 * per scoring round, only WHO has scored until the reveal, and every number (with the reasons)
 * after it. Only the server writes it (it knows who is signed in; chairs, advocates, note-takers
 * and observers do not score); the server refuses any client update that touches it.
 */

export const SCORES_ROOT = 'scores'
export const SCORES_ROOT_NAMES = [SCORES_ROOT] as const

export const SCALE_MIN = 0
export const SCALE_MAX = 10

/** A danger statement pair's scale (0: its danger statement; 10: its safety goal), or the overall one. */
export const scaleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dangerStatement'), pairId: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('overall') }),
])
export type Scale = z.infer<typeof scaleSchema>

/** Who a score is from. `participantId` is null for someone in the room with no device of their own. */
export const scorerSchema = z.object({
  participantId: z.string().nullable(),
  name: z.string(),
  role: z.enum(ROLES).nullable(),
  /** Set when the note-taker typed it in for them. */
  enteredBy: z.string().nullable(),
})
export type Scorer = z.infer<typeof scorerSchema>

export const givenScoreSchema = z.object({
  value: z.number().int().min(SCALE_MIN).max(SCALE_MAX),
  /** What they would need to see for the number to go up. */
  reason: z.string().max(2000),
  at: z.iso.datetime(),
})
export type GivenScore = z.infer<typeof givenScoreSchema>

export const revealedScoreSchema = scorerSchema.extend({
  score: givenScoreSchema,
  /** Scores this person gave before, oldest first: changing a score after the reveal keeps both. */
  earlier: z.array(givenScoreSchema),
})
export type RevealedScore = z.infer<typeof revealedScoreSchema>

export const scoringRoundSchema = z.object({
  id: z.string(),
  scale: scaleSchema,
  openedAt: z.iso.datetime(),
  /** Before the reveal: who has scored, never what. */
  scored: z.array(scorerSchema),
  revealedAt: z.iso.datetime().nullable(),
  /** After the reveal: every score. Empty before it. */
  scores: z.array(revealedScoreSchema),
  /**
   * Set when the chair stopped the round before the reveal (opened by mistake, or on the wrong
   * scale): its sealed scores were thrown away unseen. Absent on a round still in use.
   */
  cancelledAt: z.iso.datetime().optional(),
  /**
   * A danger statement's scale: the danger statement and safety goal as they read when the round
   * opened, then when its numbers were revealed (unless the pair was removed meanwhile), so the
   * record keeps what was scored if the words change or the pair is removed later. Absent on the
   * overall scale, and on rounds from before it was kept.
   */
  words: z.object({ dangerStatement: z.string(), safetyGoal: z.string() }).optional(),
  /**
   * The overall scale: its question as it read when the round opened, then when its numbers were
   * revealed, for the same reason. Absent on a danger statement's scale, and on older rounds.
   */
  question: z.string().optional(),
})
export type ScoringRound = z.infer<typeof scoringRoundSchema>

/** A round people are scoring in now: opened, and neither revealed nor stopped. */
export const isBeingScored = (round: ScoringRound): boolean => round.revealedAt === null && round.cancelledAt === undefined

export interface ScoresPart {
  /** Every round, oldest first. A round the server wrote in a shape this code does not know is skipped. */
  rounds(): ScoringRound[]
  round(id: string): ScoringRound | undefined
  observe(callback: () => void): () => void
}

export function scoresPart(doc: Y.Doc): ScoresPart {
  const scores = doc.getMap<unknown>(SCORES_ROOT)
  const parse = (value: unknown): ScoringRound | undefined => {
    const parsed = scoringRoundSchema.safeParse(value)
    return parsed.success ? parsed.data : undefined
  }
  return {
    rounds: () =>
      [...scores.values()]
        .map(parse)
        .filter((round) => round !== undefined)
        .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id)),
    round: (id) => parse(scores.get(id)),
    observe(callback) {
      const listener = (): void => {
        callback()
      }
      scores.observeDeep(listener)
      return () => {
        scores.unobserveDeep(listener)
      }
    },
  }
}

/** True once a scoring round was opened on the scale of this danger statement pair (stopped or not). */
export function pairWasScored(rounds: readonly ScoringRound[], pairId: string): boolean {
  return rounds.some((round) => round.scale.kind === 'dangerStatement' && round.scale.pairId === pairId)
}

/** True while a round on the scale of this danger statement pair is open (neither revealed nor stopped). */
export function pairBeingScored(rounds: readonly ScoringRound[], pairId: string): boolean {
  return rounds.some((round) => isBeingScored(round) && round.scale.kind === 'dangerStatement' && round.scale.pairId === pairId)
}

/** Writes a round. For the server only: a client's update touching this part is refused. */
export function writeScoringRound(doc: Y.Doc, round: ScoringRound): void {
  doc.getMap<unknown>(SCORES_ROOT).set(round.id, scoringRoundSchema.parse(round))
}

/** What the line shows under the numbers: the lowest, the highest and the median. */
export interface ScaleSummary {
  count: number
  lowest: number
  highest: number
  median: number
}

export function summarizeScores(values: readonly number[]): ScaleSummary | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const at = (index: number): number => sorted[index] ?? 0
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2
  return { count: sorted.length, lowest: at(0), highest: at(sorted.length - 1), median }
}
