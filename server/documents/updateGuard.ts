import * as Y from 'yjs'
import { CLIENT_WRITABLE_ROOT_NAMES } from '../../shared/conference/schema'

/**
 * Checks a client's Yjs update against the live document before it is applied. Yjs cannot roll
 * a transaction back, so anything we would refuse must be refused here, before `applyUpdate`.
 *
 * y-websocket sends V1 updates, whose decoder reads at least one byte per structure, so a
 * decode is bounded by the message size (1 MiB); the run-length tricks of yjs issue 687 live in
 * the V2 format, which we never accept. What V1 still allows, and we refuse:
 * - bytes that do not decode (truncated, random, huge varints);
 * - a structure claiming an implausible length, which would push a client's clock so far
 *   ahead that its later real edits are taken as already seen and silently dropped;
 * - content that lands in a root the schema does not have, or in one only the server writes
 *   (schema version, scores). V1 omits the parent of an item that has a left or right origin,
 *   so the root is found by following the parent, else the origins, into the document;
 * - references to content the server does not have. Yjs would park such an update as
 *   "pending", which costs far more than linear time to integrate later and would let one
 *   frame stall every conference. An honest client sends everything needed after a reconnect.
 */

/** Longer than any real paste or merged deletion in a meeting record. */
export const MAX_STRUCT_LENGTH = 10_000_000
/** Far beyond a two-hour meeting of one client, far below where clocks lose precision. */
export const MAX_CLOCK = 2 ** 40
/** Distinct client ids in one update: a long offline session brings a handful. */
export const MAX_CLIENTS_PER_UPDATE = 1_000

export type UpdateRejection =
  | 'undecodable'
  | 'implausible-length'
  | 'too-many-clients'
  | 'forbidden-root'
  /** Needs content the server does not have: reconnecting and syncing again fixes it. */
  | 'missing-dependency'

type Struct = ReturnType<typeof Y.decodeUpdate>['structs'][number]

/** Where content ends up: a root name, or nowhere (its parent was garbage collected). */
type Destination = { root: string } | 'discarded'

class Refused extends Error {
  constructor(readonly rejection: UpdateRejection) {
    super(rejection)
  }
}

function rootOfType(type: Y.AbstractType<unknown>): string {
  let current = type
  while (current._item) {
    const parent: unknown = current._item.parent
    if (!(parent instanceof Y.AbstractType)) throw new Refused('missing-dependency')
    current = parent
  }
  return Y.findRootTypeKey(current)
}

/** Returns why the update must be refused, or null when it may be applied to `doc`. */
export function inspectUpdate(
  update: Uint8Array,
  doc: Y.Doc,
  writableRoots: ReadonlySet<string> = CLIENT_WRITABLE_ROOT_NAMES,
): UpdateRejection | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch {
    return 'undecodable'
  }
  try {
    new UpdateInspection(decoded.structs, doc, writableRoots).check(decoded.ds)
    return null
  } catch (error) {
    if (error instanceof Refused) return error.rejection
    throw error
  }
}

class UpdateInspection {
  /** This update's structs per client, in clock order, and where each one lands (memoized). */
  private readonly byClient = new Map<number, Struct[]>()
  private readonly destinations = new Map<Struct, Destination>()
  private readonly resolving = new Set<Struct>()

  constructor(
    structs: readonly Struct[],
    private readonly doc: Y.Doc,
    private readonly writableRoots: ReadonlySet<string>,
  ) {
    for (const struct of structs) {
      if (struct.length > MAX_STRUCT_LENGTH || struct.id.clock + struct.length > MAX_CLOCK) throw new Refused('implausible-length')
      const list = this.byClient.get(struct.id.client)
      if (list) list.push(struct)
      else this.byClient.set(struct.id.client, [struct])
    }
    if (this.byClient.size > MAX_CLIENTS_PER_UPDATE) throw new Refused('too-many-clients')
  }

  check(deletions: ReturnType<typeof Y.decodeUpdate>['ds']): void {
    for (const [client, structs] of this.byClient) {
      // A gap before this update's first struct means it builds on content we never saw.
      if ((structs[0]?.id.clock ?? 0) > Y.getState(this.doc.store, client)) throw new Refused('missing-dependency')
      for (const struct of structs) {
        if (struct instanceof Y.Item) this.requireWritable(this.destinationOf(struct))
      }
    }
    for (const [client, ranges] of deletions.clients) {
      for (const range of ranges) {
        if (range.len > MAX_STRUCT_LENGTH || range.clock + range.len > MAX_CLOCK) throw new Refused('implausible-length')
        this.checkDeletion(client, range.clock, range.len)
      }
    }
  }

