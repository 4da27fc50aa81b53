import { useEffect, useId, useRef, useState, type ReactNode, type RefObject, type SubmitEvent } from 'react'
import {
  AUDIT_EXPORT_PATH,
  createAccount,
  disableAccount,
  enableAccount,
  listAccounts,
  listAudit,
  listConferences,
  resetSignIn,
  type AccountSummary,
  type AuditEntryView,
  type NewAccountResponse,
} from '../api'
import { CheckField, CopyableSecret, FormProblem, SubmitButton, TextField, problemOf, useFocusFirstInError, useRequest, type Problem } from './forms'

/** `/admin`, for administrators: accounts, adding a professional, and the audit trail. `you`: the administrator's own account. */
export function AdminPage({ you }: { you: string }) {
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null)
  const [accountsProblem, setAccountsProblem] = useState<Problem | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    document.title = 'Administration — SafetyMap'
    const abort = new AbortController()
    listAccounts(abort.signal).then(
      (loaded) => { setAccounts(loaded); setAccountsProblem(null) },
      (error: unknown) => { if (!abort.signal.aborted) setAccountsProblem(problemOf(error)) },
    )
    return () => { abort.abort() }
  }, [attempt])

  return (
    <main className="page admin" id="main">
      <h1>Administration</h1>
      <Accounts
        accounts={accounts}
        you={you}
        problem={accountsProblem}
        onRetry={() => { setAttempt((n) => n + 1) }}
        onChanged={(changed) => { setAccounts((current) => current?.map((account) => (account.id === changed.id ? changed : account)) ?? null) }}
      />
      <AddProfessional onAdded={(account) => { setAccounts((current) => (current ? [...current, account] : current)) }} />
      <AuditTrail />
    </main>
  )
}

/**
 * Password links shown on this visit, newest last: each stays until its own Done is pressed, since
 * it cannot be shown again. Done moves the focus to `heading`, not to the page.
 */
function useShownOnce(heading: RefObject<HTMLHeadingElement | null>): {
  given: NewAccountResponse[]
  add: (response: NewAccountResponse) => void
  done: (response: NewAccountResponse) => void
} {
  const [given, setGiven] = useState<NewAccountResponse[]>([])
  return {
    given,
    add: (response) => { setGiven((current) => [...current, response]) },
    done: (response) => {
      setGiven((current) => current.filter((shown) => shown !== response))
      heading.current?.focus()
    },
  }
}

function Accounts({ accounts, you, problem, onRetry, onChanged }: {
  accounts: AccountSummary[] | null
  you: string
  problem: Problem | null
  onRetry: () => void
  onChanged: (account: AccountSummary) => void
}) {
  const headingId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const resets = useShownOnce(heading)
  const [news, setNews] = useState('')
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} ref={heading} tabIndex={-1}>Accounts</h2>
      {resets.given.map((reset) => (
        <PasswordLink key={reset.passwordLink} heading={`Sign-in reset for ${reset.account.name}`} given={reset} onDone={() => { resets.done(reset) }}>
          Give {reset.account.name} this link yourself, in person or by phone once you know it is them: with it they
          choose a new password, and can then set up their second sign-in step again.
        </PasswordLink>
      ))}
      <p role="status" className="visually-hidden">{news}</p>
      {problem && (
        <FormProblem problem={problem}>
          <button type="button" onClick={onRetry}>Try again</button>
        </FormProblem>
      )}
      {!accounts && !problem && <p className="waiting">Loading…</p>}
      {accounts && (
        <div className="table-scroll">
          <table aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email address</th>
                <th scope="col">Administrator</th>
                <th scope="col">Programme lead</th>
                <th scope="col">Second sign-in step</th>
                <th scope="col">Password</th>
                <th scope="col">Lost phone or password</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <th scope="row">{account.name}</th>
                  <td>{account.email}</td>
                  <td>{account.admin ? 'Yes' : 'No'}</td>
                  <td>{account.programmeLead ? 'Yes' : 'No'}</td>
                  <td>{account.secondFactor ? 'Set up' : 'Not set up'}</td>
                  <td>{account.disabled ? '—' : account.active ? 'Chosen' : 'Not chosen yet'}</td>
                  <td>
                    {account.id === you
                      ? 'Another administrator can reset yours'
                      : account.disabled
                        ? 'Enable the account first'
                        : <ResetSignIn account={account} onReset={(response) => { resets.add(response); onChanged(response.account) }} />}
                  </td>
                  <td>
                    {account.disabled ? <strong>Disabled</strong> : <span>In use</span>}{' '}
                    {account.id === you
                      ? <span className="hint">(yours: another administrator can disable it)</span>
                      : (
                          <DisableOrEnable
                            account={account}
                            onChanged={(changed) => {
                              onChanged(changed)
                              setNews(changed.disabled
                                ? `${changed.name}’s account is disabled: they are signed out everywhere and cannot sign in.`
                                : `${changed.name}’s account is enabled again.`)
                            }}
                          />
                        )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function AddProfessional({ onAdded }: { onAdded: (account: AccountSummary) => void }) {
  const headingId = useId()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [admin, setAdmin] = useState(false)
  const [programmeLead, setProgrammeLead] = useState(false)
  const [checks, setChecks] = useState<Record<string, string>>({})
  const heading = useRef<HTMLHeadingElement>(null)
  const created = useShownOnce(heading)
  const { pending, problem, run } = useRequest()
  const form = useRef<HTMLFormElement>(null)
  useFocusFirstInError(form, problem, checks)

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!name.trim()) found.name = 'Please type their name.'
    if (!email.trim()) found.email = 'Please type their email address.'
    setChecks(found)
    if (Object.keys(found).length > 0) return
    run(() => createAccount({ name: name.trim(), email: email.trim(), admin, programmeLead }), (response) => {
      created.add(response)
      setName('')
      setEmail('')
      setAdmin(false)
      setProgrammeLead(false)
      onAdded(response.account)
    })
  }

  const error = (field: string): string | undefined => checks[field] ?? problem?.fields[field]

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} ref={heading} tabIndex={-1}>Add a professional</h2>
      {created.given.map((given) => (
        <PasswordLink key={given.passwordLink} heading={`Account created for ${given.account.name}`} given={given} onDone={() => { created.done(given) }}>
          Give {given.account.name} this link so they can choose their password.
        </PasswordLink>
      ))}
      <form ref={form} className="stack-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <FormProblem problem={problem} />
        <TextField label="Full name" autoComplete="off" value={name} onChange={setName} error={error('name')} />
        <TextField label="Email address" type="email" autoComplete="off" value={email} onChange={setEmail} error={error('email')} />
        <CheckField label="Administrator" checked={admin} onChange={setAdmin} hint="Administrators can add accounts and read the audit trail." />
        <CheckField
          label="Programme lead"
          checked={programmeLead}
          onChange={setProgrammeLead}
          hint="Programme leads see the programme figures: numbers only, never a family."
        />
        <div className="actions">
          <SubmitButton pending={pending}>Add professional</SubmitButton>
        </div>
      </form>
    </section>
  )
}

