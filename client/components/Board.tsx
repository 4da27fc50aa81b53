import { useEffect, useId, useState } from 'react'
import { getConference, type ConferenceSummary } from '../api'
import type { DetailsPart } from '../../shared/conference/details'
import type { Identity } from '../identity'
import { followLink, navigate } from '../navigation'
import type { ConferenceConnection } from '../sync/conferenceConnection'
import { clearDeviceCopy } from '../sync/deviceCopy'
import type { SaveStatus } from '../sync/saveTracker'
import { nothingUnsaved } from '../sync/statusWords'
import { useConference, usePeoplePresent } from '../sync/useConference'
import { useObserved } from '../useObserved'
import { dateWords, kindWords } from '../words'
import { SafetyMap } from './SafetyMap'
import { StatusLine } from './StatusLine'

/** One conference: its details, the status line and (once the record has arrived) the map. */
export function Board({ conferenceId, identity }: { conferenceId: string; identity: Identity }) {
  const { connection, state } = useConference(conferenceId, identity)
  const summary = useConferenceSummary(conferenceId)
  const stopped = state.status.state === 'stopped'

  return (
    <main className="board" id="main">
      <div className="board-bar">
        <a href="/" onClick={followLink}>All conferences</a>
        <StatusLine status={state.status} keptOnDevice={state.keptOnDevice} />
      </div>
      {connection && state.synced ? (
        <>
          <SyncedBoard connection={connection} identity={identity} />
          <RemoveFromDevice conferenceId={conferenceId} status={state.status} />
        </>
      ) : (
        <div className="board-waiting">
          {summary && <ConferenceHeading title={summary.title} kind={summary.kind} date={summary.date} />}
          {/* Entries wait for the first sync: editing an empty copy would write beside the real record. */}
          {!stopped && <p className="waiting">Getting the record…</p>}
          {stopped && <p><a href="/" onClick={followLink}>See all conferences</a></p>}
        </div>
      )}
    </main>
  )
}

function SyncedBoard({ connection, identity }: { connection: ConferenceConnection; identity: Identity }) {
  const details = useObserved(connection.record.details, readDetails)
  const people = usePeoplePresent(connection)
  return (
    <>
      <ConferenceHeading title={details.title} kind={details.kind} date={details.date} />
      <SafetyMap connection={connection} identity={identity} people={people} kind={details.kind} />
    </>
  )
}

/**
 * The record is kept on this device (for working offline); this removes that copy and goes back
 * to the list. Only once the server has every change made here: until then the copy is the only
 * place they are.
 */
function RemoveFromDevice({ conferenceId, status }: { conferenceId: string; status: SaveStatus }) {
  const noteId = useId()
  const [removing, setRemoving] = useState(false)
  const [failed, setFailed] = useState(false)
  const allSaved = nothingUnsaved(status)

  const remove = (): void => {
    setRemoving(true)
    setFailed(false)
    clearDeviceCopy(conferenceId).then(
      () => { navigate('/') },
      () => { setRemoving(false); setFailed(true) },
    )
  }

  let note = 'A copy of this record is kept on this device, so you can keep working without internet. Removing it here does not change the record for anyone.'
  if (!allSaved) note = 'You can remove it once your changes are saved.'
  if (removing) note = 'Removing…'
  if (failed) note = 'It could not be removed. Please try again.'

  return (
    <footer className="board-footer">
      <button type="button" className="secondary" disabled={!allSaved || removing} aria-describedby={noteId} onClick={remove}>
        Remove this record from this device
      </button>
      <p id={noteId} className="hint">{note}</p>
    </footer>
  )
}

function ConferenceHeading({ title, kind, date }: Pick<ConferenceSummary, 'title' | 'kind' | 'date'>) {
  useEffect(() => { document.title = `${title} — SafetyMap` }, [title])
  return (
    <header className="conference-heading">
      <h1>{title}</h1>
      <p>{kindWords(kind)} · {dateWords(date)}</p>
    </header>
  )
}

/** The title from the API, shown while the record itself is still on its way. */
function useConferenceSummary(conferenceId: string): ConferenceSummary | null {
  const [summary, setSummary] = useState<ConferenceSummary | null>(null)
  useEffect(() => {
    const abort = new AbortController()
    // A failure here changes nothing: the sync connection reports every problem itself.
    getConference(conferenceId, abort.signal).then(setSummary, () => undefined)
    return () => { abort.abort() }
  }, [conferenceId])
  return summary
}

/** The conference details kept in the record, live. */
const readDetails = (details: DetailsPart) => details.get()
