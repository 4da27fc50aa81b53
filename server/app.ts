import fs from 'node:fs'
import path from 'node:path'
import express, { type Express } from 'express'
import helmet from 'helmet'
import { rateLimit } from 'express-rate-limit'
import type { AccessControl } from './auth/accessControl'
import type { AuditLog } from './audit/auditLog'
import type { ConferenceRooms } from './documents/rooms'
import type { Storage } from './storage/types'
import type { Logger } from './log'
import { adminRoutes } from './http/admin'
import { amendmentRoutes } from './http/amendments'
import { conferenceDatesRoutes, dashboardRoutes, readDashboardRecord } from './http/dashboard'
import { workingCalendar } from '../shared/timescales'
import { identify, NO_TRUSTED_PROXY, sameOriginChanges, type TrustedProxies } from './http/auth'
import { caseRoutes } from './http/cases'
import { conferenceRoutes } from './http/conferences'
import { exportRoutes } from './http/exports'
import { DEFAULT_TIME_ZONE } from './config'
import { apiNotFound, errorHandler, HttpError } from './http/errors'
import { scoringRoutes } from './http/scores'
import { sessionRoutes } from './http/session'
import type { ScoringRounds } from './documents/scoring'
import { Cases, readScoringRounds } from './documents/cases'
import { conferenceProgrammeRoutes, programmeRoutes } from './http/programmes'
import { ParentFeedback } from './programmes/feedback'
import { Outcomes } from './programmes/outcomes'
import { readProgrammeRecord } from './programmes/recordFacts'
import { RecordReader } from './documents/recordReader'
import { ParentPartners } from './programmes/parentPartners'
import { PILOT_PLACES, type ServiceAreaPlaces } from './programmes/places'

export interface AppDependencies {
  storage: Storage
  /** Keys the marks of who gave feedback (server/programmes/feedback.ts). */
  feedbackKey: Uint8Array
  rooms: ConferenceRooms
  access: AccessControl
  scoring: ScoringRounds
  audit: AuditLog
  log: Logger
  /** The built client (dist/client); served with a fallback to index.html for client routes. */
  clientDir: string
  /** See ServerConfig.allowedOrigins. */
  allowedOrigins: readonly string[]
  /** See ServerConfig.trustProxy; none by default. */
  trustProxy?: TrustedProxies
  /** API requests per client address per minute (sign-in has its own, stricter throttle). */
  apiRequestsPerMinute?: number
  /** Public holidays for working-day timescales (ServerConfig.publicHolidays); England and Wales by default. */
  publicHolidays?: readonly string[]
  /** CSC service areas and their Parent Partner places (ServerConfig.parentPartnerPlaces); the pilot's by default. */
  parentPartnerPlaces?: readonly ServiceAreaPlaces[]
  /** The time zone the documents give times in (ServerConfig.timeZone); Europe/London by default. */
  timeZone?: string
  /** The clock for deadlines and the day feedback is given (tests set it). */
  now?: () => number
}

/** A parent's anonymous feedback on the meeting (server/http/programmes.ts). */
const PARENT_FEEDBACK = /^\/conferences\/[^/]+\/feedback$/

