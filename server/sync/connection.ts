import type { RawData, WebSocket } from 'ws'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { CloseCode, MessageType } from '../../shared/protocol'
import type { ConferenceRoom, RoomPeer } from '../documents/room'
import { ReadOnlyChange, RecordBeingClosed, RecordIsFinal, UpdateFailed, UpdateRefused } from '../documents/room'
import { ServerShuttingDown, type ConferenceRooms } from '../documents/rooms'
import { NewerSchemaVersionError } from '../../shared/conference/errors'
import { isStorageError } from '../storage/errors'
import { errorMessage, type Logger } from '../log'
import type { AwarenessUser } from './awarenessFilter'
import type { ConferenceDocument } from '../../shared/conference/documents'
import type { Role } from '../../shared/roles'
import type { Writer } from '../documents/entryOwnership'

/** A message broke the protocol: close this connection (and only this one) with `closeCode`. */
class ProtocolViolation extends Error {
  constructor(
    readonly closeCode: number,
    /** A fixed description, safe to log. */
    readonly kind: string,
  ) {
    super(kind)
  }
}

/**
 * A socket whose peer reads slower than the room writes is dropped rather than buffered
 * without bound; its client reconnects and catches up through sync.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024

/**
 * Frames taken in before the conference is ready. The socket is not read meanwhile (see the
 * constructor), so these are only what had arrived with the upgrade: an honest client's first
 * frames. More than this, before we have said anything, is a flood.
 */
const MAX_PENDING_FRAMES = 64

/**
 * Bytes of updates held while the client's catch-up (its sync step 2) is on its way; beyond this,
 * an update that depends on what has not arrived is refused as usual (4500: the client resyncs).
 */
const MAX_HELD_BYTES = 1024 * 1024

/** How long held updates wait for the step 2: an honest client sends it one round trip after our step 1. */
const CATCH_UP_WAIT_MS = 5_000

function asBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

/** Who is at the other end, from their session: set before the connection joins its room. */
export interface ConnectionIdentity {
  participantId: string
  role: Role
  sessionId: string
  /** False for read-only roles: their document updates are dropped, never applied. */
  canEdit: boolean
  /** What an editor may write: an update touching anything else is refused (writableRootsFor). */
  writableRoots: ReadonlySet<string>
  /** What everyone else sees of them (awareness `user`), whatever their client claims. */
  user: AwarenessUser
  /** Called on every frame: a person following the meeting is not idle. */
  onActivity: () => void
}

/**
 * One person's websocket into one conference: reads y-websocket frames, hands document work to
 * the room, and closes with a named code (one log line) when a frame is malformed.
 */
export class SyncConnection implements RoomPeer {
  readonly awarenessOwner: { clientId: number | null } = { clientId: null }
  identity: ConnectionIdentity | null = null
  private room: ConferenceRoom | null = null
  /** Frames that arrive while the conference loads; handled in order once it is ready. */
  private pending: Uint8Array[] = []
  private closed = false
  /**
   * Until the client's sync step 2 arrives, it may send keystrokes that build on changes it made
   * offline, which that step 2 carries: y-websocket sends each change the moment the socket
   * opens, but its step 2 only once it has heard our step 1. Refusing them would close the line
   * (4500) and start again, keystroke after keystroke, for as long as the person types. They wait
   * here for the step 2 instead, and so do the "saved?" questions asked after them.
   */
  private caughtUp = false
  /** The client opened the sync with its step 1, as y-websocket does: its step 2 will follow ours. */
  private sentStep1 = false
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null
  private held: Uint8Array[] = []
  private heldBytes = 0
  private heldQuestions: number[] = []

  constructor(
    private readonly socket: WebSocket,
    private readonly conferenceId: string,
    private readonly document: ConferenceDocument,
    private readonly log: Logger,
    /** Called before each send: the transport may gather frames into one write (WriteBatcher). */
    private readonly holdWrites: () => void = () => undefined,
  ) {
    // Without an error listener a socket error (e.g. a frame over maxPayload) is thrown.
    socket.on('error', (error) => {
      this.log.warn('sync.socket-error', { conferenceId, error: error.message })
    })
    socket.on('message', (data, isBinary) => { this.receive(data, isBinary) })
    socket.on('close', () => { this.onSocketClosed() })
    // Nothing is read until the conference is loaded and the person known: a fast typist's frames
    // wait in TCP buffers, which push back on the client, not in our memory, however long a
    // load takes. Reading before then would mean choosing between refusing honest frames and
    // holding any number of them.
    socket.pause()
  }

