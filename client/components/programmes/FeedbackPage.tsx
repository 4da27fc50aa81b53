import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react'
import { getFeedbackState, giveFeedback } from '../../api'
import {
  FEEDBACK_ANSWER_LABELS,
  FEEDBACK_ANSWERS,
  FEEDBACK_QUESTIONS,
  MAX_FEEDBACK_WORDS_LENGTH,
  type FeedbackAnswer,
  type FeedbackInput,
} from '../../../shared/programmes/feedback'
import { leaveQuickly } from '../../leaveQuickly'
import { clearDeviceCopiesIfSaved } from '../../sync/deviceCopy'
import { conferencePath, followLink } from '../../navigation'
import { useAnswer } from '../../useAnswer'
import { CheckField, ChoiceField, FormProblem, SubmitButton, TextAreaField, useRequest } from '../forms'
import './programmes.css'

const ANSWER_OPTIONS = FEEDBACK_ANSWERS.map((answer) => ({ value: answer, label: FEEDBACK_ANSWER_LABELS[answer] }))
const TITLE = 'How did the meeting go?'

/**
 * `/conferences/:id/feedback`: a parent's few questions on how the meeting went, on their own
 * phone. Nothing is required, and nobody at the meeting sees the answers
 * (shared/programmes/feedback.ts).
 */
export function FeedbackPage({ conferenceId }: { conferenceId: string }) {
  const headingId = useId()
  const state = useAnswer(conferenceId, (signal) => getFeedbackState(conferenceId, signal))
  const [justSent, setJustSent] = useState(false)

  useEffect(() => { document.title = `${TITLE} — SafetyMap` }, [])

  const asked = state.value?.asked === true
  const given = state.value?.given === true || justSent

  return (
    <main className="page narrow feedback-page" id="main">
      {/* As on the board: the copy of the record on this device goes too, unless it holds changes the server never confirmed. */}
      <button type="button" className="leave-quickly" onClick={() => { leaveQuickly(clearDeviceCopiesIfSaved(conferenceId)) }}>Leave quickly</button>
      <h1 id={headingId}>{TITLE}</h1>
      <FormProblem problem={state.problem}>
        {state.problem?.code !== 'conference-not-found' && <button type="button" onClick={state.reload}>Try again</button>}
      </FormProblem>
      {!state.value && !state.problem && <p className="waiting">Loading…</p>}
      {state.value && !asked && <p>This page is for parents and carers.</p>}
      {asked && given && <ThankYou takeFocus={justSent} />}
      {asked && !given && <FeedbackForm conferenceId={conferenceId} headingId={headingId} onSent={() => { setJustSent(true) }} />}
      <p><a href={conferencePath(conferenceId)} onClick={followLink}>Back to the meeting</a></p>
    </main>
  )
}

/** `takeFocus`: the form that had the focus has just gone; the focus goes to the thanks in its place. */
function ThankYou({ takeFocus }: { takeFocus: boolean }) {
  const thanks = useRef<HTMLParagraphElement>(null)
  useEffect(() => { if (takeFocus) thanks.current?.focus() }, [takeFocus])
  return <p ref={thanks} tabIndex={-1} className="family-note feedback-thanks">Thank you. Your answers have been sent.</p>
}

function FeedbackForm({ conferenceId, headingId, onSent }: { conferenceId: string; headingId: string; onSent: () => void }) {
  const [answers, setAnswers] = useState<FeedbackInput['answers']>({})
  const [words, setWords] = useState('')
  const [shareWords, setShareWords] = useState(false)
  const { pending, problem, run } = useRequest()

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    run(() => giveFeedback(conferenceId, { answers, words, shareWords }), onSent)
  }

  return (
    <>
      <p className="family-note">
        Your answers do not have your name on them. Nobody at your meeting will see them. The programme team adds them
        up with other parents’ answers to make these meetings better.
      </p>
      <p>Answer as many questions as you like. You can leave any of them out.</p>
      <form className="stack-form feedback-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        {FEEDBACK_QUESTIONS.map(({ id, question }) => (
          <ChoiceField
            key={id}
            legend={question}
            value={answers[id] ?? null}
            options={ANSWER_OPTIONS}
            onChange={(answer: FeedbackAnswer) => { setAnswers((current) => ({ ...current, [id]: answer })) }}
          />
        ))}
        <TextAreaField label="Anything else you want to tell us? (optional)" maxLength={MAX_FEEDBACK_WORDS_LENGTH} value={words} onChange={setWords} />
        <CheckField label="Let the programme team read my words, without my name (nobody at my meeting will see them)" checked={shareWords} onChange={setShareWords} />
        <FormProblem problem={problem} />
        <div className="actions">
          <SubmitButton pending={pending}>Send</SubmitButton>
        </div>
      </form>
    </>
  )
}
