import { useEffect, useRef, useState, type SubmitEvent } from 'react'
import { setPassword, setUp, setupNeeded } from '../api'
import { followLink, fragmentSecret, navigate } from '../navigation'
import { adoptSession } from '../session'
import { FormProblem, SubmitButton, TextField, useFocusFirstInError, useRequest } from './forms'

/** Matches the server's rule (server/auth/passwords.ts); the server has the last word. */
export const PASSWORD_HINT = 'At least 12 characters. A few words that do not belong together are easy to remember and hard to guess.'

export function passwordProblems(password: string, again: string): Record<string, string> {
  const problems: Record<string, string> = {}
  if (!password) problems.password = 'Please choose a password.'
  else if (again !== password) problems.again = 'The two passwords are not the same. Please type them again.'
  return problems
}

/** Signed in with a fresh session: the one-time secret leaves the address bar. */
function signedIn(session: Parameters<typeof adoptSession>[0]): void {
  adoptSession(session)
  navigate('/', { replace: true })
}

/** `/welcome#<token>`: the first administrator sets SafetyMap up with the link printed at its first start. */
export function WelcomePage() {
  const [token] = useState(fragmentSecret)
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPasswordText] = useState('')
  const [again, setAgain] = useState('')
  const [checks, setChecks] = useState<Record<string, string>>({})
  const [alreadySetUp, setAlreadySetUp] = useState(false)
  const { pending, problem, setProblem, run } = useRequest()
  const form = useRef<HTMLFormElement>(null)
  useFocusFirstInError(form, problem, checks)

  useEffect(() => {
    document.title = 'Set up SafetyMap'
    const abort = new AbortController()
    setupNeeded(abort.signal).then((needed) => { setAlreadySetUp(!needed) }, () => undefined)
    return () => { abort.abort() }
  }, [])

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found = passwordProblems(password, again)
    if (!name.trim()) found.name = 'Please type your name.'
    if (!email.trim()) found.email = 'Please type your email address.'
    setChecks(found)
    // The server's last answer was about the password as it was then: not shown beside this one.
    if (Object.keys(found).length > 0) {
      setProblem(null)
      return
    }
    run(() => setUp({ token, name: name.trim(), email: email.trim(), password }), signedIn)
  }

  const error = (field: string): string | undefined => checks[field] ?? problem?.fields[field]

  return (
    <main className="page narrow" id="main">
      <h1>Set up SafetyMap</h1>
      {alreadySetUp ? (
        <p>SafetyMap is already set up. <a href="/sign-in" onClick={followLink}>Sign in</a></p>
      ) : !token ? (
        <p className="problem">This page needs the welcome link shown when SafetyMap was first started. Open that link, as it is, in this browser.</p>
      ) : (
        <form ref={form} className="stack-form" onSubmit={submit} noValidate>
          <p>You will be the first administrator: you can then add the other professionals.</p>
          <FormProblem problem={problem} />
          <TextField label="Your name" autoComplete="name" value={name} onChange={setName} error={error('name')} />
          <TextField label="Email address" type="email" autoComplete="username" value={email} onChange={setEmail} error={error('email')} />
          <TextField label="Choose a password" type="password" autoComplete="new-password" hint={PASSWORD_HINT} value={password} onChange={setPasswordText} error={error('password')} />
          <TextField label="Type the password again" type="password" autoComplete="new-password" value={again} onChange={setAgain} error={error('again')} />
          <div className="actions">
            <SubmitButton pending={pending}>{pending ? 'Setting up…' : 'Set up SafetyMap'}</SubmitButton>
          </div>
        </form>
      )}
    </main>
  )
}

/** `/set-password#<token>`: the one-time link an administrator gave a new professional. */
export function SetPasswordPage() {
  const [token] = useState(fragmentSecret)
  const [password, setPasswordText] = useState('')
  const [again, setAgain] = useState('')
  const [checks, setChecks] = useState<Record<string, string>>({})
  const { pending, problem, setProblem, run } = useRequest()
  const form = useRef<HTMLFormElement>(null)
  useFocusFirstInError(form, problem, checks)

  useEffect(() => { document.title = 'Choose your password — SafetyMap' }, [])

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found = passwordProblems(password, again)
    setChecks(found)
    // The server's last answer was about the password as it was then: not shown beside this one.
    if (Object.keys(found).length > 0) {
      setProblem(null)
      return
    }
    run(() => setPassword({ token, password }), signedIn)
  }

  const error = (field: string): string | undefined => checks[field] ?? problem?.fields[field]

  return (
    <main className="page narrow" id="main">
      <h1>Choose your password</h1>
      {!token ? (
        <p className="problem">This page needs the link your administrator gave you. Open that link, as it is, in this browser.</p>
      ) : (
        <form ref={form} className="stack-form" onSubmit={submit} noValidate>
          <p>You will use it with your email address to sign in to SafetyMap. This link works once.</p>
          <FormProblem problem={problem}>
            <p>If the link no longer works, ask your administrator for a new link.</p>
          </FormProblem>
          <TextField label="Choose a password" type="password" autoComplete="new-password" hint={PASSWORD_HINT} value={password} onChange={setPasswordText} error={error('password')} />
          <TextField label="Type the password again" type="password" autoComplete="new-password" value={again} onChange={setAgain} error={error('again')} />
          <div className="actions">
            <SubmitButton pending={pending}>{pending ? 'Saving…' : 'Save password'}</SubmitButton>
          </div>
        </form>
      )}
    </main>
  )
}
