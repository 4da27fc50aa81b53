import * as Y from 'yjs'
import { VIEWS_ROOT } from '../../shared/conference/views'
import { changesOnlyOwnViews } from './viewOwnership'
import * as decoding from 'lib0/decoding'
import { CLIENT_WRITABLE_ROOT_NAMES, ENTRY_LIST_ROOT_NAMES } from '../../shared/conference/schema'
import { AUTHORSHIP_KEYS, type AuthorshipKey } from '../../shared/conference/entryList'
import { entryChangesAllowed, hasEntryChanges, noEntryChanges, rememberRemovedEntries, type EntryChanges, type Writer } from './entryOwnership'

/**
 * Checks a client's Yjs update against the live document before it is applied. Yjs cannot roll
 * a transaction back, so anything we would refuse must be refused here, before `applyUpdate`.
 *
 * The update is read by our own V1 reader, which creates no Yjs objects, so reading costs time
 * linear in the message size (1 MiB at most). The run-length tricks of yjs issue 687 live in the
 * V2 format, which we never accept. Then the structs are walked in the order Yjs would integrate
 * them (highest client first, following dependencies on a stack, exactly as `integrateStructs`
 * does), without changing anything. What we refuse:
 * - bytes that do not decode (truncated, random, huge varints), a client listed twice, empty
 *   structs, and sub-documents, which the record never uses and which cost a whole Y.Doc each;
 * - values nested deeper than MAX_VALUE_DEPTH: Yjs reads them, but could not encode them again;
 *   more than MAX_TYPES_PER_UPDATE new types, or types nested deeper than MAX_TYPE_DEPTH;
 * - a structure claiming an implausible length, which would push a client's clock so far
 *   ahead that its later real edits are taken as already seen and silently dropped;
 * - content that lands in a root the schema does not have, or in one only the server writes
 *   (schema version, scores). V1 omits the parent of an item that has a left or right origin,
 *   so the root is found from the origins, into the document;
 * - additions, removals and authorship stamps of entries that break who-wrote-what
 *   (entryOwnership.ts), and changes to someone else's view of an entry (viewOwnership.ts);
 * - anything Yjs could not integrate at once: references to content the server does not have,
 *   gaps, and references that go round in a circle. Yjs would park such structs as "pending",
 *   which costs far more than linear time to integrate later and would let one frame stall
 *   every conference. An honest client sends everything needed after a reconnect;
 * - deletions that are not in clock order per client, or overlap: every honest encoder sorts and
 *   merges them, and overlapping ranges make Yjs walk the same structs once per range;
 * - an update whose integration would cost Yjs too much: each item placed among others walks
 *   the items between its left and right origins, and every changed type walks up to its root.
 *   We count an upper bound of those steps and refuse past MAX_INTEGRATION_STEPS. Honest edits
 *   cost next to nothing: typing places each item right after the previous one.
 */

/** Longer than any real paste or merged deletion in a meeting record. */
export const MAX_STRUCT_LENGTH = 10_000_000
/** Far beyond a two-hour meeting of one client, far below where clocks lose precision. */
export const MAX_CLOCK = 2 ** 40
/** Distinct client ids in one update: a long offline session brings a handful. */
export const MAX_CLIENTS_PER_UPDATE = 1_000
/**
 * Upper bound on the list steps Yjs may take to integrate one update (conflict scans and walks
 * to the root). Yjs takes up to a few microseconds per step, so this keeps one update well under
 * a second of work; an honest update, even a long offline session, stays far below it.
 */
export const MAX_INTEGRATION_STEPS = 200_000
/**
 * How deeply values (Any content, JSON, formatting attributes) may nest. The record nests a few
 * levels; far deeper, JSON.stringify and lib0's writeAny run out of stack when the document is
 * encoded again (for the next client's sync, for compaction), and the conference could no longer
 * be opened by anyone.
 */
export const MAX_VALUE_DEPTH = 64
/**
 * Types (maps, arrays, XML elements) one update may create, and how deeply types may nest. A Yjs
 * type costs the server ~600 bytes and a client far more (each is a node in the editor): 70,000
 * in one 650 KB update took 0.5 s and 43 MB to apply. A long pasted document is a few thousand;
 * rich text nests a handful of levels (lists in lists perhaps twenty), and an editor renders
 * nesting recursively.
 */
export const MAX_TYPES_PER_UPDATE = 10_000
export const MAX_TYPE_DEPTH = 100

