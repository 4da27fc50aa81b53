import { Router } from 'express'
import { newId } from '../auth/secrets'
import { z } from 'zod'
import { MAX_AMENDMENT_LENGTH, type Amendment, type AmendmentsResponse } from '../../shared/api'
import { AGENDA_STEP_IDS } from '../../shared/conference/agenda'
import { actorOf, type AccessControl } from '../auth/accessControl'
import { assertFinal, finalizationOf } from '../documents/finalizing'
import type { ConferenceRooms } from '../documents/rooms'
import { amendmentsOf, repeatsAmendment } from '../storage/amendments'
import type { Storage } from '../storage/types'
import { Turns } from '../turns'
import { requestContext, signedIn } from './auth'
import { HttpError, parseOrThrow } from './errors'
import { textToShow } from './words'

const conferenceParams = z.object({ conferenceId: z.string().max(100) })
const amendmentBody = z.object({
  section: z.enum(AGENDA_STEP_IDS),
  text: textToShow({ max: MAX_AMENDMENT_LENGTH, lines: true, empty: 'Write the correction.' }),
})

const alreadyAdded = (): HttpError => new HttpError(409, 'amendment-already-added', 'This correction was already added. You can see it above.')

const recordStillOpen = (): HttpError =>
  new HttpError(409, 'record-not-final', 'The record is still open: correct it on the board itself. Amendments are for after the record is closed.')

/**
 * `/api/conferences/:conferenceId/amendments`: corrections after the chair finalized the record.
 * The record and its kept copy never change; each amendment is dated, attributed and shown after
 * the original section. Anyone whose role lets them correct entries may add one, only once the
 * record is final (before that they correct the record itself). Documented in docs/http-api.md.
 */
export function amendmentRoutes(storage: Storage, rooms: ConferenceRooms, access: AccessControl): Router {
  const router = Router({ mergeParams: true })
  // One amendment kept at a time: the same one sent twice at once must not both pass the repeat check.
  const adding = new Turns()

  router.get('/', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(signedIn(response), conferenceId, 'seeRecord')
    const final = (await finalizationOf(rooms, conferenceId)) !== null
    const body: AmendmentsResponse = { amendments: amendmentsOf(storage, conferenceId), final, mayAmend: final && member.can('editEntries') }
    response.json(body)
  })

  router.post('/', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(who, conferenceId, 'editEntries')
    const { section, text } = parseOrThrow(amendmentBody, request.body)
    await assertFinal(rooms, conferenceId, recordStillOpen)
    const amendment: Amendment = { id: newId(), at: new Date().toISOString(), by: member.participant.name, role: member.role, section, text }
    await adding.run(async () => {
      if (repeatsAmendment(storage, { conferenceId, participantId: member.participant.id, section, text })) throw alreadyAdded()
      await storage.amendments.put({ ...amendment, conferenceId, participantId: member.participant.id })
    })
    // Who amended which section, never the words (the audit trail holds no record content).
    await access.record({ action: 'amendment-added', actor: actorOf(who), conferenceId, from: requestContext(request).from, details: { amendmentId: amendment.id, section } })
    response.status(201).json({ amendment })
  })

  return router
}
