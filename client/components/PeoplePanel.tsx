import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react'
import {
  addProfessional,
  changeRole,
  invite,
  removePerson,
  withdrawInvitation,
  type Membership,
  type NewInvitation,
  type ParticipantSummary,
} from '../api'
import { INVITED_ROLES, mayManage, PROFESSIONAL_ROLES, ROLE_LABELS, type Role } from '../../shared/roles'
import type { ConferenceKind } from '../../shared/conference/details'
import type { PeopleState } from '../people'
import { roleWords } from '../../shared/conference/agenda'
import { roleOptions } from '../words'
import { FoldedPanel } from './FoldedPanel'
import { CopyableSecret, FormProblem, SelectField, SubmitButton, TextField, useFocusOnceShown, useRequest, whenRefused } from './forms'

type InvitedRole = (typeof INVITED_ROLES)[number]
type ProfessionalRole = (typeof PROFESSIONAL_ROLES)[number]

const INVITED_OPTIONS = INVITED_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))

/**
 * Who is in this conference, folded away by default so the map keeps the screen. Those who may
 * invite also invite family members, add professionals, withdraw invitations and remove people.
 */
export function PeoplePanel({ conferenceId, kind, you, people }: { conferenceId: string; kind: ConferenceKind; you: Membership; people: PeopleState }) {
  const [open, setOpen] = useState(false)
  const canInvite = you.permissions.includes('invite')
  const list = people.people
  const listRef = useRef<HTMLUListElement>(null)

  const toggle = (): void => {
    // Opening shows the list as it is now: someone else may have invited people meanwhile.
    if (!open) people.reload()
    setOpen(!open)
  }

  return (
    <FoldedPanel
      title="People in this conference"
      open={open}
      onToggle={toggle}
      summary={list && (list.length === 1 ? '1 person' : `${list.length} people`)}
    >
      <FormProblem problem={people.problem}>
        <button type="button" onClick={people.reload}>Try again</button>
      </FormProblem>
      {!list && !people.problem && <p className="waiting">Loading…</p>}
      {list && (
        <ul className="people-list" ref={listRef} tabIndex={-1} aria-label="People in this conference">
          {list.map((person) => (
            <PersonRow
              key={person.id}
              conferenceId={conferenceId}
              kind={kind}
              person={person}
              isYou={person.id === you.participantId}
              // Only what the server would allow (the same rule): a note-taker is not offered changing or
              // removing the chair, unless the chair's account was disabled and they can no longer take part.
              canManage={canInvite && person.id !== you.participantId && (mayManage(you.role, person.role) || person.accountDisabled === true)}
              onChanged={people.reload}
              // Their row goes: the focus goes to the list rather than to the page itself.
              onRemoved={() => { listRef.current?.focus(); people.reload() }}
            />
          ))}
        </ul>
      )}
      {canInvite && (
        <div className="people-forms">
          <InviteForm conferenceId={conferenceId} onInvited={people.reload} />
          <AddProfessionalForm conferenceId={conferenceId} kind={kind} onAdded={people.reload} />
        </div>
      )}
    </FoldedPanel>
  )
}

type Confirming = 'withdraw' | 'remove' | 'role' | null

/** Where the keyboard focus goes once a row's question closes: back to the button that opened it, or to what changed. */
type FocusAfter = 'role' | 'withdraw' | 'remove' | 'invitation'