export type UpdateRejection =
  | 'undecodable'
  | 'implausible-length'
  | 'too-many-clients'
  | 'forbidden-root'
  /** Content the record never holds (sub-documents). */
  | 'unsupported-content'
  /** Would take Yjs too long to integrate. */
  | 'too-costly'
  /** Needs content the server does not have: reconnecting and syncing again fixes it. */
  | 'missing-dependency'
  /**
   * Changes someone else's view of an entry, removes an entry the role may not remove, or claims
   * someone else wrote or changed an entry.
   */
  | 'not-yours'

class Refused extends Error {
  constructor(readonly rejection: UpdateRejection) {
    super(rejection)
  }
}

interface Id {
  client: number
  clock: number
}

/** One struct of the update, as read from the wire: positions and references only, no content. */
interface WireStruct {
  kind: 'gc' | 'skip' | 'item'
  client: number
  clock: number
  length: number
  origin: Id | null
  rightOrigin: Id | null
  /** Written only when the item has neither origin: a root name or the item holding the type. */
  parent: string | Id | null
  parentSub: string | null
  /** The item holds a type (ContentType): content may be placed inside it. */
  holdsType: boolean
  /** Any or JSON content: Yjs merges neighbours of these by copying their arrays. */
  arrayContent: boolean
  /** The value of a single-value Any item when it is a string (what a map key is set to). */
  text: string | null
  /** Deleted content (a value overwritten before it was sent): it holds no value. */
  contentDeleted: boolean
}

interface WireUpdate {
  /** Per client, in clock order. */
  structs: Map<number, WireStruct[]>
  /** Per client, in the order written. */
  deletions: Map<number, { clock: number; length: number }[]>
}

// Info byte of a V1 struct (see yjs Item.write).
const BITS5 = 31
const HAS_ORIGIN = 128
const HAS_RIGHT_ORIGIN = 64
const HAS_PARENT_SUB = 32
const SKIP = 10
const CONTENT_DELETED = 1
const CONTENT_JSON = 2
const CONTENT_BINARY = 3
const CONTENT_STRING = 4
const CONTENT_EMBED = 5
const CONTENT_FORMAT = 6
const CONTENT_TYPE = 7
const CONTENT_ANY = 8
const CONTENT_DOC = 9
/** Type refs of ContentType: YArray 0, YMap 1, YText 2, YXmlElement 3, YXmlFragment 4, YXmlHook 5, YXmlText 6. */
const MAX_TYPE_REF = 6
const TYPE_XML_ELEMENT = 3
const TYPE_XML_HOOK = 5
/** lib0's "any" tag of a string. */
const ANY_STRING = 119

/** The deepest nesting of arrays and objects in a JSON text (strings skipped), without parsing it. */
export function jsonNestingDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (inString) {
      if (code === 0x5c) index++
      else if (code === 0x22) inString = false
    } else if (code === 0x22) inString = true
    else if (code === 0x5b || code === 0x7b) deepest = Math.max(deepest, ++depth)
    else if (code === 0x5d || code === 0x7d) depth--
  }
  return deepest
}

/** JSON as Yjs reads it (JSON.parse), refused when nested deeper than MAX_VALUE_DEPTH. */
function readJson(text: string): void {
  if (jsonNestingDepth(text) > MAX_VALUE_DEPTH) throw new Refused('too-costly')
  JSON.parse(text)
}

/** Skips one lib0 "any" value (what lib0's readAny reads), refusing deep nesting. */
function skipAny(decoder: decoding.Decoder, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw new Refused('too-costly')
  const type = decoding.readUint8(decoder)
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return
    case 125:
      decoding.readVarInt(decoder)
      return
    case 124:
      decoding.readFloat32(decoder)
      return
    case 123:
      decoding.readFloat64(decoder)
      return
    case 122:
      decoding.readBigInt64(decoder)
      return
    case ANY_STRING:
      decoding.readVarString(decoder)
      return
    case 118: {
      const keys = decoding.readVarUint(decoder)
      for (let index = 0; index < keys; index++) {
        decoding.readVarString(decoder)
        skipAny(decoder, depth + 1)
      }
      return
    }
    case 117: {
      const length = decoding.readVarUint(decoder)
      for (let index = 0; index < length; index++) skipAny(decoder, depth + 1)
      return
    }
    case 116:
      decoding.readVarUint8Array(decoder)
      return
    default:
      throw new Refused('undecodable')
  }
}

