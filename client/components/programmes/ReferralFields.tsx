import { useState } from 'react'
import { listServiceAreas } from '../../api'
import { cscHoldBy, deadlineWords, instantOf } from '../../../shared/programmes/deadlines'
import type { ReferralInput } from '../../../shared/programmes/referral'
import { useAnswer } from '../../useAnswer'
import { CheckField, ChoiceField, FormProblem, SelectField, TextAreaField, TextField, YES_NO } from '../forms'
import './programmes.css'

/**
 * The referral an initial child safety conference starts from, as part of the new conference
 * form: when the removal concern was raised (a day and time on the referring office's clock), the
 * family and children, the service area, whether the children were already removed, and who
 * facilitates. The 72-hour deadline is shown as it is typed.
 */

/** The referral as typed, before it is checked. */
export interface ReferralDraft {
  day: string
  time: string
  timeZone: string
  family: string
  /** One name per line. */
  children: string
  serviceArea: string
  afterRemoval: boolean
  facilitatorName: string
  facilitatorOrganisation: string
  independent: 'yes' | 'no' | null
}

type DraftField = keyof ReferralDraft

export function newReferralDraft(): ReferralDraft {
  return {
    day: '',
    time: '',
    timeZone: deviceTimeZone(),
    family: '',
    children: '',
    serviceArea: '',
    afterRemoval: false,
    facilitatorName: '',
    facilitatorOrganisation: '',
    independent: null,
  }
}

function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

const US_TIME_ZONES: readonly { value: string; label: string }[] = [
  { value: 'America/New_York', label: 'Eastern (America/New_York)' },
  { value: 'America/Chicago', label: 'Central (America/Chicago)' },
  { value: 'America/Denver', label: 'Mountain (America/Denver)' },
  { value: 'America/Phoenix', label: 'Mountain, no daylight saving (America/Phoenix)' },
  { value: 'America/Los_Angeles', label: 'Pacific (America/Los_Angeles)' },
  { value: 'America/Anchorage', label: 'Alaska (America/Anchorage)' },
  { value: 'Pacific/Honolulu', label: 'Hawaii (Pacific/Honolulu)' },
]

/** This device's own time zone first when it is not one of the US ones. */
function timeZoneOptions(): readonly { value: string; label: string }[] {
  const device = deviceTimeZone()
  return US_TIME_ZONES.some((zone) => zone.value === device) ? US_TIME_ZONES : [{ value: device, label: device }, ...US_TIME_ZONES]
}

/** The instant the clock in the referral's time zone showed, or null while the day or time is not complete. */
function concernRaisedAt({ day, time, timeZone }: Pick<ReferralDraft, 'day' | 'time' | 'timeZone'>): Date | null {
  if (!day || !time) return null
  try {
    return instantOf({ date: day, time, timeZone })
  } catch {
    return null
  }
}

function childrenOf(draft: ReferralDraft): string[] {
  return draft.children.split('\n').map((name) => name.trim()).filter(Boolean)
}

/** The referral to send, or what is missing from it, by field. */
export function checkReferral(draft: ReferralDraft): { referral: ReferralInput } | { missing: Partial<Record<DraftField, string>> } {
  const missing: Partial<Record<DraftField, string>> = {}
  const raisedAt = concernRaisedAt(draft)
  if (!draft.day) missing.day = 'Please give the day the concern was raised.'
  if (!draft.time) missing.time = 'Please give the time the concern was raised.'
  else if (draft.day && !raisedAt) missing.time = 'Please give the time as hours and minutes, for example 14:30.'
  if (!draft.family.trim()) missing.family = 'Please give the family’s name.'
  if (childrenOf(draft).length === 0) missing.children = 'Please give at least one child’s name.'
  if (!draft.serviceArea) missing.serviceArea = 'Please choose the service area.'
  if (!draft.facilitatorName.trim()) missing.facilitatorName = 'Please give the facilitator’s name.'
  if (!draft.facilitatorOrganisation.trim()) missing.facilitatorOrganisation = 'Please give the facilitator’s organisation.'
  if (draft.independent === null) missing.independent = 'Please say whether the facilitator is independent of the agency.'
  if (!raisedAt || draft.independent === null || Object.keys(missing).length > 0) return { missing }
  return {
    referral: {
      concernRaisedAt: raisedAt.toISOString(),
      timeZone: draft.timeZone,
      family: draft.family.trim(),
      children: childrenOf(draft),
      serviceArea: draft.serviceArea,
      afterRemoval: draft.afterRemoval,
      facilitator: { name: draft.facilitatorName.trim(), organisation: draft.facilitatorOrganisation.trim(), independent: draft.independent === 'yes' },
    },
  }
}

