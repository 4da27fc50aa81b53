import { useId, type RefObject } from 'react'
import type { AgendaStep, AgendaStepId } from '../../../shared/conference/agenda'
import type { BoardView } from './useMeetingView'

/**
 * The steps of the meeting in order, one button each, named by the step's title only (tests and
 * screen reader users find a step by its title). The meeting's step is aria-current="step"; what
 * each button's step is to this person ("The meeting is here", "On your screen") is its description.
 */
export function MeetingRail({ railRef, steps, meetingStep, shown, onLook }: {
  railRef: RefObject<HTMLElement | null>
  steps: readonly AgendaStep[]
  meetingStep: AgendaStepId
  shown: BoardView
  onLook: (step: AgendaStepId) => void
}) {
  const headingId = useId()
  const markId = useId()
  return (
    <nav ref={railRef} className="meeting-rail" aria-label="Meeting steps">
      <h2 id={headingId} className="rail-heading">Meeting steps</h2>
      <ol className="rail-steps" aria-labelledby={headingId}>
        {steps.map((step) => {
          const meetingIsHere = step.id === meetingStep
          const onScreen = step.id === shown
          const marks = [meetingIsHere && `${markId}-${step.id}-meeting`, onScreen && `${markId}-${step.id}-shown`].filter(Boolean).join(' ')
          return (
            <li key={step.id} className={`rail-step${meetingIsHere ? ' rail-meeting' : ''}${onScreen ? ' rail-shown' : ''}`}>
              <button
                type="button"
                className="rail-button"
                aria-current={meetingIsHere ? 'step' : undefined}
                aria-describedby={marks || undefined}
                onClick={() => { onLook(step.id) }}
              >
                {step.title}
              </button>
              {(meetingIsHere || onScreen) && (
                <span className="rail-marks">
                  {meetingIsHere && <span id={`${markId}-${step.id}-meeting`} className="rail-mark">The meeting is here</span>}
                  {/* Seen from the highlight; said for screen readers. */}
                  {onScreen && <span id={`${markId}-${step.id}-shown`} className="visually-hidden">On your screen</span>}
                </span>
              )}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
