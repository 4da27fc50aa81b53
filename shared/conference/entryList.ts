import * as Y from 'yjs'
import { RecordValidationError } from './errors'
import { checkAuthor, fieldKeys, readFields, validatePatch, type FieldSpec, type FieldValues } from './fields'
import { localEdit, type ConferenceOrigin } from './origins'
import { setPlainText } from './richText'

/** How a list part is shaped: its scalar fields, its rich-text parts and its limit. */
export interface EntryListSpec<F extends FieldValues, R extends string> extends FieldSpec<F> {
  readonly richText: readonly R[]
  /** `add` refuses beyond this. Concurrent adds can still exceed it after a merge (see `add`). */
  readonly maxEntries?: number
}

export interface NewEntry<F extends FieldValues, R extends string> {
  fields?: Partial<F>
  /** Starting text of rich-text parts, one paragraph per line. */
  text?: Partial<Record<R, string>>
  /** Place the new entry right after this one; by default it goes last. */
  after?: string
}

/**
 * Keys that say which entry it is, who wrote it and when, and who last changed it: written by
 * `add` and `moveTo`, and `updatedBy` by every change, always as the person making it. The server
 * holds clients to that (server/documents/entryOwnership.ts).
 */
export const AUTHORSHIP_KEYS = ['id', 'authorId', 'createdAt', 'updatedBy'] as const
export type AuthorshipKey = (typeof AUTHORSHIP_KEYS)[number]

/** Keys every entry map holds besides its fields and rich text. */
const ENTRY_KEYS = [...AUTHORSHIP_KEYS, 'updatedAt', 'position'] as const
const entryKeys: ReadonlySet<string> = new Set(ENTRY_KEYS)

/** 16 random bytes, base64url: unique without coordination, in browsers and Node 20. */
export function newEntryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function nowIso(): string {
  return new Date().toISOString()
}

function stringAt(map: Y.Map<unknown>, key: string): string {
  const value = map.get(key)
  return typeof value === 'string' ? value : ''
}

function positionOf(map: Y.Map<unknown>): number {
  const value = map.get('position')
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}

/**
 * A position strictly between two neighbours' positions, or undefined when there is no room
 * left (equal neighbours, or doubles exhausted by many moves into the same gap).
 */
function positionBetween(before: number | undefined, after: number | undefined): number | undefined {
  if (before === undefined && after === undefined) return 0
  if (before === undefined) return (after ?? 0) - 1
  if (after === undefined) return before + 1
  const middle = before + (after - before) / 2
  return before < middle && middle < after ? middle : undefined
}

/**
 * One entry of a list: who wrote it, when, its fields and its rich text. Reads are live (they
 * always show the current state of the record), so an Entry may be kept across renders.
 */
export class Entry<F extends FieldValues = FieldValues, R extends string = string> {
  /** @internal Entries are made by their EntryList. */
  constructor(
    private readonly list: EntryList<F, R>,
    private readonly map: Y.Map<unknown>,
  ) {}

  get id(): string {
    return stringAt(this.map, 'id')
  }

  get authorId(): string {
    return stringAt(this.map, 'authorId')
  }

  /** ISO 8601, UTC. */
  get createdAt(): string {
    return stringAt(this.map, 'createdAt')
  }

  /** ISO 8601, UTC: the last field change or text edit that was recorded with `touch`. */
  get updatedAt(): string {
    return stringAt(this.map, 'updatedAt')
  }

  get updatedBy(): string {
    return stringAt(this.map, 'updatedBy')
  }

  /** Sort key within the list (ties broken by id). */
  get position(): number {
    return positionOf(this.map)
  }

  /** True once someone removed the entry from the record. */
  get removed(): boolean {
    return this.map._item?.deleted ?? false
  }

  get fields(): F {
    return readFields(this.list.spec, (key) => this.map.get(key))
  }

  /** The rich text to bind an editor to. */
  richText(name: R): Y.XmlFragment {
    if (!this.list.richTextNames.has(name)) {
      throw new RecordValidationError('unknown-rich-text', `This entry has no rich text "${name}".`)
    }
    const fragment = this.map.get(name)
    // Never created here on demand: two people doing so at once would lose one of them.
    if (!(fragment instanceof Y.XmlFragment)) {
      throw new RecordValidationError('missing-rich-text', `Entry ${this.id} was written without its "${name}".`)
    }
    return fragment
  }

