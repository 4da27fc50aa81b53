import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, SYNC_PATH } from '../../shared/protocol'
import { can } from '../../shared/roles'
import { parseSyncRoomName, writableRootsFor } from '../../shared/conference/documents'
import type { AccessControl } from '../auth/accessControl'
import { actorOf } from '../auth/accessControl'
import type { ConferenceRooms } from '../documents/rooms'
import { originAllowed, readCookie, requestContext, SESSION_COOKIE, type TrustedProxies } from '../http/auth'
import type { Storage } from '../storage/types'
import { errorMessage, type Logger } from '../log'
import { SyncConnection } from './connection'
import { WriteBatcher } from './writeBatcher'
import { caretColor } from '../../shared/caretColors'

const HEARTBEAT_MS = 30_000

export interface SyncServer {
  /** Refuses new connections and closes open ones with "going away"; rooms are stored by their owner. */
  close(): void
  /** Drops whatever sockets are still open (after close, once everything is stored). */
  terminate(): void
  /**
   * Resolves once every connection has closed and its "leave" is in the audit trail (or after
   * `timeoutMs`): the server closes the audit log only after this.
   */
  settled(timeoutMs?: number): Promise<void>
}

export interface SyncDependencies {
  storage: Storage
  rooms: ConferenceRooms
  access: AccessControl
  allowedOrigins: readonly string[]
  trustProxy: TrustedProxies
  log: Logger
  /** How often peers are pinged (and dropped when they did not answer the last ping). */
  heartbeatMs?: number
}

/**
 * The websocket endpoint: `GET /sync/<conferenceId>` (the record) and
 * `GET /sync/<conferenceId>/professionals-only` (that section), upgraded on the same HTTP server as the
 * API. Before any sync message it checks the page's origin, the session cookie and that the
 * person is in the conference; access changes later close the connections they affect.
 */
