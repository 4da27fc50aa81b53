import { useEffect, useState } from 'react'
import { getConference, type ConferenceSummary } from '../api'
import type { DetailsPart } from '../../shared/conference/details'
import type { Identity } from '../identity'
import { followLink } from '../navigation'
import type { ConferenceConnection } from '../sync/conferenceConnection'
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
        <StatusLine status={state.status} />
      </div>
      {connection && state.synced ? (
        <SyncedBoard connection={connection} identity={identity} />
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
