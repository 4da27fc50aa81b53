import type { Finalization } from '../../../shared/conference/meta'
import './closing.css'

/**
 * Said plainly at the top of a closed record, on everyone's board: nobody should start typing into
 * a record that can no longer take their words. A status, so someone using a screen reader hears
 * it when the chair closes the record during the meeting.
 */
export function ClosedNotice({ finalization, showsCorrections = true, correctionsSince = null }: {
  finalization: Finalization | null
  /** False on the shared screen, which shows the record as it was closed, without corrections. */
  showsCorrections?: boolean
  /** Where corrections are not shown: how many were added since, once known. */
  correctionsSince?: number | null
}) {
  return (
    <div className="record-closed" role="status">
      {finalization && (
        <p>
          <strong>This record was closed by {finalization.by} on {closedOnWords(finalization.at)}.</strong>{' '}
          {correctionsSince ? correctionsWords(correctionsSince) : 'It can no longer be changed.'}
          {showsCorrections && ' Corrections are added below each part.'}
        </p>
      )}
    </div>
  )
}

/** "23 November 2026", the day in the reader's own time zone. */
function closedOnWords(iso: string): string {
  const moment = new Date(iso)
  if (Number.isNaN(moment.getTime())) return iso
  return moment.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })
}

/** "2 corrections have been added since. They are in the minutes." */
function correctionsWords(count: number): string {
  return count === 1
    ? '1 correction has been added since. It is in the minutes.'
    : `${String(count)} corrections have been added since. They are in the minutes.`
}
