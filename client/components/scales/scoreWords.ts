import type { ScaleSummary } from '../../../shared/conference/scores'

/** A score as it is shown: 5, or 5.5 for a middle between two. */
export function numberWords(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

/**
 * What the revealed numbers say, in a sentence or two under the line of scores. One score is
 * not "everyone", and a middle of one number means nothing.
 */
export function revealedScoresWords(summary: ScaleSummary): { middle: string | null; spread: string } {
  if (summary.count === 1) return { middle: null, spread: `Only one score was given: ${numberWords(summary.median)}.` }
  return {
    middle: numberWords(summary.median),
    spread: summary.lowest === summary.highest ? `All ${summary.count} scores are ${summary.lowest}.` : `Scores go from ${summary.lowest} to ${summary.highest}.`,
  }
}
