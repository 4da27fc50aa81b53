import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react'
import { RecordValidationError } from '../../../shared/conference/errors'
import { MAX_VIEW_WORDS, VIEW_STANCES, VIEW_STANCE_LABELS, wordsChangedSince, type View, type ViewStance, type ViewsPart } from '../../../shared/conference/views'
import type { Identity } from '../../identity'
import type { PresentPerson } from '../../sync/conferenceConnection'
import { personWords } from '../EntryCard'
import { useRecordClosed } from '../closing/recordClosed'
import { WordsNotAdded } from '../closing/WordsNotAdded'
import { useHoldsWords } from '../agenda/heldWords'
import { useViewedWords, type ViewedWords } from './viewedWords'

/**
 * People's views beside one map entry, shown to everyone, each with who gave it and their stance
 * in words: never hidden or folded away. Anyone with 'addViews' gives, changes or withdraws
 * their own view here. A view given before the entry's words changed says what they were then.
 */
export function EntryViews({ entryId, label, words, views, viewsPart, identity, people, canAddViews }: {
  entryId: string
  /** e.g. "Past harm, entry 2" */
  label: string
  /** The entry's words, kept with each view given (memoised: a new source re-subscribes). */
  words: ViewedWords
  views: readonly View[]
  viewsPart: ViewsPart
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  canAddViews: boolean
}) {
  const [editing, setEditing] = useState(false)
  // Closed while this person was giving their view: the form stays, to keep what they typed.
  const closed = useRecordClosed() !== null
  const mine = views.find((view) => view.authorId === identity.authorId)
  // Read only where there is a view to compare them with: other entries do not redraw per keystroke.
  const wordsNow = useViewedWords(views.length > 0 ? words : null)
  const viewButton = useRef<HTMLButtonElement>(null)
  // After the form closes, the focus goes back to the button that opened it.
  const returnFocus = useRef(false)
  useEffect(() => {
    if (editing || !returnFocus.current) return
    returnFocus.current = false
    viewButton.current?.focus()
  }, [editing])

  return (
    <div className="entry-views">
      {views.length > 0 && (
        <ul className="views" aria-label={`Views on ${label}`}>
          {views.map((view) => (
            <li key={view.id} className={`view view-${view.fields.stance}`}>
              <span className="view-who">{capitalised(personWords(view.authorId, identity, people))}</span>
              {': '}
              <strong className="view-stance">{VIEW_STANCE_LABELS[view.fields.stance]}</strong>
              {view.fields.words && <span className="view-words">{' — “'}{view.fields.words}{'”'}</span>}
              {wordsChangedSince(view.fields, wordsNow) && (
                <p className="view-earlier">
                  {view === mine ? 'This was changed after you gave your view. When you gave it, it said: ' : 'Given when it said: '}
                  “{view.fields.about}”
                  {view === mine && ' Check your view still says what you mean.'}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAddViews && !editing && (
        <div className="view-actions">
          <button ref={viewButton} type="button" className="secondary" aria-label={`${mine ? 'Change your view on' : 'Add your view on'} ${label}`} onClick={() => { setEditing(true) }}>
            {mine ? 'Change your view' : 'Add your view'}
          </button>
          {mine && (
            <button type="button" className="link-button" aria-label={`Withdraw your view on ${label}`} onClick={() => { viewsPart.withdraw(identity.authorId, entryId) }}>
              Withdraw your view
            </button>
          )}
        </div>
      )}
      {(canAddViews || closed) && editing && (
        <ViewForm
          label={label}
          given={mine}
          closed={closed}
          onSave={(stance, typed) => { viewsPart.give(identity.authorId, entryId, { stance, words: typed, about: words.read() }) }}
          onDone={() => { returnFocus.current = true; setEditing(false) }}
        />
      )}
    </div>
  )
}

/**
 * Your view: agree, disagree or put it differently, and your own words. Once the record is
 * closed it can no longer be saved: what was chosen and typed, if anything, stays on screen.
 */
function ViewForm({ label, given, closed, onSave, onDone }: {
  label: string
  given: View | undefined
  closed: boolean
  /** Throws a RecordValidationError when the record refuses it. */
  onSave: (stance: ViewStance, words: string) => void
  onDone: () => void
}) {
  const formId = useId()
  const [stance, setStance] = useState<ViewStance | null>(given?.fields.stance ?? null)
  const [words, setWords] = useState(given?.fields.words ?? '')
  const [problem, setProblem] = useState<string | null>(null)
  const unsent = stance !== (given?.fields.stance ?? null) || words.trim() !== (given?.fields.words ?? '').trim()
  // Once closed, WordsNotAdded holds them, until they are in the correction box.
  useHoldsWords(unsent && !closed)

  if (closed) {
    return unsent ? <WordsNotAdded before="your view was added" words={viewWords(label, stance, words)} /> : null
  }

  const save = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!stance) {
      setProblem('Choose whether you agree, disagree or would put it differently.')
      return
    }
    try {
      onSave(stance, words)
      onDone()
    } catch (error) {
      if (!(error instanceof RecordValidationError)) throw error
      // What they typed stays in the box.
      setProblem(
        error.reason === 'invalid-field' ? `Please keep it under ${MAX_VIEW_WORDS} characters.`
        : error.reason === 'words-needed' ? 'Please write how you would put it.'
        : 'This entry was just removed, so your view could not be added.',
      )
    }
  }

  return (
    <form className="view-form" onSubmit={save} aria-label={`Your view on ${label}`}>
      <fieldset>
        <legend>Your view on {label}</legend>
        {VIEW_STANCES.map((option, index) => (
          <label key={option} className="view-choice">
            <input
              type="radio"
              name={`${formId}-stance`}
              value={option}
              checked={stance === option}
              // The form opens on the person's own choice, or on the first one.
              autoFocus={stance === null ? index === 0 : stance === option}
              onChange={() => { setStance(option); setProblem(null) }}
            />
            {VIEW_STANCE_LABELS[option]}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${formId}-words`}>
        {stance === 'differently' ? 'How would you put it?' : 'In your own words (you can leave this empty)'}
      </label>
      <textarea id={`${formId}-words`} value={words} maxLength={MAX_VIEW_WORDS} rows={3} onChange={(event) => { setWords(event.target.value) }} />
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <div className="view-form-buttons">
        <button type="submit">Save my view</button>
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
      </div>
    </form>
  )
}

/** "My view on Past harm, entry 2: I disagree. It was one time, and he apologised." */
function viewWords(label: string, stance: ViewStance | null, words: string): string {
  return [`My view on ${label}:`, stance && `${VIEW_STANCE_LABELS[stance]}.`, words.trim()].filter(Boolean).join(' ')
}

function capitalised(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1)
}