function readId(decoder: decoding.Decoder): Id {
  return { client: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder) }
}

function checkLength(clock: number, length: number): void {
  if (length > MAX_STRUCT_LENGTH || clock + length > MAX_CLOCK) throw new Refused('implausible-length')
  if (length === 0) throw new Refused('undecodable')
}

/** Reads an item's content as Yjs would (JSON is parsed, as Yjs parses it) and returns its length. Values nested too deeply are refused. */
function readContent(decoder: decoding.Decoder, ref: number): { length: number; holdsType?: true; text?: string } {
  switch (ref) {
    case CONTENT_DELETED:
      return { length: decoding.readVarUint(decoder) }
    case CONTENT_JSON: {
      const count = decoding.readVarUint(decoder)
      for (let index = 0; index < count; index++) {
        const value = decoding.readVarString(decoder)
        if (value !== 'undefined') readJson(value)
      }
      return { length: count }
    }
    case CONTENT_BINARY:
      decoding.readVarUint8Array(decoder)
      return { length: 1 }
    case CONTENT_STRING:
      return { length: decoding.readVarString(decoder).length }
    case CONTENT_EMBED:
      readJson(decoding.readVarString(decoder))
      return { length: 1 }
    case CONTENT_FORMAT:
      decoding.readVarString(decoder)
      readJson(decoding.readVarString(decoder))
      return { length: 1 }
    case CONTENT_TYPE: {
      const typeRef = decoding.readVarUint(decoder)
      if (typeRef > MAX_TYPE_REF) throw new Refused('undecodable')
      if (typeRef === TYPE_XML_ELEMENT || typeRef === TYPE_XML_HOOK) decoding.readVarString(decoder)
      return { length: 1, holdsType: true }
    }
    case CONTENT_ANY: {
      const count = decoding.readVarUint(decoder)
      if (count === 1 && decoding.peekUint8(decoder) === ANY_STRING) {
        decoding.readUint8(decoder)
        return { length: 1, text: decoding.readVarString(decoder) }
      }
      for (let index = 0; index < count; index++) skipAny(decoder, 1)
      return { length: count }
    }
    case CONTENT_DOC:
      // Yjs would build a whole Y.Doc for each one while merely decoding.
      throw new Refused('unsupported-content')
    default:
      throw new Refused('undecodable')
  }
}

/** Reads a V1 update the way yjs's lazyStructReaderGenerator and readDeleteSet do. */
function readWireUpdate(update: Uint8Array): WireUpdate {
  const decoder = decoding.createDecoder(update)
  const structs = new Map<number, WireStruct[]>()
  const clientCount = decoding.readVarUint(decoder)
  for (let clientIndex = 0; clientIndex < clientCount; clientIndex++) {
    const structCount = decoding.readVarUint(decoder)
    const client = decoding.readVarUint(decoder)
    let clock = decoding.readVarUint(decoder)
    // Yjs would keep only the last list of a client written twice; no encoder writes that.
    if (structs.has(client)) throw new Refused('undecodable')
    if (structs.size >= MAX_CLIENTS_PER_UPDATE) throw new Refused('too-many-clients')
    const list: WireStruct[] = []
    structs.set(client, list)
    for (let index = 0; index < structCount; index++) {
      const info = decoding.readUint8(decoder)
      const struct: WireStruct = { kind: 'gc', client, clock, length: 0, origin: null, rightOrigin: null, parent: null, parentSub: null, holdsType: false, arrayContent: false, text: null, contentDeleted: false }
      if (info === SKIP) {
        struct.kind = 'skip'
        struct.length = decoding.readVarUint(decoder)
        if (struct.length > MAX_STRUCT_LENGTH || clock + struct.length > MAX_CLOCK) throw new Refused('implausible-length')
      } else if ((info & BITS5) !== 0) {
        struct.kind = 'item'
        if ((info & HAS_ORIGIN) !== 0) struct.origin = readId(decoder)
        if ((info & HAS_RIGHT_ORIGIN) !== 0) struct.rightOrigin = readId(decoder)
        if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
          struct.parent = decoding.readVarUint(decoder) === 1 ? decoding.readVarString(decoder) : readId(decoder)
          if ((info & HAS_PARENT_SUB) !== 0) struct.parentSub = decoding.readVarString(decoder)
        }
        const content = readContent(decoder, info & BITS5)
        struct.length = content.length
        struct.holdsType = content.holdsType === true
        struct.text = content.text ?? null
        struct.contentDeleted = (info & BITS5) === CONTENT_DELETED
        struct.arrayContent = (info & BITS5) === CONTENT_ANY || (info & BITS5) === CONTENT_JSON
        checkLength(clock, struct.length)
      } else {
        struct.length = decoding.readVarUint(decoder)
        checkLength(clock, struct.length)
      }
      list.push(struct)
      clock += struct.length
    }
  }
  const deletions = new Map<number, { clock: number; length: number }[]>()
  const deletionClients = decoding.readVarUint(decoder)
  for (let clientIndex = 0; clientIndex < deletionClients; clientIndex++) {
    const client = decoding.readVarUint(decoder)
    const rangeCount = decoding.readVarUint(decoder)
    if (rangeCount === 0) continue
    let ranges = deletions.get(client)
    if (!ranges) {
      ranges = []
      deletions.set(client, ranges)
    }
    for (let index = 0; index < rangeCount; index++) {
      ranges.push({ clock: decoding.readVarUint(decoder), length: decoding.readVarUint(decoder) })
    }
  }
  return { structs, deletions }
}

