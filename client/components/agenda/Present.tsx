import { useEffect, useMemo, useState } from 'react'
import { listAmendments, type ConferenceSummary, type Membership } from '../../api'
import { agendaFor } from '../../../shared/conference/agenda'
import type { DetailsPart } from '../../../shared/conference/details'
import type { MeetingPart } from '../../../shared/conference/meeting'
import { identityOf } from '../../identity'
import type { ConferenceConnection } from '../../sync/conferenceConnection'
import { usePeople } from '../../people'
import { useConference } from '../../sync/useConference'
import { useObserved } from '../../useObserved'
import { kindWords } from '../../words'
import { useAskedAgain } from '../closing/askedAgain'
import { ClosedNotice } from '../closing/ClosedNotice'
import { useFinalization } from '../closing/useFinalization'
import { SectionScreen } from '../sections/SectionScreen'
import { StatusLine } from '../StatusLine'
import { SharedScreenContext } from './sharedScreen'
import { useAuthors } from './useAuthors'
import './agenda.css'

/**
 * What the room sees on the shared screen: the step the meeting is at, always, in large type, read
 * only. Nothing else of the board: no people, no invitations, no professionals-only section, no
 * editing. Scores appear only once the chair has shown them all, as on everyone's board (before
 * that they are not in the record at all).
 */
export function Present({ conference, you }: { conference: ConferenceSummary; you: Membership }) {
  const { participantId, name } = you
  const identity = useMemo(() => identityOf({ participantId, name }), [participantId, name])
  const { connection, live, forbidden } = useConference(conference.id, identity)
  // The room, not whoever opened the screen: read only (no score form, no chair's controls), and
  // every entry names its author rather than "you".
  const room = useMemo<Membership>(() => ({ ...you, participantId: ROOM_AUTHOR_ID, permissions: ['seeRecord'] }), [you])

  useEffect(() => { document.title = `${conference.title} — shared screen — SafetyMap` }, [conference.title])

  return (
    <main className="present" id="main">
      <div className="present-bar">
        <p className="present-title">{live ? <LiveTitle connection={live} /> : conference.title} · {kindWords(conference.kind)}</p>
        <StatusLine connection={connection} />
      </div>
      {live
        ? <PresentStep conferenceId={conference.id} connection={live} you={room} />
        : !forbidden && <p className="waiting">Getting the record…</p>}
    </main>
  )
}

function PresentStep({ conferenceId, connection, you }: { conferenceId: string; connection: ConferenceConnection; you: Membership }) {
  const identity = useMemo(() => identityOf(you), [you])
  const { kind } = useObserved(connection.record.details, readDetails)
  const { step: stepId } = useObserved(connection.record.meeting, readMeeting)
  const finalization = useFinalization(connection)
  const correctionsSince = useCorrectionCount(conferenceId, finalization !== null)
  // Names beside entries, as on the board.
  const people = useAuthors(connection, usePeople(conferenceId).people)
  const steps = agendaFor(kind)
  const index = steps.findIndex((step) => step.id === stepId)
  const step = steps[index]
  if (!step) return null
  return (
    <div className="present-step">
      <p className="step-where">Step {index + 1} of {steps.length}</p>
      {/* Always announced on the shared screen's own reader: the room follows the meeting here. */}
      <h1 aria-live="polite">{step.title}</h1>
      <p className="present-hint">{step.hint}</p>
      {/* Corrections made since are not shown here, only counted: someone's own board shows them. */}
      <ClosedNotice finalization={finalization} showsCorrections={false} correctionsSince={correctionsSince} />
      <SharedScreenContext.Provider value={true}>
        <SectionScreen step={step.id} conferenceId={conferenceId} connection={connection} identity={identity} people={people} canEdit={false} you={you} kind={kind} />
      </SharedScreenContext.Provider>
    </div>
  )
}

/**
 * How many corrections were added since the record was closed, asked again now and then (a
 * projector is left on). Until it knows (or if it cannot ask), the notice says the record can no
 * longer be changed, as it did before.
 */
function useCorrectionCount(conferenceId: string, closed: boolean): number | null {
  const [count, setCount] = useState<number | null>(null)
  const asked = useAskedAgain(closed)
  useEffect(() => {
    if (!closed) return
    const abort = new AbortController()
    listAmendments(conferenceId, abort.signal).then(({ amendments }) => { setCount(amendments.length) }, () => undefined)
    return () => { abort.abort() }
  }, [conferenceId, closed, asked])
  return closed ? count : null
}

/** The title as the record has it now: the organiser may correct it during the meeting. */
function LiveTitle({ connection }: { connection: ConferenceConnection }) {
  const { title } = useObserved(connection.record.details, readDetails)
  useEffect(() => { document.title = `${title} — shared screen — SafetyMap` }, [title])
  return title
}

/** Nobody's participant id: the shared screen writes nothing and is nobody in the record. */
const ROOM_AUTHOR_ID = 'shared-screen'

const readDetails = (details: DetailsPart) => details.get()
const readMeeting = (meeting: MeetingPart) => meeting.get()