/**
 * A button that asks first, in plain words, before doing something to someone else's account.
 * Opening the question moves the focus to it; Cancel moves it back to the button, and so does
 * the answer unless `focusAfter` is 'elsewhere' (what it made takes the focus itself).
 */
function AskFirst<T>({ name, opener, question, confirm, children, action, onDone, focusAfter = 'button' }: {
  name: string
  opener: string
  question: string
  confirm: string
  children: ReactNode
  action: () => Promise<T>
  onDone: (result: T) => void
  focusAfter?: 'button' | 'elsewhere'
}) {
  const [asking, setAsking] = useState(false)
  /** Set as the question closes: whether the button it came from takes the focus back. */
  const focusButton = useRef(false)
  const button = useRef<HTMLButtonElement>(null)
  const group = useRef<HTMLDivElement>(null)
  const { pending, problem, run } = useRequest()
  useEffect(() => {
    if (asking) group.current?.focus()
    else if (focusButton.current) { button.current?.focus(); focusButton.current = false }
  }, [asking])
  if (!asking) {
    return <button ref={button} type="button" className="secondary" aria-label={name} onClick={() => { setAsking(true) }}>{opener}</button>
  }
  return (
    <div ref={group} tabIndex={-1} className="confirm-reset" role="group" aria-label={question}>
      <p>{children}</p>
      <FormProblem problem={problem} />
      <div className="actions">
        <button
          type="button"
          disabled={pending}
          onClick={() => { run(action, (result) => { focusButton.current = focusAfter === 'button'; setAsking(false); onDone(result) }) }}
        >
          {confirm}
        </button>
        <button type="button" className="secondary" disabled={pending} onClick={() => { focusButton.current = true; setAsking(false) }}>Cancel</button>
      </div>
    </div>
  )
}

/**
 * Asks first, since it signs the person out in the middle of whatever they are doing: their
 * password and second step stop working until they use the new link.
 */
function ResetSignIn({ account, onReset }: { account: AccountSummary; onReset: (response: NewAccountResponse) => void }) {
  return (
    <AskFirst
      name={`Reset sign-in for ${account.name}`}
      opener="Reset sign-in"
      question={`Reset sign-in for ${account.name}?`}
      confirm={`Reset ${account.name}’s sign-in`}
      action={() => resetSignIn(account.id)}
      onDone={onReset}
      focusAfter="elsewhere"
    >
      {account.name} will be signed out on every device. Their password and second sign-in step will stop working
      until they use the new link you will be given.
    </AskFirst>
  )
}

/** For someone who has left: signed out at once, and kept out until an administrator enables the account again. */
function DisableOrEnable({ account, onChanged }: { account: AccountSummary; onChanged: (account: AccountSummary) => void }) {
  if (account.disabled) {
    return (
      <AskFirst
        name={`Enable ${account.name}’s account`}
        opener="Enable"
        question={`Enable ${account.name}’s account?`}
        confirm={`Enable ${account.name}’s account`}
        action={() => enableAccount(account.id)}
        onDone={onChanged}
      >
        {account.name} will be able to sign in again with their password, and be added to conferences.
      </AskFirst>
    )
  }
  return (
    <AskFirst
      name={`Disable ${account.name}’s account`}
      opener="Disable"
      question={`Disable ${account.name}’s account?`}
      confirm={`Disable ${account.name}’s account`}
      action={() => disableAccount(account.id)}
      onDone={onChanged}
    >
      {account.name} will be signed out on every device at once, and any record they have open will close. They will
      not be able to sign in, or be added to a conference, until an administrator enables the account again. What they
      wrote stays in the records.
    </AskFirst>
  )
}