  /** False only for an entry a faulty client wrote without this rich text. */
  hasRichText(name: R): boolean {
    return this.list.richTextNames.has(name) && this.map.get(name) instanceof Y.XmlFragment
  }

  /** Changes fields; throws a RecordValidationError when a value is invalid or the entry is gone. */
  update(by: string, patch: Partial<F>, origin: ConferenceOrigin = localEdit): void {
    checkAuthor(by)
    if (this.removed) throw new RecordValidationError('unknown-entry', `Entry ${this.id} was removed.`)
    const changes = Object.entries(validatePatch(this.list.spec, this.fields, patch)).filter(
      ([key, value]) => this.map.get(key) !== value,
    )
    if (changes.length === 0) return
    this.list.doc.transact(() => {
      for (const [key, value] of changes) this.map.set(key, value)
      this.stamp(by)
    }, origin)
  }

  /**
   * Records who last changed the entry after a text edit (once per pause, not per keystroke).
   * Returns false, changing nothing, when the entry was removed meanwhile.
   */
  touch(by: string, origin: ConferenceOrigin = localEdit): boolean {
    checkAuthor(by)
    if (this.removed) return false
    this.list.doc.transact(() => {
      this.stamp(by)
    }, origin)
    return true
  }

  private stamp(by: string): void {
    this.map.set('updatedAt', nowIso())
    this.map.set('updatedBy', by)
  }
}

/**
 * An ordered list of entries at one root of the doc (a Y.Array of Y.Maps). Order is by
 * `position` then id, so moving an entry is one field write: concurrent moves and edits of the
 * same entry never lose its content, which delete-and-reinsert would.
 */
export class EntryList<F extends FieldValues = FieldValues, R extends string = string> {
  /** @internal */
  readonly richTextNames: ReadonlySet<string>
  private readonly array: Y.Array<unknown>

  constructor(
    /** @internal */
    readonly doc: Y.Doc,
    readonly rootName: string,
    /** @internal */
    readonly spec: EntryListSpec<F, R>,
  ) {
    this.array = doc.getArray<unknown>(rootName)
    this.richTextNames = new Set(spec.richText)
    for (const key of [...fieldKeys(spec), ...spec.richText]) {
      if (entryKeys.has(key)) throw new Error(`"${key}" is reserved in every entry of ${rootName}`)
    }
    for (const name of spec.richText) {
      if (name in spec.defaults) throw new Error(`"${name}" is both a field and a rich text in ${rootName}`)
    }
  }

  /** The names of every entry's rich-text parts. */
  get richTextParts(): readonly R[] {
    return this.spec.richText
  }

  get maxEntries(): number | undefined {
    return this.spec.maxEntries
  }

  /**
   * Every entry, in order. Values that are not entries (from a faulty client) are skipped.
   * After concurrent adds a list can hold more than `maxEntries`: all are returned, because
   * hiding what someone wrote is worse than a long list; `exceedsLimit()` tells the UI.
   */
  entries(): Entry<F, R>[] {
    return this.orderedMaps().map((map) => new Entry(this, map))
  }

  get(id: string): Entry<F, R> | undefined {
    const map = this.findMap(id)
    return map ? new Entry(this, map) : undefined
  }

  get size(): number {
    return this.orderedMaps().length
  }

  /** True when `add` would refuse. */
  isFull(): boolean {
    return this.spec.maxEntries !== undefined && this.size >= this.spec.maxEntries
  }

  /** True when concurrent adds left more entries than the limit. */
  exceedsLimit(): boolean {
    return this.spec.maxEntries !== undefined && this.size > this.spec.maxEntries
  }

  /**
   * Adds an entry with all its rich-text parts, in one transaction. Throws a
   * RecordValidationError when the list is full, a field is invalid or `after` is unknown.
   */
  add(authorId: string, init: NewEntry<F, R> = {}, origin: ConferenceOrigin = localEdit): Entry<F, R> {
    checkAuthor(authorId)
    const ordered = this.orderedMaps()
    const limit = this.spec.maxEntries
    if (limit !== undefined && ordered.length >= limit) {
      throw new RecordValidationError('too-many-entries', `There can be at most ${limit} entries here.`)
    }
    const fields = validatePatch(this.spec, this.spec.defaults, init.fields ?? {})
    const text = Object.entries(init.text ?? {}).filter((pair): pair is [string, string] => typeof pair[1] === 'string')
    for (const [name] of text) {
      if (!this.richTextNames.has(name)) throw new RecordValidationError('unknown-rich-text', `There is no rich text "${name}" here.`)
    }
    const insertAt = this.indexForNew(ordered, init.after)

    const map = new Y.Map<unknown>()
    this.doc.transact(() => {
      const position = this.positionAt(ordered, insertAt)
      this.array.push([map])
      const now = nowIso()
      map.set('id', newEntryId())
      map.set('authorId', authorId)
      map.set('createdAt', now)
      map.set('updatedAt', now)
      map.set('updatedBy', authorId)
      map.set('position', position)
      for (const [key, value] of Object.entries({ ...this.spec.defaults, ...fields })) map.set(key, value)
      for (const name of this.spec.richText) map.set(name, new Y.XmlFragment())
      for (const [name, words] of text) {
        const fragment = map.get(name)
        if (fragment instanceof Y.XmlFragment) setPlainText(fragment, words, origin)
      }
    }, origin)
    return new Entry(this, map)
  }

