/**
 * Malformed websocket frames for the fuzz harness, from a seeded generator: the same seed and
 * corpus give the same frames. Six kinds:
 *
 * - random bytes (and text frames, empty frames, random bytes behind a valid message type);
 * - mutated valid messages: bit flips, byte changes, insertions, deletions, splices, applied to
 *   a whole frame or to the update inside it (re-wrapped, so it reaches the update guard);
 * - truncated updates: cut inside the frame, or inside the update with a correct length prefix;
 * - huge varints in every place a varint is read (type, length prefix, client, clock, counts);
 * - crafted updates: V1 updates built by hand to be expensive — issue 687's V2 bombs sent as V1,
 *   huge counts and lengths, cycles of references, gaps, sub-documents, deep nesting, overlapping
 *   deletions, conflict scans and unmerged runs that make Yjs walk the same items again and
 *   again, forbidden roots — many sized close to what the guard allows;
 * - awareness floods: bursts of valid awareness updates (own state, others' states, big states,
 *   removals) that the server applies and broadcasts.
 *
 * Most frames are refused; some are valid updates (a mutation that only changed typed text, a
 * crafted update within every bound). The harness tells them apart with the server's own guard
 * (tests/fuzz/fuzzer.ts) and expects those to change the document.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { MessageType } from '../../shared/protocol'
import { conferenceRecord } from '../../shared/conference'
import { typeCharacter } from '../helpers/typing'
import type { Random } from '../soak/common'

export const FRAME_KINDS = ['random-bytes', 'mutated', 'truncated-update', 'huge-varint', 'crafted-update', 'awareness-flood'] as const
export type FrameKind = (typeof FRAME_KINDS)[number]

/** One or more frames sent together (an awareness flood is a burst), then one probe. */
export interface FrameBatch {
  kind: FrameKind
  /** What exactly was made, for the report (e.g. `cycle`, `bit-flip`). */
  variant: string
  frames: (Uint8Array | string)[]
}

/** The awareness identity of the connection a batch goes out on (floods speak as it). */
export interface AwarenessContext {
  clientId: number
  clock: number
}

interface Id {
  client: number
  clock: number
}

/** What frames are built from: valid messages and references into the fuzzed conference's document. */
export interface Corpus {
  /** Valid frames of every message type. */
  messages: Uint8Array[]
  /** Valid update payloads against the document (each one builds on those before it). */
  updates: Uint8Array[]
  /** Items stored in the document: ids to refer to. */
  items: { id: Id; length: number; holdsType: boolean }[]
  /** The items of the longest list in the document, left to right (a long typed paragraph). */
  longList: Id[]
  /** Items in the server-only roots (meta, scores), and those of them that hold a type. */
  forbiddenItems: Id[]
  forbiddenTypes: Id[]
}

// ---- framing ------------------------------------------------------------------------------------

function encode(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export function updateFrame(update: Uint8Array, syncType: 1 | 2 = 2): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.sync)
    encoding.writeVarUint(e, syncType)
    encoding.writeVarUint8Array(e, update)
  })
}

function awarenessFrame(entries: readonly { clientId: number; clock: number; state: string }[]): Uint8Array {
  const payload = encode((e) => {
    encoding.writeVarUint(e, entries.length)
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId)
      encoding.writeVarUint(e, entry.clock)
      encoding.writeVarString(e, entry.state)
    }
  })
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.awareness)
    encoding.writeVarUint8Array(e, payload)
  })
}

/** The payload of a sync step 2 / update frame, or null. */
export function updateInside(frame: Uint8Array): Uint8Array | null {
  if (frame.length < 3 || frame[0] !== MessageType.sync || (frame[1] !== 1 && frame[1] !== 2)) return null
  return frame.subarray(2)
}

// ---- hand-written V1 updates (see yjs Item.write and writeDeleteSet) --------------------------------

const ORIGIN = 128
const RIGHT_ORIGIN = 64
const PARENT_SUB = 32

type Content =
  | { ref: 'string'; text: string }
  | { ref: 'any'; values: unknown[] }
  | { ref: 'deleted'; length: number }
  | { ref: 'type'; typeRef: number; key?: string }
  | { ref: 'json'; values: string[] }
  | { ref: 'doc' }
  | { ref: 'raw'; info: number; bytes: Uint8Array }

