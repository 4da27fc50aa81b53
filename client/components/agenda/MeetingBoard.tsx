import { useEffect, useId, useMemo, useRef, useState, type RefObject } from 'react'
import { agendaFor, kindTerms, type AgendaStep, type AgendaStepId } from '../../../shared/conference/agenda'
import type { Finalization } from '../../../shared/conference/meta'
import { Amendments } from '../amendments/Amendments'
import { CloseRecord } from '../closing/CloseRecord'
import { readingOnly } from '../closing/readOnly'
import { mayAddCorrections, RecordClosedContext, type CorrectionOffer, type RecordClosed } from '../closing/recordClosed'
import { Downloads } from '../exports/Downloads'
import { ProfessionalsOnly, ProfessionalsOnlyExists } from '../ProfessionalsOnly'
import { SectionScreen, type SectionProps } from '../sections/SectionScreen'
import type { Permission } from '../../../shared/roles'
import { RemoverContext } from '../../removing'
import { MeetingRail } from './MeetingRail'
import { HeldWordsContext, type HeldWords } from './heldWords'
import { useMeetingView, type MeetingView } from './useMeetingView'
import { useFocusKeptInside } from './keptFocus'
import './agenda.css'

export type MeetingBoardProps = SectionProps & {
  /** Set once the chair has closed the record: everything is read only from then on. */
  finalization: Finalization | null
}

/**
 * The record area of the board: the screen of the step on show (the meeting's own step unless this
 * person chose to look elsewhere), then the rail of the meeting's steps (beside it on a wide
 * screen, after it on a phone, so the current step comes first), the professionals-only
 * section as its own entry for those who may see it, closing the record for the chair, and the
 * documents made from the record.
 */
