/**
 * What the fault harnesses (crash soak, reconnect storm, fuzz) share: seeded randomness, polling,
 * figures, a real client as ours behaves, and writing their section of docs/benchmarks.md.
 * Nothing here imports vitest: the harnesses run under `tsx` and inside `npm test` alike.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { conferenceRecord } from '../../shared/conference'
import { recordSnapshot } from '../../shared/conference/snapshot'
import { PROTOCOL_VERSION } from '../../shared/protocol'
import { SaveTracker } from '../../client/sync/saveTracker'
import { withReconnectJitter } from '../../client/sync/reconnect'
import { withOurPresence } from '../../client/sync/syncProvider'
import type { Device } from '../helpers/devices'
import { projectRoot } from '../bench/processes'

// ---- randomness ---------------------------------------------------------------------------------

/** A seeded pseudo-random source (mulberry32): the same seed gives the same run. */
export interface Random {
  readonly seed: number
  /** In [0, 1). */
  next(): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  bytes(length: number): Uint8Array
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    seed,
    next,
    int,
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[int(0, items.length - 1)]!
    },
    bytes: (length) => {
      const bytes = new Uint8Array(length)
      for (let index = 0; index < length; index++) bytes[index] = int(0, 255)
      return bytes
    },
  }
}

/** A seed from `--seed=N`, or a fresh one (printed by the caller, so a run can be repeated). */
export function seedFrom(value: string | undefined): number {
  if (value === undefined) return Math.floor(Math.random() * 2 ** 31)
  const seed = Number(value)
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new Error('--seed is an integer in [0, 2^32)')
  return seed
}

// ---- polling and figures ------------------------------------------------------------------------

/** Polls a condition every `intervalMs` (never a fixed sleep); throws after `timeoutMs`. */
export async function pollUntil(condition: () => boolean, what: string, timeoutMs: number, intervalMs = 10): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`)
    await sleep(intervalMs)
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–'
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'))
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

export function machineDescription(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu
  } catch {
    // not Linux
  }
  const memory = (os.totalmem() / 1024 ** 3).toFixed(1)
  return `${cpu}, ${os.availableParallelism()} cores, ${memory} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`
}

export function utcNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z')
}

/**
 * The sections of docs/benchmarks.md that commands of their own write (`npm run bench` keeps
 * them): the note-taker's page (`npm run bench:page`), the programme figures (`npm run bench:programme`)
 * and the fault harnesses.
 */
export const SEPARATE_SECTIONS = ['The note-taker’s page', 'Programme figures', 'Crash soak', 'Fuzz', 'Reconnect storm'] as const

/** Those sections of a benchmarks.md text, in order, each from its `## ` heading to the next. */
export function separateSections(text: string): string {
  const sections: string[] = []
  for (const heading of SEPARATE_SECTIONS) {
    const start = text.indexOf(`\n## ${heading}\n`)
    if (start === -1) continue
    const end = text.indexOf('\n## ', start + 1)
    sections.push(text.slice(start + 1, end === -1 ? undefined : end + 1).trimEnd())
  }
  return sections.length === 0 ? '' : `\n${sections.join('\n\n')}\n`
}

/**
 * Replaces the `## <heading>` section of docs/benchmarks.md (up to the next `## ` heading), or
 * appends it. `npm run bench` keeps these sections when it rewrites the file.
 */
export async function writeBenchmarkSection(heading: string, body: string): Promise<void> {
  const file = path.join(projectRoot, 'docs/benchmarks.md')
  const text = await readFile(file, 'utf8')
  const section = `## ${heading}\n\n${body.trim()}\n`
  const start = text.indexOf(`\n## ${heading}\n`)
  let next: string
  if (start === -1) next = `${text.trimEnd()}\n\n${section}`
  else {
    const after = text.indexOf('\n## ', start + 1)
    next = `${text.slice(0, start + 1)}${section}${after === -1 ? '' : `\n${text.slice(after + 1)}`}`
  }
  await writeFile(file, next)
}

// ---- documents ----------------------------------------------------------------------------------

/**
 * A hash of what a document holds: its state vector and delete set (which structs exist and
 * which are deleted) and the record read through the accessors. Equal for two copies of one document.
 */
export function documentHash(doc: Y.Doc): string {
  return createHash('sha256')
    .update(Y.encodeSnapshot(Y.snapshot(doc)))
    .update(JSON.stringify(recordSnapshot(doc)))
    .digest('hex')
}

// ---- a client as ours -----------------------------------------------------------------------------

export interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  tracker: SaveTracker
  record: ReturnType<typeof conferenceRecord>
  /** Times (performance.now()) at which this client opened a websocket, successful or not. */
  attempts: number[]
  /** Closes of this client's connections: code, and when (performance.now()). */
  closes: { code: number; at: number }[]
  destroy(): void
}

/**
 * A real y-websocket provider with our client's settings (protocol version, no BroadcastChannel,
 * the SaveTracker and, with `jitter`, client/sync/reconnect.ts), over `ws` with this device's
 * cookie and a SafetyMap page's Origin.
 */
export function connectClient(
  device: Device,
  syncUrl: string,
  conferenceId: string,
  options: { jitter?: boolean; random?: () => number; maxBackoffTime?: number; connect?: boolean } = {},
): Client {
  const attempts: number[] = []
  class DeviceWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { origin: device.baseUrl, headers: device.cookie ? { cookie: device.cookie } : {} })
      attempts.push(performance.now())
    }
  }
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(syncUrl, conferenceId, doc, {
    WebSocketPolyfill: DeviceWebSocket as unknown as typeof globalThis.WebSocket,
    params: { v: String(PROTOCOL_VERSION) },
    disableBc: true,
    connect: options.connect ?? true,
    ...(options.maxBackoffTime !== undefined ? { maxBackoffTime: options.maxBackoffTime } : {}),
  })
  if (options.jitter) withReconnectJitter(provider, options.random)
  withOurPresence(provider)
  const closes: Client['closes'] = []
  provider.on('connection-close', (event) => { if (event) closes.push({ code: event.code, at: performance.now() }) })
  const tracker = new SaveTracker(doc, provider)
  let destroyed = false
  return {
    doc,
    provider,
    tracker,
    record: conferenceRecord(doc),
    attempts,
    closes,
    destroy() {
      if (destroyed) return
      destroyed = true
      tracker.destroy()
      provider.destroy()
      doc.destroy()
    },
  }
}

/** The base URL (http://host:port) of a server's sync URL (ws://host:port/sync). */
export function deviceAt(device: Device, baseUrl: string): Device {
  return { ...device, baseUrl }
}

/** Connects a fresh client, waits for its first sync, runs `read` on its doc, and leaves. */
export async function readDocument<T>(device: Device, syncUrl: string, conferenceId: string, read: (doc: Y.Doc) => T, timeoutMs = 30_000): Promise<T> {
  const reader = connectClient(device, syncUrl, conferenceId)
  try {
    await pollUntil(() => reader.provider.synced, `a reader synced with ${conferenceId}`, timeoutMs)
    return read(reader.doc)
  } finally {
    reader.destroy()
  }
}
