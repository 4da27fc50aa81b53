import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react'
import { getConference, type ConferenceSummary, type Membership, type SessionInfo } from './api'
import type { ConferenceKind } from '../shared/conference/details'
import { ConferenceList } from './components/ConferenceList'
import { FormProblem, problemOf, type Problem } from './components/forms'
import { JoinPage } from './components/Join'
import { SignInPage } from './components/SignIn'
import { conferencePath, followLink, navigate, parseRoute, PROGRAMME_PATH, returnPathAfterSignIn, usePathname, type Route } from './navigation'
import { NeutralPage, useLeftQuickly } from './leaveQuickly'
import { isAdmin, refreshSession, seesProgramme, sessionName, signOut, useSession } from './session'
import { roleWords } from '../shared/conference/agenda'
import { anythingNotSaved } from './unsavedWork'
import { clearEveryDeviceCopyIfSaved } from './sync/deviceCopy'

// The editor and sync code is most of the JavaScript: the list of conferences does not wait for it.
const loadBoard = () => import('./components/Board')
const Board = lazy(async () => ({ default: (await loadBoard()).Board }))
const Present = lazy(async () => ({ default: (await import('./components/agenda/Present')).Present }))
// Pages few people see, and rarely.
const AdminPage = lazy(async () => ({ default: (await import('./components/Admin')).AdminPage }))
const AccountPage = lazy(async () => ({ default: (await import('./components/Account')).AccountPage }))
const WelcomePage = lazy(async () => ({ default: (await import('./components/AccountSetup')).WelcomePage }))
const SetPasswordPage = lazy(async () => ({ default: (await import('./components/AccountSetup')).SetPasswordPage }))
const FeedbackPage = lazy(async () => ({ default: (await import('./components/programmes/FeedbackPage')).FeedbackPage }))
const ProgrammePage = lazy(async () => ({ default: (await import('./components/programmes/ProgrammePage')).ProgrammePage }))

/** Pages that sign people in by a link, shown whoever is signed in. */
const DOORWAYS: ReadonlySet<Route['page']> = new Set(['welcome', 'set-password', 'join'])

export function App() {
  const route = parseRoute(usePathname())
  const sessionState = useSession()
  const session = sessionState.state === 'known' ? sessionState.session : null
  const invitedEnded = sessionState.state === 'known' ? sessionState.invitedEnded : null
  const onConference = route.page === 'conference' || route.page === 'present'
  const access = useConferenceAccess(onConference && session ? { conferenceId: route.conferenceId, who: whoIs(session) } : null)
  const redirect = redirectFor(route, sessionState.state === 'known' ? session : undefined)

  useEffect(() => { if (redirect) navigate(redirect, { replace: true }) }, [redirect])
  const leftQuickly = useLeftQuickly()

  // "Leave quickly" was pressed: nothing of SafetyMap stays on the screen, not even its name.
  if (leftQuickly) return <NeutralPage />

  let page: ReactNode
  if (route.page === 'welcome') page = <Lazy><WelcomePage /></Lazy>
  else if (route.page === 'set-password') page = <Lazy><SetPasswordPage /></Lazy>
  else if (route.page === 'join') page = <JoinPage ended={invitedEnded} />
  else if (sessionState.state === 'loading' || redirect) page = <Waiting words="Loading…" />
  else if (sessionState.state === 'failed') page = <Unreachable message={sessionState.message} />
  // An invited person has no password: their way back is their link or code. The sign-in page
  // itself stays there for a professional (the join page links to it).
  else if (!session) page = invitedEnded && route.page !== 'sign-in' ? <JoinPage ended={invitedEnded} /> : <SignInPage />
  else if (route.page === 'list') page = <ConferenceList />
  else if (route.page === 'conference') page = <ConferencePage access={access} session={session} />
  else if (route.page === 'present') page = <ConferencePage access={access} session={session} present />
  else if (route.page === 'feedback') page = <Lazy><FeedbackPage key={route.conferenceId} conferenceId={route.conferenceId} /></Lazy>
  else if (route.page === 'admin' && session.kind === 'account' && isAdmin(session)) page = <Lazy><AdminPage you={session.account.id} /></Lazy>
  else if (route.page === 'programme' && seesProgramme(session)) page = <Lazy><ProgrammePage /></Lazy>
  else if (route.page === 'account' && session.kind === 'account') page = <Lazy><AccountPage account={session.account} /></Lazy>
  else page = <NotFound session={session} />

  // The shared screen shows the meeting and nothing about whoever opened it.
  if (route.page === 'present') return page

  // On a board, the name and role are the ones in that conference.
  const opened = route.page === 'conference' && access.state === 'open' ? access : null

  return (
    <>
      <a className="skip-link" href="#main">Skip to main content</a>
      <header className="app-header">
        <a className="brand" href="/" onClick={followLink}>SafetyMap</a>
        {session && !DOORWAYS.has(route.page) && <You session={session} membership={opened?.you ?? null} kind={opened?.conference.kind ?? null} />}
      </header>
      {page}
    </>
  )
}

