/**
 * The load generator, run by tests/bench/run.ts as its own process (`node --import tsx`), so
 * the server under test and the clients never share an event loop. It drives M rooms of N real
 * y-websocket clients, measures on one clock (sender and receivers live here), and sends its
 * figures back over IPC. It stops by itself: every phase has a deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import WebSocket, { type RawData } from 'ws'
import * as Y from 'yjs'
import { typeCharacter } from '../helpers/typing'
import { WebsocketProvider } from 'y-websocket'
import { conferenceRecord, type ConferenceRecord } from '../../shared/conference'
import { MessageType, PROTOCOL_VERSION } from '../../shared/protocol'
import { SaveTracker } from '../../client/sync/saveTracker'
import { withOurPresence } from '../../client/sync/syncProvider'
import { EVENT_LOOP_RESOLUTION_MS, hasType, loopDelayMs, summarize, type GeneratorConfig, type GeneratorMessage, type GeneratorResult, type RunnerMessage, type WireCount } from './types'

const NOTE_TAKER_INTERVAL_MS = 125 // ~8 characters per second
const SETTLE_MS = 1_000
const CONNECT_TIMEOUT_MS = 60_000
const GRACE_MS = 10_000
/** The delay histogram's samples include its own timer interval: subtracted below. */
const FINISH_TIMEOUT_MS = 120_000
const SENTENCE = 'Dad said he will not drink before collecting the children from school. Nan can step in on Fridays. '

// ---------------------------------------------------------------------------------------------
// Wire counting: a ws subclass handed to y-websocket as its WebSocket, so every frame is seen.

const wire = { sent: { messages: 0, bytes: 0 }, received: { messages: 0, bytes: 0 } }

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.byteLength, 0)
  return data.byteLength
}

function sendLength(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data)
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength
  return 0
}

type SendData = Parameters<WebSocket['send']>[0]
type SendOptions = Parameters<WebSocket['send']>[1]
type SendCallback = (error?: Error) => void

/** Set from the config before the first connection opens. */
let device: GeneratorConfig['device']

class CountingSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols, device ? { origin: device.origin, headers: { cookie: device.cookie } } : {})
    this.on('message', (data: RawData) => {
      wire.received.messages++
      wire.received.bytes += rawLength(data)
    })
  }

  override send(data: SendData, cb?: SendCallback): void
  override send(data: SendData, options: SendOptions, cb?: SendCallback): void
  override send(data: SendData, options?: SendOptions | SendCallback, cb?: SendCallback): void {
    wire.sent.messages++
    wire.sent.bytes += sendLength(data)
    if (typeof options === 'object') super.send(data, options, cb)
    else super.send(data, options)
  }
}

const countingPolyfill = CountingSocket as unknown as typeof globalThis.WebSocket

function snapshotWire(): { sent: WireCount; received: WireCount } {
  return { sent: { ...wire.sent }, received: { ...wire.received } }
}

// ---------------------------------------------------------------------------------------------
// Participants and rooms

type Role = 'note-taker' | 'editor' | 'listener'

interface BenchParticipant {
  role: Role
  authorId: string
  doc: Y.Doc
  provider: WebsocketProvider
  record: ConferenceRecord
  tracker: SaveTracker | null
  /** Local change number (SaveTracker's count) → when it was made. */
  changedAt: Map<number, number>
  confirmedSeen: number
  /** Receivers: the note-taker's text once it has arrived, and how much of it has been timed. */
  noteText: Y.XmlText | null
  seen: number
  ownFragment: Y.XmlFragment | null
}

interface BenchRoom {
  name: string
  participants: BenchParticipant[]
  noteEntryId: string | null
  /** Keystroke index → when the note-taker typed it. */
  sentAt: number[]
}

const latencySamples: number[] = []
const savedSamples: number[] = []
const firstSyncSamples: number[] = []
let unexpectedCloses = 0
let destroying = false
const timers = new Set<NodeJS.Timeout>()

function later(ms: number, run: () => void): void {
  const timer = setTimeout(() => {
    timers.delete(timer)
    run()
  }, ms)
  timers.add(timer)
}