/**
 * True for an update that holds nothing (every client's sync step 2 when it has nothing new),
 * read without building any Yjs object. False when it does not decode.
 */
export function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const wire = readWireUpdate(update)
    return [...wire.structs.values()].every((structs) => structs.length === 0) && wire.deletions.size === 0
  } catch {
    return false
  }
}

/** What inspecting an update found out about it, for the checks that follow. */
export interface UpdateFindings {
  /** The roots the update writes to or deletes from. */
  readonly touched: Set<string>
  /** What it does to entries of the record's lists. */
  readonly entries: EntryChanges
}

/** Returns why the update must be refused, or null when it may be applied to `doc`. */
export function inspectUpdate(
  update: Uint8Array,
  doc: Y.Doc,
  writableRoots: ReadonlySet<string> = CLIENT_WRITABLE_ROOT_NAMES,
  findings: UpdateFindings = { touched: new Set(), entries: noEntryChanges() },
): UpdateRejection | null {
  try {
    let wire: WireUpdate
    try {
      wire = readWireUpdate(update)
    } catch (error) {
      if (error instanceof Refused) throw error
      // Out of bytes, a varint past 2^53, JSON that does not parse, nesting too deep to read.
      throw new Refused('undecodable')
    }
    const inspection = new UpdateInspection(wire, doc, writableRoots, findings)
    inspection.integrateAll()
    inspection.checkDeletions()
    return null
  } catch (error) {
    if (error instanceof Refused) return error.rejection
    throw error
  }
}

/**
 * Everything the server checks before it applies a person's update to `doc`: the update itself
 * (inspectUpdate, with the roots their role may write), then that every view of an entry it
 * changes is their own, and that what it does to entries keeps to who wrote what (`writer`: who
 * they are to the server; null: they may change neither). Returns why it must be refused, or null.
 */
export function refusalOf(update: Uint8Array, doc: Y.Doc, writableRoots: ReadonlySet<string>, writer: Writer | null): UpdateRejection | null {
  const findings: UpdateFindings = { touched: new Set(), entries: noEntryChanges() }
  const rejection = inspectUpdate(update, doc, writableRoots, findings)
  if (rejection) return rejection
  if (findings.touched.has(VIEWS_ROOT) && (writer === null || !changesOnlyOwnViews(doc, update, writer.authorId))) return 'not-yours'
  if (hasEntryChanges(findings.entries)) {
    if (writer === null || !entryChangesAllowed(doc, findings.entries, writer)) return 'not-yours'
    rememberRemovedEntries(doc, findings.entries)
  }
  return null
}

/** Where content ends up: a root name, or nowhere (its parent was garbage collected). */
type Destination = { root: string } | 'discarded'

/** A place in a list, in terms of the stored document: a stored item, or the list's edge. */
type Anchor = Y.Item | 'edge'

/** What integrating an item of the update left behind, for the items that refer to it. */
interface Placed {
  destination: Destination
  /** The list it sits in (parent type and map key), for counting; null when discarded. */
  list: string | null
  /** The stored parent type, when the parent existed before this update, and the map key. */
  storedParent: Y.AbstractType<unknown> | null
  /** The struct of this update holding the parent type, when the parent is new. */
  holder: WireStruct | null
  parentSub: string | null
  /** How deep its parent type is (a root is 0). */
  parentDepth: number
  left: Anchor
  right: Anchor
  /** Upper bound of the items between its left origin and its right at the time it was placed. */
  between: number
  /** How many items of this update had been placed in its list when it was placed (itself included). */
  placedInListAt: number
  /** Length of the run of mergeable Any/JSON items of one client that it ends. */
  arrayRun: number
}

