import { vi } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { conferenceRecord } from '../../shared/conference'
import * as encoding from 'lib0/encoding'
import { MessageType, PROTOCOL_VERSION } from '../../shared/protocol'
import { SaveTracker } from '../../client/sync/saveTracker'
import { withOurPresence } from '../../client/sync/syncProvider'
import { typeCharacter } from './typing'
import { authorIdIn, inviteAndJoin, type Device } from './devices'
import { createTestConference, type serverForEachTest, type TestServer } from './server'
import type { ConferenceSummary } from '../../server/storage/types'

export { typeCharacter }

// Each y-websocket provider in Node listens for the process's exit (to clear its awareness), and
// a test may hold more than Node's 10 at once (they are removed on destroy: not a leak).
process.setMaxListeners(Math.max(process.getMaxListeners(), 100))

/** A real y-websocket client in Node, as a participant's device would be. */
export interface Participant {
  doc: Y.Doc
  provider: WebsocketProvider
  tracker: SaveTracker
  record: ReturnType<typeof conferenceRecord>
  /**
   * The author id the server knows this person by (their participant id): the entries they add
   * and the changes they stamp must carry it. Known once `synced()` resolved.
   */
  readonly authorId: string
  /** Waits until the first sync with the server completed and the author id is known. */
  synced(): Promise<void>
  /** Waits until every local change is confirmed on the server's disk. */
  saved(): Promise<void>
  destroy(): void
}

export function syncUrlOf(device: Device): string {
  return `${device.baseUrl.replace(/^http/, 'ws')}/sync`
}

/** A websocket that sends this device's cookie and a SafetyMap page's Origin, as a browser would. */
export function websocketFor(device: Device): typeof globalThis.WebSocket {
  class DeviceWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { origin: device.baseUrl, headers: device.cookie ? { cookie: device.cookie } : {} })
    }
  }
  return DeviceWebSocket as unknown as typeof globalThis.WebSocket
}

export function connectParticipant(
  device: Device,
  conferenceId: string,
  /** `authorId`: when the test knows it, so that nothing is asked of the server (it audits every view of the record). */
  options: { name?: string; stock?: boolean; authorId?: string } = {},
): Participant {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(syncUrlOf(device), conferenceId, doc, {
    WebSocketPolyfill: websocketFor(device),
    // A stock client sends no protocol version; ours does.
    params: options.stock ? {} : { v: String(PROTOCOL_VERSION) },
    disableBc: true,
    maxBackoffTime: 500,
  })
  // Ours sends its own presence only; a stock client sends back everyone's.
  if (!options.stock) withOurPresence(provider)
  provider.awareness.setLocalStateField('user', { name: options.name ?? 'Test participant', color: '#225588' })
  const tracker = new SaveTracker(doc, provider)
  let authorId = options.authorId ?? null
  // A device that may not see the conference has no author id: its tests never write.
  const knowAuthorId = async (): Promise<void> => {
    if (authorId === null) authorId = await authorIdIn(device, conferenceId).catch(() => null)
  }
  return {
    doc,
    provider,
    tracker,
    record: conferenceRecord(doc),
    get authorId() {
      if (authorId === null) throw new Error('the author id is known once synced() resolved, and only for someone in the conference')
      return authorId
    },
    synced: async () => {
      await waitUntil(() => provider.synced, 'participant synced')
      await knowAuthorId()
    },
    saved: () => waitUntil(() => tracker.status.state === 'saved', 'all changes saved'),
    destroy() {
      tracker.destroy()
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Polls a condition (never a fixed sleep). */
export async function waitUntil(condition: () => boolean, what: string, timeout = 15_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error(`timed out waiting for: ${what}`)
    },
    { timeout, interval: 10 },
  )
}

/** Types `text` into a rich-text field one character per transaction, like a person typing. */
export function typeInto(fragment: Y.XmlFragment, text: string): void {
  for (const character of text) typeCharacter(fragment, character)
}


/** A raw websocket to a conference, for sending frames no real client would send. */
export interface RawSocket {
  socket: WebSocket
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  received: Uint8Array[]
}

/** A sync frame carrying `update` (sync step 2), as a faulty or hostile client could send one over a raw socket. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** `path` follows /sync, e.g. `/<conferenceId>?v=1`. `origin` overrides the page's origin; null sends none. */
export function openRawSocket(device: Device, path: string, options: { origin?: string | null } = {}): RawSocket {
  const socket = new WebSocket(`${syncUrlOf(device)}${path}`, {
    ...(options.origin === null ? {} : { origin: options.origin ?? device.baseUrl }),
    headers: device.cookie ? { cookie: device.cookie } : {},
  })
  const received: Uint8Array[] = []
  socket.on('message', (data: Buffer) => { received.push(new Uint8Array(data)) })
  socket.on('error', () => undefined)
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => { resolve() })
    socket.once('unexpected-response', (_request, response) => { reject(new Error(`upgrade refused: ${response.statusCode}`)) })
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => { resolve({ code, reason: reason.toString() }) })
  })
  return { socket, opened, closed, received }
}

/**
 * A fresh server and conference, with its chair (the administrator) and Mum (a parent) both
 * connected and synced: how most record-level tests begin.
 */
export async function chairAndMumConnected(
  servers: ReturnType<typeof serverForEachTest>,
  conferenceOptions?: Parameters<typeof createTestConference>[1],
): Promise<{ server: TestServer; conference: ConferenceSummary; mumDevice: Awaited<ReturnType<typeof inviteAndJoin>>; chair: Participant; mum: Participant }> {
  const server = await servers.start()
  const conference = await createTestConference(server.admin, conferenceOptions)
  const mumDevice = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
  const chair = servers.track(connectParticipant(server.admin, conference.id))
  const mum = servers.track(connectParticipant(mumDevice, conference.id, { authorId: mumDevice.participantId }))
  await Promise.all([chair.synced(), mum.synced()])
  return { server, conference, mumDevice, chair, mum }
}