function clearTimers(): void {
  for (const timer of timers) clearTimeout(timer)
  timers.clear()
}


/** Polls until `done()` or the deadline; true when done (bounded: never waits forever). */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!done()) {
    if (performance.now() > deadline) return false
    await sleep(20)
  }
  return true
}


/** Remembers when the local change just made happened, to time its saved acknowledgement. */
function noteLocalChange(participant: BenchParticipant, at: number): void {
  if (participant.tracker) participant.changedAt.set(participant.tracker.changes.made, at)
}

function findNoteText(room: BenchRoom, participant: BenchParticipant): Y.XmlText | null {
  if (room.noteEntryId === null) return null
  const entry = participant.record.map.section('pastHarm').get(room.noteEntryId)
  if (!entry?.hasRichText('text')) return null
  const paragraph = entry.richText('text').get(0)
  if (!(paragraph instanceof Y.XmlElement)) return null
  const text = paragraph.get(0)
  return text instanceof Y.XmlText ? text : null
}

function createParticipant(config: GeneratorConfig, room: BenchRoom, index: number): BenchParticipant {
  const role: Role = index === 0 ? 'note-taker' : index <= 2 ? 'editor' : 'listener'
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(config.syncUrl, room.name, doc, {
    WebSocketPolyfill: countingPolyfill,
    // The stock server ignores the query string; ours checks the protocol version.
    params: config.server === 'ours' ? { v: String(PROTOCOL_VERSION) } : {},
    disableBc: true,
    maxBackoffTime: 2_000,
  })
  if (!config.echoPresence) withOurPresence(provider)
  const participant: BenchParticipant = {
    role,
    authorId: config.device?.authorIds[room.name] ?? `bench-${room.name.slice(0, 8)}-${index}`,
    doc,
    provider,
    record: conferenceRecord(doc),
    // The stock server has no saved acknowledgement: no tracker, so no extra messages either.
    tracker: config.server === 'ours' ? new SaveTracker(doc, provider) : null,
    changedAt: new Map(),
    confirmedSeen: 0,
    noteText: null,
    seen: 0,
    ownFragment: null,
  }
  provider.awareness.setLocalStateField('user', { name: `Participant ${index + 1}`, color: '#225588' })

  const tracker = participant.tracker
  const answerSaved = provider.messageHandlers[MessageType.saved]
  if (tracker && answerSaved) {
    // Wrapped after SaveTracker installed it (as tests/integration/crash.test.ts does).
    provider.messageHandlers[MessageType.saved] = (...args) => {
      answerSaved(...args)
      const now = performance.now()
      const confirmed = tracker.changes.confirmed
      for (let version = participant.confirmedSeen + 1; version <= confirmed; version++) {
        const at = participant.changedAt.get(version)
        if (at !== undefined) {
          savedSamples.push(now - at)
          participant.changedAt.delete(version)
        }
      }
      participant.confirmedSeen = Math.max(participant.confirmedSeen, confirmed)
    }
  }

  if (role !== 'note-taker') {
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider) return
      participant.noteText ??= findNoteText(room, participant)
      const text = participant.noteText
      if (!text) return
      const now = performance.now()
      for (; participant.seen < text.length; participant.seen++) {
        const sent = room.sentAt[participant.seen]
        if (sent !== undefined) latencySamples.push(now - sent)
      }
    })
  }
  provider.on('connection-close', () => {
    if (!destroying) unexpectedCloses++
  })
  return participant
}

function destroyParticipant(participant: BenchParticipant): void {
  participant.tracker?.destroy()
  participant.provider.destroy()
  participant.doc.destroy()
}

