import type { WebsocketProvider } from 'y-websocket'

/**
 * How our client reconnects after the connection dropped (a server restart, a phone losing
 * signal): y-websocket's exponential backoff, 100 ms × 2^attempts capped at `maxBackoffTime`,
 * with "full jitter" — a random delay between 0 and that — so that the hundreds of clients a
 * restart disconnects at the same moment do not all come back at the same moment. y-websocket 3
 * has no jitter of its own.
 *
 * Access denied is not retried: y-websocket 3 stops reconnecting on close codes 4400-4499 (its
 * default `shouldReconnect`), which is where the server's permanent refusals are (401 session
 * ended, 403 removed, 404 not in the conference; shared/protocol.ts).
 */

/** The delay before reconnect attempt number `failedAttempts` (1 for the first retry), in ms. */
export function reconnectDelay(failedAttempts: number, maxBackoffTime: number, random: () => number = Math.random): number {
  const ceiling = Math.min(100 * 2 ** failedAttempts, maxBackoffTime)
  return Math.floor(random() * ceiling)
}

/**
 * Adds jitter to a provider's reconnect delays. y-websocket waits
 * `min(100 × 2^wsUnsuccessfulReconnects, provider.maxBackoffTime)` before each new attempt and
 * reads `maxBackoffTime` only there, so reading it returns a jittered delay below that ceiling;
 * setting it still sets the cap. Call once, right after creating the provider.
 */
export function withReconnectJitter<P extends WebsocketProvider>(provider: P, random: () => number = Math.random): P {
  let cap = provider.maxBackoffTime
  Object.defineProperty(provider, 'maxBackoffTime', {
    configurable: true,
    enumerable: true,
    get: () => reconnectDelay(provider.wsUnsuccessfulReconnects, cap, random),
    set: (value: number) => { cap = value },
  })
  return provider
}
