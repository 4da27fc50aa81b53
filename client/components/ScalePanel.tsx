import { useEffect, useId, useRef, useState, type CSSProperties, type ReactNode, type Ref, type SubmitEvent } from 'react'
import { cancelScoringRound, getMyScore, giveScore, openScoringRound, revealScores, type Membership } from '../api'
import {
  SCALE_MAX,
  SCALE_MIN,
  summarizeScores,
  type GivenScore,
  type RevealedScore,
  type Scale,
  type Scorer,
  type ScoringRound,
} from '../../shared/conference/scores'
import { scaleKey } from '../../shared/cases'
import { ROLE_LABELS } from '../../shared/roles'
import { kindTerms } from '../../shared/conference/agenda'
import type { ConferenceKind } from '../../shared/conference/details'
import { FormProblem, SelectField, SubmitButton, TextAreaField, TextField, useFocusOnceShown, useRequest, type Problem } from './forms'
import { ProgressChart } from './scales/ProgressChart'
import { useScaleProgress } from './scales/useCaseProgress'
import { numberWords, revealedScoresWords } from './scales/scoreWords'
import { useRecordClosed } from './closing/recordClosed'
import { useTakesLostFocus, WordsNotAdded } from './closing/WordsNotAdded'
import { useHoldsWords } from './agenda/heldWords'
import { useOnSharedScreen } from './agenda/sharedScreen'
import './scales.css'

/**
 * One safety scale (a danger statement pair's, or the overall one) and its latest round of
 * scoring: the chair starts it and shows everyone's scores; everyone who scores gives a number
 * and what would make it go up, on their own device. Before the reveal this device knows only
 * WHO has scored (the numbers stay with the server); after it, every number is on one line.
 */

type HeadingLevel = 2 | 3 | 4 | 5 | 6

const SCALE_VALUES: readonly number[] = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, index) => SCALE_MIN + index)
const REASON_MAX = 2000
const NAME_MAX = 120