/** Opens every connection, at most `connectConcurrency` opening at once, and times each first sync. */
async function connectAll(config: GeneratorConfig, rooms: BenchRoom[]): Promise<void> {
  const queue: { room: BenchRoom; index: number }[] = []
  for (const room of rooms) for (let index = 0; index < config.participantsPerRoom; index++) queue.push({ room, index })
  const failures: Error[] = []
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next && failures.length === 0; next = queue.shift()) {
      const startedAt = performance.now()
      const participant = createParticipant(config, next.room, next.index)
      next.room.participants.push(participant)
      const synced = await waitFor(() => participant.provider.synced, CONNECT_TIMEOUT_MS)
      if (!synced) failures.push(new Error(`a participant of ${next.room.name} did not sync within ${CONNECT_TIMEOUT_MS} ms`))
      firstSyncSamples.push(performance.now() - startedAt)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, config.connectConcurrency) }, worker))
  const [failure] = failures
  if (failure) throw failure
}

// ---------------------------------------------------------------------------------------------
// Behaviour while typing

function startNoteTaker(room: BenchRoom, participant: BenchParticipant, until: number): void {
  const entry = participant.record.map.section('pastHarm').add(participant.authorId)
  noteLocalChange(participant, performance.now())
  room.noteEntryId = entry.id
  const fragment = entry.richText('text')
  let typed = 0
  const typeNext = (): void => {
    const now = performance.now()
    if (now >= until) return
    const character = SENTENCE[typed % SENTENCE.length] ?? ' '
    room.sentAt.push(now)
    typeCharacter(fragment, character)
    noteLocalChange(participant, now)
    typed++
    // Jittered around 125 ms, so rooms do not type in lock-step.
    later(NOTE_TAKER_INTERVAL_MS * (0.5 + Math.random()), typeNext)
  }
  later(Math.random() * NOTE_TAKER_INTERVAL_MS, typeNext)
}

/** Now and then: a short burst of typing into the editor's own entry in another section. */
function startEditor(participant: BenchParticipant, until: number): void {
  const burst = (): void => {
    if (performance.now() >= until) return
    if (!participant.ownFragment) {
      participant.ownFragment = participant.record.map.section('existingSafety').add(participant.authorId).richText('text')
      noteLocalChange(participant, performance.now())
    }
    const fragment = participant.ownFragment
    let left = 4 + Math.floor(Math.random() * 9)
    const typeNext = (): void => {
      const now = performance.now()
      if (now >= until || left <= 0) {
        later(3_000 + Math.random() * 6_000, burst)
        return
      }
      typeCharacter(fragment, 'x')
      noteLocalChange(participant, now)
      left--
      later(NOTE_TAKER_INTERVAL_MS, typeNext)
    }
    typeNext()
  }
  later(1_000 + Math.random() * 5_000, burst)
}

/** Everyone: a fake caret that moves every 1-4 s (awareness traffic as a real editor makes). */
function startCaret(participant: BenchParticipant, until: number): void {
  const move = (): void => {
    if (performance.now() >= until) return
    // Shaped as an editor's caret (two relative positions, as JSON), so the bytes are a real caret's.
    const at = { type: { client: participant.doc.clientID, clock: 0 }, tname: null, item: { client: participant.doc.clientID, clock: Math.floor(Math.random() * 500) }, assoc: 0 }
    participant.provider.awareness.setLocalStateField('cursor', { anchor: at, head: at })
    later(1_000 + Math.random() * 3_000, move)
  }
  later(Math.random() * 4_000, move)
}

// ---------------------------------------------------------------------------------------------

function send(message: GeneratorMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      resolve()
      return
    }
    process.send(message, undefined, {}, () => { resolve() })
  })
}

function nextRunnerMessage(type: RunnerMessage['type'], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage)
      reject(new Error(`no "${type}" from the runner within ${timeoutMs} ms`))
    }, timeoutMs)
    const onMessage = (message: unknown): void => {
      if (!hasType(message) || message.type !== type) return
      clearTimeout(timer)
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
  })
}

