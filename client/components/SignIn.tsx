import { useEffect, useState, type SubmitEvent } from 'react'
import { ApiError, setupNeeded } from '../api'
import { followLink } from '../navigation'
import { signIn } from '../session'
import { FormProblem, TextField, useRequest } from './forms'

/**
 * Shown instead of any page while nobody is signed in (except the pages that sign people in by a
 * link). Professionals sign in here; families are pointed to their link or code.
 */
export function SignInPage() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [needsCode, setNeedsCode] = useState(false)
  const [missing, setMissing] = useState<Record<string, string>>({})
  const { pending, problem, run } = useRequest()
  const notSetUp = useSetupNeeded()

  useEffect(() => { document.title = 'Sign in — SafetyMap' }, [])

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const empty: Record<string, string> = {}
    if (!email.trim()) empty.email = 'Please type your email address.'
    if (!password) empty.password = 'Please type your password.'
    if (needsCode && !code.trim()) empty.code = 'Please type the 6-digit code.'
    setMissing(empty)
    if (Object.keys(empty).length > 0) return
    const secondStep = needsCode ? { code: code.replace(/\s/g, '') } : {}
    run(async () => {
      try {
        await signIn({ email: email.trim(), password, ...secondStep })
        return 'signed-in'
      } catch (error) {
        // The server asks for the second step only once the password was right.
        if (error instanceof ApiError && error.code === 'second-factor-needed') return 'needs-code'
        throw error
      }
    }, (result) => { if (result === 'needs-code') setNeedsCode(true) })
  }

  const fieldError = (name: string): string | undefined => missing[name] ?? problem?.fields[name]

  return (
    <main className="page narrow" id="main">
      <h1>Sign in</h1>
      <p className="family-note">
        Here for a family meeting? Use the link or the code you were given.{' '}
        <a href="/join" onClick={followLink}>Type your code</a>
      </p>
      {notSetUp && (
        <p className="problem">
          SafetyMap is not set up yet. Open the welcome link shown when SafetyMap was first started.
        </p>
      )}
      <form className="stack-form" onSubmit={submit} noValidate>
        <p className="hint">For professionals with a SafetyMap account.</p>
        <FormProblem problem={problem} />
        <TextField label="Email address" type="email" autoComplete="username" value={email} onChange={setEmail} error={fieldError('email')} />
        <TextField label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} error={fieldError('password')} />
        {needsCode && (
          <TextField
            label="6-digit code from your authenticator app"
            hint="Open the authenticator app on your phone and type the code it shows for SafetyMap."
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={12}
            value={code}
            onChange={setCode}
            error={fieldError('code')}
            autoFocus
          />
        )}
        <div className="actions">
          <button type="submit" disabled={pending}>{pending ? 'Signing in…' : 'Sign in'}</button>
        </div>
      </form>
    </main>
  )
}

/** True when SafetyMap still waits for its first administrator (worth saying on the sign-in page). */
function useSetupNeeded(): boolean {
  const [needed, setNeeded] = useState(false)
  useEffect(() => {
    const abort = new AbortController()
    // Only a hint: if the question fails, the sign-in form is still the right page.
    setupNeeded(abort.signal).then(setNeeded, () => undefined)
    return () => { abort.abort() }
  }, [])
  return needed
}
