import type { SaveStatus } from '../sync/saveTracker'
import { statusNeedsAttention, statusWords } from '../sync/statusWords'

/** Always visible: whether what this person typed is safely saved. */
export function StatusLine({ status, keptOnDevice }: { status: SaveStatus; keptOnDevice: boolean }) {
  return (
    <p role="status" aria-live="polite" className={`status status-${status.state}${statusNeedsAttention(status) ? ' status-attention' : ''}`}>
      {statusWords(status, keptOnDevice)}
    </p>
  )
}
