import { afterEach, describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { reconnectDelay, withReconnectJitter } from '../../client/sync/reconnect'

/** A websocket that fails at once with `code`, counting how often one is opened. */
function failingSocket(code: () => number, opened: { count: number }): typeof globalThis.WebSocket {
  class Failing {
    static readonly OPEN = 1
    readonly OPEN = 1
    readyState = 0
    binaryType = 'arraybuffer'
    onclose: ((event: { code: number; reason: string }) => void) | null = null
    onopen: (() => void) | null = null
    onmessage: (() => void) | null = null
    onerror: (() => void) | null = null
    constructor() {
      opened.count++
      setTimeout(() => { this.onclose?.({ code: code(), reason: '' }) }, 0)
    }
    send(): void {}
    close(): void {}
  }
  return Failing as unknown as typeof globalThis.WebSocket
}

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('reconnecting with jitter', () => {
  test('the delay is uniform below y-websocket\'s exponential ceiling', () => {
    expect(reconnectDelay(1, 2500, () => 0.999)).toBe(199)
    expect(reconnectDelay(3, 2500, () => 0.5)).toBe(400)
    expect(reconnectDelay(10, 2500, () => 0.999)).toBe(2497)
    expect(reconnectDelay(10, 2500, () => 0)).toBe(0)
  })

  test('a provider waits a jittered delay before each new attempt, and stops for good on 4401', () => {
    vi.useFakeTimers()
    const delays: number[] = []
    const realSetTimeout = globalThis.setTimeout
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number, ...args: unknown[]) => {
      if (ms !== undefined && ms > 0) delays.push(ms)
      return realSetTimeout(callback, ms, ...args)
    }) as typeof setTimeout)
    let closeCode = 1006
    const opened = { count: 0 }
    const doc = new Y.Doc()
    const random = [0.5, 0.25, 0.75, 0.1]
    let draw = 0
    const provider = withReconnectJitter(
      new WebsocketProvider('ws://localhost:1', 'room', doc, { WebSocketPolyfill: failingSocket(() => closeCode, opened), disableBc: true, connect: false }),
      () => random[draw++ % random.length]!,
    )
    expect(provider.maxBackoffTime).toBeLessThan(200)
    draw = 0
    provider.connect()
    for (let attempt = 0; attempt < 4; attempt++) vi.advanceTimersByTime(3_000)
    // Ceilings 200, 400, 800, 1600 (100 ms × 2^attempts), each scaled by the random draw.
    expect(delays.slice(0, 4)).toEqual([100, 100, 600, 160])
    expect(opened.count).toBeGreaterThanOrEqual(5)
    closeCode = 4401
    vi.advanceTimersByTime(3_000)
    const afterRefusal = opened.count
    vi.advanceTimersByTime(30_000)
    expect(opened.count).toBe(afterRefusal)
    expect(provider.shouldConnect).toBe(false)
    provider.maxBackoffTime = 300
    provider.wsUnsuccessfulReconnects = 10
    expect(provider.maxBackoffTime).toBeLessThan(300)
    provider.destroy()
    doc.destroy()
  })
})