async function run(config: GeneratorConfig): Promise<GeneratorResult> {
  device = config.device
  const rooms: BenchRoom[] = config.rooms.map((name) => ({ name, participants: [], noteEntryId: null, sentAt: [] }))
  const connectStart = performance.now()
  await connectAll(config, rooms)
  const connectAllMs = performance.now() - connectStart
  // Listening before saying so: the runner answers as soon as every generator has connected.
  const go = nextRunnerMessage('go', FINISH_TIMEOUT_MS)
  void send({ type: 'connected' })
  await go
  await sleep(SETTLE_MS)

  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS })
  delay.enable()
  const eluStart = performance.eventLoopUtilization()
  const cpuStart = process.cpuUsage()
  const wireStart = snapshotWire()
  const typingStart = performance.now()
  const until = typingStart + config.typingMs
  for (const room of rooms) {
    room.participants.forEach((participant) => {
      if (participant.role === 'note-taker') startNoteTaker(room, participant, until)
      else if (participant.role === 'editor') startEditor(participant, until)
      startCaret(participant, until)
    })
  }
  void send({ type: 'typing-started' })
  await sleep(config.typingMs)
  await waitFor(() => timers.size === 0, 2_000)
  clearTimers()
  const seconds = (performance.now() - typingStart) / 1000
  const wireEnd = snapshotWire()
  const cpu = process.cpuUsage(cpuStart)
  const elu = performance.eventLoopUtilization(eluStart)
  delay.disable()
  void send({ type: 'typing-ended' })

  const receivers = config.participantsPerRoom - 1
  const keystrokesTyped = rooms.reduce((sum, room) => sum + room.sentAt.length, 0)
  const everyoneCaughtUp = (): boolean =>
    latencySamples.length >= keystrokesTyped * receivers &&
    rooms.every((room) => room.participants.every((participant) => !participant.tracker || participant.tracker.allSaved))
  await waitFor(everyoneCaughtUp, GRACE_MS)

  void send({ type: 'idle' })
  await nextRunnerMessage('finish', FINISH_TIMEOUT_MS)
  const savedUnconfirmed = rooms.reduce((sum, room) => sum + room.participants.reduce((each, participant) => each + participant.changedAt.size, 0), 0)
  destroying = true
  for (const room of rooms) for (const participant of room.participants) destroyParticipant(participant)

  const diff = (end: WireCount, start: WireCount): WireCount => ({ messages: end.messages - start.messages, bytes: end.bytes - start.bytes })
  return {
    participants: rooms.length * config.participantsPerRoom,
    firstSyncMs: summarize(firstSyncSamples),
    connectAllMs,
    keystrokesTyped,
    keystrokeLatencyMs: summarize(latencySamples),
    keystrokesMissing: Math.max(0, keystrokesTyped * receivers - latencySamples.length),
    savedAckMs: config.server === 'ours' ? summarize(savedSamples) : null,
    savedUnconfirmed: config.server === 'ours' ? savedUnconfirmed : 0,
    generator: {
      eventLoopDelayP50Ms: loopDelayMs(delay.percentile(50)),
      eventLoopDelayP99Ms: loopDelayMs(delay.percentile(99)),
      eventLoopDelayMaxMs: loopDelayMs(delay.max),
      eventLoopUtilization: elu.utilization,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
    },
    wire: { seconds, sent: diff(wireEnd.sent, wireStart.sent), received: diff(wireEnd.received, wireStart.received) },
    unexpectedCloses,
    samples: { firstSyncMs: firstSyncSamples, keystrokeLatencyMs: latencySamples, savedAckMs: config.server === 'ours' ? savedSamples : [] },
  }
}

function main(): void {
  // Each y-websocket provider in Node listens for the process's exit (to clear its awareness):
  // thousands of them here, by design, so Node's leak warning at 10 listeners does not apply.
  process.setMaxListeners(0)
  // Orphaned (runner gone): stop rather than load a server nobody measures.
  process.on('disconnect', () => { process.exit(2) })
  process.once('message', (message: unknown) => {
    if (!hasType(message) || message.type !== 'start' || !('config' in message)) {
      void send({ type: 'failed', error: 'expected a start message' }).then(() => process.exit(1))
      return
    }
    const { config } = message as Extract<RunnerMessage, { type: 'start' }>
    // Exit only once the last IPC message is handed over; sockets are closed by then.
    run(config).then(
      (result) => send({ type: 'result', result }).then(() => process.exit(0)),
      (error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.message : String(error) }).then(() => process.exit(1)),
    )
  })
}

main()