  identify(identity: ConnectionIdentity): void {
    this.identity = identity
  }

  get awarenessUser(): AwarenessUser | null {
    return this.identity?.user ?? null
  }

  get writableRoots(): ReadonlySet<string> {
    return this.identity?.writableRoots ?? new Set()
  }

  get writer(): Writer | null {
    return this.identity ? { authorId: this.identity.participantId, role: this.identity.role } : null
  }

  /** Joins the room (loading the conference first) and handles frames that arrived meanwhile. */
  async start(rooms: ConferenceRooms): Promise<void> {
    let room: ConferenceRoom
    try {
      room = await rooms.join(this.conferenceId, this, this.document)
    } catch (error) {
      const code = joinFailureCode(error)
      if (code === CloseCode.goingAway) this.close(code, 'server restarting')
      else {
        this.log.error('sync.join-failed', { conferenceId: this.conferenceId, closeCode: code, error: errorMessage(error) })
        this.close(code, 'could not open conference')
      }
      return
    }
    this.room = room
    // The socket may have closed while the conference loaded.
    if (this.isClosed()) {
      room.leave(this)
      return
    }
    const waiting = this.pending
    this.pending = []
    for (const message of waiting) {
      if (this.closed) break
      this.handle(room, message)
    }
    if (!this.closed) this.socket.resume()
  }

