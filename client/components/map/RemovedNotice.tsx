import { useEffect, useRef, useState } from 'react'
import type { EntryRemoval } from '../../../shared/conference/entryList'
import { REFERRAL_AUTHOR } from '../../../shared/programmes/referral'
import type { Identity } from '../../identity'
import type { PresentPerson } from '../../sync/conferenceConnection'
import { personWords } from '../EntryCard'
import { UNDO_REMOVE_KEY } from './mapKeys'
import type { RemovedElsewhere } from './removedElsewhere'

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

/** A removal made elsewhere, to tell this person about. */
export interface ToldRemoval extends RemovedElsewhere {
  /** e.g. "Past harm" */
  sectionTitle: string
}

/** Long entries are quoted in part: enough to know which entry it was. */
const QUOTED_CHARACTERS = 200

/**
 * "Someone else removed an entry from Past harm, written by Sam: “…”", until this person says OK
 * or the entry comes back. Nobody is left wondering where words on the shared screen went, and
 * the words themselves can be added again if they should not have gone.
 */
export function RemovedElsewhereNotice({ told, identity, people, onDismiss }: {
  told: ToldRemoval | null
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  onDismiss: () => void
}) {
  const text = told && told.text.length > QUOTED_CHARACTERS ? `${told.text.slice(0, QUOTED_CHARACTERS).trimEnd()}…` : told?.text
  return (
    <div className="removed-notice" aria-live="polite">
      {told && (
        <>
          <p>
            Someone else removed an entry from {told.sectionTitle},{' '}
            {told.authorId === REFERRAL_AUTHOR ? 'from the referral' : `written by ${personWords(told.authorId, identity, people)}`}
            {text ? ':' : '. It had no words in it.'}
          </p>
          {text && <blockquote>“{text}”</blockquote>}
          <button type="button" className="secondary" onClick={onDismiss}>OK</button>
        </>
      )}
    </div>
  )
}
