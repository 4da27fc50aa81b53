import { useState } from 'react'
import { changeOutcome, getOutcomes } from '../../api'
import { isUsConference } from '../../../shared/conference/agenda'
import type { ConferenceKind } from '../../../shared/conference/details'
import {
  OUTCOME_POINT_LABELS,
  OUTCOME_POINTS,
  PARTICIPATION,
  PARTICIPATION_LABELS,
  WHERE_STAYING,
  WHERE_STAYING_LABELS,
  type ChildOutcome,
} from '../../../shared/programmes/outcomes'
import { useAnswer } from '../../useAnswer'
import { FoldedPanel } from '../FoldedPanel'
import { FormProblem, useRequest } from '../forms'
import './programmes.css'

/** Outcomes are followed from an initial child safety conference and from UK conferences (not from a CSC follow-up). */
export function keepsOutcomes(kind: ConferenceKind): boolean {
  return kind === 'us-csc-initial' || !isUsConference(kind)
}

const NOT_RECORDED = { value: '', label: 'Not recorded' } as const
const STAYING_OPTIONS = [NOT_RECORDED, ...WHERE_STAYING.map((place) => ({ value: place, label: WHERE_STAYING_LABELS[place] }))]
const PARTICIPATION_OPTIONS = [NOT_RECORDED, ...PARTICIPATION.map((how) => ({ value: how, label: PARTICIPATION_LABELS[how] }))]

/**
 * What happened to each child, as the programmes count it (shared/programmes/outcomes.ts), for
 * whoever may record it: after a child safety conference, where each child is staying then, at
 * the 10-day follow-up and 6 months on; at a UK conference, how each child's views reached it.
 * Each choice is saved as it is made.
 */
export function OutcomesPanel({ conferenceId, kind }: { conferenceId: string; kind: ConferenceKind }) {
  const [open, setOpen] = useState(false)
  const [asked, setAsked] = useState(false)
  const answer = useAnswer(asked ? conferenceId : null, (signal) => getOutcomes(conferenceId, signal))
  const children = answer.value
  const csc = kind === 'us-csc-initial'

  const toggle = (): void => {
    // The children are the record's: someone may have added one since it was last opened.
    if (!open) {
      setAsked(true)
      answer.reload()
    }
    setOpen(!open)
  }
  const saved = (child: ChildOutcome): void => {
    answer.update((current) => current.map((other) => (other.childId === child.childId ? child : other)))
  }

  return (
    <FoldedPanel title="Outcomes for each child" open={open} onToggle={toggle}>
      <p className="hint">
        {csc
          ? 'Where each child is staying after the conference, at the 10-day follow-up and 6 months on. Until you choose otherwise for a child, “After the conference” is what this meeting recorded for all the children, and “At the 10-day follow-up” what the follow-up meeting recorded.'
          : 'How each child’s views reached the meeting. Until you choose otherwise for a child, it is what the meeting recorded for all the children.'}
        {' '}Each choice is saved as you make it.
      </p>
      <FormProblem problem={answer.problem}>
        <button type="button" onClick={answer.reload}>Try again</button>
      </FormProblem>
      {!children && !answer.problem && <p className="waiting">Loading…</p>}
      {children?.length === 0 && <p>There are no children in this record yet. Add the children in the conference details first.</p>}
      {children && children.length > 0 && (
        <div className="table-scroll">
          <table className="outcomes-table">
            <caption className="visually-hidden">{csc ? 'Where each child is staying' : 'How each child’s views reached the meeting'}</caption>
            <thead>
              <tr>
                <th scope="col">Child</th>
                {csc
                  ? OUTCOME_POINTS.map((point) => <th key={point} scope="col">{OUTCOME_POINT_LABELS[point]}</th>)
                  : <th scope="col">How their views reached the meeting</th>}
              </tr>
            </thead>
            <tbody>
              {children.map((child) => (
                <tr key={child.childId}>
                  <th scope="row">{childName(child)}</th>
                  {csc
                    ? OUTCOME_POINTS.map((point) => (
                      <td key={point}>
                        <OutcomeChoice
                          label={`Where ${childName(child)} is staying: ${OUTCOME_POINT_LABELS[point]}`}
                          value={child.staying[point] ?? ''}
                          options={STAYING_OPTIONS}
                          save={(place) => changeOutcome(conferenceId, child.childId, { point, staying: place || null })}
                          onSaved={saved}
                        />
                      </td>
                    ))
                    : (
                      <td>
                        <OutcomeChoice
                          label={`How ${childName(child)}’s views reached the meeting`}
                          value={child.participation ?? ''}
                          options={PARTICIPATION_OPTIONS}
                          save={(how) => changeOutcome(conferenceId, child.childId, { participation: how || null })}
                          onSaved={saved}
                        />
                      </td>
                    )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </FoldedPanel>
  )
}

/** A child is in the record before their name is typed. */
function childName(child: ChildOutcome): string {
  return child.name.trim() || 'the child with no name yet'
}

/** One choice for one child, saved as soon as it is made; a refused change goes back to what was saved. */
function OutcomeChoice<T extends string>({ label, value, options, save, onSaved }: {
  label: string
  value: T | ''
  options: readonly { value: T | ''; label: string }[]
  save: (value: T | '') => Promise<ChildOutcome>
  onSaved: (child: ChildOutcome) => void
}) {
  const [choosing, setChoosing] = useState<T | '' | null>(null)
  const { pending, problem, run } = useRequest()
  const shown = pending && choosing !== null ? choosing : value

  return (
    <>
      <select
        aria-label={label}
        value={shown}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value)
          if (!chosen) return
          setChoosing(chosen.value)
          run(() => save(chosen.value), onSaved)
        }}
      >
        {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </select>
      <FormProblem problem={problem} />
    </>
  )
}