  private requireWritable(destination: Destination): void {
    if (destination !== 'discarded' && !this.writableRoots.has(destination.root)) throw new Refused('forbidden-root')
  }

  /** The root an item of this update lands in. */
  private destinationOf(item: Y.Item): Destination {
    const known = this.destinations.get(item)
    if (known !== undefined) return known
    if (this.resolving.has(item)) throw new Refused('missing-dependency') // a reference cycle
    this.resolving.add(item)
    const parent: unknown = item.parent
    let destination: Destination
    if (typeof parent === 'string') destination = { root: parent }
    else if (parent instanceof Y.ID) destination = this.destinationInside(parent, item)
    else if (item.origin) destination = this.destinationBeside(item.origin, item)
    else if (item.rightOrigin) destination = this.destinationBeside(item.rightOrigin, item)
    else throw new Refused('undecodable')
    this.resolving.delete(item)
    this.destinations.set(item, destination)
    return destination
  }

  /** Content placed inside the type that item `id` holds. */
  private destinationInside(id: Y.ID, from: Y.Item): Destination {
    const local = this.structInUpdate(id, from)
    if (local) {
      return local instanceof Y.Item ? this.destinationOf(local) : 'discarded'
    }
    const stored = this.storedStruct(id)
    if (!(stored instanceof Y.Item)) return 'discarded'
    if (!(stored.content instanceof Y.ContentType)) throw new Refused('undecodable')
    return { root: rootOfType(stored.content.type) }
  }

  /** Content placed next to item `id`, in the same parent. */
  private destinationBeside(id: Y.ID, from: Y.Item): Destination {
    const local = this.structInUpdate(id, from)
    if (local) return local instanceof Y.Item ? this.destinationOf(local) : 'discarded'
    const stored = this.storedStruct(id)
    if (!(stored instanceof Y.Item)) return 'discarded'
    const parent: unknown = stored.parent
    if (!(parent instanceof Y.AbstractType)) return 'discarded'
    return { root: rootOfType(parent) }
  }

  /**
   * A struct of this update containing `id`, if any. An item can only refer to its own client's
   * earlier content: a forward reference would make Yjs throw halfway through applying.
   */
  private structInUpdate(id: Y.ID, from: Y.Item): Struct | undefined {
    if (id.client === from.id.client && id.clock >= from.id.clock) throw new Refused('undecodable')
    const structs = this.byClient.get(id.client)
    if (!structs) return undefined
    // A client's structs arrive in clock order: binary search keeps a crafted update with many
    // references linear-logarithmic rather than quadratic.
    let low = 0
    let high = structs.length - 1
    while (low <= high) {
      const middle = (low + high) >>> 1
      const struct = structs[middle]
      if (!struct) return undefined
      if (id.clock < struct.id.clock) high = middle - 1
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1
      // A Skip holds nothing: the referenced content must then already be stored.
      else return struct instanceof Y.Skip ? undefined : struct
    }
    return undefined
  }

  private storedStruct(id: Y.ID): Y.Item | Y.GC {
    if (id.clock >= Y.getState(this.doc.store, id.client)) throw new Refused('missing-dependency')
    return Y.getItem(this.doc.store, id)
  }

  /** Deleting is writing: every deleted item must be in a root the client may write. */
  private checkDeletion(client: number, clock: number, length: number): void {
    const end = clock + length
    const inUpdate = this.byClient.get(client) ?? []
    const lastInUpdate = inUpdate[inUpdate.length - 1]
    const knownEnd = Math.max(Y.getState(this.doc.store, client), lastInUpdate ? lastInUpdate.id.clock + lastInUpdate.length : 0)
    if (end > knownEnd) throw new Refused('missing-dependency')
    // Deleted content of this update was checked with the update's structs.
    const storedEnd = Math.min(end, Y.getState(this.doc.store, client))
    const stored = this.doc.store.clients.get(client)
    if (!stored || clock >= storedEnd) return
    for (let index = Y.findIndexSS(stored, clock); index < stored.length; index++) {
      const struct = stored[index]
      if (!struct || struct.id.clock >= storedEnd) break
      if (struct instanceof Y.Item && !struct.deleted) {
        const parent: unknown = struct.parent
        if (parent instanceof Y.AbstractType) this.requireWritable({ root: rootOfType(parent) })
      }
    }
  }
}
