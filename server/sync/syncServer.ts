import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, SYNC_PATH } from '../../shared/protocol'
import type { ConferenceRooms } from '../documents/rooms'
import type { Storage } from '../storage/types'
import { errorMessage, type Logger } from '../log'
import { SyncConnection } from './connection'

const HEARTBEAT_MS = 30_000

export interface SyncServer {
  /** Refuses new connections and closes open ones with "going away"; rooms are stored by their owner. */
  close(): void
  /** Drops whatever sockets are still open (after close, once everything is stored). */
  terminate(): void
}

/**
 * The websocket endpoint: `GET /sync/<conferenceId>` upgraded on the same HTTP server as the
 * API. It checks the request before any sync message is exchanged; the conference must exist.
 */
export function attachSyncServer(
  httpServer: Server,
  dependencies: { storage: Storage; rooms: ConferenceRooms; log: Logger },
): SyncServer {
  const { storage, rooms, log } = dependencies
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  let closing = false

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
    sockets.handleUpgrade(request, socket, head, (ws) => {
      accept(ws, url).catch((error: unknown) => {
        log.error('sync.accept-failed', { error: errorMessage(error) })
        ws.close(CloseCode.internalError, 'server error')
      })
    })
  }

  const accept = async (ws: WebSocket, url: URL): Promise<void> => {
    const conferenceId = safeDecode(url.pathname.slice(SYNC_PATH.length + 1))
    // Listeners go on at once so no frame is missed while we look the conference up.
    const connection = new SyncConnection(ws, conferenceId ?? '', log)
    if (closing) {
      connection.close(CloseCode.goingAway, 'server restarting')
      return
    }
    const version = url.searchParams.get('v')
    if (version !== null && version !== String(PROTOCOL_VERSION)) {
      connection.close(CloseCode.protocolMismatch, 'please reload the page')
      return
    }
    const conference = conferenceId === null ? undefined : await storage.conferences.get(conferenceId)
    if (!conference) {
      log.info('sync.conference-not-found', {})
      connection.close(CloseCode.conferenceNotFound, 'no such conference')
      return
    }
    await connection.start(rooms)
  }

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
  }, HEARTBEAT_MS)
  heartbeat.unref()

  httpServer.on('upgrade', onUpgrade)
  return {
    close() {
      closing = true
      clearInterval(heartbeat)
      httpServer.off('upgrade', onUpgrade)
      for (const ws of sockets.clients) ws.close(CloseCode.goingAway, 'server restarting')
      sockets.close()
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
