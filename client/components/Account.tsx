import { useEffect, useId, useState, type SubmitEvent } from 'react'
import { confirmSecondFactor, startSecondFactor, type AccountSummary, type SecondFactorSetup } from '../api'
import { adoptSession } from '../session'
import { CopyableSecret, FormProblem, SubmitButton, TextField, useRequest } from './forms'

/** `/account`: a professional's own account, and the second sign-in step (an authenticator app code). */
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
      <SecondFactor account={account} />
    </main>
  )
}

function SecondFactor({ account }: { account: AccountSummary }) {
  const headingId = useId()
  const [setup, setSetup] = useState<SecondFactorSetup | null>(null)
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const [missing, setMissing] = useState('')
  const starting = useRequest()
  const confirming = useRequest()

  const confirm = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!code.trim()) {
      setMissing('Please type the 6-digit code.')
      return
    }
    setMissing('')
    confirming.run(() => confirmSecondFactor(code.replace(/\s/g, '')), (session) => {
      setSetup(null)
      adoptSession(session)
    })
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Second sign-in step</h2>
      {account.secondFactor && !setup ? (
        <p>It is set up: when you sign in, you also type the code your authenticator app shows.</p>
      ) : !setup ? (
        <>
          <p>
            With a second step, a stolen password is not enough to open your conferences: you also type
            a code from an authenticator app on your phone.
          </p>
          <form className="stack-form" onSubmit={(event) => { event.preventDefault(); starting.run(() => startSecondFactor(password), setSetup) }} noValidate>
            <FormProblem problem={starting.problem} />
            <TextField
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
      ) : (
        <>
          <p>
            Add SafetyMap to your authenticator app: type in the setup key, or, on this phone,{' '}
            <a href={setup.uri}>open it in your authenticator app</a>. Then type the code the app shows.
          </p>
          <CopyableSecret label="Setup key" value={setup.secret} copyLabel="Copy key" />
          <CopyableSecret label="Setup address (for apps that ask for one)" value={setup.uri} copyLabel="Copy address" />
          <form className="stack-form" onSubmit={confirm} noValidate>
            <FormProblem problem={confirming.problem} />
            <TextField
              label="6-digit code from your authenticator app"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={12}
              value={code}
              onChange={(value) => { setCode(value); setMissing('') }}
              error={missing || confirming.problem?.fields.code}
            />
            <div className="actions">
              <SubmitButton pending={confirming.pending}>Turn on the second step</SubmitButton>
            </div>
          </form>
        </>
      )}
    </section>
  )
}