/** Types never move: their root and depth are cached across updates. */
const rootNames = new WeakMap<Y.AbstractType<unknown>, string>()
const depths = new WeakMap<Y.AbstractType<unknown>, number>()

function parentOf(type: Y.AbstractType<unknown>): Y.AbstractType<unknown> | null {
  const item = type._item
  if (!item) return null
  const parent: unknown = item.parent
  if (!(parent instanceof Y.AbstractType)) throw new Refused('missing-dependency')
  return parent
}

/** The root name and depth of a stored type, walking up only as far as the first cached type. */
function locate(type: Y.AbstractType<unknown>): { root: string; depth: number } {
  const path: Y.AbstractType<unknown>[] = []
  let current: Y.AbstractType<unknown> | null = type
  while (current && !rootNames.has(current)) {
    path.push(current)
    current = parentOf(current)
  }
  let root = current ? rootNames.get(current) : undefined
  let depth = current ? (depths.get(current) ?? 0) : -1
  for (const step of path.reverse()) {
    depth++
    root ??= Y.findRootTypeKey(step)
    rootNames.set(step, root)
    depths.set(step, depth)
  }
  if (root === undefined) throw new Refused('missing-dependency')
  return { root, depth }
}

function sameId(a: Id | null, b: Id | null): boolean {
  return a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock)
}

function listKey(type: string, parentSub: string | null): string {
  return parentSub === null ? type : `${type}\u0000${parentSub}`
}

function typeKey(type: Y.AbstractType<unknown>): string {
  const item = type._item
  return item ? `i${item.id.client}:${item.id.clock}` : `r${locate(type).root}`
}

class UpdateInspection {
  private readonly placed = new Map<WireStruct, Placed>()
  /** Integrated clock per client: the stored state, advanced as this update's structs are placed. */
  private readonly state = new Map<number, number>()
  private readonly placedPerList = new Map<string, number>()
  private readonly changedTypes = new Set<Y.AbstractType<unknown>>()
  private budget = MAX_INTEGRATION_STEPS
  private typesCreated = 0

  constructor(
    private readonly wire: WireUpdate,
    private readonly doc: Y.Doc,
    private readonly writableRoots: ReadonlySet<string>,
    private readonly findings: UpdateFindings,
  ) {}

  private storedState(client: number): number {
    return Y.getState(this.doc.store, client)
  }

  private stateOf(client: number): number {
    let clock = this.state.get(client)
    if (clock === undefined) {
      clock = this.storedState(client)
      this.state.set(client, clock)
    }
    return clock
  }

  private spend(steps: number): void {
    this.budget -= steps
    if (this.budget < 0) throw new Refused('too-costly')
  }

  /** Walks the structs in the order of yjs's integrateStructs; refuses where Yjs would park them as pending. */
  integrateAll(): void {
    const targets = new Map<number, { index: number; list: WireStruct[] }>()
    for (const [client, list] of this.wire.structs) if (list.length > 0) targets.set(client, { index: 0, list })
    const clients = [...targets.keys()].sort((a, b) => a - b)
    /** The next struct of the client with the highest id that has any left (as Yjs picks them). */
    const nextOfNextClient = (): { target: { index: number; list: WireStruct[] }; struct: WireStruct } | null => {
      for (;;) {
        const client = clients[clients.length - 1]
        if (client === undefined) return null
        const target = targets.get(client)
        const struct = target?.list[target.index]
        if (target && struct) {
          target.index++
          return { target, struct }
        }
        clients.pop()
      }
    }
    let current = nextOfNextClient()
    if (!current) return
    let { target } = current
    let head = current.struct
    const stack: WireStruct[] = []
    for (;;) {
      if (head.kind !== 'skip') {
        const offset = this.stateOf(head.client) - head.clock
        // A gap before it (or a Skip not already stored): it needs content we do not have.
        if (offset < 0) throw new Refused('missing-dependency')
        const missing = this.missingClient(head)
        if (missing !== null) {
          stack.push(head)
          const source = targets.get(missing)
          // Nothing left of that client in this update: either never sent, or (when its next
          // struct is on our stack) a circle of references. Both would stay pending.
          const needed = source?.list[source.index]
          if (!source || !needed) throw new Refused('missing-dependency')
          source.index++
          head = needed
          continue
        }
        if (offset < head.length) {
          this.integrate(head, offset)
          this.state.set(head.client, head.clock + head.length)
        }
      }
      const popped = stack.pop()
      const following = target.list[target.index]
      if (popped) head = popped
      else if (following) {
        target.index++
        head = following
      } else {
        current = nextOfNextClient()
        if (!current) return
        target = current.target
        head = current.struct
      }
    }
  }

