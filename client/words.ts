import { roleWords } from '../shared/conference/agenda'
import type { ConferenceKind } from '../shared/conference/details'
import type { Role } from '../shared/roles'

/**
 * Conference kinds in plain words. Kept here rather than importing CONFERENCE_KIND_LABELS:
 * details.ts builds zod schemas at load, which would pull zod and Yjs into the list page.
 */
const KIND_WORDS: Readonly<Record<ConferenceKind, string>> = {
  'uk-initial': 'Initial child protection conference',
  'uk-review': 'Review child protection conference',
  'us-csc-initial': 'Child safety conference',
  'us-csc-follow-up': 'Child safety follow-up conference',
}

export function kindWords(kind: ConferenceKind): string {
  return KIND_WORDS[kind]
}

/** Every kind, in words, for a choice. */
export const KIND_OPTIONS: readonly { value: ConferenceKind; label: string }[] = (Object.keys(KIND_WORDS) as ConferenceKind[]).map(
  (kind) => ({ value: kind, label: KIND_WORDS[kind] }),
)

/** One formatter for every date: toLocaleDateString makes a new one each call, which the board did many times a second. */
const DAY_FORMAT = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

/** "23 November 2026" (or the reader's own order). The date has no time, so read it as UTC. */
export function dateWords(isoDate: string): string {
  if (!isoDate) return 'Date not set yet'
  const date = new Date(`${isoDate}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return isoDate
  return DAY_FORMAT.format(date)
}

/** The choices of a role picker, each named as this kind of conference names it. */
export function roleOptions<R extends Role>(roles: readonly R[], kind: ConferenceKind): { value: R; label: string }[] {
  return roles.map((role) => ({ value: role, label: roleWords(role, kind) }))
}