export function ScalePanel({ conferenceId, kind, scale, title, headingLevel, intro, ends, rounds, you }: {
  conferenceId: string
  /** Who runs the meeting, and so starts and shows the scoring, depends on it (chair or facilitator). */
  kind: ConferenceKind
  scale: Scale
  /** e.g. "Safety scale 1": the panel's heading and the name of its region. */
  title: string
  headingLevel: 3 | 4 | 5
  /** What the scale asks (the overall question). */
  intro?: ReactNode
  /** What 0 and 10 mean on this scale, when it has its own words for them. */
  ends?: { low: string; high: string }
  /** Every round of the record, oldest first. */
  rounds: readonly ScoringRound[]
  you: Membership
}) {
  const headingId = useId()
  const introId = useId()
  const lowId = useId()
  const highId = useId()
  // What the scale asks and what its ends mean: read out with the numbers, not only seen above them.
  const describedBy = [intro ? introId : null, ends ? `${lowId} ${highId}` : null].filter(Boolean).join(' ') || undefined
  const scaleRounds = rounds.filter((round) => scaleKey(round.scale) === scaleKey(scale))
  const latest = scaleRounds.at(-1)
  // A round the chair stopped is over: nobody scores in it, and its state says so. The round
  // before it, if there was one, is still what the scale shows: stopping a new round must not
  // take everyone's revealed numbers off the screen.
  const round = scaleRounds.findLast((candidate) => candidate.cancelledAt === undefined)
  const stopped = latest?.cancelledAt !== undefined ? latest : undefined
  // The forms belong to the latest round, and stay when the chair stops it: they keep what the
  // person was typing, and give it to the round the chair starts next (same key), not to the
  // earlier round still on show.
  const formKey = scaleRounds.reduce<string>((key, each, index) => (scaleRounds[index - 1]?.cancelledAt !== undefined ? key : each.id), '')
  const scores = you.permissions.includes('score')
  const chairs = you.permissions.includes('revealScores')
  // The permission, not the role: a note-taker's shared screen, or a closed record, has no form.
  const typesForOthers = you.permissions.includes('scoreForSomeoneElse')
  // Once the record is closed nobody scores; those whose role scored are told so, and keep on
  // screen what they were still typing (the forms stay, in their place, to hold it).
  const closed = useRecordClosed()
  const onSharedScreen = useOnSharedScreen()
  const roleScores = closed?.openPermissions.includes('score') ?? scores
  const roleTypesForOthers = closed?.openPermissions.includes('scoreForSomeoneElse') ?? typesForOthers
  const sub = (headingLevel + 1) as HeadingLevel
  const terms = kindTerms(kind)

  return (
    <section className="scale" aria-labelledby={headingId}>
      <Heading level={headingLevel} id={headingId}>{title}</Heading>
      {intro && <div id={introId}>{intro}</div>}
      {ends && (
        <div className="scale-ends">
          <p id={lowId} className="scale-end scale-end-low"><strong className="scale-end-number">0</strong> means: {ends.low}</p>
          <p id={highId} className="scale-end scale-end-high"><strong className="scale-end-number">10</strong> means: {ends.high}</p>
        </div>
      )}
      <p className="scale-state">{stateWords(latest, terms.chairInSentence)}</p>
      <ScaleHistory conferenceId={conferenceId} scale={scale} title={title} rounds={rounds} roundOpen={round !== undefined && round.revealedAt === null} />
      {chairs && <ChairControls conferenceId={conferenceId} scale={scale} round={round} roundIds={scaleRounds.map((each) => each.id)} />}
      {latest && roleScores && <YourScore key={formKey} conferenceId={conferenceId} round={latest} you={you} headingLevel={sub} chair={terms.chairInSentence} scaleTitle={title} describedBy={describedBy} closed={closed !== null} />}
      {/* After a stop, the earlier round's numbers are still on show: changing one's score in it says which round it is. */}
      {stopped && round && roleScores && <YourScore key={round.id} conferenceId={conferenceId} round={round} you={you} headingLevel={sub} chair={terms.chairInSentence} scaleTitle={title} describedBy={describedBy} closed={closed !== null} earlier />}
      {/* The room reads the shared screen: telling it "you do not give a score" would tell a family who do that they do not. */}
      {onSharedScreen && round && round.revealedAt === null && <p className="does-not-score">Everyone who scores does it on their own phone or computer. Nobody sees a number until the {terms.chairInSentence} shows everyone’s scores.</p>}
      {!scores && !onSharedScreen && (roleScores
        ? <p className="does-not-score">The record is closed, so scores can no longer be given.</p>
        // Every role the table in shared/roles.ts does not let score.
        : <p className="does-not-score">You do not give a score here. {terms.chair}s, advocates, note-takers and observers do not give scores.</p>)}
      {round && round.revealedAt === null && <ScoredSoFar round={round} you={you} />}
      {round && round.revealedAt !== null && <RevealedScores round={round} you={you} headingLevel={sub} />}
      {latest && roleTypesForOthers && <ScoreForSomeoneElse key={formKey} conferenceId={conferenceId} round={latest} headingLevel={sub} chair={terms.chairInSentence} scaleTitle={title} closed={closed !== null} />}
    </section>
  )
}

function Heading({ level, id, children }: { level: HeadingLevel; id?: string; children: ReactNode }) {
  const Tag = `h${level}` as const
  return <Tag id={id}>{children}</Tag>
}

/** `chair`: who runs this kind of meeting, in lower case ("chair" or "facilitator"). */
function stateWords(round: ScoringRound | undefined, chair: string): string {
  if (!round) return 'Scoring has not started yet.'
  if (round.cancelledAt !== undefined) return `The ${chair} stopped the last round of scoring. The scores given in it were not kept, and nobody saw them.`
  if (round.revealedAt === null) return `Scoring is open. Nobody sees anyone's number until the ${chair} shows everyone's scores.`
  return `Everyone's scores were shown at ${timeWords(round.revealedAt)}.`
}

function timeWords(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
}