  /**
   * Removes an entry; false when there was none with that id. Every copy of the id goes (two
   * people moving the same entry here at once leave two: see `moveTo`).
   */
  remove(id: string, origin: ConferenceOrigin = localEdit): boolean {
    if (!this.findMap(id)) return false
    this.doc.transact(() => {
      this.deleteMaps(id)
    }, origin)
    return true
  }

  /**
   * Removes an entry so that `undo` can bring the same entry back (its id, author, fields and
   * rich text): a Yjs undo scoped to this one removal, which no other change on this device or
   * anyone else's can undo or be undone by. Null when there was no entry with that id.
   */
  removeUndoably(id: string): EntryRemoval | null {
    if (!this.findMap(id)) return null
    // An origin of its own: the undo manager tracks this removal and nothing else.
    const removal: ConferenceOrigin = Object.freeze({ kind: 'local-edit' as const })
    const undoManager = new Y.UndoManager(this.array, { trackedOrigins: new Set([removal]), captureTimeout: 0 })
    this.remove(id, removal)
    return {
      undo: () => {
        const restored = undoManager.undo() !== null
        undoManager.destroy()
        return restored && this.findMap(id) !== undefined
      },
      forget: () => { undoManager.destroy() },
    }
  }

  /**
   * Moves an entry to another list of the same shape (e.g. from Past harm to Next steps), with
   * its id, author, dates, fields and rich text, in one transaction: it is copied there and
   * removed here, so nobody ever sees it in both or in neither. `fields` changes fields on the
   * way (e.g. `parked`); `index` is its place in `target` (last by default).
   *
   * Concurrent editing: Yjs cannot move a subtree between roots, so words typed into the entry
   * by someone else in the instant before the move reaches them land in the removed original
   * and are lost; words typed after it reaches them go into the copy. Two people moving the
   * same entry at once each leave a copy: in the same list the copies are shown as one (see
   * `orderedMaps`), in two lists both are shown, so nothing written is hidden.
   */
  moveTo(id: string, target: EntryList<F, R>, by: string, move: { index?: number; fields?: Partial<F> } = {}, origin: ConferenceOrigin = localEdit): Entry<F, R> {
    checkAuthor(by)
    if (target.doc !== this.doc) throw new Error('An entry can only move within one conference record')
    if (target === this) throw new Error('moveTo moves between two lists: use move within one')
    const source = this.findMap(id)
    if (!source) throw new RecordValidationError('unknown-entry', `There is no entry ${id} here.`)
    const fields = validatePatch(target.spec, readFields(this.spec, (key) => source.get(key)), move.fields ?? {})
    const ordered = target.orderedMaps()
    const limit = target.spec.maxEntries
    if (limit !== undefined && ordered.length >= limit) {
      throw new RecordValidationError('too-many-entries', `There can be at most ${limit} entries there.`)
    }
    const index = Math.max(0, Math.min(move.index ?? ordered.length, ordered.length))

    const copy = new Y.Map<unknown>()
    this.doc.transact(() => {
      const position = target.positionAt(ordered, index)
      target.array.push([copy])
      for (const key of ['id', 'authorId', 'createdAt'] as const) copy.set(key, stringAt(source, key))
      copy.set('position', position)
      for (const [key, value] of Object.entries({ ...readFields(this.spec, (key) => source.get(key)), ...fields })) copy.set(key, value)
      for (const name of target.spec.richText) {
        const text = source.get(name)
        copy.set(name, text instanceof Y.XmlFragment ? text.clone() : new Y.XmlFragment())
      }
      copy.set('updatedAt', nowIso())
      copy.set('updatedBy', by)
      this.deleteMaps(id)
    }, origin)
    return new Entry(target, copy)
  }

