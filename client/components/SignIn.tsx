import { useEffect, useRef, useState, type SubmitEvent } from 'react'
import { ApiError, setupNeeded } from '../api'
import { followLink } from '../navigation'
import { signIn } from '../session'
import { FormProblem, SubmitButton, TextField, useFocusOnceShown, useRequest } from './forms'

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
  const { pending, problem, setProblem, run } = useRequest()
  const notSetUp = useSetupNeeded()
  const codeBox = useRef<HTMLInputElement>(null)
  const emailBox = useRef<HTMLInputElement>(null)
  const passwordBox = useRef<HTMLInputElement>(null)
  const focusOnceShown = useFocusOnceShown()
  // A wrong code is said at the code box, which takes the focus again so it is read out with it.
  const codeRefused = problem?.code === 'second-factor-wrong' ? problem.message : undefined
  useEffect(() => {
    if (!codeRefused) return
    codeBox.current?.focus()
    codeBox.current?.select()
  }, [problem, codeRefused])

  useEffect(() => { document.title = 'Sign in — SafetyMap' }, [])

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const empty: Record<string, string> = {}
    if (!email.trim()) empty.email = 'Please type your email address.'
    if (!password) empty.password = 'Please type your password.'
    if (needsCode && !code.trim()) empty.code = 'Please type the 6-digit code.'
    setMissing(empty)
    if (Object.keys(empty).length > 0) {
      setProblem(null)
      focusOnceShown(empty.email ? emailBox : empty.password ? passwordBox : codeBox)
      return
    }
    const secondStep = needsCode ? { code: code.replace(/\s/g, '') } : {}
    run(async () => {
      try {
        await signIn({ email: email.trim(), password, ...secondStep })
        return 'signed-in'
      } catch (error) {
        // The server asks for the second step only once the password was right. A wrong code
        // (`second-factor-wrong`) is a problem of its own, shown at the code box.
        if (error instanceof ApiError && error.code === 'second-factor-needed') return 'needs-code'
        if (error instanceof ApiError && error.code === 'second-factor-wrong') setNeedsCode(true)
        throw error
      }
    }, (result) => { if (result === 'needs-code') setNeedsCode(true) })
  }

  const fieldError = (name: string): string | undefined => missing[name] ?? (name === 'code' ? codeRefused : undefined) ?? problem?.fields[name]

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
        <FormProblem problem={codeRefused ? null : problem} />
        <TextField ref={emailBox} label="Email address" type="email" autoComplete="username" value={email} onChange={setEmail} error={fieldError('email')} />
        <TextField ref={passwordBox} label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} error={fieldError('password')} />
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
            ref={codeBox}
            autoFocus
          />
        )}
        <div className="actions">
          <SubmitButton pending={pending}>{pending ? 'Signing in…' : 'Sign in'}</SubmitButton>
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