interface ItemSpec {
  origin?: Id
  rightOrigin?: Id
  parent?: string | Id
  parentSub?: string
  content: Content
}

const CONTENT_REF: Record<Exclude<Content['ref'], 'raw'>, number> = { deleted: 1, json: 2, string: 4, type: 7, any: 8, doc: 9 }

function writeId(e: encoding.Encoder, id: Id): void {
  encoding.writeVarUint(e, id.client)
  encoding.writeVarUint(e, id.clock)
}

function writeItem(e: encoding.Encoder, item: ItemSpec): number {
  const ref = item.content.ref === 'raw' ? item.content.info : CONTENT_REF[item.content.ref]
  const hasParentInfo = !item.origin && !item.rightOrigin
  encoding.writeUint8(e, ref | (item.origin ? ORIGIN : 0) | (item.rightOrigin ? RIGHT_ORIGIN : 0) | (hasParentInfo && item.parentSub !== undefined ? PARENT_SUB : 0))
  if (item.origin) writeId(e, item.origin)
  if (item.rightOrigin) writeId(e, item.rightOrigin)
  if (hasParentInfo) {
    if (typeof item.parent === 'string' || item.parent === undefined) {
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, item.parent ?? 'map.pastHarm')
    } else {
      encoding.writeVarUint(e, 0)
      writeId(e, item.parent)
    }
    if (item.parentSub !== undefined) encoding.writeVarString(e, item.parentSub)
  }
  const content = item.content
  switch (content.ref) {
    case 'string':
      encoding.writeVarString(e, content.text)
      return content.text.length
    case 'any':
      encoding.writeVarUint(e, content.values.length)
      for (const value of content.values) encoding.writeAny(e, value as never)
      return content.values.length
    case 'deleted':
      encoding.writeVarUint(e, content.length)
      return content.length
    case 'type':
      encoding.writeVarUint(e, content.typeRef)
      if (content.key !== undefined) encoding.writeVarString(e, content.key)
      return 1
    case 'json':
      encoding.writeVarUint(e, content.values.length)
      for (const value of content.values) encoding.writeVarString(e, value)
      return content.values.length
    case 'doc':
      encoding.writeVarString(e, 'subdoc')
      encoding.writeAny(e, {})
      return 1
    case 'raw':
      encoding.writeUint8Array(e, content.bytes)
      return 1
  }
}

interface ClientBlock {
  client: number
  clock: number
  /** Items, or raw structs: `{ gc: n }` / `{ skip: n }`. */
  structs: (ItemSpec | { gc: number } | { skip: number })[]
}

function v1Update(blocks: readonly ClientBlock[], deletions: readonly [number, [number, number][]][] = []): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, blocks.length)
    for (const block of blocks) {
      encoding.writeVarUint(e, block.structs.length)
      encoding.writeVarUint(e, block.client)
      encoding.writeVarUint(e, block.clock)
      for (const struct of block.structs) {
        if ('gc' in struct) {
          encoding.writeUint8(e, 0)
          encoding.writeVarUint(e, struct.gc)
        } else if ('skip' in struct) {
          encoding.writeUint8(e, 10)
          encoding.writeVarUint(e, struct.skip)
        } else writeItem(e, struct)
      }
    }
    encoding.writeVarUint(e, deletions.length)
    for (const [client, ranges] of deletions) {
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, ranges.length)
      for (const [clock, length] of ranges) {
        encoding.writeVarUint(e, clock)
        encoding.writeVarUint(e, length)
      }
    }
  })
}

