/**
 * What the benchmark's processes tell each other (over the child-process IPC channel), and the
 * small statistics they share. No server or client code here, so every side can import it.
 */

export type ServerKind = 'ours' | 'stock'

export interface GeneratorConfig {
  server: ServerKind
  /** y-websocket `serverUrl`: ws://127.0.0.1:<port>/sync for ours, ws://127.0.0.1:<port> for stock. */
  syncUrl: string
  /** One room per conference: conference ids (ours) or any names (stock). */
  rooms: string[]
  participantsPerRoom: number
  /** How long the note-takers type, once everybody is in. */
  typingMs: number
  /** Connections allowed to be opening at once (people join a meeting over time, not all in one tick). */
  connectConcurrency: number
  /**
   * Every client sends back each presence change it hears, as stock y-websocket does; by default
   * they send only their own, as our client does (client/sync/syncProvider.ts).
   */
  echoPresence: boolean
  /**
   * Our server: the page origin and session cookie every connection sends (the stock server needs
   * none), and the author id that person has in each conference: our server refuses entries
   * written under any other.
   */
  device?: { origin: string; cookie: string; authorIds: Record<string, string> }
}

/** Event-loop figures of one process over a span (the generator's own, or a server's via loopProbe.ts). */
export interface LoopFigures {
  delayP50Ms: number
  delayP99Ms: number
  delayMaxMs: number
  /** 0-1 */
  utilization: number
}

/** monitorEventLoopDelay's sampling period; its readings include it, so it is taken off. */
export const EVENT_LOOP_RESOLUTION_MS = 10

export function loopDelayMs(nanoseconds: number): number {
  return Math.max(0, nanoseconds / 1e6 - EVENT_LOOP_RESOLUTION_MS)
}

export interface Summary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

export interface WireCount {
  messages: number
  bytes: number
}

export interface GeneratorResult {
  participants: number
  firstSyncMs: Summary
  /** Wall time from the first provider created to the last one synced. */
  connectAllMs: number
  keystrokesTyped: number
  keystrokeLatencyMs: Summary
  /** Keystroke arrivals that never came (typed × receivers − arrivals) by the end of the grace period. */
  keystrokesMissing: number
  /** Null for the stock server, which has no saved acknowledgement. */
  savedAckMs: Summary | null
  /** Local changes never confirmed as saved by the end of the grace period. */
  savedUnconfirmed: number
  /** The generator's own health during typing: if these are high, the generator is the bottleneck. */
  generator: { eventLoopDelayP50Ms: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number; eventLoopUtilization: number; cpuPercent: number }
  /** Counted in the generator during the typing window, both directions, every message type. */
  wire: { seconds: number; sent: WireCount; received: WireCount }
  /** Connection closes that the generator did not ask for (slow-reader drops, refusals, crashes). */
  unexpectedCloses: number
  /** The raw samples behind the summaries, so the results of several generator processes can be merged. */
  samples: { firstSyncMs: number[]; keystrokeLatencyMs: number[]; savedAckMs: number[] }
}

/**
 * One result from the results of several generator processes, each driving its own share of the
 * conferences: percentiles from all their samples; the generators' health as the worst of them
 * (event-loop delay) or their total (CPU).
 */
export function mergeResults(parts: readonly GeneratorResult[]): GeneratorResult {
  const [first, ...rest] = parts
  if (!first) throw new Error('no generator results to merge')
  if (rest.length === 0) return first
  const sum = (pick: (part: GeneratorResult) => number): number => parts.reduce((total, part) => total + pick(part), 0)
  const most = (pick: (part: GeneratorResult) => number): number => Math.max(...parts.map(pick))
  const samples = {
    firstSyncMs: parts.flatMap((part) => part.samples.firstSyncMs),
    keystrokeLatencyMs: parts.flatMap((part) => part.samples.keystrokeLatencyMs),
    savedAckMs: parts.flatMap((part) => part.samples.savedAckMs),
  }
  const wire = (direction: 'sent' | 'received'): WireCount => ({ messages: sum((part) => part.wire[direction].messages), bytes: sum((part) => part.wire[direction].bytes) })
  return {
    participants: sum((part) => part.participants),
    firstSyncMs: summarize([...samples.firstSyncMs]),
    connectAllMs: most((part) => part.connectAllMs),
    keystrokesTyped: sum((part) => part.keystrokesTyped),
    keystrokeLatencyMs: summarize([...samples.keystrokeLatencyMs]),
    keystrokesMissing: sum((part) => part.keystrokesMissing),
    savedAckMs: first.savedAckMs === null ? null : summarize([...samples.savedAckMs]),
    savedUnconfirmed: sum((part) => part.savedUnconfirmed),
    generator: {
      eventLoopDelayP50Ms: most((part) => part.generator.eventLoopDelayP50Ms),
      eventLoopDelayP99Ms: most((part) => part.generator.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: most((part) => part.generator.eventLoopDelayMaxMs),
      eventLoopUtilization: most((part) => part.generator.eventLoopUtilization),
      cpuPercent: sum((part) => part.generator.cpuPercent),
    },
    wire: { seconds: most((part) => part.wire.seconds), sent: wire('sent'), received: wire('received') },
    unexpectedCloses: sum((part) => part.unexpectedCloses),
    samples,
  }
}

/** Generator → runner. */
export type GeneratorMessage =
  | { type: 'connected' }
  | { type: 'typing-started' }
  | { type: 'typing-ended' }
  | { type: 'idle' }
  | { type: 'result'; result: GeneratorResult }
  | { type: 'failed'; error: string }

/** Runner → generator. */
export type RunnerMessage =
  | { type: 'start'; config: GeneratorConfig }
  /** Every generator has connected its share: typing may start (all at once, not while others still connect). */
  | { type: 'go' }
  | { type: 'finish' }

/** IPC messages arrive as `unknown`; this only checks the envelope (both ends are our code). */
export function hasType(message: unknown): message is { type: string } {
  return typeof message === 'object' && message !== null && 'type' in message && typeof message.type === 'string'
}

/** Nearest-rank percentiles of a list of samples (which it sorts in place). */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN }
  samples.sort((a, b) => a - b)
  const at = (fraction: number): number => samples[Math.min(samples.length - 1, Math.ceil(fraction * samples.length) - 1)] ?? Number.NaN
  return { count: samples.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: samples[samples.length - 1] ?? Number.NaN }
}
