import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { ConferenceSummary, Membership, ParticipantSummary } from '../api'
import type { DetailsPart } from '../../shared/conference/details'
import { agendaFor, isUsConference } from '../../shared/conference/agenda'
import type { MeetingPart } from '../../shared/conference/meeting'
import { closeCodeName } from '../../shared/protocol'
import { isProfessionalRole } from '../../shared/roles'
import { identityOf } from '../identity'
import { leaveQuickly } from '../leaveQuickly'
import { feedbackPath, followLink, navigate, presentPath } from '../navigation'
import { usePeople } from '../people'
import { signOutAfterRemovingRecord, useSession } from '../session'
import type { ConferenceConnection } from '../sync/conferenceConnection'
import { clearDeviceCopy } from '../sync/deviceCopy'
import { nothingUnsaved } from '../sync/statusWords'
import { useAllSaved, useConference } from '../sync/useConference'
import { useObserved } from '../useObserved'
import { dateWords, kindWords } from '../words'
import { MeetingBoard, type MeetingBoardProps } from './agenda/MeetingBoard'
import { useAuthors } from './agenda/useAuthors'
import { ChangesNotAdded } from './ChangesNotAdded'
import { ClosedNotice } from './closing/ClosedNotice'
import { useFinalization } from './closing/useFinalization'
import { mayAddCorrections } from './closing/recordClosed'
import { PeoplePanel } from './PeoplePanel'
import { keepsOutcomes, OutcomesPanel } from './programmes/OutcomesPanel'
import { ParentPartnerPanel } from './programmes/ParentPartnerPanel'
import { facilitatorWords, holdByWords } from './programmes/referralWords'
import { StatusLine } from './StatusLine'
import { WhoIsHere } from './WhoIsHere'

/**
 * One conference: its details, the status line, who is in it and (once the record has arrived)
 * the meeting, step by step. `you` is what the signed-in person is in this conference: their name and caret colour
 * on the board, and what their role lets them do.
 */
export function Board({ conference, you, onRoleChanged }: {
  conference: ConferenceSummary
  you: Membership
  /** The server said this person's role changed: ask again what they may do. */
  onRoleChanged: () => void
}) {
  const conferenceId = conference.id
  const { participantId, name } = you
  const identity = useMemo(() => identityOf({ participantId, name }), [participantId, name])
  const { connection, live, forbidden, stopped } = useConference(conferenceId, identity)
  useRoleChanges(connection, onRoleChanged)
  const people = usePeople(conferenceId)
  const session = useSession()
  // An invited person is in this one conference only: a list of conferences means nothing to them.
  const showList = !(session.state === 'known' && session.session?.kind === 'participant')
  // Those invited by a link or code (the family, their network) get a page title that names nobody.
  const titled = showList
  const canEdit = you.permissions.includes('editEntries')
  // A child safety conference's 72-hour deadline is the agency's to meet: to a family it reads as
  // a countdown on their children.
  const showsDeadline = isProfessionalRole(you.role)

  // Their copy on this device goes too: what they typed can no longer be saved, and the record
  // must not stay on a device whose owner was taken out of the conference.
  useEffect(() => {
    if (forbidden) void clearDeviceCopy(conferenceId, participantId).catch(() => undefined)
  }, [forbidden, conferenceId, participantId])

  // Once the chair has closed the record nobody can change it: heard live from the record itself.
  const finalization = useFinalization(live)

  return (
    <main className="board" id="main">
      <div className="board-bar">
        {showList && <a href="/" onClick={followLink}>All conferences</a>}
        {/* For the screen the room shares: opened beside the board, which stays as it is. */}
        {isProfessionalRole(you.role) && (
          <a href={presentPath(conferenceId)} target="_blank" rel="noopener">
            Present<span className="visually-hidden"> on a shared screen (opens in a new tab)</span>
          </a>
        )}
        <StatusLine connection={connection} />
        <LeaveQuickly connection={connection} />
      </div>
      {/* One place for the panel whether the record is here or not: an invitation shown once stays shown. */}
      <div className="board-top">
        {!showList && <LeaveQuicklyExplained />}
        <div className="board-head">
          {live
            // Invitations work until a week after the conference's day: when it moves, ask again.
            ? <LiveHeading connection={live} referral={conference.referral} onMoved={people.reload} titled={titled} showsDeadline={showsDeadline} />
            : <ConferenceHeading title={conference.title} kind={conference.kind} date={conference.date} referral={conference.referral} titled={titled} showsDeadline={showsDeadline} />}
          {!forbidden && <WhoIsHere connection={connection} people={people} youId={participantId} kind={conference.kind} />}
        </div>
        {!forbidden && (
          <>
            <ClosedNotice finalization={finalization} />
            <ChangesNotAdded connection={connection} mayCorrect={mayAddCorrections(you.permissions)} />
            {!canEdit && !finalization && <p className="read-only-note">You can read this record, but not change it.</p>}
            {you.role === 'parentOrCarer' && live && <FeedbackLink conferenceId={conferenceId} connection={live} kind={conference.kind} closed={finalization !== null} />}
            <PeoplePanel conferenceId={conferenceId} kind={conference.kind} you={you} people={people} />
          </>
        )}
      </div>
      {live ? (
        <>
          <LiveMeeting
            conferenceId={conferenceId}
            connection={live}
            identity={identity}
            canEdit={canEdit}
            participants={people.people}
            you={you}
            finalization={finalization}
          />
          {/* Below the meeting: the map keeps the top of the note-taker's screen. */}
          {isUsConference(conference.kind) && you.permissions.includes('invite') && (
            <ParentPartnerPanel conferenceId={conferenceId} referralArea={conference.referral?.serviceArea} onPeopleChanged={people.reload} />
          )}
          {keepsOutcomes(conference.kind) && you.permissions.includes('recordOutcomes') && (
            <OutcomesPanel conferenceId={conferenceId} kind={conference.kind} />
          )}
          <RemoveFromDevice connection={live} invited={!showList} />
        </>
      ) : (
        <div className="board-waiting">
          {/* Entries wait for the first sync: editing an empty copy would write beside the real record. */}
          {!stopped && <p className="waiting">Getting the record…</p>}
          {stopped && showList && <p><a href="/" onClick={followLink}>See all conferences</a></p>}
        </div>
      )}
    </main>
  )
}

