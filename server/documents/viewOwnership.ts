import * as Y from 'yjs'
import { VIEWS_ROOT } from '../../shared/conference/views'

/**
 * Every stored copy of each view, by the view's id: who gave it, and everything in it. All
 * copies, not one: the board shows the first-written copy of an id, so a copy slipped in under
 * someone else's view id (with their name on it) must count as a change to their view.
 */
function viewsOf(doc: Y.Doc): Map<string, { authorIds: unknown[]; stored: string }> {
  const views = new Map<string, { authorIds: unknown[]; stored: string[] }>()
  for (const value of doc.getArray<unknown>(VIEWS_ROOT).toArray()) {
    if (!(value instanceof Y.Map)) continue
    const fields = value.toJSON() as Record<string, unknown>
    const id = String(fields.id)
    const copies = views.get(id) ?? { authorIds: [], stored: [] }
    copies.authorIds.push(fields.authorId)
    copies.stored.push(JSON.stringify(fields))
    views.set(id, copies)
  }
  return new Map([...views].map(([id, copies]) => [id, { authorIds: copies.authorIds, stored: copies.stored.sort().join('\n') }]))
}

/**
 * Whether `update` changes only the views given by `authorId`: people give, change and withdraw
 * their own view of an entry, never anyone else's (a family's "I disagree" stays in their words).
 * The role check lets a role write the views at all; this is the check inside them. Tried on a
 * copy of the record, which only updates that touch the views pay for (a few a meeting).
 */
export function changesOnlyOwnViews(doc: Y.Doc, update: Uint8Array, authorId: string): boolean {
  const trial = new Y.Doc()
  try {
    Y.applyUpdate(trial, Y.encodeStateAsUpdate(doc))
    const before = viewsOf(trial)
    Y.applyUpdate(trial, update)
    const after = viewsOf(trial)
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(id)
      const is = after.get(id)
      if (was?.stored === is?.stored) continue
      if ([...(was?.authorIds ?? []), ...(is?.authorIds ?? [])].some((author) => author !== authorId)) return false
    }
    return true
  } finally {
    trial.destroy()
  }
}
