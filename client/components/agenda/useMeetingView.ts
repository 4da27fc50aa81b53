import { useCallback, useEffect, useState, type RefObject } from 'react'
import type { AgendaStepId } from '../../../shared/conference/agenda'
import type { MeetingPart } from '../../../shared/conference/meeting'

/** What someone can look at on the board besides the agenda steps. */
export type ProfessionalsOnlyView = 'professionalsOnly'
export type BoardView = AgendaStepId | ProfessionalsOnlyView

export interface MeetingView {
  /** The step the meeting is at. */
  meetingStep: AgendaStepId
  /** What this person has on screen: the meeting's step while they follow it. */
  shown: BoardView
  /** True while this person looks at something other than where the meeting is. */
  browsing: boolean
  /** The step the meeting last moved to while this page was open (null before any move): for the announcement. */
  movedTo: AgendaStepId | null
  /** Kept on their own step because they were typing in it when the meeting moved. */
  keptForTyping: boolean
  look(view: BoardView): void
  follow(): void
}

interface ViewState {
  meetingStep: AgendaStepId
  /** null: following the meeting. */
  looking: BoardView | null
  movedTo: AgendaStepId | null
  keptForTyping: boolean
}

/**
 * Where the meeting is, and what this person looks at: everyone follows the meeting's step unless
 * they chose to look elsewhere. Someone typing in the step's screen, or with words on it not yet in
 * the record (`heldWords`, a count), when the meeting moves on stays where they are (as if they had
 * chosen to), so the move never takes their words from under them.
 */
export function useMeetingView(meeting: MeetingPart, screen: RefObject<HTMLElement | null>, heldWords: RefObject<number>): MeetingView {
  const [state, setState] = useState<ViewState>(() => ({ meetingStep: meeting.get().step, looking: null, movedTo: null, keptForTyping: false }))

  useEffect(() => {
    const onChange = (): void => {
      const step = meeting.get().step
      const typing = isTypingIn(screen.current) || heldWords.current > 0
      setState((current) => {
        if (step === current.meetingStep) return current
        const keepForTyping = current.looking === null && typing
        // Someone looking at the step the meeting has just reached is with the meeting again.
        const looking = keepForTyping ? current.meetingStep : current.looking === step ? null : current.looking
        return { meetingStep: step, looking, movedTo: step, keptForTyping: keepForTyping || (current.keptForTyping && looking !== null) }
      })
    }
    onChange()
    return meeting.observe(onChange)
  }, [meeting, screen, heldWords])

  const look = useCallback((view: BoardView) => {
    setState((current) => ({ ...current, looking: view === current.meetingStep ? null : view, keptForTyping: false }))
  }, [])
  const follow = useCallback(() => {
    setState((current) => ({ ...current, looking: null, keptForTyping: false }))
  }, [])

  return {
    meetingStep: state.meetingStep,
    shown: state.looking ?? state.meetingStep,
    browsing: state.looking !== null,
    movedTo: state.movedTo,
    keptForTyping: state.keptForTyping,
    look,
    follow,
  }
}

/** Focus is in something this person types into, inside `container`. */
function isTypingIn(container: HTMLElement | null): boolean {
  const focused = document.activeElement
  if (!container || !(focused instanceof HTMLElement) || !container.contains(focused)) return false
  return focused.isContentEditable || focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement || focused instanceof HTMLSelectElement
}
