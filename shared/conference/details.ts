import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList } from './entryList'
import { FieldMap, type FieldsPart } from './fieldMap'
import { isoDate, isoDateOrEmpty, shortText } from './fields'
import { REFERRAL_AUTHOR } from '../programmes/referral'

/** Part 1 of the record: what kind of conference this is, when, where, and for which children. */

export const CONFERENCE_KINDS = ['uk-initial', 'uk-review', 'us-csc-initial', 'us-csc-follow-up'] as const
export type ConferenceKind = (typeof CONFERENCE_KINDS)[number]

export const CONFERENCE_KIND_LABELS: Readonly<Record<ConferenceKind, string>> = {
  'uk-initial': 'UK initial child protection conference',
  'uk-review': 'UK review child protection conference',
  'us-csc-initial': 'US child safety conference (initial)',
  'us-csc-follow-up': 'US child safety conference (follow-up)',
}

export const DETAILS_ROOT = 'details'
export const CHILDREN_ROOT = 'details.children'
export const DETAILS_ROOT_NAMES = [DETAILS_ROOT, CHILDREN_ROOT] as const

export const conferenceDetailsSchema = z.object({
  kind: z.enum(CONFERENCE_KINDS),
  title: shortText,
  /** YYYY-MM-DD, or '' until known. */
  date: isoDateOrEmpty,
  /** The local authority (UK) or service area (US). */
  area: shortText,
})
export type ConferenceDetails = z.infer<typeof conferenceDetailsSchema>

export const DEFAULT_CONFERENCE_DETAILS: ConferenceDetails = { kind: 'uk-initial', title: '', date: '', area: '' }

export const childSchema = z.object({
  name: shortText,
  /** YYYY-MM-DD, or null when not known (or not to be shown). */
  dateOfBirth: isoDate.nullable(),
})
export type ChildFields = z.infer<typeof childSchema>

export const DEFAULT_CHILD: ChildFields = { name: '', dateOfBirth: null }

/**
 * Who wrote the children into a review's or follow-up's record: the conference it follows, whose
 * children they were, before anyone had joined. Shown as "From the last conference".
 */
export const EARLIER_CONFERENCE_AUTHOR = 'earlier-conference'

/** Where an entry no person wrote came from, in words ("the referral"); null for a person's entry. */
export function entrySource(authorId: string): string | null {
  if (authorId === REFERRAL_AUTHOR) return 'the referral'
  if (authorId === EARLIER_CONFERENCE_AUTHOR) return 'the last conference'
  return null
}

export interface DetailsPart extends FieldsPart<ConferenceDetails> {
  /** The children the conference is about. */
  readonly children: EntryList<ChildFields, never>
}

export function detailsFields(doc: Y.Doc): FieldMap<ConferenceDetails> {
  return new FieldMap(doc, doc.getMap<unknown>(DETAILS_ROOT), { schema: conferenceDetailsSchema, defaults: DEFAULT_CONFERENCE_DETAILS })
}

export function detailsPart(doc: Y.Doc): DetailsPart {
  const fields = detailsFields(doc)
  return {
    get: () => fields.get(),
    update: (patch, origin) => {
      fields.update(patch, origin)
    },
    observe: (callback) => fields.observe(callback),
    children: new EntryList(doc, CHILDREN_ROOT, { schema: childSchema, defaults: DEFAULT_CHILD, richText: [] }),
  }
}
