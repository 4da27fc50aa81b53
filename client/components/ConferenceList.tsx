import { useEffect, useState } from 'react'
import { ApiError, listConferences, type ConferenceSummary } from '../api'
import { conferencePath, followLink } from '../navigation'
import { dateWords, kindWords } from '../words'
import { NewConference } from './NewConference'
import { holdByWords } from './programmes/referralWords'
import { Dashboard } from './dashboard/Dashboard'

type ListState =
  | { state: 'loading' }
  | { state: 'loaded'; conferences: ConferenceSummary[] }
  | { state: 'failed'; message: string }

/** `/` for a professional: their dates and open actions, the conferences they are in, and a form to start a new one. */
export function ConferenceList() {
  const [list, setList] = useState<ListState>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    document.title = 'Conferences — SafetyMap'
    const abort = new AbortController()
    listConferences(abort.signal).then(
      (conferences) => { setList({ state: 'loaded', conferences }) },
      (error: unknown) => {
        if (abort.signal.aborted) return
        setList({ state: 'failed', message: error instanceof ApiError ? error.message : 'The list of conferences could not be loaded.' })
      },
    )
    return () => { abort.abort() }
  }, [attempt])

  return (
    <main className="page conference-list" id="main">
      <h1>Conferences</h1>
      <Dashboard />
      <h2>All your conferences</h2>
      {list.state === 'loading' && <p>Loading…</p>}
      {list.state === 'failed' && (
        <div role="alert" className="problem">
          <p>{list.message}</p>
          <button type="button" onClick={() => { setList({ state: 'loading' }); setAttempt((n) => n + 1) }}>Try again</button>
        </div>
      )}
      {list.state === 'loaded' && list.conferences.length === 0 && <p>You are not in any conference yet.</p>}
      {list.state === 'loaded' && list.conferences.length > 0 && (
        <ul className="conferences">
          {list.conferences.map((conference) => (
            <li key={conference.id}>
              <a href={conferencePath(conference.id)} onClick={followLink}>
                <span className="conference-title">{conference.title}</span>
                <span className="conference-meta">
                  {kindWords(conference.kind)} · {dateWords(conference.date)}
                  {conference.demo && ' · Example, not a real family'}
                </span>
                {conference.referral && <span className="conference-meta">{holdByWords(conference.referral, conference.date)}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
      <NewConference onAlreadyCreated={() => { setAttempt((n) => n + 1) }} />
    </main>
  )
}