  /** As yjs Item.getMissing: a client whose content this struct refers to but is not integrated yet. */
  private missingClient(struct: WireStruct): number | null {
    if (struct.kind !== 'item') return null
    for (const id of [struct.origin, struct.rightOrigin, typeof struct.parent === 'object' ? struct.parent : null]) {
      if (!id) continue
      if (id.client === struct.client) {
        // Yjs assumes a client's own references point back in time; a forward one would throw
        // halfway through applying.
        if (id.clock >= struct.clock) throw new Refused('undecodable')
        continue
      }
      if (id.clock >= this.stateOf(id.client)) return id.client
    }
    return null
  }

  /** The struct containing `id`: stored (GC or item), or one of this update's (already integrated). */
  private resolve(id: Id): { stored: Y.Item | Y.GC } | { local: WireStruct } {
    if (id.clock < this.storedState(id.client)) return { stored: Y.getItem(this.doc.store, Y.createID(id.client, id.clock)) }
    const list = this.wire.structs.get(id.client)
    let low = 0
    let high = (list?.length ?? 0) - 1
    while (list && low <= high) {
      const middle = (low + high) >>> 1
      const struct = list[middle]
      if (!struct) break
      if (id.clock < struct.clock) high = middle - 1
      else if (id.clock >= struct.clock + struct.length) low = middle + 1
      else if (struct.kind === 'skip') break
      else return { local: struct }
    }
    throw new Refused('missing-dependency')
  }