export function attachSyncServer(httpServer: Server, dependencies: SyncDependencies): SyncServer {
  const { storage, rooms, access, allowedOrigins, trustProxy, log, heartbeatMs = HEARTBEAT_MS } = dependencies
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  let closing = false
  /** Open connections, to close them when access changes. */
  const connections = new Set<SyncConnection>()
  /** One per connection that joined, settled once it closed and its leave was recorded. */
  const unsettled = new Set<Promise<void>>()
  const writeBatcher = new WriteBatcher()

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => { log.warn('sync.upgrade-socket-error', { error: error.message }) })
    let url: URL
    try {
      url = new URL(request.url ?? '/', 'http://localhost')
    } catch {
      // e.g. `GET //[`: an unparsable target must not reach anything that throws.
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (!url.pathname.startsWith(`${SYNC_PATH}/`)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    // A page from another site must not even get a socket (cross-site websocket hijacking).
    if (!originAllowed(request, allowedOrigins)) {
      log.info('sync.origin-refused', {})
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      // With `noServer`, ws leaves emitting 'connection' to us; the heartbeat below counts on it.
      sockets.emit('connection', ws, request)
      accept(ws, request, url, () => { writeBatcher.hold(socket) }).catch((error: unknown) => {
        log.error('sync.accept-failed', { error: errorMessage(error) })
        // Paused until the room opens: the closing handshake needs the client's close frame read,
        // or the client waits for the close timeout (e.g. when its join could not be audited).
        ws.resume()
        ws.close(CloseCode.internalError, 'server error')
      })
    })
  }

  const accept = async (ws: WebSocket, request: IncomingMessage, url: URL, holdWrites: () => void): Promise<void> => {
    const roomName = safeDecode(url.pathname.slice(SYNC_PATH.length + 1))
    const target = roomName === null ? null : parseSyncRoomName(roomName)
    const conferenceId = target?.conferenceId ?? null
    const document = target?.document ?? 'record'
    // Listeners go on at once so no frame is missed while we look the conference up.
    const connection = new SyncConnection(ws, conferenceId ?? '', document, log, holdWrites)
    if (closing) {
      connection.close(CloseCode.goingAway, 'server restarting')
      return
    }
    const version = url.searchParams.get('v')
    if (version !== null && version !== String(PROTOCOL_VERSION)) {
      connection.close(CloseCode.protocolMismatch, 'please reload the page')
      return
    }
    const token = readCookie(request, SESSION_COOKIE)
    // Taken out of this conference while offline: told so, as they would have been online (4403,
    // and the device drops its copy). A family member's session stopped working with it; a
    // professional's goes on, for their other conferences.
    const takenOut = (): boolean => conferenceId !== null && access.takenOutOf(token, conferenceId)
    const who = await access.resolveSession(token)
    if (!who) {
      if (takenOut()) connection.close(CloseCode.forbidden, 'no longer in this conference')
      else connection.close(CloseCode.unauthorized, 'please sign in')
      return
    }
    const member = conferenceId === null ? undefined : access.memberOf(who, conferenceId)
    const conference = member && conferenceId !== null ? await storage.conferences.get(conferenceId) : undefined
    const needs = document === 'professionalsOnly' ? 'seeProfessionalsOnly' : 'seeRecord'
    if (!member && takenOut()) {
      connection.close(CloseCode.forbidden, 'no longer in this conference')
      return
    }
    // Not in it, not allowed this document, and not there at all all look the same from outside.
    if (!member?.can(needs) || !conference) {
      log.info('sync.conference-not-found', {})
      connection.close(CloseCode.conferenceNotFound, 'no such conference')
      return
    }
    const { participant } = member
    connection.identify({
      participantId: participant.id,
      role: participant.role,
      sessionId: who.session.id,
      canEdit: can(participant.role, 'editEntries'),
      writableRoots: writableRootsFor(document, (permission) => can(participant.role, permission)),
      user: { name: participant.name, role: participant.role, color: caretColor(participant.id), authorId: participant.id },
      onActivity: () => { access.touch(who.session.id) },
    })
    connections.add(connection)
    const context = requestContext(request, trustProxy)
    let closed!: () => void
    const leaving = new Promise<void>((resolve) => { closed = resolve })
    unsettled.add(leaving)
    // A leave only follows a join the audit trail has: one that could not be written has none.
    const joined = access.recordConnection('join', who, conference.id, document, context)
    ws.once('close', () => {
      connections.delete(connection)
      joined.then(
        () => access.recordConnection('leave', who, conference.id, document, context)
          .catch((error: unknown) => { log.error('audit.write-failed', { error: errorMessage(error) }) }),
        () => undefined,
      ).finally(() => {
        unsettled.delete(leaving)
        closed()
      })
    })
    await joined
    log.debug('sync.joined', { conferenceId: conference.id, actor: actorOf(who).kind })
    await connection.start(rooms)
  }

  const stopListening = access.listen({
    participantChanged: (participantId, stillIn) => {
      for (const connection of connections) {
        if (connection.identity?.participantId !== participantId) continue
        if (stillIn) connection.close(CloseCode.roleChanged, 'role changed')
        else connection.close(CloseCode.forbidden, 'no longer in this conference')
      }
    },
    sessionEnded: (sessionId) => {
      for (const connection of connections) {
        if (connection.identity?.sessionId === sessionId) connection.close(CloseCode.unauthorized, 'signed out')
      }
    },
  })

  // A peer that vanished without closing (a phone losing signal) would otherwise stay in its
  // room for ever: ping every 30 s, and drop whoever did not answer the last ping.
  const answered = new WeakSet<WebSocket>()
  sockets.on('connection', (ws) => {
    answered.add(ws)
    ws.on('pong', () => answered.add(ws))
  })
  const heartbeat = setInterval(() => {
    for (const ws of sockets.clients) {
      if (!answered.delete(ws)) ws.terminate()
      else ws.ping()
    }
    // Sessions reach their 12-hour limit while connected too.
    for (const connection of connections) {
      const sessionId = connection.identity?.sessionId
      if (sessionId === undefined) continue
      access.isSessionLive(sessionId).then(
        (live) => { if (!live) connection.close(CloseCode.unauthorized, 'session expired') },
        (error: unknown) => { log.error('sync.session-check-failed', { error: errorMessage(error) }) },
      )
    }
  }, heartbeatMs)
  heartbeat.unref()

  httpServer.on('upgrade', onUpgrade)
  return {
    close() {
      closing = true
      clearInterval(heartbeat)
      stopListening()
      httpServer.off('upgrade', onUpgrade)
      for (const ws of sockets.clients) ws.close(CloseCode.goingAway, 'server restarting')
      sockets.close()
    },
    async settled(timeoutMs = 5_000) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs) })
      await Promise.race([Promise.all(unsettled), timeout])
      clearTimeout(timer)
    },
    terminate() {
      for (const ws of sockets.clients) ws.terminate()
    },
  }
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}
