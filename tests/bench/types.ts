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
  /** Our server: the page origin and session cookie every connection sends (the stock server needs none). */
  device?: { origin: string; cookie: string }
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
export type RunnerMessage = { type: 'start'; config: GeneratorConfig } | { type: 'finish' }

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
