import { Router } from 'express'
import { z } from 'zod'
import { CONFERENCE_KINDS } from '../../shared/conference/details'
import { INVITED_ROLES, PROFESSIONAL_ROLES } from '../../shared/roles'
import { actorOf, type AccessControl } from '../auth/accessControl'
import type { ConferenceRooms } from '../documents/rooms'
import { checkPlaceInCase, type Cases } from '../documents/cases'
import { changeTitleOrDate, createConference } from '../documents/conferences'
import { assertNotFinal, finalizeRecord } from '../documents/finalizing'
import type { Storage } from '../storage/types'
import type { ServiceAreaPlaces } from '../programmes/places'
import { checkNewDate, createCscFromReferral, referralBody, withReferral } from '../programmes/referrals'
import { sameWords } from '../../shared/sameWords'
import { withinRepeatWindow } from '../repeats'
import { Turns } from '../turns'
import { requestContext, signedIn, signedInAccount } from './auth'
import { calendarDate } from './dates'
import { conferenceNotFound, HttpError, invalidRequest, parseOrThrow } from './errors'
import { emailAddress, personName, wordsToShow } from './words'

/** Roles a professional may take in a conference they create. */
const CREATOR_ROLES = ['chair', 'noteTaker', 'socialWorker'] as const

const conferenceTitle = wordsToShow('title', 200)

const newConferenceBody = z.object({
  title: conferenceTitle,
  kind: z.enum(CONFERENCE_KINDS),
  date: calendarDate,
  role: z.enum(CREATOR_ROLES),
  /** The earlier conference this one is a review or follow-up of (server/documents/cases.ts). */
  follows: z.string().max(100).optional(),
  /** A US initial CSC's referral (server/programmes/referrals.ts). */
  referral: referralBody.optional(),
})

const changeBody = z.object({ title: conferenceTitle.optional(), date: calendarDate.optional() })
  .refine((change) => change.title !== undefined || change.date !== undefined, 'Give a new title or date.')

const alreadyCreated = (): HttpError => new HttpError(409, 'conference-already-created',
  'You have just created this conference: it is in your list of conferences. If this is another conference, give it a different title.')

const conferenceParams = z.object({ conferenceId: z.string().max(100) })
const participantParams = conferenceParams.extend({ participantId: z.string().max(100) })
const addProfessionalBody = z.object({ email: emailAddress, role: z.enum(PROFESSIONAL_ROLES) })
const inviteBody = z.object({ name: personName, role: z.enum(INVITED_ROLES) })
const changeRoleBody = z.object({ role: z.enum([...PROFESSIONAL_ROLES, ...INVITED_ROLES]) })

/** The title and date are in the closed record too, so they stay as they were: a correction says what is right. */
const titleOrDateFinal = (): HttpError =>
  new HttpError(409, 'record-final', 'This record is closed, so its title and date can no longer be changed. If one is wrong, add a correction to the first step saying what is right: the minutes will show it after the original.')

/**
 * `/api/conferences`: the conferences you are in, and the people in each. Every route checks
 * membership; a conference you are not in answers exactly like one that does not exist.
 * Documented in docs/http-api.md.
 */
export function conferenceRoutes(storage: Storage, rooms: ConferenceRooms, access: AccessControl, cases: Cases, serviceAreas: readonly ServiceAreaPlaces[], now: () => number): Router {
  const router = Router()
  // One conference made at a time: the same one sent twice at once must not both pass the repeat check.
  const creating = new Turns()

  router.get('/', async (_request, response) => {
    response.json({ conferences: (await access.conferencesOf(signedIn(response))).map((conference) => withReferral(storage, conference)) })
  })

  router.post('/', async (request, response) => {
    const who = signedInAccount(response)
    const { role, follows, referral, ...input } = parseOrThrow(newConferenceBody, request.body)
    if (referral && (input.kind !== 'us-csc-initial' || follows !== undefined)) {
      throw invalidRequest({ referral: 'Only an initial child safety conference starts from a referral.' })
    }
    const conference = await creating.run(async () => {
      // The same conference again, just made by the same person and still theirs: one sent twice.
      const repeated = (await access.conferencesOf(who)).some((earlier) => sameWords(earlier.title, input.title) && earlier.kind === input.kind
        && earlier.date === input.date && earlier.follows === follows && withinRepeatWindow(earlier.createdAt, now()))
      if (repeated) throw alreadyCreated()
      const made = referral
        ? await createCscFromReferral(storage, rooms, input, referral, serviceAreas, now())
        : follows === undefined ? await createConference(storage, rooms, input) : await cases.createFollowing(who, input, follows)
      await access.addCreator(made, who.account, role, requestContext(request))
      return made
    })
    response.status(201).json({ conference: withReferral(storage, conference) })
  })

  router.get('/:conferenceId', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(who, conferenceId, 'seeRecord')
    const conference = await storage.conferences.get(conferenceId)
    if (!conference) throw conferenceNotFound()
    await access.recordView(who, conferenceId, requestContext(request))
    response.json({ conference: withReferral(storage, conference), you: access.membership(member) })
  })

  router.patch('/:conferenceId', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    access.requireMember(who, conferenceId, 'changeTitleOrDate')
    const { title, date } = parseOrThrow(changeBody, request.body)
    if (date !== undefined) {
      checkNewDate(storage, conferenceId, date)
      await checkPlaceInCase(storage, conferenceId, date)
    }
    const change = { ...(title === undefined ? {} : { title }), ...(date === undefined ? {} : { date }) }
    await assertNotFinal(rooms, conferenceId, titleOrDateFinal)
    const after = await access.changeConference(who, conferenceId, change, () => changeTitleOrDate(storage, rooms, conferenceId, change), requestContext(request))
    response.json({ conference: withReferral(storage, after) })
  })

  router.post('/:conferenceId/finalize', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(who, conferenceId, 'finalize')
    const finalization = await finalizeRecord(storage, rooms, conferenceId, member.participant.name)
    await access.record({ action: 'record-finalized', actor: actorOf(who), conferenceId, from: requestContext(request).from, details: { hash: finalization.hash } })
    response.json({ finalization })
  })

  router.get('/:conferenceId/people', (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(signedIn(response), conferenceId, 'seeRecord')
    response.json({ people: access.people(member) })
  })

  router.post('/:conferenceId/people', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    const input = parseOrThrow(addProfessionalBody, request.body)
    response.status(201).json({ participant: await access.addProfessional(member, who, input, requestContext(request)) })
  })

  router.patch('/:conferenceId/people/:participantId', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId, participantId } = parseOrThrow(participantParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    const { role } = parseOrThrow(changeRoleBody, request.body)
    response.json({ participant: await access.changeRole(member, who, participantId, role, requestContext(request)) })
  })

  router.delete('/:conferenceId/people/:participantId', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId, participantId } = parseOrThrow(participantParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    await access.removeParticipant(member, who, participantId, requestContext(request))
    response.status(204).end()
  })

  router.post('/:conferenceId/invitations', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    const input = parseOrThrow(inviteBody, request.body)
    response.status(201).json(await access.invite(member, who, input, requestContext(request)))
  })

  router.delete('/:conferenceId/invitations/:participantId', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId, participantId } = parseOrThrow(participantParams, request.params)
    const member = access.requireMember(who, conferenceId, 'invite')
    response.json({ participant: await access.revokeInvitation(member, who, participantId, requestContext(request)) })
  })

  return router
}
