/**
 * The fuzz harness: a real server process (server/main.ts), many signed-in raw websockets into
 * one conference sending frames from tests/fuzz/frames.ts, one frame (or one awareness burst) at
 * a time per socket, each followed by a "saved" probe: the probe's answer says the frame was
 * handled and the connection survived; a close says which code refused it. A closed socket is
 * replaced by a new one. Meanwhile a worker thread pings the server over another websocket and
 * times the answers (an event-loop stall shows there, whatever this process is doing).
 *
 * Valid updates: a frame that the server's own guard (refusalOf, with the fuzzing person's
 * writable roots and id) accepts against an exact copy of the server's document is a real change. Such
 * frames are sent while every other socket waits, then applied to the copy as well; so the copy
 * stays exactly the server's document, and at the end the stored document must equal the copy
 * (any difference: a refused frame changed something, or the server applied what it refused).
 * Every other conference must be unchanged. Valid updates are capped (`maxValid`); beyond that
 * they are withheld and counted.
 */
import { Worker } from 'node:worker_threads'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { recordSnapshot } from '../../shared/conference/snapshot'
import { writableRootsFor } from '../../shared/conference/documents'
import { can } from '../../shared/roles'
import { MAX_MESSAGE_BYTES, MessageType, PROTOCOL_VERSION, closeCodeName } from '../../shared/protocol'
import { refusalOf } from '../../server/documents/updateGuard'
import { createLogger } from '../../server/log'
import { openEmbeddedStorage } from '../../server/storage/embedded'
import { api, authorIdIn, expectJson, setUpFirstAdmin, type Device } from '../helpers/devices'
import { createTestConference } from '../helpers/server'
import { spawnServer, type ServerProcess } from '../helpers/serverProcess'
import { typeCharacter } from '../helpers/typing'
import { CLOCK_TICKS_PER_SECOND, logLines, makeBenchDir, procStats, removeBenchDir, stopChild, trackChild } from '../bench/processes'
import { connectClient, createRandom, deviceAt, documentHash, pollUntil, readDocument, type Random } from '../soak/common'
import { buildCorpus, FrameGenerator, FRAME_KINDS, type AwarenessContext, type FrameBatch, type FrameKind } from './frames'

export interface FuzzOptions {
  frames: number
  seed: number
  /** Sockets sending at once. */
  lanes?: number
  /** Valid updates applied at most (then withheld), and their bytes at most. */
  maxValid?: number
  maxValidBytes?: number
  /** Structs in the seeded long paragraph (two people typing in turn). */
  seedKeystrokes?: number
  log?: (line: string) => void
}

export interface StallStats {
  pings: number
  maxMs: number
  p99Ms: number
  /** Pings unanswered for more than 1 s. */
  overOneSecond: number
  health: { requests: number; maxMs: number; failures: number }
  /** The longest stalls, with what was being sent just before. */
  worst: { ms: number; suspects: string[] }[]
}

export interface FuzzResult {
  seed: number
  frames: number
  batches: number
  seconds: number
  framesPerSecond: number
  lanes: number
  connections: number
  connectFailures: number
  /** Per kind: frames, and how its batches ended (`open` or a close code's name). */
  perKind: Record<FrameKind, { frames: number; batches: number; outcomes: Record<string, number> }>
  /** Per `kind:variant`: batches and outcomes. */
  perVariant: Record<string, { batches: number; outcomes: Record<string, number> }>
  closeCodes: Record<string, number>
  /** Batches with neither the probe's answer nor a close within 10 s. */
  unanswered: number
  /** Valid updates: applied (server and copy), withheld (over the cap), refused with a close code, or lost with a dropped connection. */
  valid: { applied: number; withheld: number; bytes: number; refusedByServer: number; dropped: number; maxLocalApplyMs: number }
  /** Update frames the guard refused but the server kept the connection open on. */
  acceptedAgainstGuard: number
  /** Valid updates after which Yjs kept something pending (a gap in the guard). */
  pendingAfterValid: number
  stall: StallStats
  crashes: number
  crashOutput: string[]
  /** The run stopped before its frames: sockets could no longer connect. */
  stoppedEarly: boolean
  serverErrorLines: Record<string, number>
  /** The first error line of each kind, as logged. */
  serverErrorExamples: string[]
  /** Files holding frames that showed a problem (valid per the guard but refused, and the like). */
  findings: string[]
  rssPeakKb: number
  /** CPU while fuzzing, % of one core: the server, and this harness (generating, checking, reading). */
  serverCpuPercent: number
  harnessCpuPercent: number
  documents: { checked: number; changed: string[] }
}

