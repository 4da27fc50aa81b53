import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import { CloseCode, MessageType } from '../../shared/protocol'
import { migrateConference } from '../../shared/conference/migrations'
import type { Storage, UpdateJournal } from '../storage/types'
import { errorMessage, type Logger } from '../log'
import { isEmptyUpdate, refusalOf, type UpdateRejection } from './updateGuard'
import type { Writer } from './entryOwnership'
import { ownAwarenessOnly, type AwarenessUser } from '../sync/awarenessFilter'
import { syncRoomName, type ConferenceDocument } from '../../shared/conference/documents'
import { readFinalization } from '../../shared/conference/meta'

/** One person's live connection, as a room sees it. The transport implements it. */
export interface RoomPeer {
  send(message: Uint8Array): void
  /** The awareness client id this peer owns (set by its first awareness message). */
  readonly awarenessOwner: { clientId: number | null }
  /** Who the peer is, as the server knows it: replaces whatever `user` its awareness claims. */
  readonly awarenessUser: AwarenessUser | null
  /** The roots its role lets it write (writableRootsFor); an update touching any other is refused. */
  readonly writableRoots: ReadonlySet<string>
  /** Who writes its updates (their author id and role); null before it is identified. */
  readonly writer: Writer | null
  close(code: number, reason: string): void
}

/** The update was refused before anything was applied. */
export class UpdateRefused extends Error {
  constructor(readonly rejection: UpdateRejection) {
    super(`update refused: ${rejection}`)
  }
}

/** Yjs threw while applying an update that passed the guard: part of it may be applied. */
export class UpdateFailed extends Error {}

/** The record is finalized (or being finalized): nothing more is applied. */
export class RecordIsFinal extends Error {
  constructor() {
    super('the record is final')
  }
}

/** Someone whose role only lets them read sent a change: refused, so they are never told it was saved. */
/** The chair is closing the record right now: whether it ends final is not known yet. */
export class RecordBeingClosed extends Error {
  constructor() {
    super('the record is being closed')
  }
}

export class ReadOnlyChange extends Error {
  constructor() {
    super('a read-only role sent a change')
  }
}

/** Replaying stored updates into the doc: not persisted again, not broadcast. */
const loadOrigin = Symbol('load')

/**
 * Compact the journal into a snapshot once it holds this much since the last snapshot, so that
 * opening a conference after a crash never replays more than this (tests/bench/coldOpen.ts).
 * Replaying costs about 11 µs a record in a freshly started server (5,000 took 56 ms, more than a
 * two-hour meeting's snapshot). Compacting such a meeting costs 2 – 12 ms of encoding, and comes
 * about every two minutes per conference while someone types 8 characters a second.
 */
export const COMPACT_AFTER_RECORDS = 1_000
const COMPACT_AFTER_BYTES = 4 * 1024 * 1024

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function samePerson(one: RoomPeer, other: RoomPeer): boolean {
  const id = one.awarenessUser?.authorId
  return id !== undefined && id === other.awarenessUser?.authorId
}

function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * One conference's live document: loaded fully from storage before anyone syncs, every change
 * appended to the journal as it happens (so a crash loses nothing that was confirmed), and
 * broadcast once-encoded to everybody else in the room.
 */
export class ConferenceRoom {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  private readonly peers = new Set<RoomPeer>()
  /** Which peer owns which awareness client id, so nobody can speak as someone else. */
  private readonly awarenessOwners = new Map<number, RoomPeer>()
  private compacting: Promise<void> | null = null
  private failure: unknown = null
  /** Set when unloading starts; a closed room must not take new peers. */
  closed = false
  /** Called when the last peer leaves or the room fails: the owner unloads it. */
  onEmpty: () => void = () => undefined
  /** Called after every change to the document, whoever made it: what was read from it is out of date. */
  onChange: () => void = () => undefined

