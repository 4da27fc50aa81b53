import type { SentStatus } from '../../../shared/exports'

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
