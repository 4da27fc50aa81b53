import { useEffect, useState } from 'react'
import { ApiError, getDashboard, type Dashboard as DashboardData } from '../../api'
import type { DashboardAction, DashboardConference, DashboardDate } from '../../../shared/api'
import { localDate } from '../../../shared/timescales'
import { kindTerms, roleWords } from '../../../shared/conference/agenda'
import { dateWords, kindWords } from '../../words'
import { holdByWords } from '../programmes/referralWords'
import './dashboard.css'

type DashboardState =
  | { state: 'loading' }
  | { state: 'loaded'; dashboard: DashboardData }
  | { state: 'failed'; message: string }
  /** Not a professional: the dashboard is not for them (the server says 403). */
  | { state: 'none' }

/**
 * A professional's dashboard: for each conference they are in, the dates that follow from it
 * (shared/timescales.ts) still to keep, late ones first and marked "Overdue" in words, with an
 * icon and bold type; then their open actions across every conference. Judged on this device's
 * own day.
 */
export function Dashboard() {
  const [view, setView] = useState<DashboardState>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const abort = new AbortController()
    getDashboard(localDate(new Date()), abort.signal).then(
      (dashboard) => { setView({ state: 'loaded', dashboard }) },
      (error: unknown) => {
        if (abort.signal.aborted) return
        if (error instanceof ApiError && error.status === 403) setView({ state: 'none' })
        else setView({ state: 'failed', message: error instanceof ApiError ? error.message : 'Your dates and actions could not be loaded.' })
      },
    )
    return () => { abort.abort() }
  }, [attempt])

  if (view.state === 'none') return null
  if (view.state === 'loading') return <p className="dashboard-loading">Loading your dates and actions…</p>
  if (view.state === 'failed') {
    return (
      <div role="alert" className="problem">
        <p>{view.message}</p>
        <button type="button" onClick={() => { setView({ state: 'loading' }); setAttempt((n) => n + 1) }}>Try again</button>
      </div>
    )
  }
  const { dashboard } = view
  const withDates = dashboard.conferences
    .map((entry) => ({ ...entry, dates: entry.dates.filter((date) => date.state !== 'done') }))
    .filter((entry) => entry.dates.length > 0 || entry.dateLooksWrong)
    .sort(byUrgency)
  return (
    <div className="dashboard">
      <section aria-labelledby="dashboard-dates">
        <h2 id="dashboard-dates">Dates to keep</h2>
        {withDates.length === 0
          ? <p className="hint">Nothing is due in your conferences.</p>
          : withDates.map((entry) => <ConferenceDates key={entry.conference.id} entry={entry} />)}
      </section>
      <section aria-labelledby="dashboard-actions">
        <h2 id="dashboard-actions">Your open actions</h2>
        {dashboard.actions.length === 0
          ? <p className="hint">You have no open actions. Actions given to you by name, or that you wrote, show here.</p>
          : <ul className="dashboard-actions">{dashboard.actions.map((action) => <OpenAction key={`${action.conferenceId}/${action.id}`} action={action} />)}</ul>}
      </section>
    </div>
  )
}

function ConferenceDates({ entry }: { entry: DashboardConference }) {
  const { conference } = entry
  const headingId = `dates-${conference.id}`
  return (
    <article className="dashboard-conference" aria-labelledby={headingId}>
      {/* Not a link: the list below opens each conference, so each title is one link on the page. */}
      <h3 id={headingId}>{conference.title}</h3>
      <p className="conference-meta">
        {kindWords(conference.kind)} · {dateWords(conference.date)} · you are {roleWords(entry.role, conference.kind).toLowerCase()}
        {entry.final && ' · record closed'}
      </p>
      {conference.referral && <p className="conference-meta">{holdByWords(conference.referral, conference.date)}</p>}
      {entry.dateLooksWrong && (
        <p className="due-date due-overdue">
          <span className="due-state"><span className="due-icon" aria-hidden="true">⚠</span>Date looks wrong</span>
          <span className="due-what">The conference date above cannot be right, so no dates are worked out from it. The {kindTerms(conference.kind).chairInSentence}, note-taker or social worker can put it right: open the conference, and under “About this conference” choose “Change title or date”.</span>
        </p>
      )}
      {entry.dates.length > 0 && (
        <ul className="due-dates">
          {entry.dates.map((date) => <DueDate key={date.id} date={date} />)}
        </ul>
      )}
    </article>
  )
}

const STATE_WORDS: Readonly<Record<Exclude<DashboardDate['state'], 'done'>, string>> = {
  overdue: 'Overdue',
  due: 'Due now',
  upcoming: 'Coming up',
  booked: 'Booked',
  'booked-late': 'Booked late',
}

function DueDate({ date }: { date: DashboardDate }) {
  const state = date.state === 'done' ? 'upcoming' : date.state
  return (
    <li className={`due-date due-${state}`}>
      <span className="due-state">
        {(state === 'overdue' || state === 'booked-late') && <span className="due-icon" aria-hidden="true">⚠</span>}
        {STATE_WORDS[state]}
      </span>
      <span className="due-what">
        {date.label}: {dateWords(date.date)}
        {date.latest !== date.date && ` (${dateWords(date.latest)} at the latest)`}
        {date.booked && ` · booked for ${dateWords(date.booked)}`}
        {date.state === 'booked-late' && `: later than the rule allows (${date.rule})`}
        {date.sentSoFar === 'draft' && ' · only a draft has been sent: send the final minutes once the record is closed'}
        {date.sentSoFar === 'unknown' && ' · minutes were sent, but it was not recorded whether they were the final ones'}
      </span>
      <span className="due-rule">{date.rule}</span>
    </li>
  )
}

function OpenAction({ action }: { action: DashboardAction }) {
  const { assigned, written } = action.yours
  return (
    <li className={action.overdue ? 'dashboard-action due-overdue' : 'dashboard-action'}>
      {action.overdue && (
        <span className="due-state"><span className="due-icon" aria-hidden="true">⚠</span>Overdue</span>
      )}
      <span className="action-what">{action.what || 'An action with no words yet'}</span>
      <span className="conference-meta">
        {assigned ? 'For you' : `For ${action.who || 'nobody named yet'} · you wrote it`}
        {' · '}{action.byWhen ? `by ${dateWords(action.byWhen)}` : 'no date agreed'}
        {' · '}{action.conferenceTitle}
        {assigned && written && ' · you wrote it'}
      </span>
    </li>
  )
}

/** Conferences with something overdue first, then by their next date. */
function byUrgency(a: DashboardConference, b: DashboardConference): number {
  const overdue = (entry: DashboardConference): number => (entry.dateLooksWrong || entry.dates.some((date) => date.state === 'overdue') ? 0 : 1)
  const next = (entry: DashboardConference): string => entry.dates[0]?.date ?? '9999-12-31'
  return overdue(a) - overdue(b) || next(a).localeCompare(next(b))
}