export function MeetingBoard({ finalization, ...props }: MeetingBoardProps) {
  const { connection, identity, you, kind, conferenceId } = props
  const final = finalization !== null
  // A closed record takes no more changes: every screen shows it as it was closed.
  const sectionProps: SectionProps = final ? { ...props, canEdit: false, you: readingOnly(you) } : props
  const { canEdit } = sectionProps
  const { permissions } = sectionProps.you
  const remover = canEdit ? { authorId: identity.authorId, may: (permission: Permission) => permissions.includes(permission) } : null
  const steps = agendaFor(kind)
  const screen = useRef<HTMLDivElement>(null)
  // How many forms on the step on show hold words not in the record yet (heldWords.ts): read when
  // the meeting moves (a ref), and shown (state).
  const held = useRef(0)
  const [heldWords, setHeldWords] = useState(0)
  const view = useMeetingView(connection.record.meeting, screen, held)
  const mayMove = sectionProps.you.permissions.includes('moveAgenda')
  const seesProfessionalsOnly = you.permissions.includes('seeProfessionalsOnly')
  const headingRef = useRef<HTMLHeadingElement>(null)
  const rail = useRef<HTMLElement>(null)
  // Set when this person changes what they look at: their focus goes to the new screen's heading.
  // The meeting moving takes nobody's focus; only one it left with nothing (keptFocus.ts) is put back.
  const focusNext = useRef(false)
  useFocusKeptInside(screen, headingRef)

  const stepOf = (id: AgendaStepId): AgendaStep => steps.find((candidate) => candidate.id === id) ?? (steps[0] as AgendaStep)
  const meetingStep = stepOf(view.meetingStep)

  useEffect(() => {
    if (!focusNext.current) return
    focusNext.current = false
    headingRef.current?.focus()
  }, [view.shown])

  const holder = useMemo<HeldWords>(() => ({
    hold: () => {
      held.current += 1
      setHeldWords(held.current)
      let released = false
      return () => {
        if (released) return
        released = true
        held.current -= 1
        setHeldWords(held.current)
      }
    },
  }), [])
  // Leaving the step asked for while it holds words: done only once the person says so.
  const [leaving, setLeaving] = useState<(() => void) | null>(null)
  const leaveStep = (go: () => void): void => {
    if (heldWords > 0) setLeaving(() => go)
    else go()
  }

  const look = (next: MeetingView['shown']): void => {
    // The step on show again: nothing on it goes, so nothing to ask.
    if (next === view.shown) view.look(next)
    else {
      leaveStep(() => {
        focusNext.current = true
        view.look(next)
      })
    }
  }
  const follow = (): void => {
    leaveStep(() => {
      focusNext.current = view.shown !== view.meetingStep
      view.follow()
    })
  }
  // A button, not a #link: a link would add the board to the history again, and "Leave quickly"
  // must leave no way Back to it.
  const toRail = (): void => {
    rail.current?.querySelector<HTMLButtonElement>('[aria-current="step"]')?.focus()
  }
  const moveTo = (step: AgendaStepId): void => {
    leaveStep(() => {
      connection.record.meeting.moveTo(step, identity.authorId)
      // Whoever moves the meeting goes with it.
      view.follow()
    })
  }

  return (
    <RemoverContext.Provider value={remover}>
      <div className="meeting">
        <div className="meeting-main" ref={screen}>
          {leaving && heldWords > 0 && (
            <LeavingWords
              onStay={() => { setLeaving(null) }}
              onLeave={() => {
                setLeaving(null)
                leaving()
              }}
            />
          )}
          {view.browsing && <BackToMeeting meetingStep={meetingStep} keptForTyping={view.keptForTyping} onBack={follow} />}
          {view.shown === 'professionalsOnly' ? (
            seesProfessionalsOnly && <ProfessionalsOnly conferenceId={conferenceId} identity={identity} canEdit={canEdit} />
          ) : (
            <HeldWordsContext.Provider value={holder}>
              <StepScreen
                {...sectionProps}
                final={final}
                openPermissions={you.permissions}
                step={stepOf(view.shown)}
                steps={steps}
                headingRef={headingRef}
                meetingIsHere={view.shown === view.meetingStep}
                onToRail={toRail}
                onMove={mayMove ? moveTo : null}
              />
            </HeldWordsContext.Provider>
          )}
        </div>
        <div className="meeting-side">
          <MeetingRail railRef={rail} steps={steps} meetingStep={view.meetingStep} shown={view.shown} onLook={look} />
          {seesProfessionalsOnly ? (
            <button
              type="button"
              className="secondary professionals-only-entry"
              aria-current={view.shown === 'professionalsOnly' ? 'true' : undefined}
              onClick={() => { look('professionalsOnly') }}
            >
              Professionals only
            </button>
          ) : (
            <ProfessionalsOnlyExists chair={kindTerms(kind).chairInSentence} />
          )}
          {!final && you.permissions.includes('finalize') && (
            <CloseRecord conferenceId={conferenceId} connection={connection} identity={identity} onLook={look} />
          )}
          {/* Each person sees the documents their role may download (Downloads leaves out the rest). */}
          <Downloads conferenceId={conferenceId} you={you} final={final} />
        </div>
        <MoveAnnouncement view={view} stepOf={stepOf} />
      </div>
    </RemoverContext.Provider>
  )
}

/**
 * One step's screen: its title and what it is for, the controls that move the meeting, then the
 * part of the record, and after it the corrections made since the record was closed.
 */
