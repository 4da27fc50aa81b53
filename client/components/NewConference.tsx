import { useEffect, useId, useState, type SubmitEvent } from 'react'
import { createConference, listConferences, type ConferenceSummary, type CreatorRole } from '../api'
import { carriesForward, caseFamily } from '../../shared/cases'
import type { ConferenceKind } from '../../shared/conference/details'
import { conferencePath, navigate } from '../navigation'
import { dateWords, KIND_OPTIONS, kindWords, roleOptions } from '../words'
import { FormProblem, SelectField, SubmitButton, TextField, useRequest, whenRefused } from './forms'
import { checkReferral, newReferralDraft, ReferralFields, type ReferralDraft } from './programmes/ReferralFields'

const CREATOR_ROLES: readonly CreatorRole[] = ['chair', 'noteTaker', 'socialWorker']

/** Today on this device, YYYY-MM-DD. */
function today(): string {
  const now = new Date()
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * For professionals: a new conference, with the person creating it in it (in the role they choose).
 * `onAlreadyCreated`: the server says it was just made (from another tab, or the answer was lost),
 * so the list of conferences shows it.
 */
export function NewConference({ onAlreadyCreated }: { onAlreadyCreated: () => void }) {
  const headingId = useId()
  const [title, setTitle] = useState('')
  const [kind, setKind] = useState<ConferenceKind>('uk-initial')
  const [date, setDate] = useState(today)
  const [role, setRole] = useState<CreatorRole>('noteTaker')
  // '' until an earlier conference is chosen: the one this review or follow-up carries forward.
  const [follows, setFollows] = useState('')
  const earlier = useEarlierConferences()
  // An initial child safety conference starts from its referral (the 72 hours run from it).
  const [referral, setReferral] = useState<ReferralDraft>(newReferralDraft)
  const fromReferral = kind === 'us-csc-initial'
  const [checks, setChecks] = useState<Record<string, string>>({})
  const [referralMissing, setReferralMissing] = useState<Partial<Record<keyof ReferralDraft, string>>>({})
  const { pending, problem, run } = useRequest()

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!title.trim()) found.title = 'Please give the conference a title.'
    if (!date) found.date = 'Please choose the day of the conference.'
    const checked = fromReferral ? checkReferral(referral) : null
    setChecks(found)
    setReferralMissing(checked && 'missing' in checked ? checked.missing : {})
    if (Object.keys(found).length > 0 || (checked && 'missing' in checked)) return
    const followed = carriesForward(kind) && follows ? { follows } : {}
    const referred = checked ? { referral: checked.referral } : {}
    const creating = (): Promise<ConferenceSummary> => whenRefused(createConference({ title: title.trim(), kind, date, role, ...followed, ...referred }), 'conference-already-created', onAlreadyCreated)
    run(creating, (conference) => { navigate(conferencePath(conference.id)) })
  }

  const error = (field: string): string | undefined => checks[field] ?? problem?.fields[field]

  return (
    <section className="new-conference" aria-labelledby={headingId}>
      <h2 id={headingId}>New conference</h2>
      <form className="stack-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <FormProblem problem={problem} />
        <TextField label="Title" maxLength={200} autoComplete="off" hint="A name everyone in the meeting will recognise." value={title} onChange={setTitle} error={error('title')} />
        <SelectField label="Kind of conference" value={kind} options={KIND_OPTIONS} onChange={(chosen) => { setKind(chosen); setFollows('') }} error={error('kind')} />
        {fromReferral && (
          <ReferralFields
            draft={referral}
            onChange={(change) => { setReferral((current) => ({ ...current, ...change })) }}
            missing={referralMissing}
            serverFields={problem?.fields ?? {}}
          />
        )}
        {carriesForward(kind) && (
          <SelectField
            label={kind === 'uk-review' ? 'This is a review of' : 'This is a follow-up of'}
            hint="Its danger statements and safety goals are carried into this conference unchanged, and its safety scales carry on, so everyone can see progress over time."
            value={follows}
            options={followOptions(earlier, kind)}
            onChange={setFollows}
            error={error('follows')}
          />
        )}
        <TextField label="Date" type="date" value={date} onChange={setDate} error={error('date')} />
        <SelectField label="Your role in it" value={role} options={roleOptions(CREATOR_ROLES, kind)} onChange={setRole} error={error('role')} />
        <div className="actions">
          <SubmitButton pending={pending}>Create conference</SubmitButton>
        </div>
      </form>
    </section>
  )
}

/** The creator's conferences, for "This is a review of…"; none when they cannot be loaded (the form still works). */
function useEarlierConferences(): readonly ConferenceSummary[] {
  const [conferences, setConferences] = useState<readonly ConferenceSummary[]>([])
  useEffect(() => {
    const abort = new AbortController()
    listConferences(abort.signal).then(setConferences, () => undefined)
    return () => { abort.abort() }
  }, [])
  return conferences
}

/** Conferences of the same country's kind (a UK review follows a UK conference), newest first. */
function followOptions(conferences: readonly ConferenceSummary[], kind: ConferenceKind): { value: string; label: string }[] {
  const sameFamily = conferences.filter((conference) => caseFamily(conference.kind) === caseFamily(kind))
  return [
    { value: '', label: 'None: the earlier conference is not in SafetyMap' },
    ...sameFamily.map((conference) => ({ value: conference.id, label: `${conference.title} (${kindWords(conference.kind)}, ${dateWords(conference.date)})` })),
  ]
}
