import { useEffect, useRef, useState, type PointerEvent } from 'react'
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

/** How long "Undo" is offered; it stays while the focus or the mouse pointer is on it. */
const OFFERED_FOR_MS = 20_000

/** "Removed: Past harm, entry 2. Undo", for a while after an entry is removed. */
export function RemovedNotice({ offered, onUndo, onExpired }: { offered: OfferedUndo | null; onUndo: () => void; onExpired: () => void }) {
  return (
    // Always on the page, so screen readers hear it when it fills.
    <div className="removed-notice" aria-live="polite">
      {/* Keyed: each offer starts its own time, held by nothing left over from the last one. */}
      {offered && <Offer key={offered.key} offered={offered} onUndo={onUndo} onExpired={onExpired} />}
    </div>
  )
}

function Offer({ offered, onUndo, onExpired }: { offered: OfferedUndo; onUndo: () => void; onExpired: () => void }) {
  // Two holds, each undone only by its own leaving: a mouse passing over must not let the time
  // run out under someone's keyboard focus. Only a mouse hovers: a tap's pointer events do not.
  const [hovered, setHovered] = useState(false)
  const [focused, setFocused] = useState(false)
  const held = hovered || focused
  const latestOnExpired = useRef(onExpired)
  useEffect(() => { latestOnExpired.current = onExpired })

  useEffect(() => {
    if (held) return
    const timer = setTimeout(() => { latestOnExpired.current() }, OFFERED_FOR_MS)
    return () => { clearTimeout(timer) }
  }, [held])

  // Only a device whose main pointer can hover: a phone's browser may send a mouse event where a
  // tap was when the page moves under it, and no mouse would ever leave to let the offer go.
  const hover = (isOver: boolean) => (event: PointerEvent): void => { if (event.pointerType === 'mouse' && canHover()) setHovered(isOver) }
  return (
    <span
      className="removed-offer"
      onFocus={() => { setFocused(true) }}
      onBlur={() => { setFocused(false) }}
      onPointerEnter={hover(true)}
      onPointerLeave={hover(false)}
    >
      <span>Removed: {offered.what}.</span>
      <button type="button" className="secondary" onClick={onUndo} aria-describedby="undo-remove-key">Undo</button>
      <span id="undo-remove-key" className="hint">or {UNDO_REMOVE_KEY.keys}</span>
    </span>
  )
}

const canHover = (): boolean => window.matchMedia('(hover: hover)').matches
