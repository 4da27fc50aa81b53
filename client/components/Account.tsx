import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react'
import { changePassword, confirmSecondFactor, moveSecondFactor, startSecondFactor, type AccountSummary, type SecondFactorSetup } from '../api'
import { adoptSession } from '../session'
import { PASSWORD_HINT, passwordProblems } from './AccountSetup'
import { CopyableSecret, FormProblem, SubmitButton, TextField, useFocusFirstInError, useRequest } from './forms'

/** `/account`: a professional's own account, their password, and the second sign-in step (an authenticator app code). */
export function AccountPage({ account }: { account: AccountSummary }) {
  useEffect(() => { document.title = 'Your account — SafetyMap' }, [])
  return (
    <main className="page narrow" id="main">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{account.name}</dd>
        <dt>Email address</dt>
        <dd>{account.email}</dd>
      </dl>
      <ChangePassword />
      <SecondFactor account={account} />
    </main>
  )
}

/** Moves the keyboard focus to `target` once it is on the page (after the render that shows it). */
function useFocusWhen(ready: unknown, target: { current: HTMLElement | null }): void {
  useEffect(() => {
    if (ready) target.current?.focus()
  }, [ready, target])
}

function ChangePassword() {
  const headingId = useId()
  const [current, setCurrent] = useState('')
  const [password, setPassword] = useState('')
  const [again, setAgain] = useState('')
  const [checks, setChecks] = useState<Record<string, string>>({})
  const [done, setDone] = useState(false)
  const { pending, problem, setProblem, run } = useRequest()
  const form = useRef<HTMLFormElement>(null)
  const doneMessage = useRef<HTMLParagraphElement>(null)
  useFocusWhen(done, doneMessage)
  useFocusFirstInError(form, problem, checks)

  const error = (field: string): string | undefined => checks[field] ?? problem?.fields[field]

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found = passwordProblems(password, again)
    if (!current) found.currentPassword = 'Please type the password you sign in with now.'
    setChecks(found)
    setDone(false)
    if (Object.keys(found).length > 0) {
      // The server's last answer was about the passwords as they were then: not shown beside these.
      setProblem(null)
      return
    }
    run(() => changePassword({ currentPassword: current, password }), (session) => {
      setCurrent('')
      setPassword('')
      setAgain('')
      adoptSession(session)
      setDone(true)
    })
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Password</h2>
      {done && (
        <p ref={doneMessage} tabIndex={-1} className="account-done">
          Your password is changed. Use the new one from now on. Anywhere else you were signed in, you are now signed out.
        </p>
      )}
      <form ref={form} className="stack-form" onSubmit={submit} noValidate>
        <FormProblem problem={problem} />
        <TextField label="Your password now" type="password" autoComplete="current-password" value={current} onChange={setCurrent} error={error('currentPassword')} />
        <TextField label="Choose a new password" type="password" autoComplete="new-password" hint={PASSWORD_HINT} value={password} onChange={setPassword} error={error('password')} />
        <TextField label="Type the new password again" type="password" autoComplete="new-password" value={again} onChange={setAgain} error={error('again')} />
        <div className="actions">
          <SubmitButton pending={pending}>{pending ? 'Changing…' : 'Change password'}</SubmitButton>
        </div>
      </form>
    </section>
  )
}

/** Where the second step is: off, being set up (the first time or on a new phone), or on. */
type Stage =
  | { kind: 'idle' }
  | { kind: 'moving' }
  | { kind: 'setup'; setup: SecondFactorSetup; newPhone: boolean }