  private isClosed(): boolean {
    return this.closed
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn('sync.slow-reader', { conferenceId: this.conferenceId, buffered: this.socket.bufferedAmount })
      this.close(CloseCode.internalError, 'connection too slow')
      return
    }
    this.holdWrites()
    this.socket.send(message)
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    // The closing handshake needs the client's close frame read.
    this.socket.resume()
    this.socket.close(code, reason)
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return
    if (!isBinary) {
      this.refuse(new ProtocolViolation(CloseCode.malformedMessage, 'text frame'))
      return
    }
    const message = asBytes(data)
    this.identity?.onActivity()
    if (this.room) {
      this.handle(this.room, message)
      return
    }
    // An honest client sends a few frames before it hears from us; a flood is not honest.
    if (this.pending.length >= MAX_PENDING_FRAMES) {
      this.refuse(new ProtocolViolation(CloseCode.malformedMessage, 'too many frames before sync'))
      return
    }
    this.pending.push(message)
  }

  private handle(room: ConferenceRoom, message: Uint8Array): void {
    try {
      this.dispatch(room, message)
    } catch (error) {
      this.refuse(error)
    }
  }

  /** Reads the whole frame first: a frame with trailing bytes is refused before anything in it is acted on. */
  private dispatch(room: ConferenceRoom, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message)
    const messageType = decoding.readVarUint(decoder)
    switch (messageType) {
      case MessageType.sync:
        this.handleSync(room, decoder)
        break
      case MessageType.awareness: {
        const update = decoding.readVarUint8Array(decoder)
        requireEnd(decoder)
        room.applyPeerAwareness(this, update)
        break
      }
      case MessageType.queryAwareness:
        requireEnd(decoder)
        this.send(room.awarenessOfEveryone())
        break
      case MessageType.saved: {
        const seq = decoding.readVarUint(decoder)
        requireEnd(decoder)
        // Not saved while updates sent before the question still wait for the catch-up.
        if (this.held.length > 0) this.heldQuestions.push(seq)
        else this.answerSaved(room, seq)
        break
      }
      default:
        throw new ProtocolViolation(CloseCode.malformedMessage, 'unknown message type')
    }
  }

  private handleSync(room: ConferenceRoom, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder)
    switch (syncType) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = decoding.readVarUint8Array(decoder)
        requireEnd(decoder)
        this.sentStep1 = true
        room.answerStateVector(this, stateVector)
        break
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder)
        requireEnd(decoder)
        if (this.identity?.canEdit === false) room.refuseAnythingNew(update, ReadOnlyChange)
        else this.applyUpdate(room, update)
        if (syncType === syncProtocol.messageYjsSyncStep2) this.catchUp(room)
        break
      }
      default:
        throw new ProtocolViolation(CloseCode.malformedMessage, 'unknown sync message')
    }
  }

  /** Applies a client's update, or holds it for the catch-up when it builds on what that will bring. */
  private applyUpdate(room: ConferenceRoom, update: Uint8Array): void {
    try {
      room.applyPeerUpdate(this, update)
    } catch (error) {
      const waitsForCatchUp = this.sentStep1 && !this.caughtUp && error instanceof UpdateRefused && error.rejection === 'missing-dependency'
      if (!waitsForCatchUp || this.heldBytes + update.length > MAX_HELD_BYTES) throw error
      this.held.push(update)
      this.heldBytes += update.length
      // A client that never catches up is refused as it would have been at once.
      this.catchUpTimer ??= setTimeout(() => { this.refuse(error) }, CATCH_UP_WAIT_MS)
    }
  }

  /** The client's step 2 is in: what waited for it goes in now, in order (refused now if still missing something). */
  private catchUp(room: ConferenceRoom): void {
    if (this.caughtUp) return
    this.caughtUp = true
    this.stopWaitingForCatchUp()
    const held = this.held
    this.held = []
    this.heldBytes = 0
    for (const update of held) room.applyPeerUpdate(this, update)
    for (const seq of this.heldQuestions.splice(0)) this.answerSaved(room, seq)
  }

  private stopWaitingForCatchUp(): void {
    if (this.catchUpTimer !== null) clearTimeout(this.catchUpTimer)
    this.catchUpTimer = null
  }

  private answerSaved(room: ConferenceRoom, seq: number): void {
    room.saved().then(
      () => { this.send(savedAnswer(seq)) },
      () => { /* the room failed and closed this connection: the client keeps its changes */ },
    )
  }

  /**
   * Closes this connection for a bad frame: one log line, others unaffected. The line names the
   * kind of problem only: parser messages can quote the frame, and frames hold people's words.
   */
  private refuse(error: unknown): void {
    if (error instanceof UpdateFailed) {
      // Passed every check and still broke Yjs: a gap in the guard worth an error line.
      this.log.error('sync.update-failed', { conferenceId: this.conferenceId, closeCode: CloseCode.updateRejected })
      this.close(CloseCode.updateRejected, 'update refused')
      return
    }
    if (error instanceof RecordBeingClosed) {
      this.close(CloseCode.recordClosing, 'the record is being closed')
      return
    }
    if (error instanceof RecordIsFinal) {
      this.close(CloseCode.recordFinal, 'the record is final')
      return
    }
    if (error instanceof ReadOnlyChange) {
      this.close(CloseCode.readOnly, 'this role cannot change the record')
      return
    }
    const [code, reason] =
      error instanceof ProtocolViolation ? [error.closeCode, error.kind]
      : error instanceof UpdateRefused ? [error.rejection === 'missing-dependency' ? CloseCode.resyncNeeded : CloseCode.updateRejected, error.rejection]
      : [CloseCode.malformedMessage, 'unreadable']
    this.log.warn('sync.message-refused', { conferenceId: this.conferenceId, closeCode: code, reason })
    this.close(code, code === CloseCode.malformedMessage ? 'malformed message' : 'update refused')
  }

  private onSocketClosed(): void {
    this.closed = true
    this.pending = []
    // Never applied, never said to be saved: the client sends them again with its next sync.
    this.stopWaitingForCatchUp()
    this.held = []
    this.heldQuestions = []
    this.room?.leave(this)
  }
}

/** Permanent problems with the stored record must not make every client retry for ever. */
function joinFailureCode(error: unknown): number {
  if (error instanceof ServerShuttingDown) return CloseCode.goingAway
  if (error instanceof NewerSchemaVersionError || isStorageError(error, 'corrupt') || isStorageError(error, 'unsupported-version')) {
    return CloseCode.recordUnavailable
  }
  if (isStorageError(error, 'conference-not-found')) return CloseCode.conferenceNotFound
  return CloseCode.internalError
}

function requireEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new ProtocolViolation(CloseCode.malformedMessage, 'trailing bytes')
}

function savedAnswer(seq: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.saved)
  encoding.writeVarUint(encoder, seq)
  return encoding.toUint8Array(encoder)
}