/** "25 November at 10:05". */
function dateTimeWords(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return `${date.toLocaleDateString(undefined, { day: 'numeric', month: 'long' })} at ${timeWords(iso)}`
}

/** The chair starts a round, then shows everyone's scores at once. */
function ChairControls({ conferenceId, scale, round, roundIds }: {
  conferenceId: string
  scale: Scale
  round: ScoringRound | undefined
  roundIds: readonly string[]
}) {
  const hintId = useId()
  const { pending, problem, run } = useRequest()
  // The server answered; its change to the record may still be on its way here.
  const [opened, setOpened] = useState<string | null>(null)
  const [revealed, setRevealed] = useState<string | null>(null)
  const [confirmingStop, setConfirmingStop] = useState(false)
  const open = round !== undefined && round.revealedAt === null

  if (open) {
    const waiting = pending || revealed === round.id
    return (
      <div className="chair-controls">
        <FormProblem problem={problem} />
        <button type="button" disabled={waiting} aria-describedby={hintId} onClick={() => { run(() => revealScores(conferenceId, round.id), (shown) => { setRevealed(shown.id) }) }}>
          Show everyone's scores
        </button>
        <p id={hintId} className="hint">
          {round.scored.length === 0 ? 'Nobody has scored yet.' : `${peopleWords(round.scored.length)} scored so far.`} All the numbers appear at once, for everyone.
        </p>
        {confirmingStop ? (
          <div className="confirm" role="group" aria-label="Stop this round of scoring?">
            <p>Stop this round? The scores given in it are thrown away, and nobody will see them.</p>
            <button type="button" className="danger" disabled={waiting} onClick={() => { run(() => cancelScoringRound(conferenceId, round.id), () => { setConfirmingStop(false) }) }}>
              Yes, stop it
            </button>
            <button type="button" className="secondary" autoFocus onClick={() => { setConfirmingStop(false) }}>Keep it open</button>
          </div>
        ) : (
          <button type="button" className="secondary" disabled={waiting} onClick={() => { setConfirmingStop(true) }}>Stop this round</button>
        )}
      </div>
    )
  }
  const waiting = pending || (opened !== null && !roundIds.includes(opened))
  return (
    <div className="chair-controls">
      <FormProblem problem={problem} />
      <button type="button" disabled={waiting} onClick={() => { run(() => openScoringRound(conferenceId, scale), (started) => { setOpened(started.id) }) }}>
        {round ? 'Start a new round of scoring' : 'Start scoring'}
      </button>
    </div>
  )
}

function peopleWords(count: number): string {
  return count === 1 ? '1 person has' : `${count} people have`
}

/**
 * This person's own score: the form, or the number they gave and a way to change it. Stays on
 * screen when the chair stops the round, with what they were typing, for the next round.
 */