/** The server closes the connection with `roleChanged` (and the provider reconnects) when this person's role changes. */
function useRoleChanges(connection: ConferenceConnection | null, onRoleChanged: () => void): void {
  const latest = useRef(onRoleChanged)
  useEffect(() => { latest.current = onRoleChanged })
  useEffect(() => {
    if (!connection) return
    const onClose = (event: CloseEvent | null): void => {
      if (event && closeCodeName(event.code) === 'roleChanged') latest.current()
    }
    connection.provider.on('connection-close', onClose)
    return () => { connection.provider.off('connection-close', onClose) }
  }, [connection])
}

/** The title, kind and date as the record has them now. `onMoved`: the conference moved to another day. */
function LiveHeading({ connection, referral, onMoved, titled, showsDeadline }: { connection: ConferenceConnection; referral: ConferenceSummary['referral']; onMoved: () => void; titled: boolean; showsDeadline: boolean }) {
  const details = useObserved(connection.record.details, readDetails)
  const shownDate = useRef(details.date)
  useEffect(() => {
    if (details.date === shownDate.current) return
    shownDate.current = details.date
    onMoved()
  }, [details.date, onMoved])
  return <ConferenceHeading title={details.title} kind={details.kind} date={details.date} referral={referral} titled={titled} showsDeadline={showsDeadline} />
}

/** The record area once the record is here: the rail of the meeting's steps and the screen of the step on show. */
function LiveMeeting({ participants, ...props }: Omit<MeetingBoardProps, 'people' | 'kind'> & { participants: ParticipantSummary[] | null }) {
  const { kind } = useObserved(props.connection.record.details, readDetails)
  const people = useAuthors(props.connection, participants)
  return <MeetingBoard {...props} people={people} kind={kind} />
}

/**
 * The record is kept on this device (for working offline); this removes that copy and goes back
 * to the list. Only once the server has every change made here: until then the copy is the only
 * place they are. An `invited` person (family, their network) is signed out here too: their
 * session would open the board, and so the copy, again at once (the site takes them straight to
 * their meeting), and the device may be a phone others pick up. The join page says how to come back.
 */
function RemoveFromDevice({ connection, invited }: { connection: ConferenceConnection; invited: boolean }) {
  const noteId = useId()
  const [removing, setRemoving] = useState(false)
  const [failed, setFailed] = useState(false)
  const allSaved = useAllSaved(connection)

  const remove = (): void => {
    setRemoving(true)
    setFailed(false)
    connection.deviceCopy.remove().then(
      () => {
        if (!invited) {
          navigate('/')
          return
        }
        // Signed out here at once, whether or not the server has heard yet (it is owed it).
        void signOutAfterRemovingRecord().catch(() => undefined)
        navigate('/join', { replace: true })
      },
      () => { setRemoving(false); setFailed(true) },
    )
  }

  // Always one line of state under the same explanation: a note that came and went as saving did
  // would move the page under the pointer of someone about to click near the bottom of it.
  let state = 'Everything typed on this device is saved.'
  if (!allSaved) state = 'You can remove it once your changes are saved.'
  if (removing) state = 'Removing…'
  if (failed) state = 'It could not be removed. Please try again.'

  return (
    <footer className="board-footer">
      <button type="button" className="secondary" disabled={!allSaved || removing} aria-describedby={noteId} onClick={remove}>
        Remove this record from this device
      </button>
      <div id={noteId} className="hint">
        <p>
          {/* No promise of opening it offline: the page itself needs the internet to load. */}
          A copy of this record is kept on this device, so if the internet drops while this page is open, you can keep working and nothing you type is lost. Removing it here does not change the record for anyone.
          {invited && ' It also signs you out on this device: to open the record again, use your link or code.'}
        </p>
        <p>{state}</p>
      </div>
    </footer>
  )
}

