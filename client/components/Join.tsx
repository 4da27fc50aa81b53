import { useEffect, useState, type SubmitEvent } from 'react'
import { redeemInvitation, type SessionInfo } from '../api'
import { conferencePath, followLink, fragmentSecret, navigate } from '../navigation'
import { adoptSession } from '../session'
import { FormProblem, TextField, problemOf, useRequest, type Problem } from './forms'

const ASK_AGAIN = 'If it still does not work, ask the person who invited you for a new one.'

/**
 * One redemption per link per page: React may run an effect twice (StrictMode), and each
 * redemption can count as one more device on the invitation.
 */
const redeeming = new Map<string, Promise<{ session: SessionInfo; conferenceId: string }>>()

function redeemLinkOnce(token: string): Promise<{ session: SessionInfo; conferenceId: string }> {
  let redemption = redeeming.get(token)
  if (!redemption) {
    redemption = redeemInvitation({ token })
    redeeming.set(token, redemption)
  }
  return redemption
}

/** Signed in to the conference: the secret leaves the address bar and the history. */
function enter({ session, conferenceId }: { session: SessionInfo; conferenceId: string }): void {
  adoptSession(session)
  navigate(conferencePath(conferenceId), { replace: true })
}

/**
 * `/join#<token>` (the invitation link) signs this device in straight away; `/join` alone asks
 * for the code that was read out or sent.
 */
export function JoinPage() {
  const [token] = useState(fragmentSecret)
  const [linkProblem, setLinkProblem] = useState<Problem | null>(null)
  const [code, setCode] = useState('')
  const [missing, setMissing] = useState('')
  const { pending, problem, run } = useRequest()
  const usingLink = token !== '' && linkProblem === null

  useEffect(() => { document.title = 'Join a family meeting — SafetyMap' }, [])

  useEffect(() => {
    if (!token) return
    let current = true
    redeemLinkOnce(token).then(
      (joined) => { if (current) enter(joined) },
      (error: unknown) => {
        if (!current) return
        // A refused link is no use in the address bar (or in a reload).
        window.history.replaceState(null, '', window.location.pathname)
        setLinkProblem(problemOf(error))
      },
    )
    return () => { current = false }
  }, [token])

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!code.trim()) {
      setMissing('Please type your code.')
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
          <FormProblem problem={linkProblem}><p>{ASK_AGAIN}</p></FormProblem>
          <form className="stack-form" onSubmit={submit} noValidate>
            <FormProblem problem={problem}><p>{ASK_AGAIN}</p></FormProblem>
            <TextField
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
              <button type="submit" disabled={pending}>{pending ? 'Joining…' : 'Join the meeting'}</button>
            </div>
          </form>
          <p className="hint">Professionals with a SafetyMap account: <a href="/sign-in" onClick={followLink}>sign in here</a>.</p>
        </>
      )}
    </main>
  )
}
