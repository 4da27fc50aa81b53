import { SEND_TARGET_HOURS, type SentDocument, type SentStatus } from '../../../shared/exports'
import { dateWords } from '../../words'

/**
 * Which version of the record went out, in words, beside each document in the "Sent to" list: a
 * draft is not the record anyone can rely on, and the final one may still have to be sent.
 */
export function sentVersionWords(status: SentStatus): string {
  switch (status.state) {
    case 'draft': return 'Draft — sent before the record was closed'
    case 'final': return 'Final — the closed record'
    case 'unknown': return 'Draft or final not known — recorded before SafetyMap kept which'
  }
}

/**
 * When it went out against the target, in words. Sent before the meeting is its own case, not
 * "Late": the conference may have been moved to a later day after it was sent.
 */
export function sentTimingWords(sent: Pick<SentDocument, 'sameDay' | 'onTime' | 'early'>): string {
  if (sent.early) return 'Sent before the meeting'
  if (sent.sameDay) return 'Same day'
  return sent.onTime ? `Within ${SEND_TARGET_HOURS} hours` : `Late: after ${SEND_TARGET_HOURS} hours`
}

/** Only a late sending is marked as a problem. */
export const sentLate = (sent: Pick<SentDocument, 'onTime' | 'early'>): boolean => !sent.onTime && !sent.early

/**
 * What went out does not have the corrections added since: said beside it, so whoever reads the
 * list knows that person has not had the corrected minutes. Empty when nothing was corrected since.
 */
export function sentBeforeCorrectionWords({ correctedSince }: Pick<SentDocument, 'correctedSince'>): string {
  if (!correctedSince) return ''
  const { count, firstOn } = correctedSince
  return count === 1
    ? `Sent before the correction of ${dateWords(firstOn)}`
    : `Sent before ${String(count)} corrections, the first made on ${dateWords(firstOn)}`
}