  /** Places an item: finds its root (refusing forbidden ones) and bounds what Yjs will walk. */
  private integrate(struct: WireStruct, offset: number): void {
    if (struct.kind !== 'item') return
    const left = struct.origin ? this.resolve(struct.origin) : null
    const right = struct.rightOrigin ? this.resolve(struct.rightOrigin) : null
    const discarded = (): void => {
      this.placed.set(struct, { destination: 'discarded', list: null, storedParent: null, holder: null, parentSub: null, parentDepth: 0, left: 'edge', right: 'edge', between: 0, placedInListAt: 0, arrayRun: 0 })
    }
    // Next to garbage-collected content, Yjs turns the item into GC.
    const isGc = (reference: typeof left): boolean => reference !== null && ('stored' in reference ? reference.stored instanceof Y.GC : reference.local.kind === 'gc')
    if (isGc(left) || isGc(right)) {
      discarded()
      return
    }

    // The parent, as getMissing sets it: given, else the left neighbour's, else the right one's.
    let destination: Destination
    let list: string
    let storedParent: Y.AbstractType<unknown> | null = null
    let holder: WireStruct | null = null
    let parentSub = struct.parentSub
    let parentDepth = 0
    if (struct.parent !== null) {
      if (typeof struct.parent === 'string') {
        destination = { root: struct.parent }
        list = `r${struct.parent}`
        const existing = this.doc.share.get(struct.parent)
        storedParent = (existing as Y.AbstractType<unknown> | undefined) ?? null
      } else {
        const parent = this.resolve(struct.parent)
        if ('stored' in parent) {
          if (!(parent.stored instanceof Y.Item)) {
            discarded()
            return
          }
          if (!(parent.stored.content instanceof Y.ContentType)) throw new Refused('undecodable')
          storedParent = parent.stored.content.type
          const located = locate(storedParent)
          destination = { root: located.root }
          parentDepth = located.depth
        } else {
          if (parent.local.kind !== 'item') {
            discarded()
            return
          }
          if (!parent.local.holdsType) throw new Refused('undecodable')
          holder = parent.local
          const placedHolder = this.placed.get(holder)
          destination = placedHolder?.destination ?? 'discarded'
          parentDepth = (placedHolder?.parentDepth ?? 0) + 1
        }
        list = `i${struct.parent.client}:${struct.parent.clock}`
      }
      list = listKey(list, parentSub)
    } else {
      const neighbour = left ?? right
      if (!neighbour) throw new Refused('undecodable')
      if ('stored' in neighbour) {
        const item = neighbour.stored as Y.Item
        const parent: unknown = item.parent
        if (!(parent instanceof Y.AbstractType)) {
          discarded()
          return
        }
        storedParent = parent
        const located = locate(parent)
        destination = { root: located.root }
        parentDepth = located.depth
        parentSub = item.parentSub
        list = listKey(typeKey(parent), parentSub)
      } else {
        const known = this.placed.get(neighbour.local)
        if (!known || known.list === null) {
          discarded()
          return
        }
        destination = known.destination
        storedParent = known.storedParent
        holder = known.holder
        parentSub = known.parentSub
        parentDepth = known.parentDepth
        list = known.list
      }
    }
    if (destination !== 'discarded' && !this.writableRoots.has(destination.root)) throw new Refused('forbidden-root')
    if (destination === 'discarded') {
      discarded()
      return
    }
    this.findings.touched.add(destination.root)
    if (ENTRY_LIST_ROOT_NAMES.has(destination.root)) this.noteEntryWrite(struct, destination.root, parentDepth, parentSub, storedParent, holder)
    if (struct.holdsType && (++this.typesCreated > MAX_TYPES_PER_UPDATE || parentDepth + 1 > MAX_TYPE_DEPTH)) throw new Refused('too-costly')

    // Anchors: where in the stored list the item's left and right neighbours are. Partly known
    // already, Yjs places it after its own stored part, which must still be an item.
    const ownStored = offset > 0 ? (Y.getItem(this.doc.store, Y.createID(struct.client, struct.clock + offset - 1)) as Y.Item | Y.GC) : null
    if (ownStored instanceof Y.GC) throw new Refused('undecodable')
    const leftAnchor: Anchor =
      ownStored ?? (!left ? 'edge'
      : 'stored' in left ? (left.stored as Y.Item)
      : (this.placed.get(left.local)?.left ?? 'edge'))
    const rightAnchor: Anchor = !right ? 'edge' : 'stored' in right ? (right.stored as Y.Item) : (this.placed.get(right.local)?.right ?? 'edge')

    const placedBefore = this.placedPerList.get(list) ?? 0
    // Typing: right after the previous item of this update, with the same right neighbour. Yjs
    // walks only what was placed there since (Yjs' scan starts at that item's right).
    const previous = left && 'local' in left ? left.local : null
    const previousPlaced = previous ? this.placed.get(previous) : undefined
    let between: number
    let arrayRun = 0
    if (
      offset === 0 && previous && previousPlaced && previousPlaced.list === list &&
      struct.origin?.clock === previous.clock + previous.length - 1 && sameId(struct.rightOrigin, previous.rightOrigin)
    ) {
      between = previousPlaced.between + (placedBefore - previousPlaced.placedInListAt)
      // After the transaction Yjs merges such neighbours right to left, each merge copying the
      // array gathered so far: quadratic in a run of single values sent unmerged.
      if (struct.arrayContent && previous.arrayContent && previous.client === struct.client && previous.clock + previous.length === struct.clock) {
        arrayRun = previousPlaced.arrayRun + previous.length
      }
    } else {
      between = this.storedBetween(leftAnchor, rightAnchor, storedParent, parentSub) + placedBefore
    }
    this.spend(between + arrayRun)
    if (storedParent && !this.changedTypes.has(storedParent)) {
      this.changedTypes.add(storedParent)
      this.spend(locate(storedParent).depth)
    }
    this.placedPerList.set(list, placedBefore + 1)
    this.placed.set(struct, { destination, list, storedParent, holder, parentSub, parentDepth, left: leftAnchor, right: rightAnchor, between, placedInListAt: placedBefore + 1, arrayRun })
  }

