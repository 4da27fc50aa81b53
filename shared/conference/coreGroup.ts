import type * as Y from 'yjs'
import { z } from 'zod'
import { isUsConference } from './agenda'
import type { ConferenceKind } from './details'
import { EntryList } from './entryList'
import { isoDate, shortText } from './fields'

/** Part 10 of the record: the core group (safety network) and the dates of the next meetings. */

export const NEXT_MEETING_KINDS = ['core-group', 'review-conference', 'follow-up'] as const
export type NextMeetingKind = (typeof NEXT_MEETING_KINDS)[number]

export const NEXT_MEETING_KIND_LABELS: Readonly<Record<NextMeetingKind, string>> = {
  'core-group': 'Core group meeting',
  'review-conference': 'Review conference',
  'follow-up': 'Follow-up conference',
}

/** A next meeting as a conference of this kind names it: the core group is the safety network in a US child safety conference. */
export function nextMeetingWords(meeting: NextMeetingKind, kind: ConferenceKind): string {
  return meeting === 'core-group' && isUsConference(kind) ? 'Safety network meeting' : NEXT_MEETING_KIND_LABELS[meeting]
}

export const CORE_GROUP_MEMBERS_ROOT = 'coreGroup.members'
export const NEXT_MEETINGS_ROOT = 'coreGroup.nextMeetings'
export const CORE_GROUP_ROOT_NAMES = [CORE_GROUP_MEMBERS_ROOT, NEXT_MEETINGS_ROOT] as const

export const coreGroupMemberSchema = z.object({ name: shortText, roleOrAgency: shortText })
export type CoreGroupMemberFields = z.infer<typeof coreGroupMemberSchema>
export const DEFAULT_CORE_GROUP_MEMBER: CoreGroupMemberFields = { name: '', roleOrAgency: '' }

export const nextMeetingSchema = z.object({
  kind: z.enum(NEXT_MEETING_KINDS),
  /** YYYY-MM-DD, or null until booked. */
  date: isoDate.nullable(),
  /** Where, what time, who arranges it. */
  note: z.string().max(500),
})
export type NextMeetingFields = z.infer<typeof nextMeetingSchema>
export const DEFAULT_NEXT_MEETING: NextMeetingFields = { kind: 'core-group', date: null, note: '' }

export interface CoreGroupPart {
  readonly members: EntryList<CoreGroupMemberFields, never>
  readonly nextMeetings: EntryList<NextMeetingFields, never>
}

export function coreGroupPart(doc: Y.Doc): CoreGroupPart {
  return {
    members: new EntryList(doc, CORE_GROUP_MEMBERS_ROOT, { schema: coreGroupMemberSchema, defaults: DEFAULT_CORE_GROUP_MEMBER, richText: [] }),
    nextMeetings: new EntryList(doc, NEXT_MEETINGS_ROOT, { schema: nextMeetingSchema, defaults: DEFAULT_NEXT_MEETING, richText: [] }),
  }
}
