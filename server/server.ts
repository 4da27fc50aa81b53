import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createApp } from './app'
import { AccessControl } from './auth/accessControl'
import { serverKey } from './auth/secrets'
import { AuditLog } from './audit/auditLog'
import { ConferenceRooms } from './documents/rooms'
import { ScoringRounds } from './documents/scoring'
import { openEmbeddedStorage } from './storage/embedded'
import type { Storage } from './storage/types'
import { attachSyncServer } from './sync/syncServer'
import { NO_TRUSTED_PROXY, type TrustedProxies } from './http/auth'
import type { Logger } from './log'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS, holidaysRunningOut, localDate } from '../shared/timescales'
import { FEEDBACK_KEY_FILE, upgradeFeedbackMarks } from './programmes/feedback'
import type { ServiceAreaPlaces } from './programmes/places'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const defaultClientDir = path.join(projectRoot, 'dist', 'client')

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string
  port: number
  storage: Storage
  rooms: ConferenceRooms
  access: AccessControl
  /** Graceful stop: refuse new work, close sockets, store every open conference, close storage. */
  stop(): Promise<void>
}

export interface StartOptions {
  port: number
  host: string
  dataDir: string
  log: Logger
  clientDir?: string
  /** See ServerConfig.allowedOrigins; empty by default. */
  allowedOrigins?: readonly string[]
  /** See ServerConfig.trustProxy; none by default. */
  trustProxy?: TrustedProxies
  /** API requests per address per minute (tests that hammer the API raise it). */
  apiRequestsPerMinute?: number
  /** The clock for session and invitation expiry (tests move it forward). */
  now?: () => number
  /** Websocket heartbeat period (default 30 s; tests shorten it). */
  heartbeatMs?: number
  /** Public holidays for working-day timescales (ServerConfig.publicHolidays). */
  publicHolidays?: readonly string[]
  /** CSC service areas and their Parent Partner places (ServerConfig.parentPartnerPlaces). */
  parentPartnerPlaces?: readonly ServiceAreaPlaces[]
  /** The time zone the documents give times in (ServerConfig.timeZone). */
  timeZone?: string
}

/** The audit trail's file in the data directory. */
export const AUDIT_FILE = 'audit.log'

/** Said at start, while there is a year to put it right: past the list's end, timescales would skip no holiday. */
function warnIfHolidaysRunOut(publicHolidays: readonly string[], today: string, log: Logger): void {
  const runningOut = holidaysRunningOut(publicHolidays, today)
  if (!runningOut) return
  const { lastYear, ended } = runningOut
  log.warn('config.public-holidays-running-out', {
    lastYear,
    ended,
    message: `The public holidays in use ${ended ? 'stopped' : 'stop'} at the end of ${String(lastYear)}${ended ? '' : ', within the next 12 months'}: working-day dates after that do not skip public holidays. Set PUBLIC_HOLIDAYS to a list that has the years after it.`,
  })
}

/** One process, one port: the HTTP API, the client and the websocket sync. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { log } = options
  warnIfHolidaysRunOut(options.publicHolidays ?? ENGLAND_AND_WALES_BANK_HOLIDAYS, localDate(new Date((options.now ?? Date.now)())), log)
  const storage = await openEmbeddedStorage(options.dataDir, { log })
  const audit = await AuditLog.open(path.join(options.dataDir, AUDIT_FILE), { log })
  const access = new AccessControl(storage, audit, log, options.now)
  const rooms = new ConferenceRooms(storage, log)
  const scoring = new ScoringRounds(storage, rooms, access, options.now)
  const feedbackKey = await serverKey(path.join(options.dataDir, FEEDBACK_KEY_FILE))
  await upgradeFeedbackMarks(storage, feedbackKey)
  const allowedOrigins = options.allowedOrigins ?? []
  const trustProxy = options.trustProxy ?? NO_TRUSTED_PROXY
  const app = createApp({
    storage,
    feedbackKey,
    rooms,
    access,
    scoring,
    audit,
    log,
    clientDir: options.clientDir ?? defaultClientDir,
    allowedOrigins,
    trustProxy,
    ...(options.apiRequestsPerMinute ? { apiRequestsPerMinute: options.apiRequestsPerMinute } : {}),
    ...(options.publicHolidays ? { publicHolidays: options.publicHolidays } : {}),
    ...(options.parentPartnerPlaces ? { parentPartnerPlaces: options.parentPartnerPlaces } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
  const httpServer = http.createServer(app)
  const sync = attachSyncServer(httpServer, { storage, rooms, access, allowedOrigins, trustProxy, log, ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}) })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject)
      resolve()
    })
  })
  const { port } = httpServer.address() as AddressInfo
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host

  let stopping: Promise<void> | null = null
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      sync.close()
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => { resolve() }))
      httpServer.closeIdleConnections()
      await rooms.shutdown()
      // Everything is stored: nothing is gained by waiting for keep-alive connections or for
      // peers slow to finish the websocket closing handshake. Their leaves go into the audit
      // trail before it closes.
      sync.terminate()
      await sync.settled()
      await storage.close()
      await audit.close()
      httpServer.closeAllConnections()
      await httpClosed
    })()
    return stopping
  }

  return { url: `http://${displayHost}:${port}`, port, storage, rooms, access, stop }
}