  /** An item placed in a list of entries: a new entry, or a value of one of its authorship keys. */
  private noteEntryWrite(struct: WireStruct, root: string, parentDepth: number, parentSub: string | null, storedParent: Y.AbstractType<unknown> | null, holder: WireStruct | null): void {
    const entries = this.findings.entries
    if (parentDepth === 0) {
      if (parentSub === null && struct.holdsType) entries.added.set(struct, { root, stamps: new Map() })
      return
    }
    if (parentDepth !== 1 || !isAuthorshipKey(parentSub)) return
    // Deleted content is a value overwritten before it was sent (a `updatedBy` stamped twice
    // offline). Left as the key's last value it would empty the key: for a stored entry that is
    // deleting the stamp; in a new entry, only a stamp of who changed it may have been overwritten.
    if (holder) {
      const stamps = entries.added.get(holder)?.stamps
      if (struct.contentDeleted && parentSub === 'updatedBy') return
      stamps?.set(parentSub, [...(stamps.get(parentSub) ?? []), struct.contentDeleted ? null : struct.text])
    } else if (storedParent instanceof Y.Map) {
      const entry = storedParent as Y.Map<unknown>
      if (struct.contentDeleted) entries.unstamped.push({ entry, key: parentSub })
      else entries.stamped.push({ entry, key: parentSub, value: struct.text })
    }
  }

  /**
   * Stored items between two anchors of a list (an upper bound of Yjs's conflict scan there),
   * counted against the budget as we walk.
   */
  private storedBetween(left: Anchor, right: Anchor, parent: Y.AbstractType<unknown> | null, parentSub: string | null): number {
    let node: Y.Item | null
    let steps = 2 // the split halves of the two neighbours
    const step = (): void => {
      if (++steps > this.budget) throw new Refused('too-costly')
    }
    if (left !== 'edge') node = left.right
    else if (!parent) return steps
    else if (parentSub !== null) {
      node = parent._map.get(parentSub) ?? null
      while (node?.left) {
        node = node.left
        step()
      }
    } else node = parent._start
    const stop = right === 'edge' ? null : right
    for (; node && node !== stop; node = node.right) step()
    return steps
  }

  /** Deleting is writing: every deleted item must be in a root the client may write. */
  checkDeletions(): void {
    for (const [client, ranges] of this.wire.deletions) {
      let previousEnd = 0
      for (const range of ranges) {
        if (range.length > MAX_STRUCT_LENGTH || range.clock + range.length > MAX_CLOCK) throw new Refused('implausible-length')
        // Honest encoders sort and merge deletions; overlapping ranges would walk the same structs again.
        if (range.length === 0 || range.clock < previousEnd) throw new Refused('undecodable')
        previousEnd = range.clock + range.length
        this.checkDeletion(client, range.clock, range.length)
      }
    }
  }

  /** A stored item deleted from a list of entries: a removed entry, or a value of one of its authorship keys. */
  private noteEntryDeletion(struct: Y.Item, root: string, parentDepth: number, parent: Y.AbstractType<unknown>): void {
    const entries = this.findings.entries
    if (parentDepth === 0 && struct.parentSub === null && struct.content instanceof Y.ContentType && struct.content.type instanceof Y.Map) {
      entries.removed.push({ root, entry: struct.content.type as Y.Map<unknown> })
    } else if (parentDepth === 1 && isAuthorshipKey(struct.parentSub) && parent instanceof Y.Map) {
      entries.unstamped.push({ entry: parent as Y.Map<unknown>, key: struct.parentSub })
    }
  }

  private checkDeletion(client: number, clock: number, length: number): void {
    const end = clock + length
    if (end > this.stateOf(client)) throw new Refused('missing-dependency')
    // Deleted content of this update was checked with the update's structs.
    const storedEnd = Math.min(end, this.storedState(client))
    const stored = this.doc.store.clients.get(client)
    if (!stored || clock >= storedEnd) return
    for (let index = Y.findIndexSS(stored, clock); index < stored.length; index++) {
      const struct = stored[index]
      if (!struct || struct.id.clock >= storedEnd) break
      this.spend(1)
      if (struct instanceof Y.Item && !struct.deleted) {
        const parent: unknown = struct.parent
        if (!(parent instanceof Y.AbstractType)) continue
        const { root, depth } = locate(parent)
        if (!this.writableRoots.has(root)) throw new Refused('forbidden-root')
        this.findings.touched.add(root)
        if (ENTRY_LIST_ROOT_NAMES.has(root)) this.noteEntryDeletion(struct, root, depth, parent)
        if (!this.changedTypes.has(parent)) {
          this.changedTypes.add(parent)
          this.spend(depth)
        }
      }
    }
  }
}

const authorshipKeys: ReadonlySet<string> = new Set(AUTHORSHIP_KEYS)

function isAuthorshipKey(key: string | null): key is AuthorshipKey {
  return key !== null && authorshipKeys.has(key)
}
