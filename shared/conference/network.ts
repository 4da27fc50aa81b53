import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList } from './entryList'
import { shortText } from './fields'

/** Part 1 of the record, continued: who is here and who is in the family's network. */

export const MEETING_ROLES = [
  'parent-or-carer',
  'child-or-young-person',
  'family-network-member',
  'advocate',
  'parent-partner',
  'professional',
  'chair-or-facilitator',
  'decision-maker',
  'note-taker',
] as const
export type MeetingRole = (typeof MEETING_ROLES)[number]

export const MEETING_ROLE_LABELS: Readonly<Record<MeetingRole, string>> = {
  'parent-or-carer': 'Parent or carer',
  'child-or-young-person': 'Child or young person',
  'family-network-member': 'Family, friend or network member',
  advocate: 'Advocate',
  'parent-partner': 'Parent Partner (a parent who has been through this)',
  professional: 'Professional',
  'chair-or-facilitator': 'Chair or facilitator',
  'decision-maker': 'Decision-maker',
  'note-taker': 'Note-taker',
}

export const PEOPLE_ROOT = 'network.people'
export const NETWORK_ROOT_NAMES = [PEOPLE_ROOT] as const

export const personSchema = z.object({
  name: shortText,
  /** To the child, in the family's words (e.g. "Mum", "Nan", "school nurse"). */
  relationship: shortText,
  roleInMeeting: z.enum(MEETING_ROLES),
  /** The professional's agency; '' for family and friends. */
  agency: shortText,
  present: z.boolean(),
  inSafetyNetwork: z.boolean(),
})
export type PersonFields = z.infer<typeof personSchema>

export const DEFAULT_PERSON: PersonFields = {
  name: '',
  relationship: '',
  roleInMeeting: 'family-network-member',
  agency: '',
  present: false,
  inSafetyNetwork: false,
}

export interface NetworkPart {
  readonly people: EntryList<PersonFields, never>
}

export function networkPart(doc: Y.Doc): NetworkPart {
  return { people: new EntryList(doc, PEOPLE_ROOT, { schema: personSchema, defaults: DEFAULT_PERSON, richText: [] }) }
}