function PersonRow({ conferenceId, kind, person, isYou, canManage, onChanged, onRemoved }: {
  conferenceId: string
  kind: ConferenceKind
  person: ParticipantSummary
  isYou: boolean
  canManage: boolean
  onChanged: () => void
  onRemoved: () => void
}) {
  const nameId = useId()
  const [confirming, setConfirming] = useState<Confirming>(null)
  const isProfessional = typeof person.accountId === 'string'
  const [newRole, setNewRole] = useState<Role>(person.role)
  const { pending, problem, setProblem, run } = useRequest()
  const invitation = person.invitation
  const canWithdraw = invitation !== undefined && !invitation.revoked
  const row = useRef<HTMLLIElement>(null)
  const [focusAfter, setFocusAfter] = useState<{ to: FocusAfter } | null>(null)

  // After the render that shows it: the buttons are back only once the question has closed. When
  // the button is gone (no longer theirs to press), the person's line takes the focus.
  useEffect(() => {
    if (!focusAfter || !row.current) return
    const target = row.current.querySelector<HTMLElement>(`[data-focus="${focusAfter.to}"]`) ?? row.current.querySelector<HTMLElement>('[data-focus="person"]')
    target?.focus()
  }, [focusAfter])

  const ask = (question: Exclude<Confirming, null>): void => {
    setProblem(null)
    setConfirming(question)
  }

  /** Closes the question; a refusal shown under the name was about it, so it goes too. */
  const cancel = (): void => {
    setProblem(null)
    if (confirming) setFocusAfter({ to: confirming })
    setConfirming(null)
  }

  const done = (): void => {
    // A withdrawn invitation has no Withdraw button any more: its status says what happened.
    setFocusAfter({ to: confirming === 'withdraw' ? 'invitation' : 'role' })
    setConfirming(null)
    onChanged()
  }

  return (
    <li className="person" ref={row}>
      <p className="person-line" data-focus="person" tabIndex={-1}>
        <span id={nameId} className="person-name">{person.name}</span>
        {isYou && ' (you)'}
        {' · '}
        <span className="person-role">{roleWords(person.role, kind)}</span>
      </p>
      {invitation && <p className="hint" data-focus="invitation" tabIndex={-1}>{invitationWords(invitation)}</p>}
      {person.accountDisabled && <p className="hint">Their account was disabled by an administrator: they can no longer take part.</p>}
      <FormProblem problem={problem} />
      {canManage && confirming === null && (
        <div className="person-actions">
          <button type="button" className="link-button" aria-describedby={nameId} data-focus="role" onClick={() => { setNewRole(person.role); ask('role') }}>
            Change role
          </button>
          {canWithdraw && (
            <button type="button" className="link-button" aria-describedby={nameId} data-focus="withdraw" onClick={() => { ask('withdraw') }}>
              Withdraw invitation
            </button>
          )}
          <button type="button" className="link-button" aria-describedby={nameId} data-focus="remove" onClick={() => { ask('remove') }}>
            Remove from this conference
          </button>
        </div>
      )}
      {confirming === 'role' && (
        <div className="confirm" role="group" aria-label={`Change the role of ${person.name}`}>
          <SelectField
            label={`New role for ${person.name}`}
            value={newRole}
            options={isProfessional ? roleOptions(PROFESSIONAL_ROLES, kind) : INVITED_OPTIONS}
            onChange={setNewRole}
            disabled={pending}
            autoFocus
          />
          <button type="button" disabled={newRole === person.role} aria-disabled={pending || undefined} onClick={() => { run(() => changeRole(conferenceId, person.id, newRole), done) }}>
            Save role
          </button>
          <button type="button" className="secondary" onClick={cancel}>Cancel</button>
        </div>
      )}
      {confirming === 'withdraw' && (
        <div className="confirm" role="group" aria-label={`Withdraw the invitation for ${person.name}?`}>
          <p>Withdraw the invitation for {person.name}? Their link and code stop working, and they are disconnected at once.</p>
          <button type="button" className="danger" aria-disabled={pending || undefined} onClick={() => { run(() => withdrawInvitation(conferenceId, person.id), done) }}>
            Yes, withdraw it
          </button>
          <button type="button" className="secondary" onClick={cancel} autoFocus>Keep it</button>
        </div>
      )}
      {confirming === 'remove' && (
        <div className="confirm" role="group" aria-label={`Remove ${person.name} from this conference?`}>
          <p>Remove {person.name} from this conference? They are disconnected at once and can no longer see the record.</p>
          <button type="button" className="danger" aria-disabled={pending || undefined} onClick={() => { run(() => removePerson(conferenceId, person.id), onRemoved) }}>
            Yes, remove them
          </button>
          <button type="button" className="secondary" onClick={cancel} autoFocus>Keep them</button>
        </div>
      )}
    </li>
  )
}