/** The one time a password link is shown. It takes the focus when it appears, so it is read out. */
function PasswordLink({ heading, given, onDone, children }: { heading: string; given: NewAccountResponse; onDone: () => void; children: ReactNode }) {
  const headingId = useId()
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => { box.current?.focus() }, [])
  return (
    <div ref={box} tabIndex={-1} className="shown-once" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      <p>
        {children} <strong>It is shown only once</strong>: once you close this box or leave this page, it cannot be
        shown again.
      </p>
      <CopyableSecret label="Password link" value={window.location.origin + given.passwordLink} copyLabel="Copy link" />
      <button type="button" className="secondary" onClick={onDone}>Done</button>
    </div>
  )
}

const AUDIT_PAGE = 50

/** Every access event, newest first, a page at a time. */
function AuditTrail() {
  const headingId = useId()
  const [entries, setEntries] = useState<AuditEntryView[]>([])
  const [more, setMore] = useState(true)
  const [loading, setLoading] = useState(true)
  const [problem, setProblem] = useState<Problem | null>(null)
  // A new object for each page asked for, so asking again for the same page (after a failure) loads it.
  const [page, setPage] = useState<{ before?: number }>({})
  const titles = useConferenceTitles()

  useEffect(() => {
    const abort = new AbortController()
    listAudit({ limit: AUDIT_PAGE, ...page }, abort.signal).then(
      (older) => {
        setEntries((current) => [...current, ...older])
        setMore(older.length >= AUDIT_PAGE)
        setLoading(false)
      },
      (error: unknown) => {
        if (abort.signal.aborted) return
        setProblem(problemOf(error))
        setLoading(false)
      },
    )
    return () => { abort.abort() }
  }, [page])

  const loadOlder = (): void => {
    const oldest = entries.at(-1)
    if (!oldest) return
    setLoading(true)
    setProblem(null)
    setPage({ before: oldest.seq })
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Audit trail</h2>
      <p>
        Who signed in, who was invited, added or removed, and every change to who can see which
        conference. <a href={AUDIT_EXPORT_PATH} download>Export the audit trail</a>
      </p>
      {entries.length > 0 && (
        <div className="table-scroll">
          <table aria-labelledby={headingId} className="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Conference</th>
                <th scope="col">From where</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td><time dateTime={entry.at}>{timeWords(entry.at)}</time></td>
                  <td>{actorWords(entry.actor)}</td>
                  <td>
                    {actionWords(entry.action)}
                    {entry.details && Object.keys(entry.details).length > 0 && (
                      <span className="audit-details">{detailsWords(entry.details)}</span>
                    )}
                  </td>
                  <td>{entry.conferenceId ? (titles.get(entry.conferenceId) ?? entry.conferenceId) : '—'}</td>
                  <td>{entry.from ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!loading && !problem && entries.length === 0 && <p>Nothing has been recorded yet.</p>}
      {loading && <p className="waiting">Loading…</p>}
      <FormProblem problem={problem}>
        <button type="button" onClick={() => { setLoading(true); setProblem(null); setPage((current) => ({ ...current })) }}>Try again</button>
      </FormProblem>
      {!loading && !problem && more && entries.length > 0 && (
        <button type="button" className="secondary" onClick={loadOlder}>Load older</button>
      )}
      {!loading && !more && entries.length > 0 && <p className="hint">That is the start of the audit trail.</p>}
    </section>
  )
}

/** Titles of the conferences this administrator is in; others are shown by their id. */
function useConferenceTitles(): ReadonlyMap<string, string> {
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(new Map())
  useEffect(() => {
    const abort = new AbortController()
    listConferences(abort.signal).then(
      (conferences) => { setTitles(new Map(conferences.map((conference) => [conference.id, conference.title]))) },
      () => undefined,
    )
    return () => { abort.abort() }
  }, [])
  return titles
}

function timeWords(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
}

const ACTOR_KINDS: Readonly<Record<string, string>> = {
  account: 'a professional',
  participant: 'an invited person',
  system: 'SafetyMap',
  anonymous: 'someone not signed in',
}

function actorWords(actor: AuditEntryView['actor']): string {
  if (actor.name) return actor.name
  return ACTOR_KINDS[actor.kind] ?? actor.kind
}

/** `invitation.revoked` or `signInFailed` → "Invitation revoked", "Sign in failed". */
function actionWords(action: string): string {
  const words = action
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function detailsWords(details: Record<string, string | number | boolean>): string {
  return Object.entries(details)
    .map(([key, value]) => `${actionWords(key)}: ${typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)}`)
    .join(', ')
}
