import { useEffect, useRef, useState, type SubmitEvent } from 'react'
import { ApiError, redeemInvitation, type SessionInfo } from '../api'
import { conferencePath, followLink, fragmentSecret, navigate } from '../navigation'
import { adoptSession, type InvitedSessionEnd } from '../session'
import { FormProblem, problemOf, SubmitButton, TextField, useFocusOnceShown, useRequest, type Problem } from './forms'

const ASK_AGAIN = 'If it still does not work, ask the person who invited you for a new one.'
const NO_SIGNAL = 'We could not reach SafetyMap. Check you have signal, then try again.'

/**
 * One redemption per link per page: React may run an effect twice (StrictMode), and each
 * redemption can count as one more device on the invitation. A redemption that never got an
 * answer is forgotten, so that trying again asks the server again.
 */
const redeeming = new Map<string, Promise<{ session: SessionInfo; conferenceId: string }>>()

function redeemLinkOnce(token: string): Promise<{ session: SessionInfo; conferenceId: string }> {
  let redemption = redeeming.get(token)
  if (!redemption) {
    const asked = redeemInvitation({ token })
    redeeming.set(token, asked)
    asked.catch((error: unknown) => { if (!linkRefused(error) && redeeming.get(token) === asked) redeeming.delete(token) })
    redemption = asked
  }
  return redemption
}

/**
 * The server looked at the link and said no (not valid, expired, withdrawn, used on too many
 * devices): asking again will not help. No answer (no signal), a server in trouble (5xx), "too
 * many attempts" or a professional signed in on this device (who signs out, then tries again) is
 * not a verdict on the link.
 */
function linkRefused(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429 && error.code !== 'signed-in-as-professional'
}

/** The invitation link from the address: being opened, `refused` by the server, or `unanswered` (it can be tried again). */
type LinkOutcome =
  | { state: 'opening' }
  | { state: 'refused'; problem: Problem }
  | { state: 'unanswered'; problem: Problem }

function unansweredProblem(error: unknown): Problem {
  return error instanceof ApiError && error.status !== 0 ? problemOf(error) : { message: NO_SIGNAL, code: 'network-error', fields: {} }
}

/** Signed in to the conference: the secret leaves the address bar and the history. */
function enter({ session, conferenceId }: { session: SessionInfo; conferenceId: string }): void {
  adoptSession(session)
  navigate(conferencePath(conferenceId), { replace: true })
}

/** How to come back, said first: after being signed out, or taking the record off this device. */
const COME_BACK: Readonly<Record<InvitedSessionEnd | 'new', string>> = {
  new: 'Open the link in the message you were sent, or type your code below.',
  signedOut: 'You have been signed out. To carry on, open the link in your message again, or type your code below.',
  recordRemoved: 'The record was removed from this device. To open it again, open the link in your message, or type your code below.',
  takenOut: 'You are no longer part of this meeting, so its record has been taken off this device. If you think this is a mistake, ask the person who invited you. If you were sent a new link or code, open it or type the code below.',
}

/**
 * `/join#<token>` (the invitation link) signs this device in straight away; `/join` alone asks
 * for the code that was read out or sent. `ended`: this device was signed in by a link or code
 * until a moment ago (and why it is not now), so this is how they come back.
 */
export function JoinPage({ ended = null }: { ended?: InvitedSessionEnd | null }) {
  // Read once: kept here for "Try again" when the address bar no longer has it.
  const [token] = useState(fragmentSecret)
  const [link, setLink] = useState<LinkOutcome>({ state: 'opening' })
  const [attempt, setAttempt] = useState(0)
  const [code, setCode] = useState('')
  const [missing, setMissing] = useState('')
  const { pending, problem, run } = useRequest()
  const codeBox = useRef<HTMLInputElement>(null)
  const focusOnceShown = useFocusOnceShown()
  const usingLink = token !== '' && link.state === 'opening'

  useEffect(() => { document.title = 'Join a family meeting — SafetyMap' }, [])

  useEffect(() => {
    if (!token) return
    let current = true
    redeemLinkOnce(token).then(
      (joined) => { if (current) enter(joined) },
      (error: unknown) => {
        if (!current) return
        // Out of the address bar (and a reload) either way: a refused link is no use there, and
        // one not yet answered is kept on this page for "Try again".
        window.history.replaceState(null, '', window.location.pathname)
        setLink(linkRefused(error) ? { state: 'refused', problem: problemOf(error) } : { state: 'unanswered', problem: unansweredProblem(error) })
      },
    )
    return () => { current = false }
  }, [token, attempt])

  const tryLinkAgain = (): void => {
    setLink({ state: 'opening' })
    setAttempt((n) => n + 1)
  }

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!code.trim()) {
      setMissing('Please type your code.')
      focusOnceShown(codeBox)
      return
    }
    setMissing('')
    // The server ignores spaces, dashes and small or capital letters.
    run(() => redeemInvitation({ code: code.trim() }), enter)
  }

  return (
    <main className="page narrow" id="main">
      <h1>Join a family meeting</h1>
      {usingLink ? (
        <p className="waiting">Opening your meeting…</p>
      ) : (
        <>
          {/* Not beside a link that failed: the problem says what to do about it. */}
          {(ended || !token) && <p role={ended ? 'status' : undefined}>{COME_BACK[ended ?? 'new']}</p>}
          {link.state === 'refused' && <FormProblem problem={link.problem}><p>{ASK_AGAIN}</p></FormProblem>}
          {link.state === 'unanswered' && (
            <FormProblem problem={link.problem}>
              <button type="button" onClick={tryLinkAgain}>Try again</button>
            </FormProblem>
          )}
          <form className="stack-form" onSubmit={submit} noValidate>
            {/* A new code helps only when the server said no to this one, not when it was not reached. */}
            {problem?.code === 'invitation-not-valid' ? <FormProblem problem={problem}><p>{ASK_AGAIN}</p></FormProblem> : <FormProblem problem={problem} />}
            <TextField
              ref={codeBox}
              label="Your code"
              hint="It is in the message you were given, and looks like ABCDE-FGHJK. Spaces, dashes and small or capital letters do not matter."
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={40}
              value={code}
              onChange={(value) => { setCode(value); setMissing('') }}
              error={missing || problem?.fields.code}
            />
            <div className="actions">
              <SubmitButton pending={pending}>{pending ? 'Joining…' : 'Join the meeting'}</SubmitButton>
            </div>
          </form>
          <p className="hint">Professionals with a SafetyMap account: <a href="/sign-in" onClick={followLink}>sign in here</a>.</p>
        </>
      )}
    </main>
  )
}
