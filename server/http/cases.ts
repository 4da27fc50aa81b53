import { Router } from 'express'
import { z } from 'zod'
import { newHarmSchema, PAIR_TEXT_MAX } from '../../shared/conference/dangerStatements'
import type { AccessControl } from '../auth/accessControl'
import type { Cases } from '../documents/cases'
import { requestContext, signedIn } from './auth'
import { parseOrThrow } from './errors'

const conferenceParams = z.object({ conferenceId: z.string().max(100) })
const pairParams = conferenceParams.extend({ pairId: z.string().max(100) })
const pairText = z.string().trim().min(1, 'Please write it; it cannot be left empty.').max(PAIR_TEXT_MAX)
const revisionBody = z.object({ dangerStatement: pairText, safetyGoal: pairText, newHarm: newHarmSchema })

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
