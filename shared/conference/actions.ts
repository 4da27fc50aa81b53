import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList } from './entryList'
import { isoDate, shortText } from './fields'

/** Part 9 of the record: actions: what, who, by when, for professionals and for the family and network. */

export const ACTION_STATUSES = ['open', 'done', 'cancelled'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
  open: 'To do',
  done: 'Done',
  cancelled: 'No longer needed',
}

/** The record lists professionals' actions apart from the family's and network's. */
export const ACTION_OWNERS = ['professionals', 'family-and-network'] as const
export type ActionOwner = (typeof ACTION_OWNERS)[number]

export const ACTIONS_ROOT = 'actions.list'
export const ACTIONS_ROOT_NAMES = [ACTIONS_ROOT] as const

export const actionSchema = z.object({
  who: shortText,
  ownedBy: z.enum(ACTION_OWNERS),
  /** YYYY-MM-DD, or null when no date was agreed. */
  byWhen: isoDate.nullable(),
  status: z.enum(ACTION_STATUSES),
})
export type ActionFields = z.infer<typeof actionSchema>
export const DEFAULT_ACTION: ActionFields = { who: '', ownedBy: 'professionals', byWhen: null, status: 'open' }

export type ActionList = EntryList<ActionFields, 'what'>

export function actionList(doc: Y.Doc): ActionList {
  return new EntryList(doc, ACTIONS_ROOT, { schema: actionSchema, defaults: DEFAULT_ACTION, richText: ['what'] })
}
