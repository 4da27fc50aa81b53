import type { Writable } from 'node:stream'

/**
 * Gathers the frames each socket is sent while the server handles one piece of work (one read
 * from the network, which often holds several frames: a keystroke's update, its caret and the
 * "saved?" question) into one write (writev) per socket, instead of one write per frame.
 *
 * The kernel's cost per write was half the server's time at 200 conferences × 15 people
 * (docs/benchmarks.md). Nothing waits for later work: the writes go out as soon as the current
 * piece is done (a microtask). Holding them to the end of the event loop's turn gathered more
 * under load, but made every frame wait for the whole turn, and doubled the p99 latency at 50 × 10;
 * switching between the two by event-loop utilization was worse than either (docs/performance.md).
 */
export class WriteBatcher {
  private readonly held = new Set<Writable>()
  private releasing = false

  /** Holds `socket`'s writes until the current work is done; cheap to call before every send. */
  hold(socket: Writable): void {
    if (this.held.has(socket) || socket.destroyed) return
    socket.cork()
    this.held.add(socket)
    if (this.releasing) return
    this.releasing = true
    queueMicrotask(this.release)
  }

  private readonly release = (): void => {
    this.releasing = false
    const sockets = [...this.held]
    this.held.clear()
    for (const socket of sockets) socket.uncork()
  }
}
