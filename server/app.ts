import fs from 'node:fs'
import path from 'node:path'
import express, { type Express } from 'express'
import type { ConferenceRooms } from './documents/rooms'
import type { Storage } from './storage/types'
import type { Logger } from './log'
import { conferenceRoutes } from './http/conferences'
import { apiNotFound, errorHandler } from './http/errors'

export interface AppDependencies {
  storage: Storage
  rooms: ConferenceRooms
  log: Logger
  /** The built client (dist/client); served with a fallback to index.html for client routes. */
  clientDir: string
}

/** The HTTP app, without `listen`: tests drive it directly, server.ts puts it on a port. */
export function createApp({ storage, rooms, log, clientDir }: AppDependencies): Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(express.json({ limit: '64kb' }))

  app.get('/api/health', (_request, response) => {
    response.json({ status: 'ok' })
  })
  app.use('/api/conferences', conferenceRoutes(storage, rooms))
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