/** A varint of 6 to 10 bytes: past 2^35, often past 2^53, sometimes never ending. */
function hugeVarint(random: Random): Uint8Array {
  const length = random.int(6, 11)
  const bytes = new Uint8Array(length)
  for (let index = 0; index < length - 1; index++) bytes[index] = random.chance(0.8) ? 0xff : random.int(0x80, 0xff)
  bytes[length - 1] = random.chance(0.1) ? 0xff : random.int(0x01, 0x7f)
  return bytes
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

function varUint(value: number): Uint8Array {
  return encode((e) => { encoding.writeVarUint(e, value) })
}

/** Sizes spread over orders of magnitude: mostly small, now and then near the limit. */
function logUniform(random: Random, min: number, max: number): number {
  return Math.floor(Math.exp(Math.log(min) + random.next() * (Math.log(max) - Math.log(min))))
}

/** The two hex payloads of yjs issue 687 (V2 run-length bombs) and a V2 update of a real doc. */
const ISSUE_687 = ['00010000000001000100010200001602000001fdffffffff7f0000', '000000000100000000010001020000170200000180808080808080808001000000'].map((hex) =>
  Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16))),
)

// ---- the corpus ---------------------------------------------------------------------------------

/** Reads references out of the fuzzed document and makes valid messages and updates against it. */
export function buildCorpus(target: Y.Doc, random: Random, authorId: string): Corpus {
  const items: Corpus['items'] = []
  const forbiddenItems: Id[] = []
  const forbiddenTypes: Id[] = []
  for (const [client, structs] of target.store.clients) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue
      const holdsType = struct.content instanceof Y.ContentType
      items.push({ id: { client, clock: struct.id.clock }, length: struct.length, holdsType })
      let type: unknown = struct.parent
      while (type instanceof Y.AbstractType && type._item) type = type._item.parent
      if (struct.deleted || !(type instanceof Y.AbstractType) || !['meta', 'scores'].includes(Y.findRootTypeKey(type))) continue
      forbiddenItems.push(struct.id)
      if (holdsType) forbiddenTypes.push(struct.id)
    }
  }
  // The longest list: the type with the most items, walked left to right (map values too).
  let longList: Id[] = []
  const visit = (type: Y.AbstractType<unknown>): void => {
    const list: Id[] = []
    for (let item = type._start; item; item = item.right) {
      list.push({ client: item.id.client, clock: item.id.clock + item.length - 1 })
      if (item.content instanceof Y.ContentType) visit(item.content.type)
    }
    for (const item of type._map.values()) {
      if (item.content instanceof Y.ContentType) visit(item.content.type)
    }
    if (list.length > longList.length) longList = list
  }
  for (const type of target.share.values()) visit(type as Y.AbstractType<unknown>)

  // A fork of the document: edits on it give updates that are valid against the original.
  const fork = new Y.Doc()
  Y.applyUpdate(fork, Y.encodeStateAsUpdate(target))
  const updates: Uint8Array[] = []
  fork.on('update', (update: Uint8Array) => updates.push(update))
  const record = conferenceRecord(fork)
  const entry = record.map.section('dangerStatements').add(authorId)
  for (const character of 'A worry written by the fuzzer') typeCharacter(entry.richText('text'), character)
  const existing = record.map.section('pastHarm').entries()[0]
  if (existing) for (const character of ' more words') typeCharacter(existing.richText('text'), character)
  record.details.update({ title: `Renamed ${random.int(0, 1000)}` })
  record.actions.add(authorId, { fields: { who: 'Mum' }, text: { what: 'Call the school' } })
  fork.getMap('meta').set('schemaVersion', 99)
  fork.getArray('notInTheSchema').insert(0, [1, 2, 3])
  if (existing) record.map.section('pastHarm').remove(existing.id)

  const stateVector = Y.encodeStateVector(target)
  const messages = [
    encode((e) => { encoding.writeVarUint(e, MessageType.sync); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, stateVector) }),
    encode((e) => { encoding.writeVarUint(e, MessageType.sync); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc())) }),
    encode((e) => { encoding.writeVarUint(e, MessageType.queryAwareness) }),
    encode((e) => { encoding.writeVarUint(e, MessageType.saved); encoding.writeVarUint(e, random.int(0, 1000)) }),
    awarenessFrame([{ clientId: random.int(1, 2 ** 31), clock: 1, state: JSON.stringify({ user: { name: 'Fuzz' }, cursor: null }) }]),
    updateFrame(Y.encodeStateAsUpdate(fork, stateVector), 1),
    ...updates.slice(0, 40).map((update) => updateFrame(update)),
  ]
  fork.destroy()
  return { messages, updates, items, longList, forbiddenItems, forbiddenTypes }
}