  private constructor(
    readonly conferenceId: string,
    readonly document: ConferenceDocument,
    private readonly journal: UpdateJournal,
    private readonly log: Logger,
  ) {
    // The server is not a participant: it must not appear in anyone's list of who is here.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwarenessChange)
  }

  /** Loads every stored update, then runs pending schema migrations, before any peer joins. */
  static async open(conferenceId: string, document: ConferenceDocument, storage: Storage, log: Logger): Promise<ConferenceRoom> {
    const journal = await storage.openJournal(conferenceId, document)
    try {
      const stored = await journal.load()
      const room = new ConferenceRoom(conferenceId, document, journal, log)
      try {
        room.doc.transact(() => {
          for (const update of stored) Y.applyUpdate(room.doc, update)
        }, loadOrigin)
        room.doc.on('update', room.onDocUpdate)
        // The professionals-only section has no schema version yet: nothing to migrate.
        room.final = readFinalization(room.doc) !== null
        const migration = document === 'record' ? migrateConference(room.doc) : null
        if (migration && migration.applied.length > 0) {
          log.info('conference.migrated', { conferenceId, from: migration.from, to: migration.to })
          // Nobody may see what the server wrote before it is on disk: after a crash it would be
          // written again under another client id, and both copies would meet.
          await journal.flushed()
        }
      } catch (error) {
        room.awareness.destroy()
        room.doc.destroy()
        throw error
      }
      return room
    } catch (error) {
      await journal.close()
      throw error
    }
  }

  /** Its key among the open rooms: the y-websocket room name. */
  get key(): string {
    return syncRoomName(this.conferenceId, this.document)
  }

  get peerCount(): number {
    return this.peers.size
  }