function YourScore({ conferenceId, round, you, headingLevel, chair, scaleTitle, describedBy, closed, earlier = false }: {
  conferenceId: string
  round: ScoringRound
  you: Membership
  headingLevel: HeadingLevel
  /** Who shows everyone's scores, in lower case. */
  chair: string
  scaleTitle: string
  /** The ids of what the scale asks and what its ends mean. */
  describedBy: string | undefined
  /** The record is closed: no score is given now, and only a form they were filling in stays. */
  closed: boolean
  /** A round before the latest, which the chair stopped: only a score given in it can be changed, and it says which round. */
  earlier?: boolean
}) {
  const revealed = round.revealedAt !== null
  const stopped = round.cancelledAt !== undefined
  // Before the reveal only the server and this device know the number. Both belong to one round:
  // the round after a stopped one starts with neither.
  const [sealedIn, setSealed] = useState<{ roundId: string; score: GivenScore } | null>(null)
  const [changingIn, setChanging] = useState<string | null>(null)
  const sealed = sealedIn?.roundId === round.id ? sealedIn.score : null
  const changing = changingIn === round.id
  const inRecord = round.scores.find((score) => score.participantId === you.participantId)?.score
  const mine = (revealed ? inRecord : undefined) ?? sealed
  const hasScored = mine !== null || round.scored.some((scorer) => scorer.participantId === you.participantId)

  // After a reload: the server shows this person their own number back.
  useEffect(() => {
    if (revealed || stopped) return
    const abort = new AbortController()
    getMyScore(conferenceId, round.id, abort.signal).then(
      (score) => { if (score) setSealed((current) => (current?.roundId === round.id ? current : { roundId: round.id, score })) },
      () => undefined, // the form still works; the number is shown once they give it again
    )
    return () => { abort.abort() }
  }, [conferenceId, round.id, revealed, stopped])

  // The request belongs here, not to the form: the record can say "has scored" (and so hide
  // the form) before the server's answer arrives.
  const { pending, problem, run } = useRequest()
  // The form goes once the score is given: the focus goes to "Change my score", not to nowhere.
  const focusChangeButton = useRef(false)
  const give = (value: number, reason: string): void => {
    run(() => giveScore(conferenceId, round.id, { value, reason }), () => {
      setSealed({ roundId: round.id, score: { value, reason, at: new Date().toISOString() } })
      setChanging(null)
      focusChangeButton.current = true
    })
  }
  const changeButton = (button: HTMLButtonElement | null): void => {
    if (!button || !focusChangeButton.current) return
    focusChangeButton.current = false
    button.focus()
  }
  const showForm = !hasScored || changing || pending
  // Once everyone's numbers are on show, a first score would be given looking at them: nobody
  // follows anybody else's number. Someone who scored may still change theirs.
  const tooLate = revealed && !hasScored && !pending
  // In an earlier round, only a score given in it is shown, to be changed.
  if (earlier && !hasScored) return null
  const shownOn = earlier && round.revealedAt !== null ? dateTimeWords(round.revealedAt) : null
  // A score given in a round the chair stopped was thrown away: the scale's state line says so.
  const saysGiven = !showForm && !closed && !stopped

  return (
    <div className="your-score">
      <div aria-live="polite">
        {mine && saysGiven && (
          <p className="your-score-given">
            {shownOn ? `In the earlier round, shown on ${shownOn}, you gave ` : 'You gave '}<strong className="big-number">{mine.value}</strong>.
            {!revealed && ` Nobody sees it until the ${chair} shows everyone's scores.`}
          </p>
        )}
        {!mine && saysGiven && <p className="your-score-given">You have given your score.</p>}
      </div>
      {showForm ? (
        <ScoreForm
          headingLevel={headingLevel}
          start={mine}
          pending={pending}
          problem={problem}
          onSubmit={give}
          onCancel={hasScored ? () => { focusChangeButton.current = true; setChanging(null) } : undefined}
          autoFocus={changing}
          heading={shownOn ? `Your score in the earlier round, shown on ${shownOn}` : 'Your score'}
          scaleTitle={scaleTitle}
          describedBy={describedBy}
          ended={closed ? 'closed' : stopped ? 'stopped' : tooLate ? 'shown' : null}
          chair={chair}
        />
      ) : saysGiven && (
        <button ref={changeButton} type="button" className="secondary" onClick={() => { setChanging(round.id) }}>
          {shownOn ? `Change the score you gave in the earlier round, shown on ${shownOn}` : 'Change my score'}
        </button>
      )}
    </div>
  )
}

/** Why a form can no longer be sent: the record was closed, the chair stopped its round, or showed its scores before it was given. */
type FormEnded = 'closed' | 'stopped' | 'shown' | null