function SecondFactor({ account }: { account: AccountSummary }) {
  const headingId = useId()
  const [stage, setStage] = useState<Stage>({ kind: 'idle' })
  const [done, setDone] = useState<'on' | 'moved' | null>(null)
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const [oldCode, setOldCode] = useState('')
  const [missing, setMissing] = useState<Record<string, string>>({})
  const starting = useRequest()
  const moving = useRequest()
  const confirming = useRequest()
  const moveButton = useRef<HTMLButtonElement>(null)
  const passwordBox = useRef<HTMLInputElement>(null)
  const oldCodeBox = useRef<HTMLInputElement>(null)
  const codeBox = useRef<HTMLInputElement>(null)
  const setupIntro = useRef<HTMLParagraphElement>(null)
  const doneMessage = useRef<HTMLParagraphElement>(null)
  /** The button to give the focus back to after Cancel. */
  const [returnFocus, setReturnFocus] = useState(0)

  useFocusWhen(stage.kind === 'moving', passwordBox)
  useFocusWhen(stage.kind === 'setup', setupIntro)
  useFocusWhen(done, doneMessage)
  useFocusWhen(returnFocus, moveButton)
  useEffect(() => {
    if (moving.problem?.fields.code) oldCodeBox.current?.focus()
    else if (moving.problem) passwordBox.current?.focus()
  }, [moving.problem])
  useEffect(() => { if (confirming.problem) codeBox.current?.focus() }, [confirming.problem])
  useEffect(() => { if (starting.problem) passwordBox.current?.focus() }, [starting.problem])

  const reset = (): void => {
    setPassword('')
    setOldCode('')
    setCode('')
    setMissing({})
  }

  const begin = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    setDone(null)
    starting.run(() => startSecondFactor(password), (setup) => {
      reset()
      setStage({ kind: 'setup', setup, newPhone: false })
    })
  }

  const move = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!password) found.password = 'Please type the password you sign in with.'
    if (!oldCode.trim()) found.code = 'Please type the 6-digit code your old phone shows now.'
    setMissing(found)
    if (Object.keys(found).length > 0) {
      moving.setProblem(null)
      if (found.password) passwordBox.current?.focus()
      else oldCodeBox.current?.focus()
      return
    }
    moving.run(() => moveSecondFactor({ password, code: oldCode.replace(/\s/g, '') }), (setup) => {
      reset()
      setStage({ kind: 'setup', setup, newPhone: true })
    })
  }

  const confirm = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!code.trim()) {
      setMissing({ confirm: 'Please type the 6-digit code.' })
      confirming.setProblem(null)
      codeBox.current?.focus()
      return
    }
    setMissing({})
    const newPhone = stage.kind === 'setup' && stage.newPhone
    confirming.run(() => confirmSecondFactor(code.replace(/\s/g, '')), (session) => {
      reset()
      setStage({ kind: 'idle' })
      setDone(newPhone ? 'moved' : 'on')
      adoptSession(session)
    })
  }

  const cancelMove = (): void => {
    reset()
    moving.setProblem(null)
    setStage({ kind: 'idle' })
    setReturnFocus((count) => count + 1)
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Second sign-in step</h2>
      {done && (
        <p ref={doneMessage} tabIndex={-1} className="account-done">
          {done === 'moved'
            ? 'Done: your second step is on your new phone. The codes on your old phone no longer work.'
            : 'Done: the second step is on. When you sign in, you also type the code your authenticator app shows.'}
        </p>
      )}
      {stage.kind === 'setup' ? (
        <>
          <p ref={setupIntro} tabIndex={-1}>
            {stage.newPhone
              ? 'Now the new phone. Add SafetyMap to the authenticator app on it: type in the setup key, or, on that phone, '
              : 'Add SafetyMap to your authenticator app: type in the setup key, or, on this phone, '}
            <a href={stage.setup.uri}>open it in your authenticator app</a>. Then type the code the app shows.
            {stage.newPhone && ' Until you do, your old phone’s codes still work.'}
          </p>
          <CopyableSecret label="Setup key" value={stage.setup.secret} copyLabel="Copy key" />
          <CopyableSecret label="Setup address (for apps that ask for one)" value={stage.setup.uri} copyLabel="Copy address" />
          <form className="stack-form" onSubmit={confirm} noValidate>
            <FormProblem problem={confirming.problem} />
            <TextField
              ref={codeBox}
              label={stage.newPhone ? '6-digit code from the app on your new phone' : '6-digit code from your authenticator app'}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={12}
              value={code}
              onChange={(value) => { setCode(value); setMissing({}) }}
              error={missing.confirm ?? confirming.problem?.fields.code}
            />
            <div className="actions">
              <SubmitButton pending={confirming.pending}>{stage.newPhone ? 'Use the new phone' : 'Turn on the second step'}</SubmitButton>
            </div>
          </form>
        </>
      ) : account.secondFactor && stage.kind === 'moving' ? (
        <>
          <p>
            To move the second step to a new phone, you need your old phone too: type your password and
            the code your old phone’s authenticator app shows now. Then you set up the new phone.
          </p>
          <p>
            Lost your old phone, or it no longer works? You cannot move it yourself. Ask your SafetyMap
            administrator to reset your sign-in.
          </p>
          <form className="stack-form" onSubmit={move} noValidate>
            <FormProblem problem={moving.problem} />
            <TextField
              ref={passwordBox}
              label="Your password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={missing.password ?? moving.problem?.fields.password}
            />
            <TextField
              ref={oldCodeBox}
              label="6-digit code from your old phone"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={12}
              value={oldCode}
              onChange={(value) => { setOldCode(value); setMissing({}) }}
              error={missing.code ?? moving.problem?.fields.code}
            />
            <div className="actions">
              <SubmitButton pending={moving.pending}>Set up the new phone</SubmitButton>
              <button type="button" className="secondary" onClick={cancelMove}>Cancel</button>
            </div>
          </form>
        </>
      ) : account.secondFactor ? (
        <>
          <p>It is set up: when you sign in, you also type the code your authenticator app shows.</p>
          <p>
            <button ref={moveButton} type="button" className="secondary" onClick={() => { setDone(null); setStage({ kind: 'moving' }) }}>
              Move it to a new phone
            </button>
          </p>
        </>
      ) : (
        <>
          <p>
            With a second step, a stolen password is not enough to open your conferences: you also type
            a code from an authenticator app on your phone.
          </p>
          <form className="stack-form" onSubmit={begin} noValidate>
            <FormProblem problem={starting.problem} />
            <TextField
              ref={passwordBox}
              label="Your password, to show it is you"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={starting.problem?.fields.password}
            />
            <div className="actions">
              <SubmitButton pending={starting.pending}>Set up a second sign-in step</SubmitButton>
            </div>
          </form>
        </>
      )}
    </section>
  )
}
