import { useEffect, useRef, useState } from 'react'
import type { EntryRemoval } from '../../../shared/conference/entryList'
import { UNDO_REMOVE_KEY } from './mapKeys'

/** A removal that can still be undone. */
export interface OfferedUndo {
  removal: EntryRemoval
  entryId: string
  /** e.g. "Past harm, entry 2" */
  what: string
  /** Tells one offer from the next, so the time starts again. */
  key: number
}

/** How long "Undo" is offered; it stays while the focus or pointer is on it. */
const OFFERED_FOR_MS = 20_000

/** "Removed: Past harm, entry 2. Undo", for a while after an entry is removed. */
export function RemovedNotice({ offered, onUndo, onExpired }: { offered: OfferedUndo | null; onUndo: () => void; onExpired: () => void }) {
  const [held, setHeld] = useState(false)
  const latestOnExpired = useRef(onExpired)
  useEffect(() => { latestOnExpired.current = onExpired })

  useEffect(() => {
    if (!offered || held) return
    const timer = setTimeout(() => { latestOnExpired.current() }, OFFERED_FOR_MS)
    return () => { clearTimeout(timer) }
  }, [offered, held])

  return (
    // Always on the page, so screen readers hear it when it fills.
    <div
      className="removed-notice"
      aria-live="polite"
      onFocus={() => { setHeld(true) }}
      onBlur={() => { setHeld(false) }}
      onMouseEnter={() => { setHeld(true) }}
      onMouseLeave={() => { setHeld(false) }}
    >
      {offered && (
        <>
          <span>Removed: {offered.what}.</span>
          <button type="button" className="secondary" onClick={onUndo} aria-describedby="undo-remove-key">Undo</button>
          <span id="undo-remove-key" className="hint">or {UNDO_REMOVE_KEY.keys}</span>
        </>
      )}
    </div>
  )
}