function ScoreForm({ headingLevel, start, pending, problem, onSubmit, onCancel, autoFocus, heading, scaleTitle, describedBy, ended, chair }: {
  headingLevel: HeadingLevel
  start: GivenScore | null
  pending: boolean
  problem: Problem | null
  onSubmit: (value: number, reason: string) => void
  onCancel: (() => void) | undefined
  /** Opened by "Change my score": the focus goes to the number chosen before. */
  autoFocus: boolean
  heading: string
  scaleTitle: string
  describedBy: string | undefined
  /** Once ended, what was chosen and typed, if anything, stays on screen instead of the form. */
  ended: FormEnded
  /** Who stops a round, in lower case. */
  chair: string
}) {
  const headingId = useId()
  const [value, setValue] = useState<number | null>(start?.value ?? null)
  const [reason, setReason] = useState(start?.reason ?? '')
  const [missing, setMissing] = useState('')
  const firstChoice = useRef<HTMLInputElement>(null)
  const focusOnceShown = useFocusOnceShown()
  const unsent = value !== (start?.value ?? null) || reason.trim() !== (start?.reason ?? '').trim()
  // Once closed, WordsNotAdded holds them, until they are in the correction box.
  useHoldsWords(unsent && ended !== 'closed')
  // Filled in from a round the chair stopped: said once the next round's form is back.
  const [carried, setCarried] = useState(false)
  const [wasStopped, setWasStopped] = useState(ended === 'stopped')
  if (wasStopped !== (ended === 'stopped')) {
    setWasStopped(ended === 'stopped')
    if (ended === null) setCarried(unsent)
  }

  if (ended === 'closed') {
    return unsent ? <WordsNotAdded before="your score was given" words={scoreWords({ title: scaleTitle, whose: 'My', they: 'I', value, reason })} /> : null
  }
  if (ended === 'stopped') {
    return unsent ? <KeptForNextRound chair={chair} before="your score was given" words={scoreWords({ title: scaleTitle, whose: 'My', they: 'I', value, reason })} /> : null
  }
  if (ended === 'shown') return <NotGivenInTime words={unsent ? scoreWords({ title: scaleTitle, whose: 'My', they: 'I', value, reason }) : null} />

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (value === null) {
      setMissing('Choose a number from 0 to 10.')
      focusOnceShown(firstChoice)
      return
    }
    setMissing('')
    onSubmit(value, reason.trim())
  }

  return (
    <form className="score-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <Heading level={headingLevel} id={headingId}>{heading}</Heading>
      {carried && unsent && <p className="hint">What you chose and wrote before the {chair} stopped the last round is filled in. Check it, then give your score.</p>}
      <FormProblem problem={problem} />
      <ScoreChoices
        legend="Your score, from 0 to 10"
        value={value}
        onChange={(chosen) => { setValue(chosen); setMissing('') }}
        error={missing || problem?.fields.value}
        autoFocus={autoFocus}
        focusedChoice={firstChoice}
        describedBy={describedBy}
      />
      <TextAreaField
        label="What would you need to see for the number to go up?"
        value={reason}
        onChange={setReason}
        maxLength={REASON_MAX}
        error={problem?.fields.reason}
      />
      <div className="actions">
        <SubmitButton pending={pending}>Give my score</SubmitButton>
        {onCancel && <button type="button" className="secondary" disabled={pending} onClick={onCancel}>Keep my score as it is</button>}
      </div>
    </form>
  )
}

