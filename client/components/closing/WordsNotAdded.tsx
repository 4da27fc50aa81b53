import { useEffect, useId, useRef, useState, type RefObject } from 'react'
import { useHoldsWords } from '../agenda/heldWords'
import { useRecordClosed } from './recordClosed'
import './closing.css'

/**
 * What someone was still typing when the chair closed the record: their form can no longer be
 * sent, so it gives way to this, which keeps their words on screen, says plainly why they were
 * not added, and offers to put them in this part's correction box. Nothing typed is lost.
 */
export function WordsNotAdded({ before, words }: {
  /** What did not happen in time, e.g. "your view was added". */
  before: string
  /** The words as they would go into a correction, e.g. "My view on Past harm, entry 2: I disagree. …". */
  words: string
}) {
  const putInCorrection = useRecordClosed()?.putInCorrection ?? null
  const [put, setPut] = useState(false)
  // Until they are in the correction box (which then holds them), leaving the step would lose them.
  useHoldsWords(!put)
  const headingId = useId()
  const heading = useRef<HTMLParagraphElement>(null)

  useTakesLostFocus(heading)

  return (
    <div className="words-not-added" role="group" aria-labelledby={headingId}>
      <p id={headingId} ref={heading} tabIndex={-1} className="words-not-added-why">The record was closed before {before}.</p>
      <p>Your words were not added to the record, but they are kept here:</p>
      <blockquote className="kept-words">{words}</blockquote>
      {putInCorrection ? (
        <>
          {!put && (
            <button type="button" onClick={() => { putInCorrection(words); setPut(true) }}>
              Put my words in the correction box
            </button>
          )}
          <p aria-live="polite" className="hint">
            {put
              ? 'They are in the correction box at the end of this part. Check them, then choose “Add correction”.'
              : 'You can still add them to the record as a correction to this part.'}
          </p>
        </>
      ) : (
        <p className="hint">To have them added as a correction, ask whoever is chairing the meeting.</p>
      )}
    </div>
  )
}

/** The form that had the focus has gone (closed, or its round stopped): the focus comes here, not to the page. */
export function useTakesLostFocus(target: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (document.activeElement === document.body) target.current?.focus()
  }, [target])
}
