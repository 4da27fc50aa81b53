import { useId, useMemo, useRef, useState, type ReactNode, type SubmitEvent } from 'react'
import { reviseCarriedPair, type Membership } from '../../api'
import { currentWords, PAIR_TEXT_MAX, type CarriedPair, type CarriedPairVersion } from '../../../shared/conference/dangerStatements'
import type { Scale, ScoringRound } from '../../../shared/conference/scores'
import { kindTerms } from '../../../shared/conference/agenda'
import type { ConferenceKind } from '../../../shared/conference/details'
import { dateWords } from '../../words'
import { FormProblem, SubmitButton, TextAreaField, TextField, useRequest } from '../forms'
import { ScalePanel } from '../ScalePanel'
import { useHoldsWords } from '../agenda/heldWords'
import { useRecordClosed } from '../closing/recordClosed'
import { WordsNotAdded } from '../closing/WordsNotAdded'

const HARM_WHAT_MAX = 2000
const HARM_WHEN_MAX = 200

/**
 * A danger statement and safety goal agreed at an earlier conference of the case, carried into
 * this one unchanged. Nobody edits the words here; the chair may change them only by recording
 * significant new harm, and every earlier version stays on show beside the new one.
 */
export function CarriedPairCard({ conferenceId, kind, pair, number, you, rounds, views }: {
  conferenceId: string
  kind: ConferenceKind
  pair: CarriedPair
  number: number
  you: Membership
  rounds: readonly ScoringRound[]
  /** People's views on it: nobody here changes its words, but anyone may say where they stand. */
  views: ReactNode
}) {
  const titleId = useId()
  const [changing, setChanging] = useState(false)
  const changeButton = useRef<HTMLButtonElement>(null)
  const words = currentWords(pair)
  // A pair is carried forward with only one half written: the other says so, here and at its scale's end.
  const shown = {
    dangerStatement: words.dangerStatement.trim() || `Danger statement ${number} was not written at ${pair.from.title}.`,
    safetyGoal: words.safetyGoal.trim() || `Safety goal ${number} was not written at ${pair.from.title}.`,
  }
  const changed = pair.versions.length > 1
  // The pair keeps the id it was agreed under, so its scale carries on across the case.
  const scale = useMemo<Scale>(() => ({ kind: 'dangerStatement', pairId: pair.id }), [pair.id])
  const title = `Danger statement ${number}`
  const mayChange = you.permissions.includes('reviseCarriedForward')
  const closed = useRecordClosed() !== null

  const closeForm = (): void => {
    setChanging(false)
    // The form goes: the focus goes back to the button that opened it.
    requestAnimationFrame(() => { changeButton.current?.focus() })
  }

  return (
    <article className="pair pair-carried" aria-labelledby={titleId}>
      <h4 id={titleId}>{title}</h4>
      <p className="carried-from">
        {changed ? 'Changed at this conference after new harm. First agreed at ' : 'Carried forward unchanged from '}
        {pair.from.title} ({dateWords(pair.from.date)}).
      </p>
      <div className="pair-texts">
        <div className="pair-text pair-danger">
          <p className="pair-label">Danger statement</p>
          <p className="carried-words" aria-label={`Danger statement ${number}`}>{shown.dangerStatement}</p>
        </div>
        <div className="pair-text pair-goal">
          <p className="pair-label">Safety goal</p>
          <p className="carried-words" aria-label={`Safety goal ${number}`}>{shown.safetyGoal}</p>
        </div>
      </div>
      {changed && <Versions versions={pair.versions} from={pair.from.title} chair={kindTerms(kind).chairInSentence} />}
      {mayChange && !changing && (
        <p>
          <button ref={changeButton} type="button" className="secondary" onClick={() => { setChanging(true) }}>
            Change it after new harm
          </button>
        </p>
      )}
      {/* Closed while the chair was writing: the form stays, to keep what they typed (a closed record takes the permission away). */}
      {(mayChange || closed) && changing && <NewHarmForm conferenceId={conferenceId} pair={pair} number={number} onDone={closeForm} />}
      {views}
      <ScalePanel
        conferenceId={conferenceId}
        kind={kind}
        scale={scale}
        title={`Safety scale ${number}`}
        headingLevel={5}
        ends={{ low: shown.dangerStatement, high: shown.safetyGoal }}
        rounds={rounds}
        you={you}
      />
    </article>
  )
}

/** Every version, oldest first: the words carried forward, then each change with the new harm behind it. */
/** `chair`: who may change them in this kind of meeting, in lower case; named when a version does not say who. */
function Versions({ versions, from, chair }: { versions: readonly CarriedPairVersion[]; from: string; chair: string }) {
  const headingId = useId()
  return (
    <section className="pair-versions" aria-labelledby={headingId}>
      <h5 id={headingId}>Every version of these words</h5>
      <ol>
        {versions.map((version, index) => (
          <li key={version.at + String(index)}>
            {version.newHarm
              ? <>Changed by {version.by ?? `the ${chair}`} on {dateTimeWords(version.at)}, after new harm.</>
              : <>As agreed at {from}.</>}
            <dl>
              {version.newHarm && (
                <>
                  <dt>What happened</dt><dd>{version.newHarm.what}</dd>
                  <dt>When</dt><dd>{version.newHarm.when}</dd>
                </>
              )}
              <dt>Danger statement</dt><dd>{version.dangerStatement}</dd>
              <dt>Safety goal</dt><dd>{version.safetyGoal}</dd>
            </dl>
          </li>
        ))}
      </ol>
    </section>
  )
}