/** Eleven big buttons, 0 to 10: one tap on a phone. */
function ScoreChoices({ legend, value, onChange, error, autoFocus = false, focusedChoice, describedBy }: {
  legend: string
  value: number | null
  onChange: (value: number) => void
  error?: string | undefined
  autoFocus?: boolean
  /** The number the focus goes to in the group (the one chosen, or the first), for a form that moves it there. */
  focusedChoice?: Ref<HTMLInputElement>
  /** The ids of what the numbers mean (the scale's question, its 0 and its 10). */
  describedBy?: string | undefined
}) {
  // The number chosen before, or the first.
  const focused = value ?? SCALE_MIN
  const name = useId()
  const errorId = `${name}-error`
  return (
    <fieldset className="score-choices" aria-describedby={[error ? errorId : undefined, describedBy].filter(Boolean).join(' ') || undefined}>
      <legend>{legend}</legend>
      {error && <p id={errorId} className="field-error">{error}</p>}
      <div className="score-choice-row">
        {SCALE_VALUES.map((choice) => (
          <label key={choice} className="score-choice">
            <input
              type="radio"
              name={name}
              aria-label={String(choice)}
              value={choice}
              checked={value === choice}
              autoFocus={autoFocus && choice === focused}
              ref={choice === focused ? focusedChoice : undefined}
              onChange={() => { onChange(choice) }}
            />
            {/* The radio says its number: read once, not twice. */}
            <span aria-hidden="true">{choice}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}

const NO_SCORE = ''
const SCORE_OPTIONS: readonly { value: string; label: string }[] = [
  { value: NO_SCORE, label: 'Choose a number' },
  ...SCALE_VALUES.map((choice) => ({ value: String(choice), label: String(choice) })),
]

/** The note-taker types in the score of someone in the room who has no device of their own. */
function ScoreForSomeoneElse({ conferenceId, round, headingLevel, chair, scaleTitle, closed }: {
  conferenceId: string
  round: ScoringRound
  headingLevel: HeadingLevel
  /** Who stops a round, in lower case. */
  chair: string
  scaleTitle: string
  /** The record is closed: what was typed, if anything, stays on screen instead. */
  closed: boolean
}) {
  const headingId = useId()
  const [name, setName] = useState('')
  const [value, setValue] = useState(NO_SCORE)
  const [reason, setReason] = useState('')
  const [missing, setMissing] = useState<{ name?: string; value?: string }>({})
  const nameBox = useRef<HTMLInputElement>(null)
  const scoreChoice = useRef<HTMLSelectElement>(null)
  const focusOnceShown = useFocusOnceShown()
  const [done, setDone] = useState('')
  const { pending, problem, run } = useRequest()
  const typed = name.trim() !== '' || value !== NO_SCORE || reason.trim() !== ''
  useHoldsWords(typed && !closed)

  if (closed || round.cancelledAt !== undefined) {
    if (!typed) return null
    const whose = name.trim() ? `${name.trim()}’s` : 'A'
    const words = scoreWords({ title: scaleTitle, whose, they: 'they', value: value === NO_SCORE ? null : Number(value), reason })
    return closed
      ? <WordsNotAdded before="the score you typed in was given" words={words} />
      : <KeptForNextRound chair={chair} before="the score you typed in was given" words={words} />
  }

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const who = name.trim()
    const needed = { ...(who ? {} : { name: 'Please type their name.' }), ...(value === NO_SCORE ? { value: 'Choose a number from 0 to 10.' } : {}) }
    setMissing(needed)
    if (needed.name || needed.value) {
      focusOnceShown(needed.name ? nameBox : scoreChoice)
      return
    }
    setDone('')
    run(() => giveScore(conferenceId, round.id, { value: Number(value), reason: reason.trim(), onBehalfOf: who }), () => {
      setDone(`Score typed in for ${who}.`)
      setName('')
      setValue(NO_SCORE)
      setReason('')
    })
  }

  return (
    <form className="score-form for-someone-else" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <Heading level={headingLevel} id={headingId}>Type in a score for someone without a device</Heading>
      {/* The server refuses a first score once the numbers are shown (scores-shown): said before, not after typing. */}
      {round.revealedAt !== null && <p className="hint">The scores have been shown, so only a score typed in before can be changed here, under the same name.</p>}
      <FormProblem problem={problem} />
      <TextField
        ref={nameBox}
        label="Name of the person without a device"
        autoComplete="off"
        maxLength={NAME_MAX}
        value={name}
        onChange={(typed) => { setName(typed); setMissing(({ value: missingValue }) => (missingValue ? { value: missingValue } : {})); setDone('') }}
        error={missing.name ?? problem?.fields.onBehalfOf}
      />
      <SelectField
        ref={scoreChoice}
        label="Their score, from 0 to 10"
        value={value}
        options={SCORE_OPTIONS}
        onChange={(chosen) => { setValue(chosen); setMissing(({ name: missingName }) => (missingName ? { name: missingName } : {})) }}
        error={missing.value ?? problem?.fields.value}
      />
      <TextAreaField
        label="What would they need to see for the number to go up?"
        value={reason}
        onChange={setReason}
        maxLength={REASON_MAX}
        error={problem?.fields.reason}
      />
      <div className="actions">
        <SubmitButton pending={pending}>Type in their score</SubmitButton>
      </div>
      <p aria-live="polite" className="hint">{done}</p>
    </form>
  )
}

/**
 * What someone was typing in a round the chair stopped: it could not be given, so it is kept on
 * screen, and the form comes back with it when the chair starts the next round.
 */
function KeptForNextRound({ chair, before, words }: { chair: string; before: string; words: string }) {
  const headingId = useId()
  const heading = useRef<HTMLParagraphElement>(null)
  useTakesLostFocus(heading)
  return (
    <div className="words-not-added" role="group" aria-labelledby={headingId}>
      <p id={headingId} ref={heading} tabIndex={-1} className="words-not-added-why">
        The {chair} stopped this round of scoring before {before}, and will start a new one.
      </p>
      <p>Nothing was lost. What you chose and wrote is kept here, and will be filled in for you when the new round starts:</p>
      <blockquote className="kept-words">{words}</blockquote>
    </div>
  )
}

/** After the reveal, for someone who had not scored: no form, and what they had typed, if anything, still on screen. */
function NotGivenInTime({ words }: { words: string | null }) {
  const line = useRef<HTMLParagraphElement>(null)
  useTakesLostFocus(line)
  return (
    <div className="your-score-too-late">
      <p ref={line} tabIndex={-1} className="your-score-given">The scores have been shown. You did not give one in this round.</p>
      {words && (
        <>
          <p>What you chose and wrote was not given, but it is kept here:</p>
          <blockquote className="kept-words">{words}</blockquote>
        </>
      )}
    </div>
  )
}

/**
 * A score the closing cut short, as words for a correction: "My score for Safety scale 1: 4.
 * What I would need to see for the number to go up: …".
 */
function scoreWords({ title, whose, they, value, reason }: { title: string; whose: string; they: string; value: number | null; reason: string }): string {
  const need = reason.trim() && `What ${they} would need to see for the number to go up: ${reason.trim()}`
  return [`${whose} score for ${title}${value === null ? '' : `: ${value}`}.`, need].filter(Boolean).join(' ')
}

/** Before the reveal: who has scored, never what. */
function ScoredSoFar({ round, you }: { round: ScoringRound; you: Membership }) {
  if (round.scored.length === 0) return <p className="scored-so-far">Nobody has scored yet.</p>
  return <p className="scored-so-far">Scored so far: {round.scored.map((scorer) => scorerWords(scorer, you)).join(', ')}</p>
}

/** "Sam (you)", "Grandad (typed in by Nadia)". */
function scorerWords(scorer: Scorer, you: Membership): string {
  if (scorer.participantId === you.participantId) return `${scorer.name} (you)`
  if (scorer.enteredBy) return `${scorer.name} (typed in by ${scorer.enteredBy})`
  return scorer.name
}

function roleWords(scorer: Scorer): string {
  const role = scorer.role ? ROLE_LABELS[scorer.role] : 'In the room'
  return scorer.enteredBy ? `${role}, entered by ${scorer.enteredBy}` : role
}

/** After the reveal: every number on one line, the middle and the spread, and the reasons. */
function RevealedScores({ round, you, headingLevel }: { round: ScoringRound; you: Membership; headingLevel: HeadingLevel }) {
  const captionId = useId()
  const summary = summarizeScores(round.scores.map((entry) => entry.score.value))
  if (!summary) return <p>Nobody gave a score in this round.</p>
  const words = revealedScoresWords(summary)
  const withReasons = round.scores.filter((entry) => entry.score.reason.trim() !== '')
  return (
    <figure className="scores" aria-labelledby={captionId}>
      <figcaption id={captionId}>Everyone's scores, from 0 to 10</figcaption>
      <ScoreLine scores={round.scores} median={summary.median} />
      <p className="scores-summary">
        {words.middle !== null && <>The middle score is <strong className="big-number">{words.middle}</strong>.{' '}</>}
        {words.spread}
      </p>
      <div className="table-scroll">
        <table className="scores-table">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Score</th></tr>
          </thead>
          <tbody>
            {round.scores.map((entry) => (
              <tr key={`${entry.participantId ?? ''}:${entry.name}`}>
                <th scope="row">{entry.participantId === you.participantId ? `${entry.name} (you)` : entry.name}</th>
                <td>{roleWords(entry)}</td>
                <td><ScoreWords entry={entry} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {withReasons.length > 0 && (
        <>
          <Heading level={headingLevel}>What people would need to see for the number to go up</Heading>
          <ul className="reasons">
            {withReasons.map((entry) => (
              <li key={`${entry.participantId ?? ''}:${entry.name}`}>
                <strong>{entry.name}</strong> ({entry.score.value}): {entry.score.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </figure>
  )
}

function ScoreWords({ entry }: { entry: RevealedScore }) {
  const before = entry.earlier.at(-1)
  return (
    <>
      <strong className="score-number">{entry.score.value}</strong>
      {before && before.value !== entry.score.value && <span className="changed">, changed from {before.value}</span>}
    </>
  )
}

/**
 * The line itself, drawn with CSS only: a marker per person at their number, stacked where
 * numbers are the same, and the middle score. Hidden from screen readers: the table says it all.
 */
function ScoreLine({ scores, median }: { scores: readonly RevealedScore[]; median: number }) {
  const byValue = new Map<number, RevealedScore[]>()
  for (const entry of scores) byValue.set(entry.score.value, [...(byValue.get(entry.score.value) ?? []), entry])
  const tallest = Math.max(...[...byValue.values()].map((people) => people.length))
  return (
    <div className="score-line" aria-hidden="true">
      <div className="score-track" style={{ '--stack': tallest } as CSSProperties}>
        <span className="score-median" style={at(median)} title={`Middle score: ${numberWords(median)}`} />
        {[...byValue].map(([value, people]) => (
          <span key={value} className="score-marker" style={at(value)}>
            {people.map((entry) => <span key={`${entry.participantId ?? ''}:${entry.name}`} className="score-dot" title={entry.name}>{value}</span>)}
          </span>
        ))}
      </div>
      <div className="score-ticks">
        {SCALE_VALUES.map((tick) => <span key={tick} style={at(tick)}>{tick}</span>)}
      </div>
    </div>
  )
}

/** Where a number sits on the line (a CSS custom property: no inline layout rules). */
function at(value: number): CSSProperties {
  return { '--at': (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) } as CSSProperties
}

/**
 * How this scale moved across the case's conferences, once an earlier one has revealed scores on
 * it: opened by itself while the chair's round is open (everyone sees where things were before
 * they score), a click away otherwise. Only revealed numbers ever reach it (the server's answer).
 */
function ScaleHistory({ conferenceId, scale, title, rounds, roundOpen }: {
  conferenceId: string
  scale: Scale
  title: string
  rounds: readonly ScoringRound[]
  roundOpen: boolean
}) {
  const progress = useScaleProgress(conferenceId, scale, rounds)
  const [open, setOpen] = useState(roundOpen)
  // Opens when the chair opens a round; stays as the person left it after the reveal.
  const [roundWasOpen, setRoundWasOpen] = useState(roundOpen)
  if (roundOpen !== roundWasOpen) {
    setRoundWasOpen(roundOpen)
    if (roundOpen) setOpen(true)
  }
  if (!progress?.readings.some((reading) => reading.conferenceId !== conferenceId)) return null
  return (
    <details className="scale-history-panel" open={open} onToggle={(event) => { setOpen(event.currentTarget.open) }}>
      <summary>How this scale has moved since the first conference</summary>
      <ProgressChart progress={progress} title={title} conferenceId={conferenceId} />
    </details>
  )
}
