import * as Y from 'yjs'
import { DANGER_STATEMENT_PAIRS_ROOT } from '../../shared/conference/dangerStatements'
import type { AuthorshipKey } from '../../shared/conference/entryList'
import { MAP_ROOT_NAMES } from '../../shared/conference/map'
import { mayRemoveEntry } from '../../shared/conference/removingEntries'
import { ENTRY_LIST_ROOT_NAMES } from '../../shared/conference/schema'
import { pairBeingScored, pairWasScored, scoresPart } from '../../shared/conference/scores'
import { can, type Permission, type Role } from '../../shared/roles'

/** The person whose update it is, as the server knows them. */
export interface Writer {
  authorId: string
  role: Role
}

/**
 * What an update does to the entries of the record's lists (ENTRY_LIST_ROOT_NAMES), as the update
 * guard reads it from the wire: only what says which entry it is, who wrote it and who changed it
 * (AUTHORSHIP_KEYS), and which entries come and go. Typing inside an entry never appears here.
 */
export interface EntryChanges {
  /** Entries the update adds, each with every value it writes to those keys (a string, or null for anything else). */
  readonly added: Map<object, { root: string; stamps: Map<AuthorshipKey, (string | null)[]> }>
  /** Stored entries it removes. */
  readonly removed: { root: string; entry: Y.Map<unknown> }[]
  /** Values it writes to those keys of stored entries. */
  readonly stamped: { entry: Y.Map<unknown>; key: AuthorshipKey; value: string | null }[]
  /** Those keys of stored entries whose value it deletes. */
  readonly unstamped: { entry: Y.Map<unknown>; key: AuthorshipKey }[]
}

export function noEntryChanges(): EntryChanges {
  return { added: new Map(), removed: [], stamped: [], unstamped: [] }
}

export function hasEntryChanges(changes: EntryChanges): boolean {
  return changes.added.size > 0 || changes.removed.length > 0 || changes.stamped.length > 0 || changes.unstamped.length > 0
}

const mapRoots: ReadonlySet<string> = new Set(MAP_ROOT_NAMES)

function stringAt(entry: Y.Map<unknown>, key: string): string | null {
  const value = entry.get(key)
  return typeof value === 'string' ? value : null
}

/** Who wrote an entry, when, and who changed it last. */
interface Stamps {
  authorId: string
  createdAt: string
  updatedBy: string
}

function stampsOf(entry: Y.Map<unknown>): Stamps {
  return { authorId: stringAt(entry, 'authorId') ?? '', createdAt: stringAt(entry, 'createdAt') ?? '', updatedBy: stringAt(entry, 'updatedBy') ?? '' }
}

/**
 * The stamps of entries removed from each loaded record, by id. Undoing a removal brings the same
 * entry back as a new copy with its old stamps, and the removed original is no longer in the
 * record to compare it with. Kept while the record is loaded, which outlasts the offer to undo.
 */
const removedEntries = new WeakMap<Y.Doc, Map<string, Stamps>>()

/** Remembers the entries an update that passed removes, for an undo to bring back. */
export function rememberRemovedEntries(doc: Y.Doc, changes: EntryChanges): void {
  if (changes.removed.length === 0) return
  let removed = removedEntries.get(doc)
  if (!removed) {
    removed = new Map()
    removedEntries.set(doc, removed)
  }
  for (const { entry } of changes.removed) {
    const id = stringAt(entry, 'id')
    if (id !== null) removed.set(id, stampsOf(entry))
  }
}

/** The stamps of every entry with this id, in any list (an entry moved between lists keeps its id), or of the one removed. */
function existingStamps(doc: Y.Doc, id: string): Stamps[] {
  const found: Stamps[] = []
  for (const root of ENTRY_LIST_ROOT_NAMES) {
    for (const value of doc.getArray<unknown>(root)) {
      if (value instanceof Y.Map && value.get('id') === id) found.push(stampsOf(value as Y.Map<unknown>))
    }
  }
  const removed = removedEntries.get(doc)?.get(id)
  return found.length === 0 && removed ? [removed] : found
}

/**
 * Whether the update keeps to who wrote what: every entry it adds is written by the writer, or is
 * a true copy of an existing one (a move between sub-sections of the map keeps the author and
 * date); every change it stamps is stamped with the writer's own id; nobody rewrites who wrote
 * an entry or when; and every entry it removes is one the writer may remove (mayRemoveEntry).
 * An entry removed by moving it to another sub-section of the map is not removed. Runs only for
 * updates that add, remove or stamp entries, against the stored record, before it changes.
 */
export function entryChangesAllowed(doc: Y.Doc, changes: EntryChanges, writer: Writer): boolean {
  // A stored entry's id, author and date never change; the last change is stamped by whoever made it.
  const restamped = new Set<Y.Map<unknown>>()
  for (const { entry, key, value } of changes.stamped) {
    if (key !== 'updatedBy' || value !== writer.authorId) return false
    restamped.add(entry)
  }
  // A stamp goes only with its entry, or when a new one replaces it (only `updatedBy` can be).
  const removed = new Set(changes.removed.map(({ entry }) => entry))
  for (const { entry, key } of changes.unstamped) {
    if (!removed.has(entry) && !(key === 'updatedBy' && restamped.has(entry))) return false
  }

  const movedInto = new Map<string, string>()
  for (const { root, stamps } of changes.added.values()) {
    const [id, ...moreIds] = stamps.get('id') ?? []
    const [authorId, ...moreAuthors] = stamps.get('authorId') ?? []
    const [createdAt, ...moreDates] = stamps.get('createdAt') ?? []
    if (typeof id !== 'string' || typeof authorId !== 'string' || moreIds.length + moreAuthors.length + moreDates.length > 0) return false
    const updatedBy = stamps.get('updatedBy') ?? []
    const existing = existingStamps(doc, id)
    // A new entry is the writer's own. One with the id of an existing entry is a copy of it (a
    // move, perhaps two people moving it at once, or a removal undone), never a stand-in under
    // someone else's name: a move stamps the writer as the last to change it, an undo the stamp
    // the entry had.
    const allowed = existing.length === 0
      ? authorId === writer.authorId && updatedBy.every((by) => by === writer.authorId)
      : existing.every((original) => original.authorId === authorId && original.createdAt === (createdAt ?? '') && updatedBy.every((by) => by === writer.authorId || by === original.updatedBy))
    if (!allowed) return false
    movedInto.set(id, root)
  }

  const remover = { authorId: writer.authorId, may: (permission: Permission) => can(writer.role, permission) }
  for (const { root, entry } of changes.removed) {
    const id = stringAt(entry, 'id') ?? ''
    const destination = movedInto.get(id)
    if (mapRoots.has(root) && destination !== undefined && mapRoots.has(destination)) continue
    const rounds = root === DANGER_STATEMENT_PAIRS_ROOT ? scoresPart(doc).rounds() : []
    const scored = pairWasScored(rounds, id)
    const beingScored = pairBeingScored(rounds, id)
    if (!mayRemoveEntry(remover, { root, authorId: stringAt(entry, 'authorId') ?? '', scored, beingScored })) return false
  }
  return true
}