/**
 * For someone who may be overlooked or overheard: the board goes off the screen at once, for a
 * neutral page, in its place in the history. The copy of the record on this device goes too, when
 * nothing typed here is waiting for the server; otherwise it stays, as the only place those changes
 * are (and its last writes are let finish first).
 */
function LeaveQuickly({ connection }: { connection: ConferenceConnection | null }) {
  const leave = (): void => {
    // Read at the moment of leaving, from the tracker itself: the board's status waits a moment
    // before it says "Saved", and following every keystroke's status would re-render for nothing.
    const status = connection?.tracker.status ?? { state: 'connecting' }
    const finishing = nothingUnsaved(status) ? connection?.deviceCopy.remove() ?? null : connection?.deviceCopy.committed() ?? null
    leaveQuickly(finishing)
  }
  return <button type="button" className="leave-quickly" onClick={leave}>Leave quickly</button>
}

const EXPLAINED_KEY = 'safetymap.leave-quickly-explained'

/**
 * Said to an invited person (family, their network) until they close it, once per tab: "Leave
 * quickly" signs them out too, and they have no password, so without this they would not know
 * how to come back.
 */
function LeaveQuicklyExplained() {
  const [shown, setShown] = useState(() => readSessionFlag(EXPLAINED_KEY) === null)
  if (!shown) return null
  return (
    <div className="leave-quickly-explained" role="note">
      <p>
        If you need to, press <strong>Leave quickly</strong> at the top: this page goes off the screen at once. To
        come back, open your link again or type your code.
      </p>
      <button type="button" className="secondary" onClick={() => { writeSessionFlag(EXPLAINED_KEY); setShown(false) }}>Got it</button>
    </div>
  )
}

/** Storage can be refused (a browser's strictest privacy setting): then the note is simply shown again. */
function readSessionFlag(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key)
  } catch {
    return null
  }
}

function writeSessionFlag(key: string): void {
  try {
    window.sessionStorage.setItem(key, 'yes')
  } catch {
    // Shown again next time: no harm.
  }
}

/**
 * A parent is asked how the meeting went once it is ending (on the last step of its agenda) or
 * the record is closed: at the top of the board from the first minute, the question came before
 * there was a meeting to answer about, in the middle of a hard one.
 */
function FeedbackLink({ conferenceId, connection, kind, closed }: { conferenceId: string; connection: ConferenceConnection; kind: ConferenceSummary['kind']; closed: boolean }) {
  const { step } = useObserved(connection.record.meeting, readMeeting)
  if (!closed && step !== agendaFor(kind).at(-1)?.id) return null
  return <p className="feedback-link"><a href={feedbackPath(conferenceId)} onClick={followLink}>Tell us how the meeting went</a></p>
}

const readMeeting = (meeting: MeetingPart) => meeting.get()

/**
 * The page's title on a family member's device. A phone keeps every page's title in its
 * history, where anyone who picks it up can read it: it must not name the family or the child.
 */
const FAMILY_PAGE_TITLE = 'Family meeting — SafetyMap'

/**
 * With a child safety conference's referral: its 72-hour deadline (`showsDeadline`: professionals
 * only) and who facilitates. `titled`: the page's title names the conference; false on a family
 * member's device, as above.
 */
function ConferenceHeading({ title, kind, date, referral, titled, showsDeadline }: Pick<ConferenceSummary, 'title' | 'kind' | 'date' | 'referral'> & { titled: boolean; showsDeadline: boolean }) {
  useEffect(() => { document.title = titled ? `${title} — SafetyMap` : FAMILY_PAGE_TITLE }, [title, titled])
  return (
    <header className="conference-heading">
      <h1>{title}</h1>
      <p>{kindWords(kind)} · {dateWords(date)}</p>
      {referral && (
        <>
          {showsDeadline && <p>{holdByWords(referral, date)}</p>}
          <p>{facilitatorWords(referral.facilitator)}</p>
        </>
      )}
    </header>
  )
}

/** The conference details kept in the record, live. */
const readDetails = (details: DetailsPart) => details.get()