  /** A peer joins: it gets our state vector (sync step 1) and everyone's awareness. */
  join(peer: RoomPeer): void {
    this.peers.add(peer)
    peer.send(syncMessage((encoder) => { syncProtocol.writeSyncStep1(encoder, this.doc) }))
    const states = this.awareness.getStates()
    if (states.size > 0) {
      peer.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])))
    }
  }

  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return
    const clientId = peer.awarenessOwner.clientId
    if (clientId !== null && this.awarenessOwners.get(clientId) === peer) {
      this.awarenessOwners.delete(clientId)
      awarenessProtocol.removeAwarenessStates(this.awareness, [clientId], peer)
    }
    if (this.peers.size === 0) this.onEmpty()
  }

  /** Sync step 2 for a peer that sent its state vector: everything it is missing. */
  answerStateVector(peer: RoomPeer, stateVector: Uint8Array): void {
    peer.send(syncMessage((encoder) => { syncProtocol.writeSyncStep2(encoder, this.doc, stateVector) }))
  }

  /**
   * Set when the chair finalizes, from the moment its copy is taken: later changes would be in
   * the live record but not in the copy. Read from the record's meta when the room loads.
   */
  final = false

  /** Applies a peer's update after checking it; throws UpdateRefused without applying anything. */
  applyPeerUpdate(peer: RoomPeer, update: Uint8Array): void {
    if (this.final) {
      this.refuseAnythingNew(update, readFinalization(this.doc) ? RecordIsFinal : RecordBeingClosed)
      return
    }
    const rejection = refusalOf(update, this.doc, peer.writableRoots, peer.writer)
    if (rejection) throw new UpdateRefused(rejection)
    try {
      Y.applyUpdate(this.doc, update, peer)
    } catch (error) {
      throw new UpdateFailed(errorMessage(error))
    }
  }

  /**
   * For a peer that may not change the record (it is closed, or their role only reads): throws
   * when the update holds anything the record does not. Every client sends a sync step 2 on
   * connect, and it carries the client's whole delete set even when nothing in it is new.
   */
  refuseAnythingNew(update: Uint8Array, Refusal: new () => Error): void {
    if (isEmptyUpdate(update)) return
    let held: boolean
    try {
      held = Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)
    } catch {
      held = false
    }
    if (!held) throw new Refusal()
  }

  /**
   * Applies the part of an awareness update that is the peer's own state. Throws if malformed.
   * A client id stays with the connection that first announced it, except against the same person:
   * a device back on a new line keeps its client id while the server may hold its old, silent
   * connection for up to a minute (the heartbeat), and the new one must not be ignored meanwhile.
   */
  applyPeerAwareness(peer: RoomPeer, update: Uint8Array): void {
    const own = ownAwarenessOnly(update, peer.awarenessOwner, (clientId) => {
      const owner = this.awarenessOwners.get(clientId)
      return owner !== undefined && owner !== peer && !samePerson(owner, peer)
    }, peer.awarenessUser)
    const clientId = peer.awarenessOwner.clientId
    if (!own || clientId === null) return
    this.awarenessOwners.set(clientId, peer)
    awarenessProtocol.applyAwarenessUpdate(this.awareness, own, peer)
  }

  awarenessOfEveryone(): Uint8Array {
    return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]))
  }

  /** Resolves once every change applied so far is on disk; rejects if the room failed. */
  async saved(): Promise<void> {
    if (this.failure !== null) throw new Error('room failed')
    await this.journal.flushed()
  }

  /** Stores everything (compacted, so the next open is fast), then releases the document. */
  async close(): Promise<void> {
    this.closed = true
    for (const peer of this.peers) peer.close(CloseCode.goingAway, 'conference closing')
    this.peers.clear()
    this.doc.off('update', this.onDocUpdate)
    this.awareness.off('update', this.onAwarenessChange)
    try {
      await this.compacting
      if (this.failure === null && this.journal.recordsSinceCompaction > 0) {
        await this.journal.compact(Y.encodeStateAsUpdate(this.doc))
      }
    } finally {
      await this.journal.close()
      this.awareness.destroy()
      this.doc.destroy()
    }
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const message = syncMessage((encoder) => { syncProtocol.writeUpdate(encoder, update) })
    try {
      for (const peer of this.peers) {
        if (peer !== origin) peer.send(message)
      }
    } finally {
      // Queued after the sends, so the others' frames leave before the write is handed to a worker
      // thread (25 – 90 µs of this thread on a small machine); stored even if a send throws.
      this.journal.append(update).catch((error: unknown) => { this.fail(error) })
    }
    this.onChange()
    this.compactIfLarge()
  }

  private readonly onAwarenessChange = (change: { added: number[]; updated: number[]; removed: number[] }): void => {
    const clients = [...change.added, ...change.updated, ...change.removed]
    const message = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
    // Sent to the sender too: y-websocket drops a connection that hears nothing for 30 s, and
    // a note-taker alone in a conference hears nothing else.
    for (const peer of this.peers) peer.send(message)
  }

  private compactIfLarge(): void {
    if (this.compacting) return
    if (this.journal.recordsSinceCompaction < COMPACT_AFTER_RECORDS && this.journal.bytesSinceCompaction < COMPACT_AFTER_BYTES) return
    const startedAt = performance.now()
    this.compacting = this.journal
      .compact(Y.encodeStateAsUpdate(this.doc))
      .then(() => {
        this.log.info('conference.compacted', { conferenceId: this.conferenceId, ms: Math.round(performance.now() - startedAt) })
      })
      .catch((error: unknown) => { this.fail(error) })
      .finally(() => { this.compacting = null })
  }

  /**
   * Storage failed: we can no longer promise that changes are kept. Close every connection
   * (the clients keep their changes and send them again when they reconnect) and unload.
   */
  private fail(error: unknown): void {
    if (this.failure !== null) return
    this.failure = error
    this.log.error('conference.storage-failed', { conferenceId: this.conferenceId, error: errorMessage(error) })
    for (const peer of this.peers) peer.close(CloseCode.internalError, 'storage failed')
    this.peers.clear()
    this.onEmpty()
  }
}
