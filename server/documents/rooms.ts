import type * as Y from 'yjs'
import type { Storage } from '../storage/types'
import type { Logger } from '../log'
import { syncRoomName, type ConferenceDocument } from '../../shared/conference/documents'
import { ConferenceRoom, type RoomPeer } from './room'
import { readFinalization } from '../../shared/conference/meta'

export class ServerShuttingDown extends Error {
  constructor() {
    super('server shutting down')
  }
}

/**
 * The conferences that are open right now. A room is loaded when its first person joins and
 * stored and unloaded when its last person leaves, so memory follows the meetings in progress,
 * not every conference ever opened.
 */
export class ConferenceRooms {
  /** By room key (`syncRoomName`): a conference's record and its professionals-only section are two rooms. */
  private readonly open = new Map<string, Promise<ConferenceRoom>>()
  private readonly closing = new Map<string, Promise<void>>()
  private shuttingDown = false
  /**
   * Counts, for each conference's record, its loads and changes since this server started. Every
   * change goes through a room, so something read from a record at one count is still true at
   * the same count (RecordReader). A load counts because opening may migrate the record.
   */
  private readonly revisions = new Map<string, number>()
  /**
   * Documents being closed, by room key: their copy is taken, but they do not say they are final
   * yet. A room unloads when its last person leaves, and one loaded again meanwhile must refuse
   * changes too, or they would be in the live record and not in the copy.
   */
  private readonly beingClosed = new Set<string>()

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
  ) {}

  /** Number of conferences loaded in memory (for tests and metrics). */
  get loadedCount(): number {
    return this.open.size
  }

  /** Joins a peer to the room of one of a conference's documents, loading it first. The conference must exist. */
  async join(conferenceId: string, peer: RoomPeer, document: ConferenceDocument = 'record'): Promise<ConferenceRoom> {
    return this.acquire(conferenceId, document, (room) => { room.join(peer) })
  }

  /**
   * Runs a change on a conference's document (the record by default) from the server itself
   * (creating, seeding, finalizing), whether or not anyone is connected, and waits until it is on disk.
   */
  async change(conferenceId: string, apply: (room: ConferenceRoom) => void, document: ConferenceDocument = 'record'): Promise<void> {
    const failures: unknown[] = []
    const room = await this.acquire(conferenceId, document, (opened) => {
      try {
        apply(opened)
      } catch (error) {
        failures.push(error)
      }
    })
    try {
      // A change that threw still unloads the room below, rather than leaving it loaded.
      if (failures.length > 0) throw failures[0]
      await room.saved()
    } finally {
      if (room.peerCount === 0) await this.unload(room)
    }
  }

  /**
   * Stops a document taking changes (`final` true) while it is being closed, loaded or not, or
   * lets it take them again once closing ended: it then says it is final itself, or closing failed.
   */
  setBeingClosed(room: ConferenceRoom, closing: boolean): void {
    const key = syncRoomName(room.conferenceId, room.document)
    if (closing) this.beingClosed.add(key)
    else this.beingClosed.delete(key)
    room.final = closing || readFinalization(room.doc) !== null
  }

  /** The record's count of loads and changes (see `revisions`); 0 before it was first opened here. */
  revisionOf(conferenceId: string): number {
    return this.revisions.get(conferenceId) ?? 0
  }

  /**
   * Reads from a conference's record without changing it, loading it if nobody has it open (and
   * unloading it after). `extract` runs on the document as it is at `revision`.
   */
  async read<T>(conferenceId: string, extract: (doc: Y.Doc) => T): Promise<{ value: T; revision: number }> {
    let read: { value: T; revision: number } | undefined
    // A change that changes nothing: the same loading, unloading and handling of a throw.
    await this.change(conferenceId, (room) => {
      read = { value: extract(room.doc), revision: this.revisionOf(conferenceId) }
    })
    if (!read) throw new Error(`the record of ${conferenceId} was not read`)
    return read
  }

  /** Stores and unloads every room (SIGTERM, tests). */
  async shutdown(): Promise<void> {
    this.shuttingDown = true
    const rooms = await Promise.allSettled(this.open.values())
    const loaded = rooms.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    await Promise.all(loaded.map((room) => this.unload(room)))
    await Promise.all(this.closing.values())
  }

  /**
   * Loads the room if needed and runs `use` on it in the same tick as the check that it is
   * not being unloaded, so nobody joins a room that is on its way out.
   */
  private async acquire(conferenceId: string, document: ConferenceDocument, use: (room: ConferenceRoom) => void): Promise<ConferenceRoom> {
    for (;;) {
      const room = await this.loadedOrLoading(conferenceId, document)
      if (!room.closed) {
        use(room)
        return room
      }
    }
  }

  private async loadedOrLoading(conferenceId: string, document: ConferenceDocument): Promise<ConferenceRoom> {
    const key = syncRoomName(conferenceId, document)
    // A room still being stored must finish before it is loaded again, or two journals race.
    for (let closing = this.closing.get(key); closing; closing = this.closing.get(key)) {
      await closing
    }
    if (this.shuttingDown) throw new ServerShuttingDown()
    let room = this.open.get(key)
    if (!room) {
      const startedAt = performance.now()
      room = ConferenceRoom.open(conferenceId, document, this.storage, this.log).then((loaded) => {
        loaded.onEmpty = () => void this.unload(loaded)
        if (this.beingClosed.has(key)) loaded.final = true
        if (document === 'record') {
          const changed = (): void => { this.revisions.set(conferenceId, this.revisionOf(conferenceId) + 1) }
          changed()
          loaded.onChange = changed
        }
        this.log.info('conference.loaded', { conferenceId, document, ms: Math.round(performance.now() - startedAt) })
        return loaded
      })
      this.open.set(key, room)
      room.catch(() => this.open.delete(key))
    }
    return room
  }

  private async unload(room: ConferenceRoom): Promise<void> {
    const { key, conferenceId, document } = room
    if (room.closed) return this.closing.get(key)
    this.open.delete(key)
    const closed = room
      .close()
      .then(() => { this.log.info('conference.unloaded', { conferenceId, document }) })
      .catch((error: unknown) => {
        this.log.error('conference.unload-failed', { conferenceId, document, error: error instanceof Error ? error.message : String(error) })
      })
      .finally(() => this.closing.delete(key))
    this.closing.set(key, closed)
    return closed
  }
}