function StepScreen({ step, steps, headingRef, meetingIsHere, onToRail, onMove, final, openPermissions, ...props }: SectionProps & {
  final: boolean
  /** What this person's role lets them do while the record is open (`props.you` has less once it is closed). */
  openPermissions: readonly Permission[]
  step: AgendaStep
  steps: readonly AgendaStep[]
  headingRef: RefObject<HTMLHeadingElement | null>
  meetingIsHere: boolean
  /** Takes this person to the rail (on a phone it is below the step). */
  onToRail: () => void
  /** For those who may move the meeting on; null for everyone else. */
  onMove: ((step: AgendaStepId) => void) | null
}) {
  const nextId = useId()
  const index = steps.findIndex((candidate) => candidate.id === step.id)
  const next = steps[index + 1]
  // Words a form was still holding when the record closed, put into this step's correction box.
  const [offer, setOffer] = useState<CorrectionOffer | null>(null)
  const correctionBox = useRef<HTMLTextAreaElement>(null)
  const mayCorrect = mayAddCorrections(openPermissions)
  const recordClosed = useMemo<RecordClosed | null>(() => final
    ? {
        openPermissions,
        putInCorrection: mayCorrect
          ? (words) => {
              setOffer({ words })
              correctionBox.current?.focus()
            }
          : null,
      }
    : null, [final, openPermissions, mayCorrect])
  return (
    // Not a named region: the parts of the record inside are, some under the step's own title.
    <div className="step-screen">
      <header className="step-head">
        <div className="step-title">
          <h2 ref={headingRef} tabIndex={-1}>{step.title}</h2>
          <p className="step-where">
            Step {index + 1} of {steps.length}
            {meetingIsHere && ' · the meeting is here'}
            {/* On a phone the rail is below the step: a way to it without scrolling past the whole step. */}
            <span className="to-rail"> · <button type="button" className="link-button" onClick={onToRail}>All steps</button></span>
          </p>
        </div>
        <p className="hint step-hint">{step.hint}</p>
        {onMove && (
          <div className="move-controls">
            {meetingIsHere
              ? next && (
                <>
                  <button type="button" aria-describedby={nextId} onClick={() => { onMove(next.id) }}>Next step</button>
                  <span id={nextId} className="hint">Then: {next.title}</span>
                </>
              )
              : <button type="button" onClick={() => { onMove(step.id) }}>Move the meeting to this step</button>}
          </div>
        )}
      </header>
      <RecordClosedContext.Provider value={recordClosed}>
        <SectionScreen step={step.id} {...props} />
      </RecordClosedContext.Provider>
      {/* One per step: words typed for one part's correction must not follow the person to the next. */}
      <Amendments key={step.id} conferenceId={props.conferenceId} kind={props.kind} step={step.id} final={final} offer={offer} boxRef={correctionBox} />
    </div>
  )
}

/**
 * Asked when this person would leave a step with words on it that are not in the record: the
 * forms holding them would go, and the words with them. Staying is the first and focused choice.
 */
function LeavingWords({ onStay, onLeave }: { onStay: () => void; onLeave: () => void }) {
  const messageId = useId()
  return (
    <div className="confirm leaving-words" role="alertdialog" aria-labelledby={messageId}>
      <p id={messageId}>You have typed words here that are not in the record yet. If you leave this step, they will be lost.</p>
      <button type="button" onClick={onStay} autoFocus>Stay on this step</button>
      <button type="button" className="secondary" onClick={onLeave}>Leave without them</button>
    </div>
  )
}

/** Shown while this person looks away from where the meeting is. */
function BackToMeeting({ meetingStep, keptForTyping, onBack }: { meetingStep: AgendaStep; keptForTyping: boolean; onBack: () => void }) {
  return (
    <div className="back-to-meeting">
      <p>
        {keptForTyping
          ? `The meeting moved on to “${meetingStep.title}” while you were typing, so you are still here.`
          : `You are looking at another part of the record. The meeting is at “${meetingStep.title}”.`}
      </p>
      <button type="button" onClick={onBack}>Back to where the meeting is ({meetingStep.title})</button>
    </div>
  )
}

/**
 * Tells screen reader users, politely, that the meeting moved: the region is always there (so the
 * change is announced) and never takes the focus.
 */
function MoveAnnouncement({ view, stepOf }: { view: MeetingView; stepOf: (id: AgendaStepId) => AgendaStep }) {
  let words = ''
  if (view.movedTo) {
    words = `The meeting has moved to “${stepOf(view.movedTo).title}”.`
    if (view.keptForTyping) words += ' You are still on the step you were typing in.'
    else if (view.browsing) words += ' You are still looking at another part.'
  }
  return <div className="visually-hidden" aria-live="polite">{words}</div>
}
