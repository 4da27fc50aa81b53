import { Router } from 'express'
import { z } from 'zod'
import { SCALE_MAX, SCALE_MIN, scaleSchema } from '../../shared/conference/scores'
import type { AccessControl } from '../auth/accessControl'
import type { ScoringRounds } from '../documents/scoring'
import { requestContext, signedIn } from './auth'
import { parseOrThrow } from './errors'
import { personName, textToShow } from './words'

const conferenceParams = z.object({ conferenceId: z.string().max(100) })
const roundParams = conferenceParams.extend({ roundId: z.string().max(100) })
const openBody = z.object({ scale: scaleSchema })
const scoreBody = z.object({
  value: z.number().int().min(SCALE_MIN).max(SCALE_MAX),
  reason: textToShow({ max: 2000, lines: true, optional: true }).default(''),
  onBehalfOf: personName.optional(),
})

/**
 * `/api/conferences/:conferenceId/scoring-rounds`: open a round (the chair), give a score (those
 * whose role scores; the note-taker for someone without a device), reveal or stop it (the chair).
 * Documented in docs/http-api.md.
 */
export function scoringRoutes(access: AccessControl, scoring: ScoringRounds): Router {
  const router = Router({ mergeParams: true })

  router.post('/', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(signedIn(response), conferenceId, 'revealScores')
    const { scale } = parseOrThrow(openBody, request.body)
    response.status(201).json({ round: await scoring.open(member, scale) })
  })

  router.post('/:roundId/scores', async (request, response) => {
    const { conferenceId, roundId } = parseOrThrow(roundParams, request.params)
    // Whether this person may score, or score for someone else, is the scoring rounds' call.
    const member = access.requireMember(signedIn(response), conferenceId, 'seeRecord')
    const input = parseOrThrow(scoreBody, request.body)
    response.json({ round: await scoring.give(member, roundId, input) })
  })

  router.get('/:roundId/my-score', async (request, response) => {
    const { conferenceId, roundId } = parseOrThrow(roundParams, request.params)
    const member = access.requireMember(signedIn(response), conferenceId, 'score')
    response.json({ score: await scoring.ownSealedScore(member, roundId) })
  })

  router.post('/:roundId/reveal', async (request, response) => {
    const { conferenceId, roundId } = parseOrThrow(roundParams, request.params)
    const who = signedIn(response)
    const member = access.requireMember(who, conferenceId, 'revealScores')
    response.json({ round: await scoring.reveal(member, who, roundId, requestContext(request)) })
  })

  router.post('/:roundId/cancel', async (request, response) => {
    const { conferenceId, roundId } = parseOrThrow(roundParams, request.params)
    const who = signedIn(response)
    // Whoever may show the scores runs the rounds: they may also stop one.
    const member = access.requireMember(who, conferenceId, 'revealScores')
    response.json({ round: await scoring.cancel(member, who, roundId, requestContext(request)) })
  })

  return router
}