/** The HTTP app, without `listen`: tests drive it directly, server.ts puts it on a port. */
export function createApp({ storage, rooms, access, scoring, audit, log, clientDir, allowedOrigins, trustProxy = NO_TRUSTED_PROXY, apiRequestsPerMinute = 600, publicHolidays, parentPartnerPlaces = PILOT_PLACES, timeZone = DEFAULT_TIME_ZONE, now = Date.now, feedbackKey }: AppDependencies): Express {
  const app = express()
  app.disable('x-powered-by')
  // Client addresses (throttles, rate limits, the audit trail) and https (secure cookies) behind a proxy.
  app.set('trust proxy', trustProxy)
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Websockets to this same server only (CSP 'self' does not cover ws: in every browser).
          connectSrc: ["'self'", ...websocketOrigins(allowedOrigins)],
          // Tiptap and the collaboration carets set style attributes; no inline scripts anywhere.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // helmet's default would send phones on a plain-HTTP test network to https and break the page.
          upgradeInsecureRequests: null,
        },
      },
      // A record must not leak its address to other sites.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  )
  app.use(
    '/api',
    rateLimit({
      windowMs: 60_000,
      limit: apiRequestsPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_request, _response, next) => {
        next(new HttpError(429, 'too-many-requests', 'Too many requests. Please wait a minute and try again.'))
      },
    }),
  )
  app.use('/api', express.json({ limit: '64kb' }))
  app.use('/api', sameOriginChanges(allowedOrigins))
  app.use('/api', identify(access))
  // While the audit trail cannot be written nothing is changed, rather than changed unaudited.
  // Signing out is let through: "Leave quickly" on a shared phone must end the session whatever.
  // So is a parent's feedback, which is never audited (it is anonymous): her words would be lost.
  app.use('/api', (request, _response, next) => {
    const unaudited = (request.method === 'DELETE' && request.path === '/session') || (request.method === 'POST' && PARENT_FEEDBACK.test(request.path))
    if (request.method === 'GET' || request.method === 'HEAD' || unaudited) next()
    else access.assertAuditable().then(() => { next() }, next)
  })
  // Nothing the API answers may be kept by a shared computer's browser cache.
  app.use('/api', (_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store')
    next()
  })

  app.get('/api/health', (_request, response) => {
    response.json({ status: 'ok' })
  })
  app.use('/api', sessionRoutes(access))
  app.use('/api/conferences/:conferenceId/scoring-rounds', scoringRoutes(access, scoring))
  app.use('/api/conferences/:conferenceId/amendments', amendmentRoutes(storage, rooms, access))
  const calendar = workingCalendar(publicHolidays)
  // What is read from many records at once (pages listing conferences, a case's scores) is read
  // through these, which open only the records changed since.
  const dashboardRecords = new RecordReader(rooms, readDashboardRecord)
  const programmeRecords = new RecordReader(rooms, readProgrammeRecord)
  const scoringRecords = new RecordReader(rooms, readScoringRounds)
  app.use('/api/conferences/:conferenceId/dates', conferenceDatesRoutes(storage, dashboardRecords, access, calendar))
  const cases = new Cases(storage, rooms, scoringRecords, access)
  const parentPartners = new ParentPartners(storage, access, parentPartnerPlaces, log, now)
  app.use('/api/conferences/:conferenceId', caseRoutes(access, cases))
  app.use('/api/conferences/:conferenceId', conferenceProgrammeRoutes(storage, access, parentPartners, new Outcomes(storage, programmeRecords, access, now), new ParentFeedback(storage, feedbackKey)))
  app.use('/api/conferences', conferenceRoutes(storage, rooms, access, cases, parentPartnerPlaces, now))
  app.use('/api/programme', programmeRoutes(storage, programmeRecords, access, parentPartners))
  app.use('/api/dashboard', dashboardRoutes(storage, dashboardRecords, access, calendar))
  app.use('/api', exportRoutes(storage, rooms, scoringRecords, access, timeZone))
  app.use('/api/admin', adminRoutes(access, audit))
  app.use('/api', apiNotFound)

  app.use(express.static(clientDir, { index: false }))
  const indexHtml = path.join(clientDir, 'index.html')
  app.get('/{*clientRoute}', (_request, response) => {
    if (fs.existsSync(indexHtml)) response.sendFile(indexHtml)
    else response.status(503).type('text').send('The SafetyMap client is not built yet. Run `npm run build`, or `npm start` which builds it.')
  })

  app.use(errorHandler(log))
  return app
}

/** ws:// and wss:// forms of the configured origins, for connect-src. */
function websocketOrigins(allowedOrigins: readonly string[]): string[] {
  return allowedOrigins.map((origin) => origin.replace(/^http/, 'ws'))
}