function dayWords(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(undefined, { day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' })
}

function invitationWords(invitation: NonNullable<ParticipantSummary['invitation']>): string {
  if (invitation.revoked) return 'Invitation withdrawn.'
  if (new Date(invitation.expiresAt).getTime() <= Date.now()) return `Invitation ended on ${dayWords(invitation.expiresAt)}.`
  const used = invitation.devicesUsed === 0
    ? 'Invitation not used yet'
    : `Joined on ${invitation.devicesUsed} of ${invitation.maxDevices} ${invitation.maxDevices === 1 ? 'device' : 'devices'}`
  return `${used}. The link and code work until ${dayWords(invitation.expiresAt)}.`
}

function InviteForm({ conferenceId, onInvited }: { conferenceId: string; onInvited: () => void }) {
  const headingId = useId()
  const [name, setName] = useState('')
  const [role, setRole] = useState<InvitedRole>('parentOrCarer')
  const [missing, setMissing] = useState('')
  const [created, setCreated] = useState<NewInvitation | null>(null)
  const { pending, problem, run } = useRequest()
  const nameBox = useRef<HTMLInputElement>(null)
  const focusOnceShown = useFocusOnceShown()
  const [shownOnce, setShownOnce] = useState(false)
  // Done: back to the form, ready for the next person, rather than to the page itself.
  useEffect(() => {
    if (shownOnce && !created) nameBox.current?.focus()
  }, [shownOnce, created])

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!name.trim()) {
      setMissing('Please type their name.')
      focusOnceShown(nameBox)
      return
    }
    setMissing('')
    // Already invited (from another tab, or the answer was lost): the list shows them; the name stays, to tell someone else apart.
    run(() => whenRefused(invite(conferenceId, { name: name.trim(), role }), 'already-invited', onInvited), (invitation) => {
      setCreated(invitation)
      setShownOnce(true)
      setName('')
      onInvited()
    })
  }

  return (
    <div className="people-form">
      <h3 id={headingId}>Invite someone from the family or their network</h3>
      {created ? (
        <InvitationShownOnce name={created.participant.name} invitation={created} onDone={() => { setCreated(null) }} />
      ) : (
        <form className="stack-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
          <FormProblem problem={problem} />
          <TextField
            label="Their name"
            hint="As they would like to be called, for example “Mum” or “Jo, family friend”."
            autoComplete="off"
            maxLength={100}
            value={name}
            onChange={(value) => { setName(value); setMissing('') }}
            ref={nameBox}
            error={missing || problem?.fields.name}
          />
          <SelectField label="Their role" value={role} options={INVITED_OPTIONS} onChange={setRole} error={problem?.fields.role} />
          <div className="actions">
            <SubmitButton pending={pending}>Create invitation</SubmitButton>
          </div>
        </form>
      )}
    </div>
  )
}

/** The one time an invitation's link and code are shown. `name`: whom it is for. */
export function InvitationShownOnce({ name, invitation, onDone }: { name: string; invitation: Pick<NewInvitation, 'link' | 'code'>; onDone: () => void }) {
  const headingId = useId()
  const origin = window.location.origin
  const heading = useRef<HTMLHeadingElement>(null)
  // It takes the place of the form whose button was pressed: the focus comes here, not to the page itself.
  useEffect(() => { heading.current?.focus() }, [])
  return (
    <div className="shown-once" role="group" aria-labelledby={headingId}>
      <h4 id={headingId} ref={heading} tabIndex={-1}>Invitation for {name}</h4>
      <p>
        Give {name} the link, or read them the code. <strong>They are shown only once</strong>: once you
        press Done or leave this page, they cannot be shown again. If they are lost, withdraw the
        invitation and make a new one.
      </p>
      <CopyableSecret label="Invitation link" value={origin + invitation.link} copyLabel="Copy link" />
      <CopyableSecret label="Invitation code" value={invitation.code} copyLabel="Copy code" />
      <p className="hint">With the code, they go to {origin}/join and type it in.</p>
      <button type="button" className="secondary" onClick={onDone}>Done</button>
    </div>
  )
}

function AddProfessionalForm({ conferenceId, kind, onAdded }: { conferenceId: string; kind: ConferenceKind; onAdded: () => void }) {
  const headingId = useId()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<ProfessionalRole>('otherProfessional')
  const [missing, setMissing] = useState('')
  const [added, setAdded] = useState('')
  const { pending, problem, run } = useRequest()
  const emailBox = useRef<HTMLInputElement>(null)
  const focusOnceShown = useFocusOnceShown()

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!email.trim()) {
      setMissing('Please type their email address.')
      focusOnceShown(emailBox)
      return
    }
    setMissing('')
    setAdded('')
    run(() => addProfessional(conferenceId, { email: email.trim(), role }), (participant) => {
      setAdded(`${participant.name} was added as ${roleWords(participant.role, kind)}.`)
      setEmail('')
      onAdded()
    })
  }

  return (
    <div className="people-form">
      <h3 id={headingId}>Add a professional</h3>
      <form className="stack-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <FormProblem problem={problem} />
        <TextField
          ref={emailBox}
          label="Professional's email address"
          hint="They need a SafetyMap account; an administrator can make one."
          type="email"
          autoComplete="off"
          value={email}
          onChange={(value) => { setEmail(value); setMissing(''); setAdded('') }}
          error={missing || problem?.fields.email}
        />
        <SelectField label="Professional's role" value={role} options={roleOptions(PROFESSIONAL_ROLES, kind)} onChange={setRole} error={problem?.fields.role} />
        <div className="actions">
          <SubmitButton pending={pending}>Add to this conference</SubmitButton>
        </div>
        <p aria-live="polite" className="hint">{added}</p>
      </form>
    </div>
  )
}