/** Where the server's field names (`referral.facilitator.name`, or `concernRaisedAt` alone) go on this form. */
const SERVER_FIELDS: Partial<Record<DraftField, string>> = {
  day: 'concernRaisedAt',
  timeZone: 'timeZone',
  family: 'family',
  children: 'children',
  serviceArea: 'serviceArea',
  facilitatorName: 'facilitator.name',
  facilitatorOrganisation: 'facilitator.organisation',
  independent: 'facilitator.independent',
}

function serverError(fields: Readonly<Record<string, string>>, field: DraftField): string | undefined {
  const name = SERVER_FIELDS[field]
  if (!name) return undefined
  const key = Object.keys(fields).find((candidate) => candidate === name || candidate === `referral.${name}` || candidate.startsWith(`referral.${name}.`))
  return key === undefined ? undefined : fields[key]
}

export function ReferralFields({ draft, onChange, missing, serverFields }: {
  draft: ReferralDraft
  onChange: (change: Partial<ReferralDraft>) => void
  /** What the form found missing when it was sent. */
  missing: Partial<Record<DraftField, string>>
  /** What the server said about each field, by its name. */
  serverFields: Readonly<Record<string, string>>
}) {
  const [zones] = useState(timeZoneOptions)
  const areas = useAnswer('areas', listServiceAreas)
  const error = (field: DraftField): string | undefined => missing[field] ?? serverError(serverFields, field)
  const raisedAt = concernRaisedAt(draft)
  const areaOptions = [
    { value: '', label: 'Choose a service area' },
    ...(areas.value ?? []).map((area) => ({ value: area.serviceArea, label: area.serviceArea })),
  ]

  return (
    <fieldset className="referral">
      <legend>Referral</legend>
      <p className="hint">The conference must be held within 72 hours of the concern about removing the children being raised.</p>
      {serverFields.referral && <p className="field-error">{serverFields.referral}</p>}
      <div className="referral-when">
        <TextField label="Day the concern was raised" type="date" value={draft.day} onChange={(day) => { onChange({ day }) }} error={error('day')} />
        <TextField label="Time the concern was raised" type="time" value={draft.time} onChange={(time) => { onChange({ time }) }} error={error('time')} />
      </div>
      <SelectField label="Time zone" hint="Where the concern was raised." value={draft.timeZone} options={zones} onChange={(timeZone) => { onChange({ timeZone }) }} error={error('timeZone')} />
      {raisedAt && <p className="referral-deadline">The conference must be held by {deadlineWords(cscHoldBy(raisedAt), draft.timeZone)}</p>}
      <TextField label="Family" autoComplete="off" maxLength={120} value={draft.family} onChange={(family) => { onChange({ family }) }} error={error('family')} />
      <TextAreaField label="Children’s names, one per line" value={draft.children} onChange={(children) => { onChange({ children }) }} error={error('children')} />
      <SelectField label="Service area" value={draft.serviceArea} options={areaOptions} onChange={(serviceArea) => { onChange({ serviceArea }) }} error={error('serviceArea')} />
      <FormProblem problem={areas.problem}>
        <button type="button" onClick={areas.reload}>Try again</button>
      </FormProblem>
      <CheckField
        label="The children have already been removed (this conference is to help them come home)"
        checked={draft.afterRemoval}
        onChange={(afterRemoval) => { onChange({ afterRemoval }) }}
      />
      <TextField label="Facilitator’s name" autoComplete="off" maxLength={120} value={draft.facilitatorName} onChange={(facilitatorName) => { onChange({ facilitatorName }) }} error={error('facilitatorName')} />
      <TextField
        label="Facilitator’s organisation"
        autoComplete="off"
        maxLength={200}
        value={draft.facilitatorOrganisation}
        onChange={(facilitatorOrganisation) => { onChange({ facilitatorOrganisation }) }}
        error={error('facilitatorOrganisation')}
      />
      <ChoiceField
        legend="Is the facilitator independent of the child welfare agency?"
        value={draft.independent}
        options={YES_NO}
        onChange={(independent) => { onChange({ independent }) }}
        error={error('independent')}
      />
    </fieldset>
  )
}
