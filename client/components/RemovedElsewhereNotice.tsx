import { useEffect, useRef } from 'react'
import { entrySource } from '../../shared/conference/details'
import type { Identity } from '../identity'
import type { PresentPerson } from '../sync/conferenceConnection'
import { useOnSharedScreen } from './agenda/sharedScreen'
import { personWords } from './EntryCard'

/** A removal made elsewhere, to tell this person about. */
export interface ToldRemoval {
  /** "an entry from Past harm", "Action 2" */
  what: string
  authorId: string
  text: string
}

/** Long entries are quoted in part: enough to know which entry it was. */
const QUOTED_CHARACTERS = 200

/** How long the shared screen says that something went: nobody at the projector is there to clear it. */
const SHARED_SCREEN_MS = 6000

/**
 * "Someone else removed Action 2, written by Sam: “…”", until this person says OK or the entry
 * comes back. Nobody is left wondering where words on the shared screen went, and the words
 * themselves can be added again if they should not have gone.
 */
export function RemovedElsewhereNotice({ told, identity, people, onDismiss }: {
  told: ToldRemoval | null
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  onDismiss: () => void
}) {
  if (useOnSharedScreen()) return <RemovedOnSharedScreen what={told?.what ?? null} onGone={onDismiss} />
  const text = told && told.text.length > QUOTED_CHARACTERS ? `${told.text.slice(0, QUOTED_CHARACTERS).trimEnd()}…` : told?.text
  const source = told ? entrySource(told.authorId) : null
  return (
    // Always on the page, so screen readers hear it when it fills.
    <div className="removed-notice" aria-live="polite">
      {told && (
        <>
          <p>
            Someone else removed {told.what},{' '}
            {source ? `from ${source}` : `written by ${personWords(told.authorId, identity, people)}`}
            {text ? ':' : '. It had no words in it.'}
          </p>
          {text && <blockquote>“{text}”</blockquote>}
          <button type="button" className="secondary" onClick={onDismiss}>OK</button>
        </>
      )}
    </div>
  )
}

/**
 * The room is told only that something went, for a few seconds: no "you", no button, and never the
 * words the note-taker took out of the record put back up in large type.
 */
function RemovedOnSharedScreen({ what, onGone }: { what: string | null; onGone: () => void }) {
  const gone = useRef(onGone)
  useEffect(() => { gone.current = onGone })
  useEffect(() => {
    if (what === null) return
    const timer = setTimeout(() => { gone.current() }, SHARED_SCREEN_MS)
    return () => { clearTimeout(timer) }
  }, [what])
  return (
    <div className="removed-notice" aria-live="polite">
      {what !== null && <p>Removed just now: {what}.</p>}
    </div>
  )
}
