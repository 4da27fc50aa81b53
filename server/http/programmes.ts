import { Router } from 'express'
import { z } from 'zod'
import { PERIOD_KINDS } from '../../shared/programmes/figures'
import type { OutcomesResponse } from '../../shared/programmes/outcomes'
import { addMonths, addDays, localDate, type IsoDate } from '../../shared/timescales'
import { actorOf, type AccessControl } from '../auth/accessControl'
import type { RecordReader } from '../documents/recordReader'
import type { ParentFeedback } from '../programmes/feedback'
import { feedbackBody } from '../programmes/feedback'
import { figuresCsv, programmeFigures } from '../programmes/figures'
import type { Outcomes } from '../programmes/outcomes'
import { outcomeChangeBody } from '../programmes/outcomes'
import { answerBody, offerBody, type ParentPartners } from '../programmes/parentPartners'
import { gatherProgrammeFacts } from '../programmes/programmeFacts'
import type { RecordFacts } from '../programmes/recordFacts'
import type { Storage } from '../storage/types'
import { requestContext, signedIn, signedInAccount, signedInProgrammeLead } from './auth'
import { calendarDate } from './dates'
import { conferenceNotFound, invalidRequest, parseOrThrow } from './errors'

const conferenceParams = z.object({ conferenceId: z.string().max(100) })
const offerParams = conferenceParams.extend({ offerId: z.string().max(100) })
const childParams = conferenceParams.extend({ childId: z.string().max(100) })


/**
 * A conference's programme parts, under `/api/conferences/:conferenceId`: Parent Partner offers
 * (for whoever may invite people), each child's outcomes (for whoever may record them) and the
 * parent's feedback (for parents and carers). Documented in docs/http-api.md.
 */
export function conferenceProgrammeRoutes(storage: Storage, access: AccessControl, parentPartners: ParentPartners, outcomes: Outcomes, feedback: ParentFeedback): Router {
  const router = Router({ mergeParams: true })

  router.get('/parent-partner', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    response.json(await parentPartners.list(access.requireMember(signedIn(response), conferenceId, 'invite')))
  })

  router.post('/parent-partner', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    response.status(201).json({ offer: await parentPartners.offer(member, who, parseOrThrow(offerBody, request.body), requestContext(request)) })
  })

  router.post('/parent-partner/:offerId/answer', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId, offerId } = parseOrThrow(offerParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    response.json(await parentPartners.answer(member, who, offerId, parseOrThrow(answerBody, request.body), requestContext(request)))
  })

  router.post('/parent-partner/:offerId/end', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId, offerId } = parseOrThrow(offerParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    response.json({ offer: await parentPartners.end(member, who, offerId, requestContext(request)) })
  })

  router.get('/outcomes', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    access.requireMember(signedIn(response), conferenceId, 'recordOutcomes')
    const conference = await storage.conferences.get(conferenceId)
    if (!conference) throw conferenceNotFound()
    const body: OutcomesResponse = { children: await outcomes.of(conference) }
    response.json(body)
  })

  router.put('/outcomes/:childId', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId, childId } = parseOrThrow(childParams, request.params)
    access.requireMember(who, conferenceId, 'recordOutcomes')
    const conference = await storage.conferences.get(conferenceId)
    if (!conference) throw conferenceNotFound()
    const change = parseOrThrow(outcomeChangeBody, request.body)
    response.json({ child: await outcomes.change(who, conference, childId, change, requestContext(request)) })
  })

  router.get('/feedback', (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    response.json(feedback.state(access.requireMember(signedIn(response), conferenceId, 'seeRecord')))
  })

  router.post('/feedback', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(signedIn(response), conferenceId, 'giveFeedback')
    await feedback.give(member, parseOrThrow(feedbackBody, request.body))
    response.status(201).json(feedback.state(member))
  })

  return router
}

function firstDayOfMonth(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`
}

function lastDayOfMonth(date: IsoDate): IsoDate {
  return addDays(addMonths(firstDayOfMonth(date), 1), -1)
}

/** At most this many months in one request: figures read every record. */
const MAX_MONTHS = 60

const figuresQuery = z.object({
  from: calendarDate.optional(),
  to: calendarDate.optional(),
  period: z.enum(PERIOD_KINDS).default('quarter'),
  serviceArea: z.string().trim().min(1).max(120).optional(),
})

/**
 * `/api/programme`: the service areas (for anyone with an account: the referral form lists them)
 * and the figures, for programme leads only, as JSON or CSV. Documented in docs/http-api.md.
 */
export function programmeRoutes(storage: Storage, records: RecordReader<RecordFacts>, access: AccessControl, parentPartners: ParentPartners): Router {
  const router = Router()

  router.get('/areas', (_request, response) => {
    signedInAccount(response)
    response.json({ areas: parentPartners.places() })
  })

  const figuresFor = async (query: unknown) => {
    const today = localDate(new Date())
    const { from: askedFrom, to: askedTo = today, period, serviceArea } = parseOrThrow(figuresQuery, query)
    // Whole months only: two ranges a day apart would otherwise give, by their difference, the
    // figures (and the parents' words) of one day's conferences, which suppression cannot hide.
    const to = lastDayOfMonth(askedTo)
    const from = firstDayOfMonth(askedFrom ?? addMonths(askedTo, -11))
    if (from > to) throw invalidRequest({ from: 'The start must be on or before the end.' })
    if (addMonths(from, MAX_MONTHS) <= to) throw invalidRequest({ from: `Ask for at most ${MAX_MONTHS} months at a time.` })
    return programmeFigures(await gatherProgrammeFacts(storage, records, parentPartners), { from, to, period, serviceArea: serviceArea ?? null, today })
  }

  router.get('/figures', async (request, response) => {
    const who = signedInProgrammeLead(response)
    const figures = await figuresFor(request.query)
    await access.recordLook({ action: 'programme-figures-viewed', actor: actorOf(who), from: requestContext(request).from })
    response.json(figures)
  })

  router.get('/figures.csv', async (request, response) => {
    const who = signedInProgrammeLead(response)
    const figures = await figuresFor(request.query)
    await access.recordLook({ action: 'programme-figures-viewed', actor: actorOf(who), from: requestContext(request).from, details: { csv: true } })
    response.attachment(`safetymap-programme-${figures.total.from}-to-${figures.total.to}.csv`).type('text/csv; charset=utf-8').send(figuresCsv(figures))
  })

  return router
}
