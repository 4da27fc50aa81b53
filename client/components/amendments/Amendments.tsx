import { useEffect, useId, useRef, useState, type Ref } from 'react'
import { addAmendment, ApiError, listAmendments, type Amendment } from '../../api'
import { MAX_AMENDMENT_LENGTH } from '../../../shared/api'
import type { AgendaStepId } from '../../../shared/conference/agenda'
import type { ConferenceKind } from '../../../shared/conference/details'
import { roleWords } from '../../../shared/conference/agenda'
import { FormProblem, TextAreaField, useRequest, whenRefused } from '../forms'
import type { CorrectionOffer } from '../closing/recordClosed'
import { useHoldsWords } from '../agenda/heldWords'
import { useAskedAgain } from '../closing/askedAgain'
import './amendments.css'

type Loaded = { amendments: Amendment[]; mayAmend: boolean }

/**
 * Corrections made after the chair closed the record, shown after the original section content
 * of one agenda step, which stays as it was. Each says who made it and when. People whose role
 * lets them correct entries can add one here once the record is closed; before that they correct
 * the record itself, so nothing shows. `final`, when the board passes the record's live state,
 * fetches again the moment the chair closes the record. Corrections others add come by the API,
 * not the record, so the list is asked for again now and then, and when the page is shown again.
 */
export function Amendments({ conferenceId, kind, step, final, offer = null, boxRef }: {
  conferenceId: string
  kind: ConferenceKind
  step: AgendaStepId
  final?: boolean
  /** Words the person put here from a form the closing cut short (WordsNotAdded): each new offer is added to the box. */
  offer?: CorrectionOffer | null
  boxRef?: Ref<HTMLTextAreaElement>
}) {
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [loadProblem, setLoadProblem] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const [text, setText] = useState('')
  // The offer already in the box: one made before this step's box opened is not this box's.
  const [taken, setTaken] = useState(offer)
  if (offer !== taken) {
    setTaken(offer)
    if (offer) setText((current) => (current.trim() === '' ? offer.words : `${current.trimEnd()}\n\n${offer.words}`))
  }
  const request = useRequest()
  const headingId = useId()
  useHoldsWords(text.trim() !== '')
  const asked = useAskedAgain(final !== false)
  // Once the list is shown, asking again and failing (offline for a moment) leaves it, and the box, as they are.
  const shown = useRef(false)

  useEffect(() => {
    // While the record is open there are no corrections to show (and offline, no "could not be
    // loaded" on every step for nothing).
    if (final === false) return
    const abort = new AbortController()
    listAmendments(conferenceId, abort.signal).then(
      ({ amendments, mayAmend }) => {
        setLoadProblem(null)
        // Corrections are never taken back: one just added here, that a list asked for before it was kept lacks, stays.
        setLoaded((current) => {
          const known = new Set(amendments.map((amendment) => amendment.id))
          return { mayAmend, amendments: [...amendments, ...(current?.amendments ?? []).filter((amendment) => !known.has(amendment.id))] }
        })
        shown.current = true
      },
      (error: unknown) => {
        if (abort.signal.aborted || shown.current) return
        setLoadProblem(error instanceof ApiError ? error.message : 'The corrections to this part could not be loaded.')
      },
    )
    return () => { abort.abort() }
  }, [conferenceId, attempt, final, asked])

  if (final === false) return null
  if (loadProblem) {
    return (
      <div role="alert" className="problem">
        <p>{loadProblem}</p>
        <button type="button" onClick={() => { setLoadProblem(null); setAttempt((n) => n + 1) }}>Try again</button>
      </div>
    )
  }
  if (!loaded) return null
  const here = loaded.amendments.filter((amendment) => amendment.section === step)
  if (here.length === 0 && !loaded.mayAmend) return null

  const submit = (): void => {
    // Kept already (from another tab, or the answer was lost): the list shows it, and the box is cleared as after adding.
    const added = (): Promise<Amendment> => whenRefused(addAmendment(conferenceId, { section: step, text }), 'amendment-already-added', () => {
      setText('')
      setAttempt((n) => n + 1)
    })
    request.run(added, (amendment) => {
      // The words are cleared only once the server has kept them.
      setText('')
      setLoaded((current) => current && { ...current, amendments: [...current.amendments, amendment] })
    })
  }

  return (
    <section className="amendments" aria-labelledby={headingId}>
      <h3 id={headingId}>Corrections after the record was closed</h3>
      {here.length === 0
        ? <p className="hint">No corrections to this part yet.</p>
        : (
            <ol className="amendment-list">
              {here.map((amendment) => (
                <li key={amendment.id} className="amendment">
                  <p className="amendment-text">{amendment.text}</p>
                  <p className="hint">Added by {amendment.by} ({roleWords(amendment.role, kind)}) on {momentWords(amendment.at)}</p>
                </li>
              ))}
            </ol>
          )}
      {loaded.mayAmend && (
        <form
          className="amendment-form"
          onSubmit={(event) => {
            event.preventDefault()
            submit()
          }}
        >
          <TextAreaField
            label="Add a correction to this part"
            hint="What was written above stays as it is. Your correction is shown after it, with your name and today’s date."
            ref={boxRef}
            value={text}
            onChange={setText}
            maxLength={MAX_AMENDMENT_LENGTH}
            error={request.problem?.fields.text}
            disabled={request.pending}
          />
          <FormProblem problem={request.problem} />
          <button type="submit" disabled={request.pending || text.trim() === ''}>{request.pending ? 'Adding…' : 'Add correction'}</button>
        </form>
      )}
    </section>
  )
}

/** "23 November 2026 at 16:20" in the reader's own time zone. */
function momentWords(iso: string): string {
  const moment = new Date(iso)
  if (Number.isNaN(moment.getTime())) return iso
  const day = moment.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })
  const time = moment.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
  return `${day} at ${time}`
}