// ---- the generator ------------------------------------------------------------------------------

const WEIGHTS: readonly [FrameKind, number][] = [
  ['random-bytes', 15],
  ['mutated', 30],
  ['truncated-update', 10],
  ['huge-varint', 10],
  ['crafted-update', 15],
  ['awareness-flood', 8],
]

export class FrameGenerator {
  private readonly totalWeight = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0)

  constructor(
    private readonly corpus: Corpus,
    private readonly random: Random,
    /** Largest crafted update, in bytes (the server refuses frames over 1 MiB with 1009 anyway). */
    private readonly maxCraftedBytes = 900 * 1024,
  ) {}

  next(awareness: AwarenessContext): FrameBatch {
    let pick = this.random.next() * this.totalWeight
    let kind: FrameKind = 'mutated'
    for (const [candidate, weight] of WEIGHTS) {
      pick -= weight
      if (pick < 0) {
        kind = candidate
        break
      }
    }
    switch (kind) {
      case 'random-bytes':
        return this.randomBytes()
      case 'mutated':
        return this.mutated()
      case 'truncated-update':
        return this.truncated()
      case 'huge-varint':
        return this.hugeVarint()
      case 'crafted-update':
        return this.crafted()
      case 'awareness-flood':
        return this.awarenessFlood(awareness)
    }
  }

  private randomBytes(): FrameBatch {
    const r = this.random
    const variant = r.pick(['short', 'long', 'message-type', 'sync-type', 'text', 'empty'] as const)
    const one = (frame: Uint8Array | string): FrameBatch => ({ kind: 'random-bytes', variant, frames: [frame] })
    switch (variant) {
      case 'short':
        return one(r.bytes(r.int(1, 64)))
      case 'long':
        return one(r.bytes(logUniform(r, 64, 64 * 1024)))
      case 'message-type':
        return one(concat(Uint8Array.of(r.pick([0, 1, 2, 3, 8, 4, 127])), r.bytes(r.int(0, 256))))
      case 'sync-type':
        return one(concat(Uint8Array.of(0, r.int(0, 3)), r.bytes(r.int(0, 256))))
      case 'text':
        return one(Array.from({ length: r.int(0, 200) }, () => String.fromCharCode(r.int(32, 126))).join(''))
      case 'empty':
        return one(new Uint8Array(0))
    }
  }

  private corpusFrame(): Uint8Array {
    const r = this.random
    if (r.chance(0.5) && this.corpus.updates.length > 0) return updateFrame(r.pick(this.corpus.updates), r.chance(0.5) ? 1 : 2)
    return r.pick(this.corpus.messages)
  }

  private mutate(bytes: Uint8Array): { bytes: Uint8Array; operations: string[] } {
    const r = this.random
    let data: Uint8Array = Uint8Array.from(bytes)
    const operations: string[] = []
    const count = r.int(1, 4)
    for (let step = 0; step < count; step++) {
      const at = data.length === 0 ? 0 : r.int(0, data.length - 1)
      const operation = r.pick(['bit-flip', 'byte', 'interesting', 'insert', 'delete', 'duplicate', 'splice', 'varint', 'increment'] as const)
      operations.push(operation)
      switch (operation) {
        case 'bit-flip':
          if (data.length > 0) data[at] = data[at]! ^ (1 << r.int(0, 7))
          break
        case 'byte':
          if (data.length > 0) data[at] = r.int(0, 255)
          break
        case 'interesting':
          if (data.length > 0) data[at] = r.pick([0, 1, 0x7f, 0x80, 0xff, 10, 9, 7])
          break
        case 'insert':
          data = concat(data.subarray(0, at), r.bytes(r.int(1, 16)), data.subarray(at))
          break
        case 'delete':
          data = concat(data.subarray(0, at), data.subarray(Math.min(data.length, at + r.int(1, 16))))
          break
        case 'duplicate': {
          const end = Math.min(data.length, at + r.int(1, 64))
          data = concat(data.subarray(0, end), data.subarray(at, end), data.subarray(end))
          break
        }
        case 'splice': {
          const other = this.corpusFrame()
          const from = r.int(0, Math.max(0, other.length - 1))
          data = concat(data.subarray(0, at), other.subarray(from, from + r.int(1, 64)), data.subarray(at + r.int(0, 8)))
          break
        }
        case 'varint':
          data = concat(data.subarray(0, at), hugeVarint(r), data.subarray(Math.min(data.length, at + r.int(1, 4))))
          break
        case 'increment':
          if (data.length > 0) data[at] = (data[at]! + r.pick([1, -1, 2, -2, 128])) & 0xff
          break
      }
    }
    return { bytes: data, operations }
  }

  private mutated(): FrameBatch {
    const r = this.random
    // Half the time the update inside is mutated and wrapped again, so it reaches the guard.
    if (r.chance(0.6) && this.corpus.updates.length > 0) {
      const { bytes, operations } = this.mutate(r.pick(this.corpus.updates))
      return { kind: 'mutated', variant: `update:${operations[0]!}`, frames: [updateFrame(bytes, r.chance(0.5) ? 1 : 2)] }
    }
    const { bytes, operations } = this.mutate(this.corpusFrame())
    return { kind: 'mutated', variant: `frame:${operations[0]!}`, frames: [bytes] }
  }

  private truncated(): FrameBatch {
    const r = this.random
    const update = r.pick(this.corpus.updates)
    if (r.chance(0.5)) {
      const frame = updateFrame(update)
      return { kind: 'truncated-update', variant: 'frame', frames: [frame.subarray(0, r.int(1, frame.length - 1))] }
    }
    return { kind: 'truncated-update', variant: 'update', frames: [updateFrame(update.subarray(0, r.int(0, update.length - 1)))] }
  }

  private hugeVarint(): FrameBatch {
    const r = this.random
    const huge = hugeVarint(r)
    const variant = r.pick(['message-type', 'sync-type', 'length-prefix', 'saved-seq', 'awareness-count', 'awareness-client', 'update-clients', 'update-structs', 'update-client', 'update-clock', 'update-length', 'delete-count', 'state-vector'] as const)
    const sync = (syncType: number, payload: Uint8Array): Uint8Array => concat(Uint8Array.of(0, syncType), varUint(payload.length), payload)
    let frame: Uint8Array
    switch (variant) {
      case 'message-type':
        frame = concat(huge, r.bytes(r.int(0, 8)))
        break
      case 'sync-type':
        frame = concat(Uint8Array.of(0), huge, r.bytes(r.int(0, 8)))
        break
      case 'length-prefix':
        frame = concat(Uint8Array.of(0, r.pick([0, 1, 2])), huge, r.bytes(r.int(0, 32)))
        break
      case 'saved-seq':
        frame = concat(Uint8Array.of(MessageType.saved), huge)
        break
      case 'awareness-count': {
        const payload = concat(huge, r.bytes(r.int(0, 16)))
        frame = concat(Uint8Array.of(MessageType.awareness), varUint(payload.length), payload)
        break
      }
      case 'awareness-client': {
        const payload = concat(Uint8Array.of(1), huge, Uint8Array.of(1), varUint(2), new TextEncoder().encode('{}'))
        frame = concat(Uint8Array.of(MessageType.awareness), varUint(payload.length), payload)
        break
      }
      case 'update-clients':
        frame = sync(2, concat(huge, r.bytes(r.int(0, 16))))
        break
      case 'update-structs':
        frame = sync(2, concat(Uint8Array.of(1), huge, varUint(r.int(1, 2 ** 30)), Uint8Array.of(0), r.bytes(r.int(0, 16))))
        break
      case 'update-client':
        frame = sync(2, concat(Uint8Array.of(1, 1), huge, Uint8Array.of(0, 0, 1), Uint8Array.of(0)))
        break
      case 'update-clock':
        frame = sync(2, concat(Uint8Array.of(1, 1), varUint(r.int(1, 2 ** 30)), huge, Uint8Array.of(0, 1), Uint8Array.of(0)))
        break
      case 'update-length':
        frame = sync(2, concat(Uint8Array.of(1, 1), varUint(r.int(1, 2 ** 30)), Uint8Array.of(0), Uint8Array.of(r.pick([0, 1, 8, 4, 10])), huge, Uint8Array.of(0)))
        break
      case 'delete-count':
        frame = sync(2, concat(Uint8Array.of(0, 1), varUint(r.int(1, 2 ** 30)), huge, r.bytes(r.int(0, 16))))
        break
      case 'state-vector':
        frame = sync(0, concat(r.chance(0.5) ? huge : Uint8Array.of(1), huge, huge))
        break
    }
    return { kind: 'huge-varint', variant, frames: [frame] }
  }

  private freshClient(): number {
    return this.random.int(1, 2 ** 31)
  }

  private storedItem(): Id {
    const item = this.corpus.items.length > 0 ? this.random.pick(this.corpus.items) : undefined
    return item ? { client: item.id.client, clock: item.id.clock + this.random.int(0, item.length - 1) } : { client: 1, clock: 0 }
  }

  /** How many structs fit the size budget for a crafted update of about `bytesPerStruct` each. */
  private count(bytesPerStruct: number, min = 1): number {
    return Math.max(min, logUniform(this.random, Math.max(2, min), Math.max(3, Math.floor(this.maxCraftedBytes / bytesPerStruct))))
  }

  private crafted(): FrameBatch {
    const r = this.random
    const variants = [
      'v2-bomb', 'huge-count', 'huge-length', 'many-clients', 'cycle', 'skip-gap', 'subdocs', 'deep-any', 'deep-json',
      'overlapping-deletes', 'conflict-scan', 'fan-out', 'array-run', 'forbidden-root', 'forbidden-delete', 'forward-reference',
      'duplicate-client', 'zero-length', 'bad-type', 'bad-json', 'parent-not-a-type', 'missing-reference', 'deep-nesting',
    ] as const
    const variant = r.pick(variants)
    const update = this.craft(variant)
    return { kind: 'crafted-update', variant, frames: [updateFrame(update, r.chance(0.5) ? 1 : 2)] }
  }

  private craft(variant: string): Uint8Array {
    const r = this.random
    const client = this.freshClient()
    switch (variant) {
      case 'v2-bomb': {
        if (r.chance(0.6)) return r.pick(ISSUE_687)
        const doc = new Y.Doc()
        const text = doc.getText('map.pastHarm')
        for (let index = 0; index < r.int(1, 50); index++) text.insert(0, 'ab'.repeat(r.int(1, 20)))
        const v2 = Y.encodeStateAsUpdateV2(doc)
        doc.destroy()
        return v2
      }
      case 'huge-count':
        return r.chance(0.5)
          ? concat(varUint(r.int(2 ** 20, 2 ** 50)), r.bytes(r.int(0, 64)))
          : concat(Uint8Array.of(1), varUint(r.int(2 ** 20, 2 ** 50)), varUint(client), Uint8Array.of(0), r.bytes(r.int(0, 64)))
      case 'huge-length': {
        const length = r.pick([2 ** 31, 2 ** 40, 2 ** 52, 10_000_001])
        const struct = r.pick<ClientBlock['structs'][number]>([{ gc: length }, { skip: length }, { parent: 'map.pastHarm', content: { ref: 'deleted', length } }])
        return v1Update([{ client, clock: 0, structs: [struct] }])
      }
      case 'many-clients': {
        const clients = r.int(1_001, 5_000)
        return v1Update(Array.from({ length: clients }, (_, index) => ({ client: client + index, clock: 0, structs: [{ gc: 1 }] })))
      }
      case 'cycle': {
        // a_k follows b_k, b_k follows a_{k+1}: nothing can be integrated first.
        const n = this.count(12)
        const other = client + 1
        const a: ItemSpec[] = Array.from({ length: n + 1 }, (_, k) => (k < n ? { origin: { client: other, clock: k }, content: { ref: 'string', text: 'a' } } : { parent: 'map.pastHarm', content: { ref: 'string', text: 'a' } }))
        const b: ItemSpec[] = Array.from({ length: n }, (_, k) => ({ origin: { client, clock: k + 1 }, content: { ref: 'string', text: 'b' } }))
        return v1Update([{ client, clock: 0, structs: a }, { client: other, clock: 0, structs: b }])
      }
      case 'skip-gap':
        return v1Update([{ client, clock: 0, structs: [{ parent: 'map.pastHarm', content: { ref: 'any', values: [1] } }, { skip: r.int(1, 100) }, { origin: { client, clock: 0 }, content: { ref: 'any', values: [2] } }] }])
      case 'subdocs': {
        const n = this.count(20)
        return v1Update([{ client, clock: 0, structs: Array.from({ length: n }, (_, k) => (k === 0 ? { parent: 'map.pastHarm', content: { ref: 'doc' } } : { origin: { client, clock: k - 1 }, content: { ref: 'doc' } })) }])
      }
      case 'deep-any': {
        const depth = this.count(2, 100)
        const bytes = concat(new Uint8Array(depth).fill(117).map((value, index) => (index % 2 === 0 ? 117 : 1)), Uint8Array.of(127))
        return v1Update([{ client, clock: 0, structs: [{ parent: 'map.pastHarm', content: { ref: 'raw', info: 8, bytes: concat(Uint8Array.of(1), bytes) } }] }])
      }
      case 'deep-json': {
        const depth = this.count(2, 100)
        return v1Update([{ client, clock: 0, structs: [{ parent: 'map.pastHarm', content: { ref: 'json', values: ['['.repeat(depth) + ']'.repeat(depth)] } }] }])
      }
      case 'overlapping-deletes': {
        const target = this.storedItem()
        const ranges = this.count(4)
        return v1Update([], [[target.client, Array.from({ length: ranges }, () => [Math.max(0, target.clock - r.int(0, 3)), r.int(1, 50)] as [number, number])]])
      }
      case 'conflict-scan': {
        // Items placed at the start of the longest list, each claiming a far-away right
        // neighbour: Yjs walks the whole list for each one.
        const list = this.corpus.longList
        if (list.length < 2) return v1Update([])
        const n = this.count(14)
        return v1Update([{ client, clock: 0, structs: Array.from({ length: n }, (_, k) => ({ rightOrigin: list[Math.max(1, list.length - 1 - (k % list.length))]!, content: { ref: 'string', text: 'z' } })) }])
      }
      case 'fan-out': {
        // A chain of n items, then k items after its first one, each claiming another right
        // neighbour in the chain.
        const n = this.count(10)
        const k = Math.max(1, Math.min(n - 1, logUniform(r, 1, 5_000)))
        const anchor = this.storedItem()
        const chain: ItemSpec[] = Array.from({ length: n }, (_, index) => ({ origin: index === 0 ? anchor : { client, clock: index - 1 }, content: { ref: 'any', values: [index] } }))
        const fan: ItemSpec[] = Array.from({ length: k }, (_, index) => ({ origin: { client, clock: 0 }, rightOrigin: { client, clock: n - 1 - (index % n) }, content: { ref: 'any', values: [-index] } }))
        return v1Update([{ client, clock: 0, structs: [...chain, ...fan] }])
      }
      case 'array-run': {
        // Single values that Yjs merges afterwards, copying the growing array each time.
        const n = this.count(8)
        return v1Update([{ client, clock: 0, structs: Array.from({ length: n }, (_, index) => (index === 0 ? { parent: r.pick(['map.pastHarm', 'notInTheSchema']), content: { ref: 'any', values: [0] } } : { origin: { client, clock: index - 1 }, content: { ref: 'any', values: [index & 0x3f] } })) }])
      }
      case 'forbidden-root': {
        const parent = r.chance(0.5) && this.corpus.forbiddenTypes.length > 0 ? r.pick(this.corpus.forbiddenTypes) : r.pick(['meta', 'scores', 'notInTheSchema', '', 'map.PastHarm'])
        return v1Update([{ client, clock: 0, structs: [{ parent, parentSub: r.chance(0.5) ? 'schemaVersion' : undefined, content: { ref: 'any', values: [99] } }] }])
      }
      case 'forbidden-delete': {
        const target = this.corpus.forbiddenItems.length > 0 ? r.pick(this.corpus.forbiddenItems) : this.storedItem()
        return v1Update([], [[target.client, [[target.clock, 1]]]])
      }
      case 'forward-reference':
        return v1Update([{ client, clock: 0, structs: [{ origin: { client, clock: r.int(0, 5) }, content: { ref: 'string', text: 'x' } }] }])
      case 'duplicate-client':
        return v1Update([
          { client, clock: 0, structs: [{ parent: 'map.pastHarm', content: { ref: 'any', values: [1] } }] },
          { client, clock: 0, structs: [{ parent: 'meta', parentSub: 'schemaVersion', content: { ref: 'any', values: [99] } }] },
        ])
      case 'zero-length':
        return v1Update([{ client, clock: 0, structs: [r.pick<ItemSpec | { gc: number }>([{ gc: 0 }, { parent: 'map.pastHarm', content: { ref: 'string', text: '' } }, { parent: 'map.pastHarm', content: { ref: 'any', values: [] } }])] }])
      case 'bad-type':
        return v1Update([{ client, clock: 0, structs: [{ parent: 'map.pastHarm', content: r.chance(0.5) ? { ref: 'type', typeRef: r.int(7, 300) } : { ref: 'raw', info: r.int(10, 31) | ORIGIN, bytes: Uint8Array.of(1, 2, 3) } }] }])
      case 'bad-json':
        return v1Update([{ client, clock: 0, structs: [{ parent: 'map.pastHarm', content: { ref: 'json', values: ['{"not json', '1'] } }] }])
      case 'parent-not-a-type': {
        const plain = this.corpus.items.filter((item) => !item.holdsType)
        const holder = plain.length > 0 ? r.pick(plain).id : this.storedItem()
        return v1Update([{ client, clock: 0, structs: [{ parent: holder, content: { ref: 'string', text: 'x' } }] }])
      }
      case 'missing-reference': {
        const missing = r.chance(0.5) ? { client: this.freshClient(), clock: r.int(0, 100) } : { ...this.storedItem(), clock: 2 ** 30 }
        return v1Update([{ client, clock: 0, structs: [{ [r.chance(0.5) ? 'origin' : 'rightOrigin']: missing, content: { ref: 'string', text: 'x' } }] }])
      }
      case 'deep-nesting': {
        // XmlElements, each inside the one before: valid, and expensive to walk up later.
        const depth = this.count(12)
        return v1Update([{ client, clock: 0, structs: Array.from({ length: depth }, (_, index) => ({ parent: index === 0 ? 'map.pastHarm' : { client, clock: index - 1 }, content: { ref: 'type', typeRef: 3, key: 'p' } })) }])
      }
      default:
        throw new Error(`no crafted variant ${variant}`)
    }
  }

  private awarenessFlood(context: AwarenessContext): FrameBatch {
    const r = this.random
    const count = r.int(3, 15)
    const frames: Uint8Array[] = []
    const variant = r.pick(['own', 'others', 'big', 'removal', 'many-states'] as const)
    for (let index = 0; index < count; index++) {
      context.clock++
      const state = (): string => JSON.stringify({ user: { name: `Fuzz ${r.int(0, 99)}`, color: '#123456' }, cursor: { anchor: r.int(0, 1e6), head: r.int(0, 1e6) } })
      switch (variant) {
        case 'own':
          frames.push(awarenessFrame([{ clientId: context.clientId, clock: context.clock, state: state() }]))
          break
        case 'others':
          frames.push(awarenessFrame([{ clientId: context.clientId, clock: context.clock, state: state() }, { clientId: this.freshClient(), clock: r.int(1, 1e6), state: state() }]))
          break
        case 'big':
          frames.push(awarenessFrame([{ clientId: context.clientId, clock: context.clock, state: JSON.stringify({ user: { name: 'x'.repeat(r.int(1_000, 15_000)) } }) }]))
          break
        case 'removal':
          frames.push(awarenessFrame([{ clientId: context.clientId, clock: context.clock, state: index % 2 === 0 ? 'null' : state() }]))
          break
        case 'many-states':
          frames.push(awarenessFrame(Array.from({ length: 16 }, (_, k) => ({ clientId: k === 0 ? context.clientId : this.freshClient(), clock: k === 0 ? context.clock : 1, state: state() }))))
          break
      }
    }
    return { kind: 'awareness-flood', variant, frames }
  }
}