/**
 * Where a page sends people instead: a signed-in person away from the sign-in page, and an
 * invited person (who is in one conference only) from the list to their conference.
 * `session` is undefined while not yet known.
 */
function redirectFor(route: Route, session: SessionInfo | null | undefined): string | null {
  if (!session) return null
  if (route.page === 'sign-in') return returnPathAfterSignIn()
  if (route.page === 'list' && session.kind === 'participant') return conferencePath(session.participant.conferenceId)
  return null
}

function You({ session, membership, kind }: { session: SessionInfo; membership: Membership | null; kind: ConferenceKind | null }) {
  const [problem, setProblem] = useState<Problem | null>(null)
  const [signingOut, setSigningOut] = useState(false)
  const name = membership?.name ?? sessionName(session)

  // Asked first when words on this page are not saved yet: signed out, they would wait on this
  // device (perhaps a shared one) or be lost, and nobody would know.
  const [confirming, setConfirming] = useState(false)

  const leave = (): void => {
    setConfirming(false)
    setSigningOut(true)
    setProblem(null)
    signOut().then(
      () => {
        // Someone invited by a link or code has no password to sign in with.
        navigate(session.kind === 'participant' ? '/join' : '/sign-in')
        // Once the board has closed its copy (navigating unmounts it).
        void clearEveryDeviceCopyIfSaved()
      },
      (error: unknown) => { setSigningOut(false); setProblem(problemOf(error)) },
    )
  }

  return (
    <div className="you">
      <p>
        You are <strong>{name}</strong>
        {membership && kind && <> · {roleWords(membership.role, kind)}</>}
      </p>
      <nav aria-label="Your account" className="you-links">
        {session.kind === 'account' && <a href="/account" onClick={followLink}>Your account</a>}
        {isAdmin(session) && <a href="/admin" onClick={followLink}>Administration</a>}
        {seesProgramme(session) && <a href={PROGRAMME_PATH} onClick={followLink}>Programme figures</a>}
        <button type="button" className="link-button" disabled={signingOut} onClick={() => { if (anythingNotSaved()) setConfirming(true); else leave() }}>Sign out</button>
      </nav>
      {confirming && (
        <div className="confirm" role="group" aria-label="Sign out before your changes are saved?">
          <p>Some of your changes are not saved yet. If you sign out now, they may be lost. Stay until it says Saved?</p>
          <button type="button" className="secondary" onClick={() => { setConfirming(false) }} autoFocus>Stay signed in</button>
          <button type="button" className="danger" onClick={leave}>Sign out anyway</button>
        </div>
      )}
      <FormProblem problem={problem} />
    </div>
  )
}

type AccessState =
  | { state: 'loading' }
  | { state: 'open'; conference: ConferenceSummary; you: Membership; reload: () => void }
  | { state: 'failed'; problem: Problem; retry: () => void }

