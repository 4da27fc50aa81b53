import { useId, useLayoutEffect, useRef, useState, type Ref } from 'react'
import type { MapSectionId } from '../../../shared/conference/map'
import { useMapControls } from './mapControls'

/** A move asked for from the entry's Move buttons. */
export type EntryMove = { kind: 'up' } | { kind: 'down' } | { kind: 'park' } | { kind: 'to'; section: MapSectionId }

/**
 * Moving an entry without dragging or keys: on a phone or tablet (no drag there), with a switch
 * or a mouse alone. Up, down, to another part of the map, or parked. The buttons keep the focus
 * while the entry moves up and down, so they can be pressed again.
 */
export function MoveEntry({ label, sectionId, place, parked, onMove, toggleRef }: {
  label: string
  sectionId: MapSectionId
  /** Where the entry is in its sub-section: 0-based, of how many. */
  place: { index: number; count: number }
  parked: boolean
  onMove: (move: EntryMove) => void
  /** The Move button, which takes the focus when the entry lands in another part of the map. */
  toggleRef: Ref<HTMLButtonElement>
}) {
  const { sectionOrder, sectionTitle } = useMapControls()
  const [open, setOpen] = useState(false)
  const others = sectionOrder.filter((id) => id !== sectionId)
  const [to, setTo] = useState<MapSectionId | ''>('')
  const selectId = useId()
  const up = useRef<HTMLButtonElement>(null)
  const down = useRef<HTMLButtonElement>(null)
  // The button last pressed, to be focused again once the entry is in its new place (React may
  // have moved this card's element, which takes the focus away).
  const pressed = useRef<'up' | 'down' | null>(null)

  useLayoutEffect(() => {
    if (!pressed.current) return
    const again = pressed.current === 'up' ? up.current : down.current
    // At either end the pressed button is disabled: the other one takes the focus.
    const target = again && !again.disabled ? again : pressed.current === 'up' ? down.current : up.current
    target?.focus()
    pressed.current = null
  }, [place.index])

  const step = (direction: 'up' | 'down'): void => {
    pressed.current = direction
    onMove({ kind: direction })
  }
  return (
    <>
      <button ref={toggleRef} type="button" className="secondary move" aria-label={`Move ${label}`} aria-expanded={open} onClick={() => { setOpen(!open) }}>
        Move
      </button>
      {open && (
        <div className="move-entry" role="group" aria-label={`Move ${label}`}>
          <button ref={up} type="button" className="secondary" disabled={place.index === 0} onClick={() => { step('up') }}>
            Up
          </button>
          <button ref={down} type="button" className="secondary" disabled={place.index >= place.count - 1} onClick={() => { step('down') }}>
            Down
          </button>
          <span className="move-to">
            <label htmlFor={selectId}>To</label>
            <select id={selectId} value={to} onChange={(event) => { setTo(event.target.value as MapSectionId | '') }}>
              <option value="">another part of the map…</option>
              {others.map((id) => <option key={id} value={id}>{sectionTitle(id)}</option>)}
            </select>
            <button type="button" className="secondary" disabled={to === ''} onClick={() => { if (to !== '') onMove({ kind: 'to', section: to }) }}>
              Move there
            </button>
          </span>
          {!parked && (
            <button type="button" className="secondary" onClick={() => { onMove({ kind: 'park' }) }}>
              Park to come back to
            </button>
          )}
        </div>
      )}
    </>
  )
}
