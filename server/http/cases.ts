import { Router } from 'express'
import { z } from 'zod'
import { newHarmSchema, PAIR_TEXT_MAX, type NewHarm } from '../../shared/conference/dangerStatements'
import type { AccessControl } from '../auth/accessControl'
import type { Cases } from '../documents/cases'
import { requestContext, signedIn } from './auth'
import { parseOrThrow } from './errors'
import { textToShow } from './words'

const conferenceParams = z.object({ conferenceId: z.string().max(100) })
const pairParams = conferenceParams.extend({ pairId: z.string().max(100) })
// Words every later conference of the case carries, and the family reads: something to see, nothing hidden.
const pairText = textToShow({ max: PAIR_TEXT_MAX, lines: true, empty: 'Please write it; it cannot be left empty.' })
const newHarm = z.object({
  what: textToShow({ max: newHarmSchema.shape.what.maxLength ?? 2000, lines: true, empty: 'Write what happened.' }),
  when: textToShow({ max: newHarmSchema.shape.when.maxLength ?? 200, lines: false, empty: 'Write when it happened.' }),
}) satisfies z.ZodType<NewHarm>
const revisionBody = z.object({ dangerStatement: pairText, safetyGoal: pairText, newHarm })

/**
 * Under `/api/conferences/:conferenceId`: the case the conference belongs to, each scale's revealed
 * scores across it, and the chair's change of a danger statement carried forward from an earlier
 * conference (only for significant new harm). Members only: anyone else gets the same 404 as for
 * a conference that does not exist. Documented in docs/http-api.md.
 */
export function caseRoutes(access: AccessControl, cases: Cases): Router {
  const router = Router({ mergeParams: true })

  router.get('/case', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const who = signedIn(response)
    const member = access.requireMember(who, conferenceId, 'seeRecord')
    response.json(await cases.caseFor(who, member))
  })

  router.get('/case/progress', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const who = signedIn(response)
    access.requireMember(who, conferenceId, 'seeRecord')
    response.json(await cases.progress(who, conferenceId))
  })

  router.post('/carried-forward/:pairId/versions', async (request, response) => {
    const { conferenceId, pairId } = parseOrThrow(pairParams, request.params)
    const who = signedIn(response)
    const member = access.requireMember(who, conferenceId, 'reviseCarriedForward')
    const change = parseOrThrow(revisionBody, request.body)
    response.status(201).json({ pair: await cases.reviseCarriedPair(member, who, pairId, change, requestContext(request)) })
  })

  return router
}
