import type { Permission } from '../roles'
import { DECISION_ROOT, RATIONALE_ROOT } from './decision'
import { MEETING_ROOT } from './meeting'
import { VIEWS_ROOT } from './views'
import { PROFESSIONALS_ONLY_ROOT_NAMES } from './professionalsOnly'
import { CLIENT_WRITABLE_ROOT_NAMES } from './schema'

/**
 * A conference has two documents: the record everyone in it sees, and the professionals-only
 * section (shared/conference/professionalsOnly.ts), each synced and stored on its own.
 */
export const CONFERENCE_DOCUMENTS = ['record', 'professionalsOnly'] as const
export type ConferenceDocument = (typeof CONFERENCE_DOCUMENTS)[number]

const PROFESSIONALS_ONLY_PATH = 'professionals-only'

/** The y-websocket room name, i.e. the path after `/sync/`. */
export function syncRoomName(conferenceId: string, document: ConferenceDocument): string {
  return document === 'record' ? conferenceId : `${conferenceId}/${PROFESSIONALS_ONLY_PATH}`
}

/** The conference and document a room name stands for, or null for any other shape. */
export function parseSyncRoomName(name: string): { conferenceId: string; document: ConferenceDocument } | null {
  const [conferenceId, rest, ...more] = name.split('/')
  if (!conferenceId || more.length > 0) return null
  if (rest === undefined) return { conferenceId, document: 'record' }
  return rest === PROFESSIONALS_ONLY_PATH ? { conferenceId, document: 'professionalsOnly' } : null
}

/** The roots a client's update may touch in each document (the server's update guard). */
export const WRITABLE_ROOTS: Record<ConferenceDocument, ReadonlySet<string>> = {
  record: CLIENT_WRITABLE_ROOT_NAMES,
  professionalsOnly: new Set(PROFESSIONALS_ONLY_ROOT_NAMES),
}

/**
 * Parts that need more than `editEntries` to change: the chair's (or US decision-maker's)
 * decision and its rationale, where the meeting is (moved on by the chair or note-taker), and
 * views on entries.
 * The professionals' recommendations and the family's view beside the decision stay open to
 * everyone who edits.
 */
export const ROOTS_NEEDING: Readonly<Record<string, Permission>> = {
  [MEETING_ROOT]: 'moveAgenda',
  // Today the same roles as editEntries; kept apart so the table alone decides who adds views.
  [VIEWS_ROOT]: 'addViews',
  [DECISION_ROOT]: 'recordDecision',
  [RATIONALE_ROOT]: 'recordDecision',
}

/** The roots a person may write in a document, given what their role allows (shared/roles.ts). */
export function writableRootsFor(document: ConferenceDocument, allowed: (permission: Permission) => boolean): ReadonlySet<string> {
  if (!allowed('editEntries')) return new Set()
  return new Set([...WRITABLE_ROOTS[document]].filter((root) => {
    const needs = ROOTS_NEEDING[root]
    return needs === undefined || allowed(needs)
  }))
}
