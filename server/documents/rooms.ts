import type { Storage } from '../storage/types'
import type { Logger } from '../log'
import { ConferenceRoom, type RoomPeer } from './room'

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
  private readonly open = new Map<string, Promise<ConferenceRoom>>()
  private readonly closing = new Map<string, Promise<void>>()
  private shuttingDown = false

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
  ) {}

  /** Number of conferences loaded in memory (for tests and metrics). */
  get loadedCount(): number {
    return this.open.size
  }

  /** Joins a peer to a conference's room, loading it first. The conference must exist. */
  async join(conferenceId: string, peer: RoomPeer): Promise<ConferenceRoom> {
    return this.acquire(conferenceId, (room) => { room.join(peer) })
  }

  /**
   * Runs a change on a conference's document from the server itself (creating, seeding),
   * whether or not anyone is connected, and waits until it is on disk.
   */
  async change(conferenceId: string, apply: (room: ConferenceRoom) => void): Promise<void> {
    const failures: unknown[] = []
    const room = await this.acquire(conferenceId, (opened) => {
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
      if (room.peerCount === 0) await this.unload(conferenceId, room)
    }
  }

  /** Stores and unloads every room (SIGTERM, tests). */
  async shutdown(): Promise<void> {
    this.shuttingDown = true
    const rooms = await Promise.allSettled(this.open.values())
    const loaded = rooms.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    await Promise.all(loaded.map((room) => this.unload(room.conferenceId, room)))
    await Promise.all(this.closing.values())
  }

  /**
   * Loads the room if needed and runs `use` on it in the same tick as the check that it is
   * not being unloaded, so nobody joins a room that is on its way out.
   */
  private async acquire(conferenceId: string, use: (room: ConferenceRoom) => void): Promise<ConferenceRoom> {
    for (;;) {
      const room = await this.loadedOrLoading(conferenceId)
      if (!room.closed) {
        use(room)
        return room
      }
    }
  }

  private async loadedOrLoading(conferenceId: string): Promise<ConferenceRoom> {
    // A room still being stored must finish before it is loaded again, or two journals race.
    for (let closing = this.closing.get(conferenceId); closing; closing = this.closing.get(conferenceId)) {
      await closing
    }
    if (this.shuttingDown) throw new ServerShuttingDown()
    let room = this.open.get(conferenceId)
    if (!room) {
      const startedAt = performance.now()
      room = ConferenceRoom.open(conferenceId, this.storage, this.log).then((loaded) => {
        loaded.onEmpty = () => void this.unload(conferenceId, loaded)
        this.log.info('conference.loaded', { conferenceId, ms: Math.round(performance.now() - startedAt) })
        return loaded
      })
      this.open.set(conferenceId, room)
      room.catch(() => this.open.delete(conferenceId))
    }
    return room
  }

  private async unload(conferenceId: string, room: ConferenceRoom): Promise<void> {
    if (room.closed) return this.closing.get(conferenceId)
    this.open.delete(conferenceId)
    const closed = room
      .close()
      .then(() => { this.log.info('conference.unloaded', { conferenceId }) })
      .catch((error: unknown) => {
        this.log.error('conference.unload-failed', { conferenceId, error: error instanceof Error ? error.message : String(error) })
      })
      .finally(() => this.closing.delete(conferenceId))
    this.closing.set(conferenceId, closed)
    return closed
  }
}