/** Who is signed in, as a key: an answer for one person is never shown to the next. */
function whoIs(session: SessionInfo): string {
  return session.kind === 'account' ? `account:${session.account.id}` : `participant:${session.participant.id}`
}

/** The conference on the board and what the signed-in person is in it (GET /api/conferences/:id). */
function useConferenceAccess(asked: { conferenceId: string; who: string } | null): AccessState {
  const [loaded, setLoaded] = useState<{ key: string; access: AccessState } | null>(null)
  const [attempt, setAttempt] = useState(0)
  const conferenceId = asked?.conferenceId ?? null
  const key = asked ? `${asked.who} ${asked.conferenceId}` : null

  useEffect(() => {
    if (!conferenceId || !key) return
    // The board's code loads while the server answers, not after.
    void loadBoard().catch(() => undefined)
    const abort = new AbortController()
    getConference(conferenceId, abort.signal).then(
      ({ conference, you }) => {
        // Asks again while still showing this answer (the person's role changed).
        const reload = (): void => { setAttempt((n) => n + 1) }
        setLoaded({ key, access: { state: 'open', conference, you, reload } })
      },
      (error: unknown) => {
        if (abort.signal.aborted) return
        const retry = (): void => { setLoaded(null); setAttempt((n) => n + 1) }
        setLoaded({ key, access: { state: 'failed', problem: problemOf(error), retry } })
      },
    )
    return () => { abort.abort() }
  }, [conferenceId, key, attempt])

  return loaded && loaded.key === key ? loaded.access : { state: 'loading' }
}

/** A conference's board, or (`present`) its shared screen, once the server has said who this person is in it. */
function ConferencePage({ access, session, present = false }: { access: AccessState; session: SessionInfo; present?: boolean }) {
  if (access.state === 'loading') return <Waiting words="Opening the conference…" />
  if (access.state === 'failed') {
    const notFound = access.problem.code === 'conference-not-found'
    return (
      <main className="page" id="main">
        <h1>{notFound ? 'Conference not found' : 'The conference could not be opened'}</h1>
        <FormProblem problem={access.problem}>
          {!notFound && <button type="button" onClick={access.retry}>Try again</button>}
        </FormProblem>
        {session.kind === 'account' && <p><a href="/" onClick={followLink}>See all conferences</a></p>}
      </main>
    )
  }
  if (present) {
    return (
      <Lazy fallback="Opening the conference…">
        <Present key={access.conference.id} conference={access.conference} you={access.you} />
      </Lazy>
    )
  }
  return (
    <Lazy fallback="Opening the conference…">
      <Board key={access.conference.id} conference={access.conference} you={access.you} onRoleChanged={access.reload} />
    </Lazy>
  )
}

function Lazy({ children, fallback = 'Loading…' }: { children: ReactNode; fallback?: string }) {
  return <Suspense fallback={<Waiting words={fallback} />}>{children}</Suspense>
}

function Waiting({ words }: { words: string }) {
  return <main className="page" id="main"><p className="waiting">{words}</p></main>
}

function Unreachable({ message }: { message: string }) {
  return (
    <main className="page" id="main">
      <h1>SafetyMap could not be reached</h1>
      <div role="alert" className="problem">
        <p>{message}</p>
        <button type="button" onClick={() => { void refreshSession() }}>Try again</button>
      </div>
    </main>
  )
}

function NotFound({ session }: { session: SessionInfo }) {
  useEffect(() => { document.title = 'Page not found — SafetyMap' }, [])
  return (
    <main className="page" id="main">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address.{' '}
        {session.kind === 'account'
          ? <a href="/" onClick={followLink}>See all conferences</a>
          : <a href={conferencePath(session.participant.conferenceId)} onClick={followLink}>Go to your meeting</a>}
      </p>
    </main>
  )
}