  /** Moves an entry to `toIndex` of the ordered list (clamped) by writing its position only. */
  move(id: string, toIndex: number, origin: ConferenceOrigin = localEdit): void {
    const ordered = this.orderedMaps()
    const from = ordered.findIndex((map) => map.get('id') === id)
    const moving = ordered[from]
    if (!moving) throw new RecordValidationError('unknown-entry', `There is no entry ${id} here.`)
    const others = ordered.filter((map) => map !== moving)
    const to = Math.max(0, Math.min(Number.isFinite(toIndex) ? Math.trunc(toIndex) : others.length, others.length))
    if (to === from) return
    this.doc.transact(() => {
      moving.set('position', this.positionAt(others, to))
    }, origin)
  }

  /**
   * Calls back after any change to the list or inside its entries, with the change's origin
   * (the sync provider for changes from elsewhere). Returns the unsubscribe.
   */
  observe(callback: (origin: unknown) => void): () => void {
    const listener = (_events: unknown, transaction: Y.Transaction): void => {
      callback(transaction.origin)
    }
    this.array.observeDeep(listener)
    return () => {
      this.array.unobserveDeep(listener)
    }
  }

  /**
   * The entry maps in (position, id) order; anything else in the array is skipped. Two copies
   * of one id (a concurrent `moveTo`, both made from the same entry) show as one: the same
   * copy on every device.
   */
  private orderedMaps(): Y.Map<unknown>[] {
    const byId = new Map<string, Y.Map<unknown>>()
    for (const value of this.array) {
      if (!(value instanceof Y.Map)) continue
      const id: unknown = value.get('id')
      if (typeof id !== 'string') continue
      const seen = byId.get(id)
      if (!seen || firstWritten(value, seen)) byId.set(id, value as Y.Map<unknown>)
    }
    return [...byId.values()].sort((a, b) => positionOf(a) - positionOf(b) || compareIds(stringAt(a, 'id'), stringAt(b, 'id')))
  }

  private findMap(id: string): Y.Map<unknown> | undefined {
    return this.orderedMaps().find((map) => map.get('id') === id)
  }

  /** Deletes every map with this id, from the end so the indexes stay right. Inside a transaction. */
  private deleteMaps(id: string): void {
    const indexes: number[] = []
    this.array.forEach((value, at) => {
      if (value instanceof Y.Map && value.get('id') === id) indexes.push(at)
    })
    for (const at of indexes.reverse()) this.array.delete(at, 1)
  }

  /** Where a new entry goes in the ordered list: last, or right after `after`. */
  private indexForNew(ordered: readonly Y.Map<unknown>[], after: string | undefined): number {
    if (after === undefined) return ordered.length
    const index = ordered.findIndex((map) => map.get('id') === after)
    if (index < 0) throw new RecordValidationError('unknown-entry', `There is no entry ${after} here.`)
    return index + 1
  }

  /**
   * A position that puts an entry at `index` among `others`. When the gap is used up, the
   * others are renumbered 0, 1, 2... first: rare, and a concurrent renumbering still converges
   * (each position is one last-writer-wins field) without losing any entry. Call it inside the
   * transaction that writes the position, so a renumbering travels with it.
   */
  private positionAt(others: readonly Y.Map<unknown>[], index: number): number {
    const before = others[index - 1]
    const after = others[index]
    const between = positionBetween(before && positionOf(before), after && positionOf(after))
    if (between !== undefined) return between
    others.forEach((map, at) => {
      map.set('position', at)
    })
    return index - 0.5
  }
}

/** What `removeUndoably` returns: bring the entry back, or let the chance go. */
export interface EntryRemoval {
  /** Brings the same entry back; false when it could not be (e.g. it is already back). */
  undo(): boolean
  /** The undo is no longer offered: frees what kept the removed entry's content. */
  forget(): void
}

/** True when `a` was created before `b` by the same client, or by a lower client id: the same answer everywhere. */
function firstWritten(a: Y.Map<unknown>, b: Y.Map<unknown>): boolean {
  const idA = a._item?.id
  const idB = b._item?.id
  if (!idA || !idB) return false
  return idA.client === idB.client ? idA.clock < idB.clock : idA.client < idB.client
}

/** Plain code-unit order, the same on every device (localeCompare is not). */
function compareIds(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}
