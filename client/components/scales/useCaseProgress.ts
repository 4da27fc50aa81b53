import { useEffect, useState } from 'react'
import { getCaseProgress } from '../../api'
import { scaleKey, type CaseProgress, type ScaleProgress } from '../../../shared/cases'
import type { Scale, ScoringRound } from '../../../shared/conference/scores'

/**
 * The latest progress asked of the server, per conference: every scale panel on the board shares
 * one request, asked again only when a round of this conference is revealed or a revealed score
 * changes (what the server's answer is made of).
 */
const latest = new Map<string, { revealed: string; answer: Promise<CaseProgress> }>()

function progressOf(conferenceId: string, revealed: string): Promise<CaseProgress> {
  const known = latest.get(conferenceId)
  if (known?.revealed === revealed) return known.answer
  const answer = getCaseProgress(conferenceId)
  latest.set(conferenceId, { revealed, answer })
  // A failed answer is not kept: the next render asks again.
  answer.catch(() => { if (latest.get(conferenceId)?.answer === answer) latest.delete(conferenceId) })
  return answer
}

/** What the revealed scores of this conference are now, as one string: it changes when progress does. */
function revealedState(rounds: readonly ScoringRound[]): string {
  return rounds
    .filter((round) => round.revealedAt !== null && round.cancelledAt === undefined)
    .map((round) => `${round.id}:${round.scores.map((entry) => entry.score.at).join(',')}`)
    .join(';')
}

/** This scale's revealed scores across the case, first conference to now; null until known (or when it cannot be loaded). */
export function useScaleProgress(conferenceId: string, scale: Scale, rounds: readonly ScoringRound[]): ScaleProgress | null {
  const revealed = revealedState(rounds)
  const key = scaleKey(scale)
  const [progress, setProgress] = useState<ScaleProgress | null>(null)
  useEffect(() => {
    let current = true
    progressOf(conferenceId, revealed).then(
      (answer) => { if (current) setProgress(answer.scales.find((each) => scaleKey(each.scale) === key) ?? null) },
      // The chart is extra: the scale works without it.
      () => undefined,
    )
    return () => { current = false }
  }, [conferenceId, revealed, key])
  return progress
}