const PROBE_TIMEOUT_MS = 10_000

// ---- the stall monitor (a worker thread, plain JS so it runs under vitest and tsx alike) ------

const MONITOR_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const WebSocket = require('ws')
const samples = []
const slow = []
let over = 0, outstanding = null, ws = null, stopped = false
const health = { requests: 0, maxMs: 0, failures: 0 }
function connect() {
  if (stopped) return
  ws = new WebSocket(workerData.url, { origin: workerData.origin, headers: { cookie: workerData.cookie } })
  ws.on('pong', () => {
    if (!outstanding) return
    const ms = performance.now() - outstanding.at
    samples.push(ms)
    if (ms > 100) slow.push({ at: outstanding.wall, ms })
    outstanding = null
  })
  ws.on('message', () => {})
  ws.on('error', () => {})
  ws.on('close', () => { outstanding = null; setTimeout(connect, 50) })
}
connect()
const pinger = setInterval(() => {
  const now = performance.now()
  if (outstanding) {
    if (!outstanding.flagged && now - outstanding.at > 1000) { outstanding.flagged = true; over++ }
    return
  }
  if (ws && ws.readyState === 1) { outstanding = { at: now, wall: Date.now(), flagged: false }; ws.ping() }
}, 25)
const checker = setInterval(async () => {
  const started = performance.now()
  try {
    const response = await fetch(workerData.health, { signal: AbortSignal.timeout(30000) })
    await response.text()
    if (!response.ok) health.failures++
  } catch { health.failures++ }
  health.requests++
  health.maxMs = Math.max(health.maxMs, performance.now() - started)
}, 1000)
parentPort.on('message', (message) => {
  if (message === 'stop') {
    stopped = true
    clearInterval(pinger)
    clearInterval(checker)
    if (outstanding) samples.push(performance.now() - outstanding.at)
    if (ws) ws.terminate()
    const sorted = samples.slice().sort((a, b) => a - b)
    parentPort.postMessage({
      pings: samples.length,
      maxMs: sorted.length ? sorted[sorted.length - 1] : 0,
      p99Ms: sorted.length ? sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] : 0,
      overOneSecond: over,
      health,
      slow: slow.sort((a, b) => b.ms - a.ms).slice(0, 5),
    })
  }
})
`

interface MonitorReport {
  pings: number
  maxMs: number
  p99Ms: number
  overOneSecond: number
  health: StallStats['health']
  slow: { at: number; ms: number }[]
}

function startMonitor(device: Device, syncUrl: string, conferenceId: string): { stop: () => Promise<MonitorReport>; terminate: () => void } {
  const worker = new Worker(MONITOR_SOURCE, {
    eval: true,
    workerData: { url: `${syncUrl}/${conferenceId}?v=${PROTOCOL_VERSION}`, origin: device.baseUrl, cookie: device.cookie, health: `${device.baseUrl}/api/health` },
  })
  return {
    stop: () =>
      new Promise<MonitorReport>((resolve, reject) => {
        worker.once('message', (report: MonitorReport) => {
          void worker.terminate()
          resolve(report)
        })
        worker.once('error', reject)
        worker.postMessage('stop')
      }),
    terminate: () => { void worker.terminate() },
  }
}

// ---- one fuzzing socket ---------------------------------------------------------------------------

type Outcome = { kind: 'open' } | { kind: 'closed'; code: number } | { kind: 'unanswered' }

class Lane {
  private socket: WebSocket | null = null
  private waiting: { seq: number; resolve: (outcome: Outcome) => void } | null = null
  private closedWith: number | null = null
  readonly awareness: AwarenessContext = { clientId: 0, clock: 0 }

  constructor(
    private readonly random: Random,
    private readonly counters: { connections: number; connectFailures: number },
  ) {}

  /** Opens a socket and waits for the server's first message (it has joined the room). */
  async connect(url: string, device: Device): Promise<boolean> {
    this.counters.connections++
    this.closedWith = null
    this.awareness.clientId = this.random.int(1, 2 ** 31)
    this.awareness.clock = 0
    const socket = new WebSocket(url, { origin: device.baseUrl, headers: { cookie: device.cookie } })
    this.socket = socket
    const joined = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => { resolve(false) }, 15_000)
      socket.once('message', () => { clearTimeout(timer); resolve(true) })
      socket.once('close', () => { clearTimeout(timer); resolve(false) })
      socket.once('error', () => { clearTimeout(timer); resolve(false) })
    })
    socket.on('error', () => undefined)
    socket.on('message', (data: Buffer) => { this.onMessage(data) })
    socket.on('close', (code) => {
      this.closedWith = code
      const waiting = this.waiting
      this.waiting = null
      waiting?.resolve({ kind: 'closed', code })
    })
    if (!joined || !this.live) {
      this.counters.connectFailures++
      socket.terminate()
      this.socket = null
      return false
    }
    return true
  }

  get live(): boolean {
    return this.socket !== null && this.closedWith === null && this.socket.readyState === WebSocket.OPEN
  }

  private onMessage(data: Buffer): void {
    if (data[0] !== MessageType.saved || !this.waiting) return
    try {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      decoding.readVarUint(decoder)
      if (decoding.readVarUint(decoder) !== this.waiting.seq) return
    } catch {
      return
    }
    const waiting = this.waiting
    this.waiting = null
    waiting.resolve({ kind: 'open' })
  }

  /** Sends the batch and a probe; resolves with how the server took it. */
  send(batch: FrameBatch): Promise<Outcome> {
    const socket = this.socket
    if (!socket || !this.live) return Promise.resolve({ kind: 'closed', code: this.closedWith ?? 1006 })
    const seq = this.random.int(2 ** 40, 2 ** 48)
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null
        socket.terminate()
        resolve({ kind: 'unanswered' })
      }, PROBE_TIMEOUT_MS)
      this.waiting = { seq, resolve: (outcome) => { clearTimeout(timer); resolve(outcome) } }
      for (const frame of batch.frames) socket.send(frame, { binary: typeof frame !== 'string' })
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.saved)
      encoding.writeVarUint(encoder, seq)
      socket.send(encoding.toUint8Array(encoder))
    })
  }

  close(): void {
    this.socket?.terminate()
    this.socket = null
  }
}

// ---- set-up -----------------------------------------------------------------------------------------

/** Two people typing in turn into one paragraph: a long list of items that do not merge. */
async function seedTarget(admin: Device, syncUrl: string, conferenceId: string, keystrokes: number): Promise<void> {
  const typist = connectClient(admin, syncUrl, conferenceId)
  try {
    await pollUntil(() => typist.provider.synced, 'the seeding typist synced', 30_000)
    const record = typist.record
    const authorId = await authorIdIn(admin, conferenceId)
    const entry = record.map.section('pastHarm').add(authorId)
    for (const character of 'Two people typed this paragraph in turn.') typeCharacter(entry.richText('text'), character)
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(typist.doc))
    const otherEntry = conferenceRecord(other).map.section('pastHarm').get(entry.id)!
    const send = (from: Y.Doc, to: Y.Doc): void => { Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'peer') }
    for (let index = 0; index < keystrokes / 2; index++) {
      typeCharacter(entry.richText('text'), String.fromCharCode(97 + (index % 26)))
      send(typist.doc, other)
      typeCharacter(otherEntry.richText('text'), String.fromCharCode(65 + (index % 26)))
      send(other, typist.doc)
    }
    other.destroy()
    for (const section of ['existingStrengths', 'familyGoals'] as const) {
      const more = record.map.section(section).add(authorId)
      for (const character of `Some words in ${section}.`) typeCharacter(more.richText('text'), character)
    }
    await pollUntil(() => typist.tracker.status.state === 'saved', 'the seeded content saved', 60_000)
  } finally {
    typist.destroy()
  }
}

/** The document exactly as the server builds it when it loads the conference: every stored record applied in one transaction. */
async function loadStoredDocument(dataDir: string, conferenceId: string): Promise<Y.Doc> {
  const storage = await openEmbeddedStorage(dataDir, { log: createLogger('silent') })
  try {
    const journal = await storage.openJournal(conferenceId, 'record')
    const stored = await journal.load()
    await journal.close()
    const doc = new Y.Doc({ gc: true })
    doc.transact(() => {
      for (const update of stored) Y.applyUpdate(doc, update)
    })
    return doc
  } finally {
    await storage.close()
  }
}

/** Where the stored document differs from the copy: clients whose clocks differ, deletions, the record. */
function describeDifference(expected: Y.Doc, stored: Y.Doc): string {
  const a = Y.decodeStateVector(Y.encodeStateVector(expected))
  const b = Y.decodeStateVector(Y.encodeStateVector(stored))
  const clocks = [...new Set([...a.keys(), ...b.keys()])].filter((client) => a.get(client) !== b.get(client)).map((client) => `${client}: ${a.get(client) ?? 0} vs ${b.get(client) ?? 0}`)
  const deletions = Buffer.compare(Buffer.from(Y.encodeSnapshot(Y.snapshot(expected))), Buffer.from(Y.encodeSnapshot(Y.snapshot(stored)))) !== 0
  const record = JSON.stringify(recordSnapshot(expected)) === JSON.stringify(recordSnapshot(stored)) ? 'same record' : 'record differs'
  return `clocks differ (copy vs stored) ${clocks.slice(0, 10).join(', ') || 'none'}; snapshots ${deletions ? 'differ' : 'equal'}; ${record}`
}

/** Keeps an update that showed a problem in the OS temp dir, to replay it. */
async function keepFinding(seed: number, what: string, update: Uint8Array): Promise<string> {
  const directory = path.join(os.tmpdir(), 'safetymap-fuzz-findings')
  await mkdir(directory, { recursive: true })
  const file = path.join(directory, `${seed}-${what}-${Date.now()}.bin`)
  await writeFile(file, update)
  return file
}

/** The exact frame layout the server accepts for an update: [0, 1|2, length, update], nothing after. */
function exactUpdate(frame: Uint8Array | string): Uint8Array | null {
  if (typeof frame === 'string') return null
  try {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MessageType.sync) return null
    const syncType = decoding.readVarUint(decoder)
    if (syncType !== 1 && syncType !== 2) return null
    const update = decoding.readVarUint8Array(decoder)
    return decoding.hasContent(decoder) ? null : update
  } catch {
    return null
  }
}

/** Lets many batches run at once, or one alone (a valid update: nothing else may run beside it). */
class Gate {
  private running = 0
  private exclusive: Promise<void> | null = null
  private drained: (() => void) | null = null

  async shared<T>(run: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive
    this.running++
    try {
      return await run()
    } finally {
      this.running--
      if (this.running === 0) this.drained?.()
    }
  }

  async alone<T>(run: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive
    let release!: () => void
    this.exclusive = new Promise<void>((resolve) => { release = resolve })
    try {
      if (this.running > 0) await new Promise<void>((resolve) => { this.drained = resolve })
      this.drained = null
      return await run()
    } finally {
      this.exclusive = null
      release()
    }
  }
}

// ---- the run ----------------------------------------------------------------------------------------

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const log = options.log ?? (() => undefined)
  const random = createRandom(options.seed)
  const laneCount = options.lanes ?? 16
  const maxValid = options.maxValid ?? 1_000
  const maxValidBytes = options.maxValidBytes ?? 4 * 1024 * 1024
  const dataDir = await makeBenchDir('safetymap-fuzz-')
  const spawn = async (): Promise<ServerProcess> => {
    const started = await spawnServer(dataDir, { logLevel: 'error' })
    trackChild(started.child)
    return started
  }
  let server = await spawn()
  const outputs: string[] = []
  /** Whatever is still running when the run ends, however it ends. */
  const leftovers: (() => void)[] = []
  try {
    if (!server.setupLink) throw new Error('a fresh data dir prints a set-up link')
    let admin = await setUpFirstAdmin(server.url, server.setupLink)
    const target = await createTestConference(admin, { title: 'Fuzz target' })
    const bystander = await createTestConference(admin, { title: 'Fuzz bystander' })
    log(`seeding the target conference`)
    await seedTarget(admin, server.syncUrl, target.id, options.seedKeystrokes ?? 3_000)
    await seedTarget(admin, server.syncUrl, bystander.id, 200)
    const { conferences } = await expectJson<{ conferences: { id: string; title: string }[] }>(await api(admin, '/api/conferences'), 200)

    // Stop, so the copy is built from exactly what the server will load.
    await stopChild(server.child)
    outputs.push(server.output())
    const replica = await loadStoredDocument(dataDir, target.id)
    server = await spawn()
    admin = deviceAt(admin, server.url)
    const before = new Map<string, string>()
    for (const conference of conferences) {
      if (conference.id !== target.id) before.set(conference.id, await readDocument(admin, server.syncUrl, conference.id, documentHash))
    }
    const writableRoots = writableRootsFor('record', (permission) => can('chair', permission))
    // Who the fuzzing person is to the server: views they may change are the ones given under this id.
    const authorId = await authorIdIn(admin, target.id)
    const corpus = buildCorpus(replica, random, authorId)
    const generator = new FrameGenerator(corpus, random)
    const targetUrl = (): string => `${server.syncUrl}/${target.id}?v=${PROTOCOL_VERSION}`

    // One quiet connection keeps the target loaded, so its document is never rebuilt mid-run.
    const keeper = connectClient(admin, server.syncUrl, target.id)
    await pollUntil(() => keeper.provider.synced, 'the keeper synced', 30_000)
    let monitor = startMonitor(admin, server.syncUrl, bystander.id)
    leftovers.push(() => { keeper.destroy() }, () => { monitor.terminate() })

    const result: FuzzResult = {
      seed: options.seed,
      frames: 0,
      batches: 0,
      seconds: 0,
      framesPerSecond: 0,
      lanes: laneCount,
      connections: 0,
      connectFailures: 0,
      perKind: Object.fromEntries(FRAME_KINDS.map((kind) => [kind, { frames: 0, batches: 0, outcomes: {} }])) as unknown as FuzzResult['perKind'],
      perVariant: {},
      closeCodes: {},
      unanswered: 0,
      valid: { applied: 0, withheld: 0, bytes: 0, refusedByServer: 0, dropped: 0, maxLocalApplyMs: 0 },
      acceptedAgainstGuard: 0,
      pendingAfterValid: 0,
      stall: { pings: 0, maxMs: 0, p99Ms: 0, overOneSecond: 0, health: { requests: 0, maxMs: 0, failures: 0 }, worst: [] },
      crashes: 0,
      crashOutput: [],
      stoppedEarly: false,
      serverErrorLines: {},
      serverErrorExamples: [],
      findings: [],
      rssPeakKb: 0,
      serverCpuPercent: Number.NaN,
      harnessCpuPercent: Number.NaN,
      documents: { checked: 0, changed: [] },
    }
    const counters = { connections: 0, connectFailures: 0 }
    const recent: { at: number; what: string }[] = []
    const gate = new Gate()
    let remaining = options.frames
    let restarting: Promise<void> | null = null
    const monitorReports: MonitorReport[] = []

    const record = (batch: FrameBatch, outcome: Outcome): void => {
      const name = outcome.kind === 'open' ? 'open' : outcome.kind === 'unanswered' ? 'unanswered' : `${outcome.code} ${closeCodeName(outcome.code) ?? ''}`.trim()
      const kind = result.perKind[batch.kind]
      kind.batches++
      kind.frames += batch.frames.length
      kind.outcomes[name] = (kind.outcomes[name] ?? 0) + 1
      const variant = (result.perVariant[`${batch.kind}:${batch.variant}`] ??= { batches: 0, outcomes: {} })
      variant.batches++
      variant.outcomes[name] = (variant.outcomes[name] ?? 0) + 1
      if (outcome.kind === 'closed') result.closeCodes[name] = (result.closeCodes[name] ?? 0) + 1
      if (outcome.kind === 'unanswered') result.unanswered++
      result.frames += batch.frames.length
      result.batches++
    }

    /** The server died: count it, keep its output, start it again on the same data. */
    const inFlight = new Set<FrameBatch>()
    /** Whether the server's document now holds `update` (its state vector moved as applying it would). */
    const serverHas = async (update: Uint8Array): Promise<boolean> => {
      const withIt = new Y.Doc()
      Y.applyUpdate(withIt, Y.encodeStateAsUpdate(replica))
      Y.applyUpdate(withIt, update)
      const expected = Buffer.from(Y.encodeStateVector(withIt))
      withIt.destroy()
      const stored = await readDocument(admin, server.syncUrl, target.id, (doc) => Buffer.from(Y.encodeStateVector(doc)))
      return stored.equals(expected)
    }
    const recover = async (): Promise<void> => {
      restarting ??= (async () => {
        result.crashes++
        for (const batch of inFlight) {
          for (const [index, frame] of batch.frames.entries()) {
            if (typeof frame !== 'string') result.findings.push(await keepFinding(options.seed, `in-flight-at-crash-${batch.kind}-${batch.variant}-${index}`, frame))
          }
        }
        const output = server.output()
        result.crashOutput.push(output.slice(-4000))
        outputs.push(output)
        log(`server crashed (${result.crashes}); restarting`)
        monitorReports.push(await monitor.stop())
        server = await spawn()
        admin = deviceAt(admin, server.url)
        monitor = startMonitor(admin, server.syncUrl, bystander.id)
        watchExit(server)
      })().finally(() => { restarting = null })
      await restarting
    }
    let alive = true
    function watchExit(watched: ServerProcess): void {
      void watched.exited.then(() => { if (alive) void recover() })
    }
    watchExit(server)

    const startedAt = performance.now()
    const harnessCpuAtStart = process.cpuUsage()
    const serverCpuAtStart = (await procStats(server.child.pid ?? -1))?.cpuTicks ?? Number.NaN
    let lastProgress = startedAt
    const rssSampler = setInterval(() => {
      const pid = server.child.pid
      if (pid !== undefined) void procStats(pid).then((stats) => { if (stats) result.rssPeakKb = Math.max(result.rssPeakKb, stats.rssKb) })
    }, 500)

    const runLane = async (lane: Lane): Promise<void> => {
      let failuresInARow = 0
      while (remaining > 0) {
        if (failuresInARow > 50) {
          // The conference cannot be opened any more (or the server cannot start): stop and report.
          log('a fuzzing socket could not connect 50 times in a row; stopping')
          result.stoppedEarly = true
          remaining = 0
          break
        }
        if (restarting) await restarting
        const batch = generator.next(lane.awareness)
        remaining -= batch.frames.length
        const update = batch.frames.length === 1 ? exactUpdate(batch.frames[0]!) : null
        /** The guard's verdict against the copy, now: a valid update run alone may change it. */
        const classify = (): string | null => {
          if (!update) return 'not an update'
          // The transport refuses it (1009) before any guard: a valid update must fit in one message.
          if ((batch.frames[0]?.length ?? 0) > MAX_MESSAGE_BYTES) return 'larger than a message may be'
          try {
            return refusalOf(update, replica, writableRoots, { authorId, role: 'chair' })
          } catch {
            return 'guard threw'
          }
        }
        const send = async (verdict: string | null): Promise<void> => {
          const valid = update !== null && verdict === null
          if (valid && (result.valid.applied >= maxValid || result.valid.bytes + update.length > maxValidBytes)) {
            result.valid.withheld++
            remaining += batch.frames.length
            return
          }
          if (!lane.live) {
            lane.close()
            if (!(await lane.connect(targetUrl(), admin))) {
              if (!restarting) failuresInARow++
              remaining += batch.frames.length
              return
            }
            failuresInARow = 0
          }
          recent.push({ at: Date.now(), what: `${batch.kind}:${batch.variant} (${batch.frames.reduce((sum, frame) => sum + frame.length, 0)} B)` })
          if (recent.length > 5_000) recent.splice(0, 1_000)
          inFlight.add(batch)
          const outcome = await lane.send(batch)
          inFlight.delete(batch)
          record(batch, outcome)
          if (update && valid) {
            const refusedByCode = outcome.kind === 'closed' && outcome.code !== 1006
            // Dropped without a close code (or unanswered): did the server apply it? Ask it.
            const applied = outcome.kind === 'open' || (!refusedByCode && (await serverHas(update)))
            if (!applied) {
              if (refusedByCode) result.valid.refusedByServer++
              else result.valid.dropped++
              result.findings.push(await keepFinding(options.seed, `valid-${refusedByCode ? 'refused' : 'dropped'}-${batch.variant}`, update))
              log(`a valid ${batch.kind}:${batch.variant} was not applied (${outcome.kind === 'closed' ? outcome.code : outcome.kind}); kept in ${result.findings[result.findings.length - 1]!}`)
              return
            }
            const appliedAt = performance.now()
            Y.applyUpdate(replica, update)
            result.valid.maxLocalApplyMs = Math.max(result.valid.maxLocalApplyMs, performance.now() - appliedAt)
            result.valid.applied++
            result.valid.bytes += update.length
            if (replica.store.pendingStructs !== null || replica.store.pendingDs !== null) {
              result.pendingAfterValid++
              result.findings.push(await keepFinding(options.seed, `pending-${batch.variant}`, update))
              log(`GUARD GAP: ${batch.kind}:${batch.variant} left Yjs with pending content`)
            }
          } else if (update && outcome.kind === 'open') {
            result.acceptedAgainstGuard++
            result.findings.push(await keepFinding(options.seed, `accepted-${batch.variant}`, update))
            log(`server kept the connection open on an update the guard refuses (${verdict ?? ''}): ${batch.kind}:${batch.variant}`)
          }
        }
        // Every frame is judged inside the gate, against the copy as it is then. Valid updates are
        // sent alone (judged again there); everything else goes out together.
        const route = { alone: false }
        await gate.shared(async () => {
          const verdict = classify()
          if (verdict === null) route.alone = true
          else await send(verdict)
        })
        if (route.alone) await gate.alone(() => send(classify()))
        const now = performance.now()
        if (now - lastProgress > 10_000) {
          lastProgress = now
          const done = options.frames - Math.max(0, remaining)
          log(`${done.toLocaleString('en-GB')} frames, ${Math.round(done / ((now - startedAt) / 1000))}/s, closes ${JSON.stringify(result.closeCodes)}`)
        }
      }
    }
    const lanes = Array.from({ length: laneCount }, () => new Lane(random, counters))
    leftovers.push(() => { for (const lane of lanes) lane.close() })
    await Promise.all(lanes.map((lane) => runLane(lane)))
    result.seconds = (performance.now() - startedAt) / 1000
    result.framesPerSecond = result.frames / result.seconds
    const harnessCpu = process.cpuUsage(harnessCpuAtStart)
    result.harnessCpuPercent = ((harnessCpu.user + harnessCpu.system) / 1e6 / result.seconds) * 100
    // After a crash the new process's ticks start again at 0: then this is not known.
    if (result.crashes === 0) result.serverCpuPercent = (((await procStats(server.child.pid ?? -1))?.cpuTicks ?? Number.NaN) - serverCpuAtStart) / CLOCK_TICKS_PER_SECOND / result.seconds * 100
    clearInterval(rssSampler)
    for (const lane of lanes) lane.close()
    alive = false
    monitorReports.push(await monitor.stop())
    keeper.destroy()
    result.connections = counters.connections
    result.connectFailures = counters.connectFailures

    const slow = monitorReports.flatMap((report) => report.slow).sort((a, b) => b.ms - a.ms).slice(0, 5)
    result.stall = {
      pings: monitorReports.reduce((sum, report) => sum + report.pings, 0),
      maxMs: Math.max(0, ...monitorReports.map((report) => report.maxMs)),
      p99Ms: Math.max(0, ...monitorReports.map((report) => report.p99Ms)),
      overOneSecond: monitorReports.reduce((sum, report) => sum + report.overOneSecond, 0),
      health: {
        requests: monitorReports.reduce((sum, report) => sum + report.health.requests, 0),
        maxMs: Math.max(0, ...monitorReports.map((report) => report.health.maxMs)),
        failures: monitorReports.reduce((sum, report) => sum + report.health.failures, 0),
      },
      worst: slow.map((stall) => ({
        ms: stall.ms,
        suspects: recent.filter((entry) => entry.at <= stall.at + 50 && entry.at >= stall.at - 1_500).map((entry) => entry.what).slice(-6),
      })),
    }

    // The stored documents, as a fresh server loads them.
    await stopChild(server.child)
    outputs.push(server.output())
    server = await spawn()
    admin = deviceAt(admin, server.url)
    const expected = documentHash(replica)
    for (const conference of conferences) {
      const [hash, difference] = await readDocument(admin, server.syncUrl, conference.id, (doc) => [documentHash(doc), conference.id === target.id ? describeDifference(replica, doc) : ''] as const)
      result.documents.checked++
      const should = conference.id === target.id ? expected : before.get(conference.id)
      if (hash !== should) {
        result.documents.changed.push(conference.title)
        if (difference) log(`${conference.title}: ${difference}`)
      }
    }
    await stopChild(server.child)
    outputs.push(server.output())
    for (const line of logLines(outputs.join('\n'))) {
      if (line.level !== 'error') continue
      if (result.serverErrorLines[line.event] === undefined) result.serverErrorExamples.push(JSON.stringify(line))
      result.serverErrorLines[line.event] = (result.serverErrorLines[line.event] ?? 0) + 1
    }
    replica.destroy()
    return result
  } finally {
    for (const cleanUp of leftovers) cleanUp()
    await stopChild(server.child, 5_000)
    removeBenchDir(dataDir)
  }
}