function dateTimeWords(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(undefined, { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' })
}

/** The chair records what happened and when, and the new words; the server keeps the old ones too. */
function NewHarmForm({ conferenceId, pair, number, onDone }: { conferenceId: string; pair: CarriedPair; number: number; onDone: () => void }) {
  const headingId = useId()
  const words = currentWords(pair)
  const [dangerStatement, setDangerStatement] = useState(words.dangerStatement)
  const [safetyGoal, setSafetyGoal] = useState(words.safetyGoal)
  const [what, setWhat] = useState('')
  const [when, setWhen] = useState('')
  const [checks, setChecks] = useState<Record<string, string>>({})
  const { pending, problem, run } = useRequest()
  const closed = useRecordClosed() !== null
  // The new words start as the words carried forward: only changed ones are the chair's.
  const newWords = {
    dangerStatement: dangerStatement.trim() === words.dangerStatement.trim() ? '' : dangerStatement,
    safetyGoal: safetyGoal.trim() === words.safetyGoal.trim() ? '' : safetyGoal,
  }
  const unsent = what.trim() !== '' || when.trim() !== '' || newWords.dangerStatement.trim() !== '' || newWords.safetyGoal.trim() !== ''
  // Once closed, WordsNotAdded holds them, until they are in the correction box.
  useHoldsWords(unsent && !closed)

  if (closed) {
    return unsent ? <WordsNotAdded before="the new harm was recorded" words={newHarmWords({ number, what, when, ...newWords })} /> : null
  }

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!what.trim()) found['newHarm.what'] = 'Please say what happened.'
    if (!when.trim()) found['newHarm.when'] = 'Please say when it happened.'
    if (!dangerStatement.trim()) found.dangerStatement = 'Please write the danger statement.'
    if (!safetyGoal.trim()) found.safetyGoal = 'Please write the safety goal.'
    if (!found.dangerStatement && !found.safetyGoal && dangerStatement.trim() === words.dangerStatement && safetyGoal.trim() === words.safetyGoal) {
      found.dangerStatement = 'These are the words carried forward. Change the danger statement or the safety goal.'
    }
    setChecks(found)
    if (Object.keys(found).length > 0) return
    run(() => reviseCarriedPair(conferenceId, pair.id, {
      dangerStatement: dangerStatement.trim(),
      safetyGoal: safetyGoal.trim(),
      newHarm: { what: what.trim(), when: when.trim() },
    }), onDone)
  }
  const error = (field: string): string | undefined => checks[field] ?? problem?.fields[field]

  return (
    <form className="new-harm-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h5 id={headingId}>Change danger statement {number} after significant new harm</h5>
      <p className="hint">The words agreed before stay in the record beside the new ones, with what happened and when.</p>
      <FormProblem problem={problem} />
      <TextAreaField label="What happened?" value={what} onChange={setWhat} maxLength={HARM_WHAT_MAX} error={error('newHarm.what')} />
      <TextField label="When did it happen?" hint="For example: Saturday 6 February, or over half term." autoComplete="off" maxLength={HARM_WHEN_MAX} value={when} onChange={setWhen} error={error('newHarm.when')} />
      <TextAreaField label={`New danger statement ${number}`} value={dangerStatement} onChange={setDangerStatement} maxLength={PAIR_TEXT_MAX} error={error('dangerStatement')} />
      <TextAreaField label={`New safety goal ${number}`} value={safetyGoal} onChange={setSafetyGoal} maxLength={PAIR_TEXT_MAX} error={error('safetyGoal')} />
      <div className="actions">
        <SubmitButton pending={pending}>Record the new harm and change the words</SubmitButton>
        <button type="button" className="secondary" disabled={pending} onClick={onDone}>Keep the words as they are</button>
      </div>
    </form>
  )
}

/** The form's words as they would go into a correction: only what was typed, each part named. */
function newHarmWords({ number, what, when, dangerStatement, safetyGoal }: { number: number; what: string; when: string; dangerStatement: string; safetyGoal: string }): string {
  return [
    `Danger statement ${number}, changed after new harm.`,
    what.trim() && `What happened: ${what.trim()}`,
    when.trim() && `When: ${when.trim()}`,
    dangerStatement.trim() && `New danger statement ${number}: ${dangerStatement.trim()}`,
    safetyGoal.trim() && `New safety goal ${number}: ${safetyGoal.trim()}`,
  ].filter(Boolean).join(' ')
}
