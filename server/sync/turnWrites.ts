import type { Writable } from 'node:stream'

/**
 * Holds a socket's writes until the end of the current turn of the event loop, so that every
 * frame it is sent in that turn leaves in one write (one writev), not one write each.
 *
 * A keystroke reaches each person as a document update and a caret move: two frames, now one
 * write. Under load a turn handles many incoming frames and a socket gets several frames per
 * turn, so the saving grows exactly when the server is busiest (the kernel's cost per write was
 * half the server's time at 200 conferences × 15; docs/benchmarks.md). Nothing waits longer than
 * the turn it was sent in: the writes go out in the same turn's check phase (setImmediate).
 */
export class TurnWrites {
  private readonly held = new Set<Writable>()
  private flushing: NodeJS.Immediate | null = null

  /** Holds `socket`'s writes until this turn ends; cheap to call before every send. */
  hold(socket: Writable): void {
    if (this.held.has(socket) || socket.destroyed) return
    socket.cork()
    this.held.add(socket)
    this.flushing ??= setImmediate(this.release)
  }

  /** Sends everything held now (also at the end of each turn). */
  readonly release = (): void => {
    if (this.flushing) clearImmediate(this.flushing)
    this.flushing = null
    const sockets = [...this.held]
    this.held.clear()
    for (const socket of sockets) socket.uncork()
  }
}
