import { REFERRAL_AUTHOR } from '../../shared/programmes/referral'
import type { Identity } from '../identity'
import type { PresentPerson } from '../sync/conferenceConnection'
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
  const text = told && told.text.length > QUOTED_CHARACTERS ? `${told.text.slice(0, QUOTED_CHARACTERS).trimEnd()}…` : told?.text
  return (
    // Always on the page, so screen readers hear it when it fills.
    <div className="removed-notice" aria-live="polite">
      {told && (
        <>
          <p>
            Someone else removed {told.what},{' '}
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
