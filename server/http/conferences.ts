import { Router } from 'express'
import { z } from 'zod'
import { CONFERENCE_KINDS } from '../../shared/conference/details'
import type { ConferenceRooms } from '../documents/rooms'
import { createConference } from '../documents/conferences'
import type { Storage } from '../storage/types'
import { HttpError, parseOrThrow } from './errors'

const newConferenceBody = z.object({
  title: z.string().trim().min(1).max(200),
  kind: z.enum(CONFERENCE_KINDS),
  date: z.iso.date(),
})

const conferenceParams = z.object({ conferenceId: z.string().max(100) })

/** `/api/conferences`: list, create and look up conferences. Documented in docs/http-api.md. */
export function conferenceRoutes(storage: Storage, rooms: ConferenceRooms): Router {
  const router = Router()

  router.get('/', async (_request, response) => {
    response.json({ conferences: await storage.conferences.list() })
  })

  router.post('/', async (request, response) => {
    const input = parseOrThrow(newConferenceBody, request.body)
    const conference = await createConference(storage, rooms, input)
    response.status(201).json({ conference })
  })

  router.get('/:conferenceId', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const conference = await storage.conferences.get(conferenceId)
    if (!conference) throw new HttpError(404, 'conference-not-found', 'There is no conference at this address.')
    response.json({ conference })
  })

  return router
}
