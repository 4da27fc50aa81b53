/**
 * People and access, end to end: a real server on port 0, real HTTP with the Origin and cookies a
 * browser sends, real websocket clients. Who may do what comes from shared/roles.ts; the expected
 * answer of every route for every role is computed from that table, never written out by hand.
 */
import { randomBytes, scryptSync } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import WebSocket from 'ws'
import { generateSync } from 'otplib'
import type { AccountSummary, Membership, NewAccountResponse, ParticipantSummary, SecondFactorSetup, SessionInfo } from '../../shared/access'
import type { ApiErrorBody, ConferenceSummary } from '../../shared/api'
import { syncRoomName, type ConferenceDocument } from '../../shared/conference/documents'
import { writeCarriedPair } from '../../shared/conference/dangerStatements'
import type { Scale } from '../../shared/conference/scores'
import { serverOrigin } from '../../shared/conference/origins'
import { plainText } from '../../shared/conference/richText'
import { EXPORT_DOCUMENT_INFO, EXPORT_DOCUMENTS } from '../../shared/exports'
import { CloseCode, MessageType } from '../../shared/protocol'
import { can, isProfessionalRole, ROLES, type Permission, type Role } from '../../shared/roles'
import { createApp } from '../../server/app'
import { AuditLog, verifyAuditLog, type AuditEntry } from '../../server/audit/auditLog'
import { ScoringRounds } from '../../server/documents/scoring'
import { ABSOLUTE_LIMIT_MS, IDLE_LIMIT_MS, INVITATION_GRACE_DAYS, INVITATION_MAX_DEVICES } from '../../server/auth/accessControl'
import { needsRehash, verifyPassword } from '../../server/auth/passwords'
import { READABLE_CODE_ALPHABET } from '../../server/auth/secrets'
import { readConfig } from '../../server/config'
import { trustedProxies } from '../../server/http/auth'
import { createLogger } from '../../server/log'
import { AUDIT_FILE, defaultClientDir, startServer } from '../../server/server'
import {
  ADMIN,
  addToConference,
  api,
  createAccount,
  expectJson,
  invite,
  inviteAndJoin,
  newProfessional,
  PROFESSIONAL_PASSWORD,
  professionalIn,
  redeem,
  refusal,
  setPassword,
  signedOutDevice,
  signIn,
  tokenOf,
  withCookies,
  type Device,
  type Professional,
} from '../helpers/devices'
import { connectParticipant, openRawSocket, typeInto, waitUntil, type Participant, type RawSocket } from '../helpers/participants'
import { listApiRoutes } from '../helpers/routes'
import { auditTrail, createTestConference, makeTempDir, movableClock, removeTempDirs, startTestServer, stopAndVerify, uniqueEmail, type TestServer } from '../helpers/server'

// ---- shared helpers ------------------------------------------------------------------------------

const FOREIGN_ORIGIN = 'https://attacker.example'
/** Long enough for any answer the server gives at once, far shorter than its 30-second heartbeat. */
const AT_ONCE_MS = 5_000

afterAll(removeTempDirs)

/** Websocket clients opened by the current test, closed after it. */
const clients: { destroy(): void }[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

function join(device: Device, room: string, options: { authorId?: string } = {}): Participant & { closeCodes: number[] } {
  const participant = connectParticipant(device, room, options)
  clients.push(participant)
  // Codes the server closed this client's connections with, in order.
  const closeCodes: number[] = []
  participant.provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code)
  })
  return Object.assign(participant, { closeCodes })
}

function rawSocket(device: Device, room: string, options: { origin?: string | null } = {}): RawSocket {
  const raw = openRawSocket(device, `/${room}`, options)
  clients.push({ destroy: () => { raw.socket.terminate() } })
  return raw
}

/** The code the server closes a socket with; it must come at once, not from the 30-second heartbeat. */
async function closedAtOnce(raw: RawSocket): Promise<number> {
  let code: number | undefined
  void raw.closed.then((closed) => { code = closed.code })
  await waitUntil(() => code !== undefined, 'the server closes the socket', AT_ONCE_MS)
  return code!
}

let serial = 0

/** Each invited person their own name (or each sending its own `to`): the same one again is refused as sent twice. */
function uniqueName(hint: string): string {
  serial++
  return `${hint} ${serial}`
}

/** `200`, or `403 not-allowed` for an error: the status and, for errors, the stable code. */
async function answerOf(response: Response): Promise<string> {
  const text = await response.text()
  if (response.status < 400) return String(response.status)
  const body = JSON.parse(text) as ApiErrorBody
  return `${response.status} ${body.error.code}`
}

async function sessionOf(device: Device): Promise<SessionInfo | null> {
  return (await expectJson<{ session: SessionInfo | null }>(await api(device, '/api/session'), 200)).session
}

async function conferencesOf(device: Device): Promise<ConferenceSummary[]> {
  return (await expectJson<{ conferences: ConferenceSummary[] }>(await api(device, '/api/conferences'), 200)).conferences
}

async function peopleOf(device: Device, conferenceId: string): Promise<ParticipantSummary[]> {
  return (await expectJson<{ people: ParticipantSummary[] }>(await api(device, `/api/conferences/${conferenceId}/people`), 200)).people
}

async function membershipOf(device: Device, conferenceId: string): Promise<Membership> {
  return (await expectJson<{ you: Membership }>(await api(device, `/api/conferences/${conferenceId}`), 200)).you
}

/** The audit trail as written to disk, oldest first (only whole lines: each was fsynced before its action answered). */
/** Texts of the entries in the record's "past harm" section. */
function pastHarm(participant: Participant): string[] {
  return participant.record.map.section('pastHarm').entries().map((entry) => plainText(entry.richText('text'))).sort()
}

function write(participant: Participant, text: string): void {
  typeInto(participant.record.map.section('pastHarm').add(participant.authorId).richText('text'), text)
}

/** A fresh connection's first sync carries exactly what the server holds for the conference. */
async function storedPastHarm(device: Device, conferenceId: string): Promise<string[]> {
  const reader = join(device, conferenceId)
  await reader.synced()
  const texts = pastHarm(reader)
  reader.destroy()
  return texts
}

// ---- the routes, and who may use each --------------------------------------------------------------

/** What a route needs: a permission in the conference (shared/roles.ts), or something about the session. */
type Need = Permission | 'public' | 'not-account' | 'signed-in' | 'account' | 'admin' | 'programmeLead'

/** Someone asking: in one of the ROLES, or the administrator, a professional in no conference, or nobody signed in. */
interface Person {
  label: string
  /** Their role in the conference under test; null when they are not in it. */
  role: Role | null
  kind: 'account' | 'participant' | 'signed-out'
  admin: boolean
  device: Device
  /** A second session of the same person, for the one request that ends the session it is sent with. */
  spare: Device
  /** The account's password; null for people invited by link, and for those signed out. */
  password: string | null
}

/** What the routes act on. */
interface RouteWorld {
  admin: Device
  conferenceId: string
  /** A participant of `conferenceId` that a request may change, remove or revoke. */
  target(): Promise<string>
  /** The email of an account that is in no conference yet. */
  freeAccountEmail(): Promise<string>
  /** An account that may sign in with a password. */
  probe: { email: string; password: string }
  /** A scoring round of `conferenceId` not yet revealed, each on a scale of its own (a scale has one open round at a time). */
  openRound(): Promise<string>
  /** A scale of `conferenceId` no round was opened on. */
  unscoredScale(): Promise<Scale>
  /** A danger statement pair carried forward into `conferenceId` (as if it were a review). */
  carriedPair(): Promise<string>
}

interface RouteRequest {
  params?: Record<string, string>
  body?: unknown
}

interface RouteDescriptor {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Express's own path template; `:conferenceId` is filled with the conference under test. */
  path: string
  needs: Need
  /** The answer when allowed. */
  ok: number
  /** Only for a public route that answers everyone with the same error. */
  okCode?: string
  /** Parameters and body of one request by `person`; may first create what the request acts on. */
  prepare?: (world: RouteWorld, person: Person) => Promise<RouteRequest>
  /** Sent from the person's spare session, since it ends the session it is sent with. */
  endsSession?: true
  /** Sent person by person, not all at once: every person signs in to the same account, and one account's sign-ins under way at once are limited. */
  oneAtATime?: true
  /**
   * Checked role by role in this other test file instead: it changes the conference for good
   * (finalizing), which would spoil the matrix's one conference for the routes after it.
   */
  checkedIn?: string
}

/** The second-step secrets the matrix's accounts set up, by person label, for moving it after. */
const secondFactorSecrets = new Map<string, string>()

const target = async (world: RouteWorld): Promise<RouteRequest> => ({ params: { participantId: await world.target() } })

/** Every route of the API (the first test below proves that none is missing). */
const ROUTES: readonly RouteDescriptor[] = [
  { method: 'GET', path: '/api/health', needs: 'public', ok: 200 },
  { method: 'GET', path: '/api/session', needs: 'public', ok: 200 },
  { method: 'POST', path: '/api/session', needs: 'public', ok: 200, prepare: (world) => Promise.resolve({ body: world.probe }), oneAtATime: true },
  { method: 'DELETE', path: '/api/session', needs: 'public', ok: 204, endsSession: true },
  { method: 'GET', path: '/api/setup', needs: 'public', ok: 200 },
  // This server has its administrator, so the set-up route refuses everyone alike (see "the first administrator").
  {
    method: 'POST', path: '/api/setup', needs: 'public', ok: 400, okCode: 'link-not-valid',
    prepare: () => Promise.resolve({ body: { token: newToken(), name: 'Mallory', email: uniqueEmail('mallory'), password: PROFESSIONAL_PASSWORD } }),
  },
  {
    method: 'POST', path: '/api/account/password', needs: 'public', ok: 200,
    prepare: async (world) => {
      const { passwordLink } = await createAccount(world.admin, { name: 'New colleague', email: uniqueEmail('colleague') })
      return { body: { token: tokenOf(passwordLink), password: PROFESSIONAL_PASSWORD } }
    },
  },
  { method: 'POST', path: '/api/account/second-factor', needs: 'account', ok: 200, prepare: (_world, person) => Promise.resolve({ body: { password: person.password ?? 'not anybody’s password' } }) },
  {
    method: 'POST', path: '/api/account/second-factor/confirm', needs: 'account', ok: 200,
    prepare: async (_world, person) => {
      if (person.kind !== 'account') return { body: { code: '123456' } }
      const { secret } = await expectJson<SecondFactorSetup>(await api(person.device, '/api/account/second-factor', { method: 'POST', body: { password: person.password } }), 200)
      secondFactorSecrets.set(person.label, secret)
      return { body: { code: generateSync({ secret, period: 30 }) } }
    },
  },
  {
    // A new password (the one it has would be refused as unchanged), which the rows after this one
    // sign in with; the spare sessions it ends were ended by DELETE /api/session above.
    method: 'POST', path: '/api/account/password/change', needs: 'account', ok: 200,
    prepare: (_world, person) => {
      const currentPassword = person.password ?? 'not anybody’s password'
      const password = person.password === null ? PROFESSIONAL_PASSWORD : `${person.password} (changed)`
      if (person.password !== null) person.password = password
      return Promise.resolve({ body: { currentPassword, password } })
    },
  },
  {
    method: 'POST', path: '/api/account/second-factor/move', needs: 'account', ok: 200,
    prepare: (_world, person) => {
      const secret = secondFactorSecrets.get(person.label)
      // The next step's code: the one confirming the second step above may have been this step's, and a code works once.
      const code = secret ? generateSync({ secret, period: 30, epoch: Math.floor(Date.now() / 1000) + 30 }) : '123456'
      return Promise.resolve({ body: { password: person.password ?? 'not anybody’s password', code } })
    },
  },
  {
    method: 'POST', path: '/api/invitations/redeem', needs: 'not-account', ok: 200,
    prepare: async (world) => ({ body: { token: tokenOf((await invite(world.admin, world.conferenceId, { name: uniqueName('Aunt'), role: 'familyNetwork' })).link) } }),
  },
  { method: 'GET', path: '/api/conferences', needs: 'signed-in', ok: 200 },
  {
    method: 'POST', path: '/api/conferences', needs: 'account', ok: 201,
    prepare: () => Promise.resolve({ body: { title: 'Another conference', kind: 'uk-review', date: '2026-12-01', role: 'chair' } }),
  },
  { method: 'GET', path: '/api/conferences/:conferenceId', needs: 'seeRecord', ok: 200 },
  { method: 'PATCH', path: '/api/conferences/:conferenceId', needs: 'changeTitleOrDate', ok: 200, prepare: () => Promise.resolve({ body: { title: 'Test conference, renamed' } }) },
  { method: 'GET', path: '/api/conferences/:conferenceId/people', needs: 'seeRecord', ok: 200 },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/people', needs: 'invite', ok: 201,
    prepare: async (world) => ({ body: { email: await world.freeAccountEmail(), role: 'otherProfessional' } }),
  },
  {
    method: 'PATCH', path: '/api/conferences/:conferenceId/people/:participantId', needs: 'invite', ok: 200,
    prepare: async (world) => ({ ...(await target(world)), body: { role: 'child' } }),
  },
  { method: 'DELETE', path: '/api/conferences/:conferenceId/people/:participantId', needs: 'invite', ok: 204, prepare: target },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/invitations', needs: 'invite', ok: 201,
    prepare: () => Promise.resolve({ body: { name: uniqueName('Grandmother'), role: 'familyNetwork' } }),
  },
  { method: 'DELETE', path: '/api/conferences/:conferenceId/invitations/:participantId', needs: 'invite', ok: 200, prepare: target },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/scoring-rounds', needs: 'revealScores', ok: 201,
    prepare: async (world) => ({ body: { scale: await world.unscoredScale() } }),
  },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/scoring-rounds/:roundId/scores', needs: 'score', ok: 200,
    prepare: async (world) => ({ params: { roundId: await world.openRound() }, body: { value: 6, reason: 'Mum asked for help' } }),
  },
  {
    method: 'GET', path: '/api/conferences/:conferenceId/scoring-rounds/:roundId/my-score', needs: 'score', ok: 200,
    prepare: async (world) => ({ params: { roundId: await world.openRound() } }),
  },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/scoring-rounds/:roundId/reveal', needs: 'revealScores', ok: 200,
    prepare: async (world) => ({ params: { roundId: await world.openRound() } }),
  },
  { method: 'POST', path: '/api/conferences/:conferenceId/finalize', needs: 'finalize', ok: 200, checkedIn: 'tests/integration/finalizing.test.ts' },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/scoring-rounds/:roundId/cancel', needs: 'revealScores', ok: 200,
    prepare: async (world) => ({ params: { roundId: await world.openRound() } }),
  },
  { method: 'GET', path: '/api/conferences/:conferenceId/case', needs: 'seeRecord', ok: 200 },
  { method: 'GET', path: '/api/conferences/:conferenceId/case/progress', needs: 'seeRecord', ok: 200 },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/carried-forward/:pairId/versions', needs: 'reviseCarriedForward', ok: 201,
    prepare: async (world) => ({ params: { pairId: await world.carriedPair() }, body: newHarmRevision() }),
  },
  { method: 'GET', path: '/api/conferences/:conferenceId/amendments', needs: 'seeRecord', ok: 200 },
  // Only after finalizing (before it, 409 for everyone who may amend).
  { method: 'POST', path: '/api/conferences/:conferenceId/amendments', needs: 'editEntries', ok: 201, checkedIn: 'tests/integration/amendments.test.ts' },
  { method: 'GET', path: '/api/dashboard', needs: 'account', ok: 200 },
  { method: 'GET', path: '/api/conferences/:conferenceId/dates', needs: 'seeRecord', ok: 200 },
  { method: 'GET', path: '/api/exports/record.schema.json', needs: 'public', ok: 200 },
  ...EXPORT_DOCUMENTS.map((document): RouteDescriptor => ({ method: 'GET', path: `/api/conferences/:conferenceId/exports/${document}`, needs: EXPORT_DOCUMENT_INFO[document].needs, ok: 200 })),
  { method: 'GET', path: '/api/conferences/:conferenceId/exports/sent', needs: 'seeProfessionalsOnly', ok: 200 },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/exports/sent', needs: 'seeProfessionalsOnly', ok: 201,
    prepare: () => Promise.resolve({ body: { document: 'family.pdf', to: uniqueName('The family, by email') } }),
  },
  // The matrix's conference is a UK one: whoever may offer a Parent Partner is told it is for CSCs only.
  { method: 'GET', path: '/api/conferences/:conferenceId/parent-partner', needs: 'invite', ok: 200 },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/parent-partner', needs: 'invite', ok: 409, okCode: 'not-a-csc',
    prepare: () => Promise.resolve({ body: { parentName: 'A parent', serviceArea: 'Eastern', alreadySupported: false, childRemoved: 'no' } }),
  },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/parent-partner/:offerId/answer', needs: 'invite', ok: 404, okCode: 'offer-not-found',
    prepare: () => Promise.resolve({ params: { offerId: 'no-such-offer' }, body: { answer: 'declined' } }),
  },
  { method: 'POST', path: '/api/conferences/:conferenceId/parent-partner/:offerId/end', needs: 'invite', ok: 404, okCode: 'offer-not-found', prepare: () => Promise.resolve({ params: { offerId: 'no-such-offer' } }) },
  { method: 'GET', path: '/api/conferences/:conferenceId/outcomes', needs: 'recordOutcomes', ok: 200 },
  {
    method: 'PUT', path: '/api/conferences/:conferenceId/outcomes/:childId', needs: 'recordOutcomes', ok: 404, okCode: 'child-not-found',
    prepare: () => Promise.resolve({ params: { childId: 'no-such-child' }, body: { participation: 'attended' } }),
  },
  { method: 'GET', path: '/api/conferences/:conferenceId/feedback', needs: 'seeRecord', ok: 200 },
  {
    method: 'POST', path: '/api/conferences/:conferenceId/feedback', needs: 'giveFeedback', ok: 201,
    prepare: () => Promise.resolve({ body: { answers: { respected: 'yes' }, words: '', shareWords: false } }),
  },
  { method: 'GET', path: '/api/programme/areas', needs: 'account', ok: 200 },
  { method: 'GET', path: '/api/programme/figures', needs: 'programmeLead', ok: 200 },
  { method: 'GET', path: '/api/programme/figures.csv', needs: 'programmeLead', ok: 200 },
  { method: 'GET', path: '/api/admin/accounts', needs: 'admin', ok: 200 },
  {
    method: 'POST', path: '/api/admin/accounts', needs: 'admin', ok: 201,
    prepare: () => Promise.resolve({ body: { name: 'Someone new', email: uniqueEmail('someone') } }),
  },
  {
    method: 'POST', path: '/api/admin/accounts/:accountId/reset-sign-in', needs: 'admin', ok: 200,
    prepare: async (world) => ({ params: { accountId: (await createAccount(world.admin, { name: 'Lost phone', email: uniqueEmail('lost.phone') })).account.id } }),
  },
  {
    method: 'POST', path: '/api/admin/accounts/:accountId/disable', needs: 'admin', ok: 200,
    prepare: async (world) => ({ params: { accountId: (await createAccount(world.admin, { name: 'Has left', email: uniqueEmail('has.left') })).account.id } }),
  },
  {
    method: 'POST', path: '/api/admin/accounts/:accountId/enable', needs: 'admin', ok: 200,
    prepare: async (world) => ({ params: { accountId: (await createAccount(world.admin, { name: 'Back again', email: uniqueEmail('back.again') })).account.id } }),
  },
  { method: 'GET', path: '/api/admin/audit', needs: 'admin', ok: 200 },
  { method: 'GET', path: '/api/admin/audit/export', needs: 'admin', ok: 200 },
]

const CONFERENCE_ROUTES = ROUTES.filter((route) => route.path.includes(':conferenceId'))
const ADMIN_ROUTES = ROUTES.filter((route) => route.needs === 'admin')

/** New words for a carried-forward pair, different each time (the same words again are refused). */
function newHarmRevision(): unknown {
  serial++
  return {
    dangerStatement: `Worded again after new harm (${serial})`,
    safetyGoal: 'A sober adult is with the children every evening.',
    newHarm: { what: 'The police were called to the house.', when: 'Last Saturday' },
  }
}

/** Writes a pair into the conference's carried-forward part as the server does when a review is created. */
async function carryPairInto(server: TestServer, conferenceId: string): Promise<string> {
  const id = `carried-${randomBytes(8).toString('hex')}`
  await server.rooms.change(conferenceId, (room) => {
    room.doc.transact(() => {
      writeCarriedPair(room.doc, {
        id,
        position: 0,
        from: { conferenceId: 'an-earlier-conference', title: 'Initial conference', date: '2026-09-01' },
        versions: [{ dangerStatement: 'Agreed at the initial conference', safetyGoal: 'Agreed too', at: new Date().toISOString(), by: null, newHarm: null }],
      })
    }, serverOrigin)
  })
  return id
}

/** The scale of a pair carried forward into the conference just now, so no round was opened on it. */
async function unscoredScale(server: TestServer, conferenceId: string): Promise<Scale> {
  return { kind: 'dangerStatement', pairId: await carryPairInto(server, conferenceId) }
}

/** The chair (`organiser`) opens a scoring round on `scale`. */
async function openRound(organiser: Device, conferenceId: string, scale: Scale): Promise<string> {
  const response = await api(organiser, `/api/conferences/${conferenceId}/scoring-rounds`, { method: 'POST', body: { scale } })
  return (await expectJson<{ round: { id: string } }>(response, 201)).round.id
}

function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What the server must answer `person` on `route`, from the role table and the kind of session. */
function expectedAnswer(route: RouteDescriptor, person: Person): string {
  const allowed = route.okCode ? `${route.ok} ${route.okCode}` : String(route.ok)
  const { needs } = route
  if (needs === 'public') return allowed
  // A family member's link, opened where a professional is signed in, would sign the professional out silently.
  if (needs === 'not-account') return person.kind === 'account' ? '409 signed-in-as-professional' : allowed
  if (person.kind === 'signed-out') return '401 not-signed-in'
  if (needs === 'signed-in') return allowed
  if (needs === 'account') return person.kind === 'account' ? allowed : '403 not-allowed'
  // The administration is not there at all for anyone else.
  if (needs === 'admin') return person.admin ? allowed : '404 not-found'
  // The same for the programme figures; the administrator may see them, and no one else in the matrix is a lead.
  if (needs === 'programmeLead') return person.admin ? allowed : '404 not-found'
  // A conference you are not in answers exactly like one that does not exist.
  if (person.role === null) return '404 conference-not-found'
  return can(person.role, needs) ? allowed : '403 not-allowed'
}

function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`no value for :${name} in ${template}`)
    return encodeURIComponent(value)
  })
}

async function send(world: RouteWorld, route: RouteDescriptor, person: Person): Promise<Response> {
  const request = (await route.prepare?.(world, person)) ?? {}
  const url = fillPath(route.path, { conferenceId: world.conferenceId, ...request.params })
  return api(route.endsSession ? person.spare : person.device, url, { method: route.method, ...(request.body === undefined ? {} : { body: request.body }) })
}

/** Someone in `role` in the conference: professionals through an account, everyone else through an invitation. */
async function personInRole(server: TestServer, conferenceId: string, role: Role): Promise<Person> {
  const { admin } = server
  if (isProfessionalRole(role)) {
    const professional = await professionalIn(admin, admin, conferenceId, { name: `The ${role}`, email: uniqueEmail(role), role })
    return { label: role, role, kind: 'account', admin: false, device: professional, spare: await signIn(admin.baseUrl, professional.email, professional.password), password: professional.password }
  }
  const invited = await inviteAndJoin(admin, conferenceId, { name: `The ${role}`, role })
  // The same link again on the same device (its device cookie goes along): a second session.
  const again = await redeem(invited, { token: tokenOf(invited.invitation.link) })
  await expectJson(again, 200)
  return { label: role, role, kind: 'participant', admin: false, device: invited, spare: withCookies(invited, again), password: null }
}

// ---- 1. the access matrix ------------------------------------------------------------------------------

describe('the access matrix, generated from the role table', () => {
  let server: TestServer
  let world: RouteWorld
  let people: Person[]

  beforeAll(async () => {
    server = await startTestServer()
    const { admin } = server
    // The administrator chairs it (createTestConference).
    const conference = await createTestConference(admin, { title: 'Access matrix' })
    const carriedPair = carryPairInto(server, conference.id)
    const [probe, outsider, ...inRoles] = await Promise.all([
      newProfessional(admin, { name: 'Probe', email: uniqueEmail('probe') }),
      newProfessional(admin, { name: 'Outsider', email: uniqueEmail('outsider') }),
      ...ROLES.map((role) => personInRole(server, conference.id, role)),
    ])
    const signedOut = signedOutDevice(server.url)
    people = [
      ...inRoles,
      { label: 'administrator (chair)', role: 'chair', kind: 'account', admin: true, device: admin, spare: await signIn(server.url, ADMIN.email, ADMIN.password), password: ADMIN.password },
      { label: 'account in another conference only', role: null, kind: 'account', admin: false, device: outsider, spare: await signIn(server.url, outsider.email, outsider.password), password: outsider.password },
      { label: 'signed out', role: null, kind: 'signed-out', admin: false, device: signedOut, spare: signedOut, password: null },
    ]
    world = {
      admin,
      conferenceId: conference.id,
      target: async () => (await invite(admin, conference.id, { name: uniqueName('Someone to act on'), role: 'familyNetwork' })).participant.id,
      freeAccountEmail: async () => (await createAccount(admin, { name: 'A colleague', email: uniqueEmail('free') })).account.email,
      probe: { email: probe.email, password: probe.password },
      openRound: async () => openRound(admin, conference.id, await unscoredScale(server, conference.id)),
      unscoredScale: () => unscoredScale(server, conference.id),
      carriedPair: () => carriedPair,
    }
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  test('every /api route the Express app has is in the matrix, and the matrix has no route the app lacks', async () => {
    // An app built exactly as the running server builds it.
    const audit = await AuditLog.open(path.join(await makeTempDir(), AUDIT_FILE), { log: createLogger('silent') })
    const scoring = new ScoringRounds(server.storage, server.rooms, server.access)
    const app = createApp({ storage: server.storage, feedbackKey: randomBytes(32), rooms: server.rooms, access: server.access, scoring, audit, log: createLogger('silent'), clientDir: defaultClientDir, allowedOrigins: [] })
    await audit.close()
    const inApp = listApiRoutes(app)
    expect(inApp.length).toBeGreaterThan(20)
    expect(inApp).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort())
  })

  test('every role of the table, and three people outside it, are in the matrix', () => {
    expect(people.map((person) => person.role)).toEqual(expect.arrayContaining([...ROLES]))
    expect(people).toHaveLength(ROLES.length + 3)
  })

  for (const route of ROUTES.filter((candidate) => candidate.checkedIn === undefined)) test(`${route.method} ${route.path} answers each person as the table says (${route.needs})`, async () => {
    const answerFor = async (person: Person): Promise<readonly [string, string]> => [person.label, await answerOf(await send(world, route, person))]
    const answers: (readonly [string, string])[] = []
    if (route.oneAtATime) for (const person of people) answers.push(await answerFor(person))
    else answers.push(...await Promise.all(people.map(answerFor)))
    expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(people.map((person) => [person.label, expectedAnswer(route, person)])))
    if (route.endsSession) {
      for (const person of people) expect(await sessionOf(person.spare)).toBeNull()
    }
  })

  test('websocket: each document opens exactly for the roles that may see it; only roles with editEntries get edits stored', async () => {
    const documents: { document: ConferenceDocument; needs: Permission }[] = [
      { document: 'record', needs: 'seeRecord' },
      { document: 'professionalsOnly', needs: 'seeProfessionalsOnly' },
    ]
    const members = people.filter((person): person is Person & { role: Role } => person.role !== null)
    const outsiders = people.filter((person) => person.role === null)
    for (const { document, needs } of documents) {
      const room = syncRoomName(world.conferenceId, document)
      const allowed = members.filter((person) => can(person.role, needs))
      const refused = members.filter((person) => !can(person.role, needs))
      const sockets = [...refused, ...outsiders].map((person) => ({ person, raw: rawSocket(person.device, room) }))
      const closes = await Promise.all(sockets.map(async ({ person, raw }) => [person.label, await closedAtOnce(raw)] as const))
      expect(Object.fromEntries(closes)).toEqual(Object.fromEntries(sockets.map(({ person }) => [
        person.label,
        person.kind === 'signed-out' ? CloseCode.unauthorized : CloseCode.conferenceNotFound,
      ])))
      for (const { raw } of sockets) expect(raw.received).toEqual([])

      const connected = allowed.map((person) => ({ person, client: join(person.device, room) }))
      await Promise.all(connected.map(({ client }) => client.synced()))
      if (document !== 'record') continue
      for (const { person, client } of connected) write(client, `written by ${person.label}`)
      // An editor's update is stored before its "saved" answer; a read-only role's is refused,
      // so that person is never told it was saved.
      const editors = connected.filter(({ person }) => can(person.role, 'editEntries'))
      const readers = connected.filter(({ person }) => !can(person.role, 'editEntries'))
      expect(readers.length).toBeGreaterThan(0)
      await Promise.all(editors.map(({ client }) => client.saved()))
      await waitUntil(() => readers.every(({ client }) => client.tracker.status.state === 'stopped'), 'read-only roles are refused')
      expect(await storedPastHarm(server.admin, world.conferenceId)).toEqual(editors.map(({ person }) => `written by ${person.label}`).sort())
      for (const { client } of editors) expect(client.closeCodes).toEqual([])
      for (const { client } of readers) expect(client.closeCodes).toEqual([CloseCode.readOnly])
    }
  })
})

describe('read-only roles on the websocket', () => {
  let server: TestServer | undefined

  afterEach(async () => {
    if (server) await stopAndVerify(server)
    server = undefined
  })

  test("an observer follows live; an observer's update is refused with 4423 and never stored, never answered as saved; an editor's is stored", async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const [observerDevice, parentDevice] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Observer', role: 'observer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Parent', role: 'parentOrCarer' }),
    ])
    const chair = join(server.admin, conference.id)
    const observer = join(observerDevice, conference.id)
    const tampering = join(observerDevice, conference.id)
    const parent = join(parentDevice, conference.id)
    await Promise.all([chair.synced(), observer.synced(), tampering.synced(), parent.synced()])

    write(tampering, 'The observer wrote this')
    await waitUntil(() => tampering.tracker.status.state === 'stopped', 'the change is refused')
    expect(tampering.closeCodes).toEqual([CloseCode.readOnly])
    expect(tampering.tracker.status).toMatchObject({ state: 'stopped', reason: 'readOnly', unsaved: true })
    write(parent, 'The parent wrote this')
    await parent.saved()
    // An observer who writes nothing still follows the meeting live.
    await waitUntil(() => pastHarm(observer).includes('The parent wrote this'), 'the observer sees the parent write')
    // The chair's own edit is answered only after everything sent before it reached the chair.
    write(chair, 'The chair wrote this')
    await chair.saved()
    expect(pastHarm(chair)).toEqual(['The chair wrote this', 'The parent wrote this'])
    expect(observer.closeCodes).toEqual([])
    expect(observer.provider.wsconnected).toBe(true)

    const { dataDir, admin } = server
    for (const client of [chair, observer, tampering, parent]) client.destroy()
    await server.stop()
    server = await startTestServer({ dataDir, admin })
    expect(await storedPastHarm(server.admin, conference.id)).toEqual(['The chair wrote this', 'The parent wrote this'])
  })
})

// ---- 2. conferences are sealed from each other -------------------------------------------------------

describe('no reads or writes across conferences', () => {
  let server: TestServer
  /** Chair and parent of conference A, who try everything on conference B. */
  let chairOfA: Device
  let parentOfA: Device
  let conferenceA: ConferenceSummary
  let conferenceB: ConferenceSummary
  let worldB: RouteWorld
  let nowhere: RouteWorld
  let peopleOfB: ParticipantSummary[]

  beforeAll(async () => {
    server = await startTestServer()
    const { admin } = server
    const chair = await newProfessional(admin, { name: 'Chair of A', email: uniqueEmail('chair-a') })
    chairOfA = chair
    conferenceA = await createTestConference(chairOfA, { title: 'Conference A' })
    parentOfA = await inviteAndJoin(chairOfA, conferenceA.id, { name: 'Parent in A', role: 'parentOrCarer' })
    conferenceB = await createTestConference(admin, { title: 'Conference B' })
    const { participant: someoneInB } = await invite(admin, conferenceB.id, { name: 'Child in B', role: 'child' })
    const freeEmail = (await createAccount(admin, { name: 'Free colleague', email: uniqueEmail('free') })).account.email
    const roundInB = await openRound(admin, conferenceB.id, { kind: 'overall' })
    const pairInB = await carryPairInto(server, conferenceB.id)
    // Everything the requests act on is real and in B; each is refused, so the same ones serve every route.
    worldB = {
      admin,
      conferenceId: conferenceB.id,
      target: () => Promise.resolve(someoneInB.id),
      freeAccountEmail: () => Promise.resolve(freeEmail),
      probe: { email: chair.email, password: chair.password },
      openRound: () => Promise.resolve(roundInB),
      unscoredScale: () => Promise.resolve({ kind: 'overall' }),
      carriedPair: () => Promise.resolve(pairInB),
    }
    nowhere = { ...worldB, conferenceId: newToken().slice(0, 22) }
    peopleOfB = await peopleOf(admin, conferenceB.id)
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  const intruders = (): { label: string; device: Device }[] => [
    { label: 'chair of A', device: chairOfA },
    { label: 'parent in A', device: parentOfA },
  ]
  const asIntruder = (device: Device): Person => ({ label: 'intruder', role: null, kind: 'account', admin: false, device, spare: device, password: null })

  for (const route of CONFERENCE_ROUTES) test(`${route.method} ${route.path} on conference B answers exactly like a conference that does not exist`, async () => {
    for (const { label, device } of intruders()) {
      const onB = await send(worldB, route, asIntruder(device))
      const onNothing = await send(nowhere, route, asIntruder(device))
      const [bodyB, bodyNothing] = [await onB.text(), await onNothing.text()]
      expect({ who: label, status: onB.status, body: bodyB }).toEqual({ who: label, status: 404, body: bodyNothing })
      expect(onNothing.status).toBe(404)
      expect((JSON.parse(bodyB) as ApiErrorBody).error.code).toBe('conference-not-found')
    }
  })

  test('nothing in conference B changed', async () => {
    expect(await peopleOf(server.admin, conferenceB.id)).toEqual(peopleOfB)
    expect(await storedPastHarm(server.admin, conferenceB.id)).toEqual([])
  })

  test('a websocket to conference B (either document) closes with 4404 before any sync message, like one to no conference', async () => {
    for (const { device } of intruders()) {
      for (const room of [conferenceB.id, syncRoomName(conferenceB.id, 'professionalsOnly'), nowhere.conferenceId]) {
        const raw = rawSocket(device, room)
        expect(await closedAtOnce(raw)).toBe(CloseCode.conferenceNotFound)
        expect(raw.received).toEqual([])
      }
    }
    // Their own conference opens.
    const own = join(chairOfA, conferenceA.id)
    await own.synced()
  })

  test('each person lists only the conferences they are in', async () => {
    expect((await conferencesOf(chairOfA)).map((conference) => conference.id)).toEqual([conferenceA.id])
    expect((await conferencesOf(parentOfA)).map((conference) => conference.id)).toEqual([conferenceA.id])
    expect((await conferencesOf(server.admin)).map((conference) => conference.id)).toEqual([conferenceB.id])
  })
})

// ---- 3. invitations -----------------------------------------------------------------------------------

describe('invitations, and people removed or given another role mid-meeting', () => {
  let server: TestServer
  let conference: ConferenceSummary

  beforeAll(async () => {
    server = await startTestServer()
    conference = await createTestConference(server.admin, { title: 'Invitations' })
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  test('the link signs a new device in to that one conference, in the role it was given', async () => {
    const invitation = await invite(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    expect(invitation.link).toMatch(/^\/join#[\w-]{43}$/)
    const response = await redeem(signedOutDevice(server.url), { token: tokenOf(invitation.link) })
    const answer = await expectJson<{ session: SessionInfo; conferenceId: string }>(response.clone(), 200)
    expect(answer.conferenceId).toBe(conference.id)
    expect(answer.session).toMatchObject({ kind: 'participant', participant: { id: invitation.participant.id, role: 'parentOrCarer', name: 'Mum' } })
    const mum = withCookies(signedOutDevice(server.url), response)
    expect((await conferencesOf(mum)).map((item) => item.id)).toEqual([conference.id])
    expect(await membershipOf(mum, conference.id)).toMatchObject({ role: 'parentOrCarer', participantId: invitation.participant.id })
    // She sees who is in it, by name and role: not their invitations, nor which account a professional signs in with.
    const seenByMum = await peopleOf(mum, conference.id)
    expect(seenByMum.map((person) => person.name)).toEqual(expect.arrayContaining([ADMIN.name, 'Mum']))
    expect(seenByMum.flatMap((person) => Object.keys(person)).filter((key) => key === 'accountId' || key === 'invitation')).toEqual([])
    const seenByChair = await peopleOf(server.admin, conference.id)
    expect(seenByChair.find((person) => person.name === ADMIN.name)?.accountId).toEqual(expect.any(String))
    expect(seenByChair.find((person) => person.id === invitation.participant.id)?.invitation).toMatchObject({ devicesUsed: 1 })
  })

  test('a name nobody could read (blank, zero-width) or one that would show differently (a right-to-left override) is refused, and nobody is added', async () => {
    const before = await peopleOf(server.admin, conference.id)
    const refusals = []
    for (const name of [' ', '\u200B\u200B', '\u202Eeht mum', 'Mum\u0007']) {
      const response = await api(server.admin, `/api/conferences/${conference.id}/invitations`, { method: 'POST', body: { name, role: 'parentOrCarer' } })
      refusals.push((await expectJson<{ error: { fields: Record<string, string> } }>(response, 400)).error.fields.name)
    }
    expect(refusals).toEqual([
      'Write a name with at least one letter or number.',
      'Write a name with at least one letter or number.',
      'The name holds hidden characters that would change how it is shown. Please type it again.',
      'The name holds hidden characters that would change how it is shown. Please type it again.',
    ])
    expect(await peopleOf(server.admin, conference.id)).toEqual(before)
    // Names in any script, and emoji joined with zero-width joiners, are names.
    for (const name of ['Zoë Nowak', 'أم أحمد', '李华', 'Nan 👩‍👧']) {
      expect((await invite(server.admin, conference.id, { name: ` ${name} `, role: 'parentOrCarer' })).participant.name).toBe(name)
    }
  })

  test('the spoken code works typed in lower case with spaces; a wrong code does not', async () => {
    const invitation = await invite(server.admin, conference.id, { name: 'Dad', role: 'parentOrCarer' })
    expect(invitation.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    const typed = ` ${invitation.code.toLowerCase().replace('-', ' ').split('').join(' ')} `
    const response = await redeem(signedOutDevice(server.url), { code: typed })
    expect(await expectJson<{ conferenceId: string }>(response.clone(), 200)).toMatchObject({ conferenceId: conference.id })
    expect(await sessionOf(withCookies(signedOutDevice(server.url), response))).toMatchObject({ participant: { id: invitation.participant.id } })

    const wrong = invitation.code.startsWith('A') ? `B${invitation.code.slice(1)}` : `A${invitation.code.slice(1)}`
    expect(await answerOf(await redeem(signedOutDevice(server.url), { code: wrong }))).toBe('400 invitation-not-valid')
    // A link cut short in copying is refused in the invitation's own words, not as "details not valid".
    expect(await answerOf(await redeem(signedOutDevice(server.url), { token: tokenOf(invitation.link).slice(0, 10) }))).toBe('400 invitation-not-valid')
  })

  test(`one invitation signs in at most ${INVITATION_MAX_DEVICES} devices; a device already counted may come back`, async () => {
    const invitation = await invite(server.admin, conference.id, { name: 'Grandad', role: 'familyNetwork' })
    const token = tokenOf(invitation.link)
    const devices: Device[] = []
    for (let device = 0; device < INVITATION_MAX_DEVICES; device++) {
      const response = await redeem(signedOutDevice(server.url), { token })
      await expectJson(response.clone(), 200)
      devices.push(withCookies(signedOutDevice(server.url), response))
    }
    expect(await answerOf(await redeem(signedOutDevice(server.url), { token }))).toBe('400 invitation-not-valid')
    // The code is the same invitation: refused on a new device as well.
    expect(await answerOf(await redeem(signedOutDevice(server.url), { code: invitation.code }))).toBe('400 invitation-not-valid')
    // The first phone again, e.g. after its session ended: its device cookie says it was counted.
    const again = await redeem(devices[0]!, { token })
    expect(await answerOf(again)).toBe('200')
    const grandad = (await peopleOf(server.admin, conference.id)).find((person) => person.id === invitation.participant.id)
    expect(grandad?.invitation).toMatchObject({ maxDevices: INVITATION_MAX_DEVICES, devicesUsed: INVITATION_MAX_DEVICES, revoked: false })
  })

  test('revoking an invitation mid-meeting closes that device at once with 4403 and its session stops working', async () => {
    const [aunt, uncle] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Aunt', role: 'familyNetwork' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Uncle', role: 'familyNetwork' }),
    ])
    const auntLive = join(aunt, conference.id)
    const uncleLive = join(uncle, conference.id)
    await Promise.all([auntLive.synced(), uncleLive.synced()])

    const revoked = await expectJson<{ participant: ParticipantSummary }>(
      await api(server.admin, `/api/conferences/${conference.id}/invitations/${aunt.participantId}`, { method: 'DELETE' }), 200)
    expect(revoked.participant.invitation?.revoked).toBe(true)
    await waitUntil(() => auntLive.closeCodes.includes(CloseCode.forbidden), 'the aunt is disconnected with 4403', AT_ONCE_MS)
    expect(auntLive.closeCodes).toEqual([CloseCode.forbidden])

    expect(await sessionOf(aunt)).toBeNull()
    expect(await answerOf(await api(aunt, `/api/conferences/${conference.id}`))).toBe('401 not-signed-in')
    // Her socket coming back hears the same as her live one did, not "signed out".
    expect(await closedAtOnce(rawSocket(aunt, conference.id))).toBe(CloseCode.forbidden)
    expect(await answerOf(await redeem(aunt, { token: tokenOf(aunt.invitation.link) }))).toBe('400 invitation-not-valid')
    // Everyone else carries on.
    expect(uncleLive.closeCodes).toEqual([])
    expect(await sessionOf(uncle)).toMatchObject({ kind: 'participant' })
  })

  test('removing someone mid-meeting does the same; a removed professional keeps their account but loses the conference', async () => {
    const [cousin, teacher] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Cousin', role: 'familyNetwork' }),
      professionalIn(server.admin, server.admin, conference.id, { name: 'Teacher', email: uniqueEmail('teacher'), role: 'otherProfessional' }),
    ])
    const cousinLive = join(cousin, conference.id)
    const teacherLive = join(teacher, conference.id)
    await Promise.all([cousinLive.synced(), teacherLive.synced()])

    for (const participantId of [cousin.participantId, teacher.participantId]) {
      expect(await answerOf(await api(server.admin, `/api/conferences/${conference.id}/people/${participantId}`, { method: 'DELETE' }))).toBe('204')
    }
    await waitUntil(() => cousinLive.closeCodes.length > 0 && teacherLive.closeCodes.length > 0, 'both disconnected', AT_ONCE_MS)
    expect(cousinLive.closeCodes).toEqual([CloseCode.forbidden])
    expect(teacherLive.closeCodes).toEqual([CloseCode.forbidden])

    expect(await sessionOf(cousin)).toBeNull()
    expect(await answerOf(await api(cousin, '/api/conferences'))).toBe('401 not-signed-in')
    expect(await answerOf(await redeem(cousin, { token: tokenOf(cousin.invitation.link) }))).toBe('400 invitation-not-valid')

    expect(await sessionOf(teacher)).toMatchObject({ kind: 'account' })
    expect(await answerOf(await api(teacher, `/api/conferences/${conference.id}`))).toBe('404 conference-not-found')
    expect(await closedAtOnce(rawSocket(teacher, conference.id))).toBe(CloseCode.forbidden)
    expect(await closedAtOnce(rawSocket(cousin, conference.id))).toBe(CloseCode.forbidden)
    expect((await peopleOf(server.admin, conference.id)).map((person) => person.id)).not.toEqual(
      expect.arrayContaining([cousin.participantId]))
  })

  test("changing a role closes that person's connection with 4501, and the reconnection has the new role's rights", async () => {
    const sister = await inviteAndJoin(server.admin, conference.id, { name: 'Sister', role: 'familyNetwork' })
    const live = join(sister, conference.id)
    await live.synced()
    write(live, 'Written as family')
    await live.saved()

    const changed = await expectJson<{ participant: ParticipantSummary }>(
      await api(server.admin, `/api/conferences/${conference.id}/people/${sister.participantId}`, { method: 'PATCH', body: { role: 'observer' } }), 200)
    expect(changed.participant.role).toBe('observer')
    await waitUntil(() => live.closeCodes.includes(CloseCode.roleChanged), 'closed with 4501', AT_ONCE_MS)
    // y-websocket reconnects by itself after 4501; the session still works.
    await waitUntil(() => live.provider.synced, 'reconnected')
    expect(live.closeCodes).toEqual([CloseCode.roleChanged])
    expect(await membershipOf(sister, conference.id)).toMatchObject({ role: 'observer' })
    expect((await membershipOf(sister, conference.id)).permissions).not.toContain('editEntries')

    // Reconnected as an observer with nothing new to send, she follows the meeting as before.
    expect(live.provider.wsconnected).toBe(true)
    expect(live.tracker.status.state).toBe('saved')
  })

  test('words typed offline by someone made an observer meanwhile are refused on reconnect, and never shown as saved', async () => {
    const sister = await inviteAndJoin(server.admin, conference.id, { name: 'Older sister', role: 'familyNetwork' })
    const live = join(sister, conference.id)
    await live.synced()
    write(live, 'Saved while family')
    await live.saved()
    live.provider.disconnect()
    write(live, 'Typed offline')
    await expectJson(await api(server.admin, `/api/conferences/${conference.id}/people/${sister.participantId}`, { method: 'PATCH', body: { role: 'observer' } }), 200)

    live.provider.connect()
    await waitUntil(() => live.tracker.status.state === 'stopped', 'the offline words are refused', AT_ONCE_MS)
    expect(live.closeCodes).toEqual([CloseCode.readOnly])
    expect(live.tracker.status).toMatchObject({ state: 'stopped', reason: 'readOnly', unsaved: true })
    const stored = await storedPastHarm(server.admin, conference.id)
    expect(stored).toContain('Saved while family')
    expect(stored).not.toContain('Typed offline')
  })

  test('someone taken out while offline hears 4403 on coming back, as they would have online (not "signed out", not "no such conference"); their offline words are not added', async () => {
    const elsewhere = await createTestConference(server.admin, { title: 'Another family' })
    const [mum, dad, nurse] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: uniqueName('Mum'), role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: uniqueName('Dad'), role: 'parentOrCarer' }),
      professionalIn(server.admin, server.admin, conference.id, { name: 'School nurse', email: uniqueEmail('nurse'), role: 'otherProfessional' }),
    ])
    await addToConference(server.admin, elsewhere.id, { email: nurse.email, role: 'otherProfessional' })
    const live = [join(mum, conference.id), join(dad, conference.id), join(nurse, conference.id)]
    await Promise.all(live.map((client) => client.synced()))
    for (const client of live) {
      client.provider.disconnect()
      write(client, `Typed offline ${live.indexOf(client)}`)
    }
    // Mum and the nurse removed, Dad's invitation withdrawn, while they are offline.
    for (const participantId of [mum.participantId, nurse.participantId]) {
      expect(await answerOf(await api(server.admin, `/api/conferences/${conference.id}/people/${participantId}`, { method: 'DELETE' }))).toBe('204')
    }
    expect(await answerOf(await api(server.admin, `/api/conferences/${conference.id}/invitations/${dad.participantId}`, { method: 'DELETE' }))).toBe('200')

    for (const client of live) client.provider.connect()
    await waitUntil(() => live.every((client) => client.tracker.status.state === 'stopped'), 'all three are refused', AT_ONCE_MS)
    for (const client of live) {
      expect(client.closeCodes).toEqual([CloseCode.forbidden])
      expect(client.tracker.status).toMatchObject({ state: 'stopped', reason: 'forbidden', unsaved: true })
    }
    expect((await storedPastHarm(server.admin, conference.id)).filter((text) => text.startsWith('Typed offline'))).toEqual([])
    // Nothing of the record reaches a socket refused so.
    for (const device of [mum, dad, nurse]) {
      const raw = rawSocket(device, conference.id)
      expect(await closedAtOnce(raw)).toBe(CloseCode.forbidden)
      expect(raw.received).toEqual([])
    }
    // 4403 says nothing about a conference they were never in: Mum's dead session is signed out
    // there, as anywhere; an account never in it is told it does not exist.
    expect(await closedAtOnce(rawSocket(mum, elsewhere.id))).toBe(CloseCode.unauthorized)
    const stranger = await newProfessional(server.admin, { name: 'Stranger', email: uniqueEmail('stranger') })
    expect(await closedAtOnce(rawSocket(stranger, conference.id))).toBe(CloseCode.conferenceNotFound)
    // The nurse still has her other conference.
    const other = join(nurse, elsewhere.id)
    await other.synced()
    expect(other.closeCodes).toEqual([])
  })

  test('the device of a parent taken out asks who is signed in and is told she was taken out of which conference, so it drops the record; her cookie stays to say so, a signed-out one is cleared', async () => {
    const [mum, dad] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: uniqueName('Mum'), role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: uniqueName('Dad'), role: 'parentOrCarer' }),
    ])
    expect(await answerOf(await api(server.admin, `/api/conferences/${conference.id}/invitations/${mum.participantId}`, { method: 'DELETE' }))).toBe('200')
    // Whatever her device asks first, the cookie is not cleared: a reload must still learn it.
    const first = await api(mum, `/api/conferences/${conference.id}`)
    expect(await answerOf(first)).toBe('401 not-signed-in')
    expect(first.headers.get('set-cookie')).toBeNull()
    const asked = await api(mum, '/api/session')
    expect(asked.headers.get('set-cookie')).toBeNull()
    expect(await expectJson(asked, 200)).toEqual({ session: null, takenOut: { conferenceId: conference.id, participantId: mum.participantId } })

    expect((await api(dad, '/api/session', { method: 'DELETE' })).status).toBe(204)
    const signedOut = await api(dad, '/api/session')
    expect(await expectJson(signedOut, 200)).toEqual({ session: null })
    expect(signedOut.headers.get('set-cookie')).toMatch(/^safetymap_session=;/)
  })

  test('a withdrawn invitation is listed to organisers only, so a family invited again sees one of them; withdrawing it twice is audited once', async () => {
    const pat = uniqueName('Pat Parent')
    const gran = await inviteAndJoin(server.admin, conference.id, { name: uniqueName('Gran'), role: 'familyNetwork' })
    const first = await invite(server.admin, conference.id, { name: pat, role: 'parentOrCarer' })
    const withdraw = () => api(server.admin, `/api/conferences/${conference.id}/invitations/${first.participant.id}`, { method: 'DELETE' })
    await Promise.all([expectJson(await withdraw(), 200), expectJson(await withdraw(), 200)])
    const again = await invite(server.admin, conference.id, { name: pat, role: 'parentOrCarer' })
    const named = (people: ParticipantSummary[]) => people.filter((person) => person.name === pat).map((person) => person.id)
    expect(named((await expectJson<{ people: ParticipantSummary[] }>(await api(gran, `/api/conferences/${conference.id}/people`), 200)).people)).toEqual([again.participant.id])
    expect(named((await expectJson<{ people: ParticipantSummary[] }>(await api(server.admin, `/api/conferences/${conference.id}/people`), 200)).people).sort()).toEqual([first.participant.id, again.participant.id].sort())
    const revoked = (await auditTrail(server)).filter((entry) => entry.action === 'invitation-revoked' && entry.details?.participantId === first.participant.id)
    expect(revoked).toHaveLength(1)
  })

  test('nobody changes their own role (a social worker cannot make themselves chair) or removes themselves', async () => {
    const socialWorker = await professionalIn(server.admin, server.admin, conference.id, { name: 'Sol', email: uniqueEmail('sol'), role: 'socialWorker' })
    const answer = await api(socialWorker, `/api/conferences/${conference.id}/people/${socialWorker.participantId}`, { method: 'PATCH', body: { role: 'chair' } })
    expect(await answerOf(answer)).toBe('400 cannot-change-own-role')
    const leave = await api(socialWorker, `/api/conferences/${conference.id}/people/${socialWorker.participantId}`, { method: 'DELETE' })
    expect(await answerOf(leave)).toBe('400 cannot-remove-yourself')
    expect(await membershipOf(socialWorker, conference.id)).toMatchObject({ role: 'socialWorker' })
  })

  test(`an invitation stops working ${INVITATION_GRACE_DAYS} days after the conference day, with invitation-not-valid`, async () => {
    const clock = movableClock()
    const clocked = await startTestServer({ now: clock.read })
    try {
      const today = new Date(clock.now).toISOString().slice(0, 10)
      const meeting = await createTestConference(clocked.admin, { date: today })
      const invitation = await invite(clocked.admin, meeting.id, { name: 'Foster carer', role: 'parentOrCarer' })
      const endOfGrace = Date.parse(`${today}T23:59:59.999Z`) + INVITATION_GRACE_DAYS * 24 * 60 * 60 * 1000
      expect(Date.parse(invitation.participant.invitation?.expiresAt ?? '')).toBe(endOfGrace)
      const token = tokenOf(invitation.link)

      clock.now = endOfGrace - 60_000
      const lastMinute = await redeem(signedOutDevice(clocked.url), { token })
      await expectJson(lastMinute.clone(), 200)
      const carer = withCookies(signedOutDevice(clocked.url), lastMinute)

      clock.now = endOfGrace + 1
      expect(await answerOf(await redeem(signedOutDevice(clocked.url), { token }))).toBe('400 invitation-not-valid')
      expect(await answerOf(await redeem(signedOutDevice(clocked.url), { code: invitation.code }))).toBe('400 invitation-not-valid')
      // The session it gave ends with it.
      expect(await sessionOf(carer)).toBeNull()
      const refusals = (await auditTrail(clocked)).filter((entry) => entry.action === 'invitation-refused')
      expect(refusals.map((entry) => entry.details?.reason)).toEqual(['expired', 'expired'])
    } finally {
      await stopAndVerify(clocked)
    }
  })
})

// ---- 4. sessions ---------------------------------------------------------------------------------------

describe('sessions', () => {
  let server: TestServer | undefined
  let clock: ReturnType<typeof movableClock>

  afterEach(async () => {
    if (server) await stopAndVerify(server)
    server = undefined
  })

  /** A server on a movable clock; its administrator signed in at `clock.now`. */
  async function clockedServer(): Promise<{ server: TestServer; conference: ConferenceSummary }> {
    clock = movableClock()
    server = await startTestServer({ now: clock.read })
    return { server, conference: await createTestConference(server.admin) }
  }

  test('a second sign-in step needs the password to set up, is then needed to sign in, and cannot be replaced from a signed-in session', async () => {
    const { server } = await clockedServer()
    const priya = await newProfessional(server.admin, { name: 'Priya', email: uniqueEmail('priya') })
    // Not from a signed-in session alone (a computer left open): the password too.
    expect(await answerOf(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: 'not her password at all' } }))).toBe('400 password-wrong')
    const { secret } = await expectJson<SecondFactorSetup>(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }), 200)
    const codeNow = (): string => generateSync({ secret, period: 30, epoch: clock.now / 1000 })
    await expectJson(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: codeNow() } }), 200)
    const signInWith = (extra: { code?: string }) => api(signedOutDevice(priya.baseUrl), '/api/session', { method: 'POST', body: { email: priya.email, password: priya.password, ...extra } })
    expect(await answerOf(await signInWith({}))).toBe('401 second-factor-needed')

    expect(await answerOf(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }))).toBe('409 second-factor-already-set-up')
    expect(await answerOf(await signInWith({}))).toBe('401 second-factor-needed')
    // A wrong code is told apart from the first request for one, so the page can say so at the code.
    const wrong = codeNow() === '000000' ? '111111' : '000000'
    expect(await refusal(await signInWith({ code: wrong }), 401)).toMatchObject({ code: 'second-factor-wrong', message: 'That code did not work. Enter the current 6-digit code from your authenticator app.' })
    // A code is used once, even sent twice at the same moment: the next one, 30 seconds on.
    clock.now += 30_000
    const code = codeNow()
    const both = await Promise.all([signInWith({ code }), signInWith({ code })])
    expect((await Promise.all(both.map(answerOf))).sort()).toEqual(['200', '401 second-factor-wrong'])
  })

  test('wrong second-step codes count as failed attempts and lock the account as wrong passwords do; asking for the code does not', async () => {
    const { server } = await clockedServer()
    const priya = await newProfessional(server.admin, { name: 'Priya', email: uniqueEmail('priya') })
    const { secret } = await expectJson<SecondFactorSetup>(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }), 200)
    await expectJson(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: generateSync({ secret, period: 30, epoch: clock.now / 1000 }) } }), 200)
    const signInWith = (extra: { code?: string }) => api(signedOutDevice(priya.baseUrl), '/api/session', { method: 'POST', body: { email: priya.email, password: priya.password, ...extra } })
    for (let asked = 0; asked < 6; asked++) expect(await answerOf(await signInWith({}))).toBe('401 second-factor-needed')
    const wrong = generateSync({ secret, period: 30, epoch: clock.now / 1000 }) === '000000' ? '111111' : '000000'
    for (let tried = 0; tried < 5; tried++) expect(await answerOf(await signInWith({ code: wrong }))).toBe('401 second-factor-wrong')
    expect(await answerOf(await signInWith({ code: wrong }))).toBe('429 too-many-attempts')
  })

  test('someone who lost the phone with their second step gets back in through an administrator’s reset, which signs them out everywhere and needs a new password', async () => {
    const { server, conference } = await clockedServer()
    const { admin } = server
    const priya = await professionalIn(admin, admin, conference.id, { name: 'Priya', email: uniqueEmail('priya'), role: 'socialWorker' })
    const { secret } = await expectJson<SecondFactorSetup>(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }), 200)
    await expectJson(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: generateSync({ secret, period: 30, epoch: clock.now / 1000 }) } }), 200)
    const raw = rawSocket(priya, conference.id)
    await raw.opened
    const signInAs = (password: string) => api(signedOutDevice(priya.baseUrl), '/api/session', { method: 'POST', body: { email: priya.email, password } })
    // Her phone is gone: without its code she cannot sign in.
    expect(await answerOf(await signInAs(priya.password))).toBe('401 second-factor-needed')

    const resetPath = `/api/admin/accounts/${priya.accountId}/reset-sign-in`
    // Not her own doing, and no administrator can take the second step off their own account.
    expect(await answerOf(await api(priya, resetPath, { method: 'POST' }))).toBe('404 not-found')
    const adminSession = await sessionOf(admin)
    if (adminSession?.kind !== 'account') throw new Error('the administrator is signed in to their account')
    expect(await answerOf(await api(admin, `/api/admin/accounts/${adminSession.account.id}/reset-sign-in`, { method: 'POST' }))).toBe('409 own-account')
    expect(await answerOf(await api(admin, '/api/admin/accounts/no-such-account/reset-sign-in', { method: 'POST' }))).toBe('404 account-not-found')

    const first = await expectJson<NewAccountResponse>(await api(admin, resetPath, { method: 'POST' }), 200)
    expect(first.account).toMatchObject({ id: priya.accountId, secondFactor: false, active: false })
    // Signed out everywhere at once, websockets too; her old password opens nothing.
    expect(await sessionOf(priya)).toBeNull()
    expect(await closedAtOnce(raw)).toBe(CloseCode.unauthorized)
    expect(await answerOf(await signInAs(priya.password))).toBe('401 sign-in-failed')
    // Reset again (the first link went astray): only the newest link works.
    const second = await expectJson<NewAccountResponse>(await api(admin, resetPath, { method: 'POST' }), 200)
    const stale = await api(signedOutDevice(priya.baseUrl), '/api/account/password', { method: 'POST', body: { token: tokenOf(first.passwordLink), password: 'a brand new password for Priya' } })
    expect(await answerOf(stale)).toBe('400 link-not-valid')

    const back = await setPassword(priya.baseUrl, second.passwordLink, 'a brand new password for Priya')
    expect(await sessionOf(back)).toMatchObject({ kind: 'account', account: { id: priya.accountId, secondFactor: false } })
    expect(await answerOf(await signInAs('a brand new password for Priya'))).toBe('200')
    // She sets up the second step again, on her new phone.
    expect(await answerOf(await api(back, '/api/account/second-factor', { method: 'POST', body: { password: 'a brand new password for Priya' } }))).toBe('200')
    const resets = (await auditTrail(server)).filter((entry) => entry.action === 'sign-in-reset')
    expect(resets.map((entry) => entry.details)).toEqual([{ accountName: 'Priya', accountId: priya.accountId }, { accountName: 'Priya', accountId: priya.accountId }])
  })

  test('an administrator disables the account of someone who has left: signed out everywhere at once, websockets too, no sign-in, not added to a conference again; enabled again, the password works', async () => {
    const { server, conference } = await clockedServer()
    const { admin } = server
    const priya = await professionalIn(admin, admin, conference.id, { name: 'Priya Left', email: uniqueEmail('priya'), role: 'socialWorker' })
    const raw = rawSocket(priya, conference.id)
    await raw.opened
    const disablePath = `/api/admin/accounts/${priya.accountId}/disable`
    const signInAs = () => api(signedOutDevice(priya.baseUrl), '/api/session', { method: 'POST', body: { email: priya.email, password: priya.password } })

    // Only administrators; not yourself, nor the last administrator.
    expect(await answerOf(await api(priya, disablePath, { method: 'POST' }))).toBe('404 not-found')
    const adminSession = await sessionOf(admin)
    if (adminSession?.kind !== 'account') throw new Error('the administrator is signed in to their account')
    expect(await answerOf(await api(admin, `/api/admin/accounts/${adminSession.account.id}/disable`, { method: 'POST' }))).toBe('409 own-account')
    expect(await answerOf(await api(admin, '/api/admin/accounts/no-such-account/disable', { method: 'POST' }))).toBe('404 account-not-found')
    const second = await newProfessional(admin, { name: 'Second Admin', email: uniqueEmail('second.admin'), admin: true })
    const secondSession = await sessionOf(second)
    if (secondSession?.kind !== 'account') throw new Error('the second administrator is signed in')
    await expectJson(await api(second, `/api/admin/accounts/${adminSession.account.id}/disable`, { method: 'POST' }), 200)
    expect(await answerOf(await api(admin, '/api/conferences'))).toBe('401 not-signed-in')
    // The second administrator is now the only one left, and cannot disable themselves (nobody else can).
    expect(await answerOf(await api(second, `/api/admin/accounts/${secondSession.account.id}/disable`, { method: 'POST' }))).toBe('409 own-account')
    await expectJson(await api(second, `/api/admin/accounts/${adminSession.account.id}/enable`, { method: 'POST' }), 200)
    const adminAgain = await signIn(server.url, ADMIN.email, ADMIN.password)

    const { account } = await expectJson<{ account: AccountSummary }>(await api(adminAgain, disablePath, { method: 'POST' }), 200)
    expect(account).toMatchObject({ id: priya.accountId, disabled: true, active: false })
    // Signed out everywhere at once, her open record too; her password opens nothing.
    expect(await sessionOf(priya)).toBeNull()
    expect(await closedAtOnce(raw)).toBe(CloseCode.unauthorized)
    expect(await answerOf(await signInAs())).toBe('401 sign-in-failed')
    const listed = await expectJson<{ accounts: AccountSummary[] }>(await api(adminAgain, '/api/admin/accounts'), 200)
    expect(listed.accounts.find((one) => one.id === priya.accountId)).toMatchObject({ disabled: true })
    // Added to a conference by her email: refused, saying why.
    const other = await createTestConference(adminAgain)
    const added = await api(adminAgain, `/api/conferences/${other.id}/people`, { method: 'POST', body: { email: priya.email, role: 'socialWorker' } })
    expect(added.status).toBe(409)
    const refusal = (await added.json()) as ApiErrorBody
    expect(refusal.error).toMatchObject({ code: 'account-disabled' })
    expect(refusal.error.message).toContain('Priya Left’s account is disabled')
    // A sign-in reset would hand out a link that cannot work.
    expect(await answerOf(await api(adminAgain, `/api/admin/accounts/${priya.accountId}/reset-sign-in`, { method: 'POST' }))).toBe('409 account-disabled')

    const enabled = await expectJson<{ account: AccountSummary }>(await api(adminAgain, `/api/admin/accounts/${priya.accountId}/enable`, { method: 'POST' }), 200)
    expect(enabled.account).toMatchObject({ disabled: false, active: true })
    expect(await answerOf(await signInAs())).toBe('200')
    await addToConference(adminAgain, other.id, { email: priya.email, role: 'socialWorker' })
    const changes = (await auditTrail(server)).filter((entry) => entry.action === 'account-disabled' || entry.action === 'account-enabled')
    expect(changes.map((entry) => [entry.action, entry.details])).toEqual([
      ['account-disabled', { accountName: ADMIN.name, accountId: adminSession.account.id }],
      ['account-enabled', { accountName: ADMIN.name, accountId: adminSession.account.id }],
      ['account-disabled', { accountName: 'Priya Left', accountId: priya.accountId }],
      ['account-enabled', { accountName: 'Priya Left', accountId: priya.accountId }],
    ])
  })

  test('30 minutes without activity sign a session out, and its websockets with it; activity keeps it alive', async () => {
    const { server, conference } = await clockedServer()
    const { admin } = server
    for (let step = 0; step < 3; step++) {
      clock.now += IDLE_LIMIT_MS - 60_000
      expect(await sessionOf(admin)).toMatchObject({ kind: 'account' })
    }
    const raw = rawSocket(admin, conference.id)
    await raw.opened

    clock.now += IDLE_LIMIT_MS + 1
    expect(await sessionOf(admin)).toBeNull()
    expect(await closedAtOnce(raw)).toBe(CloseCode.unauthorized)
    expect(await answerOf(await api(admin, '/api/conferences'))).toBe('401 not-signed-in')
    expect(await closedAtOnce(rawSocket(admin, conference.id))).toBe(CloseCode.unauthorized)
    // Signing in again works.
    expect(await sessionOf(await signIn(server.url, ADMIN.email, ADMIN.password))).toMatchObject({ kind: 'account' })
  })

  test("a parent whose session expired is asked to open her link again (4401); one taken out of the conference meanwhile hears she no longer has access (4403)", async () => {
    const { server, conference } = await clockedServer()
    const [mum, dad] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Dad', role: 'parentOrCarer' }),
    ])
    clock.now += IDLE_LIMIT_MS + 1
    const chair = await signIn(server.url, ADMIN.email, ADMIN.password)
    expect(await answerOf(await api(chair, `/api/conferences/${conference.id}/people/${dad.participantId}`, { method: 'DELETE' }))).toBe('204')
    expect(await closedAtOnce(rawSocket(mum, conference.id))).toBe(CloseCode.unauthorized)
    expect(await closedAtOnce(rawSocket(dad, conference.id))).toBe(CloseCode.forbidden)
    // Her link still works; so she can carry on.
    expect(await answerOf(await redeem(mum, { token: tokenOf(mum.invitation.link) }))).toBe('200')
  })

  test('a session ends 12 hours after sign-in, however active it was', async () => {
    const { server } = await clockedServer()
    const signedInAt = clock.now
    const step = IDLE_LIMIT_MS - 5 * 60_000
    for (let elapsed = step; elapsed < ABSOLUTE_LIMIT_MS; elapsed += step) {
      clock.now = signedInAt + elapsed
      expect(await sessionOf(server.admin), `after ${elapsed / 60_000} minutes`).not.toBeNull()
    }
    clock.now = signedInAt + ABSOLUTE_LIMIT_MS
    expect(await sessionOf(server.admin)).not.toBeNull()
    clock.now = signedInAt + ABSOLUTE_LIMIT_MS + 1
    expect(await sessionOf(server.admin)).toBeNull()
    expect(await answerOf(await api(server.admin, '/api/conferences'))).toBe('401 not-signed-in')
  })

  test("signing out ends the session and closes its websockets with 4401; the person's other sessions carry on", async () => {
    const { server, conference } = await clockedServer()
    const laptop = server.admin
    const phone = await signIn(server.url, ADMIN.email, ADMIN.password)
    const onLaptop = rawSocket(laptop, conference.id)
    const onPhone = rawSocket(phone, conference.id)
    await Promise.all([onLaptop.opened, onPhone.opened])

    const signOut = await api(laptop, '/api/session', { method: 'DELETE' })
    expect(signOut.status).toBe(204)
    expect(signOut.headers.getSetCookie().join(';')).toMatch(/safetymap_session=;/)
    expect(await closedAtOnce(onLaptop)).toBe(CloseCode.unauthorized)
    expect(await sessionOf(laptop)).toBeNull()
    expect(await answerOf(await api(laptop, `/api/conferences/${conference.id}`))).toBe('401 not-signed-in')
    expect(await closedAtOnce(rawSocket(laptop, conference.id))).toBe(CloseCode.unauthorized)

    // The phone's connection still answers.
    const heard = onPhone.received.length
    onPhone.socket.send(new Uint8Array([MessageType.queryAwareness]))
    await waitUntil(() => onPhone.received.length > heard, 'the phone is still connected')
    expect(await sessionOf(phone)).toMatchObject({ kind: 'account' })
  })

  test('a websocket without a session cookie, or with one that means nothing, closes with 4401 before any sync', async () => {
    const { server, conference } = await clockedServer()
    for (const cookie of ['', 'safetymap_session=garbage', `safetymap_session=${newToken()}`]) {
      const raw = rawSocket({ baseUrl: server.url, cookie }, conference.id)
      expect(await closedAtOnce(raw)).toBe(CloseCode.unauthorized)
      expect(raw.received).toEqual([])
    }
  })
})

// ---- 5. sign-in throttle ----------------------------------------------------------------------------

/**
 * A busy disk: each record is written only after the requests already read from the network have
 * been handled (a few turns of the event loop), so that a decision's check and its write are
 * apart, as on a busy server.
 */
function busyDisk(running: TestServer): void {
  const { access } = running.storage
  for (const records of [access.accounts, access.participants, access.sessions, access.passwordLinks] as const) {
    const put: (record: never) => Promise<void> = records.put.bind(records)
    records.put = async (record: never) => {
      for (let turn = 0; turn < 10; turn++) await new Promise<void>((resolve) => { setImmediate(resolve) })
      await put(record)
    }
  }
}

describe('decisions asked for at the same moment', () => {
  let server: TestServer
  let conference: ConferenceSummary

  beforeAll(async () => {
    server = await startTestServer()
    conference = await createTestConference(server.admin, { title: 'At the same moment' })
    busyDisk(server)
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  const invitationOf = async (participantId: string): Promise<ParticipantSummary['invitation']> => {
    const { people } = await expectJson<{ people: ParticipantSummary[] }>(await api(server.admin, `/api/conferences/${conference.id}/people`), 200)
    return people.find((person) => person.id === participantId)?.invitation
  }

  test(`an invitation link opened on ten new devices at once signs in ${String(INVITATION_MAX_DEVICES)} of them, and counts them all`, async () => {
    const invitation = await invite(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const answers = await Promise.all(Array.from({ length: 10 }, () => redeem(signedOutDevice(server.url), { token: tokenOf(invitation.link) }).then(answerOf)))
    expect(answers.filter((answer) => answer === '200')).toHaveLength(INVITATION_MAX_DEVICES)
    expect(answers.filter((answer) => answer === '400 invitation-not-valid')).toHaveLength(10 - INVITATION_MAX_DEVICES)
    expect((await invitationOf(invitation.participant.id))?.devicesUsed).toBe(INVITATION_MAX_DEVICES)
  })

  test('a link withdrawn while it is being opened stays withdrawn, and no device it signed in stays signed in', async () => {
    const invitation = await invite(server.admin, conference.id, { name: 'Dad', role: 'parentOrCarer' })
    // Dad's phone, opening the link again and again (one device: no limit on how often).
    const first = await redeem(signedOutDevice(server.url), { token: tokenOf(invitation.link) })
    const phone = withCookies(signedOutDevice(server.url), first)
    const [withdrawn, ...redeemed] = await Promise.all([
      api(server.admin, `/api/conferences/${conference.id}/invitations/${invitation.participant.id}`, { method: 'DELETE' }),
      ...Array.from({ length: 10 }, () => redeem(phone, { token: tokenOf(invitation.link) })),
    ])
    expect(withdrawn.status).toBe(200)
    // Each was either refused plainly or signed in before the withdrawal, which then signed it out.
    for (const response of redeemed) {
      expect(['200', '400 invitation-not-valid']).toContain(await answerOf(response.clone()))
      if (response.ok) expect(await sessionOf(withCookies(phone, response))).toBeNull()
    }
    expect((await invitationOf(invitation.participant.id))?.revoked).toBe(true)
    expect(await answerOf(await redeem(signedOutDevice(server.url), { token: tokenOf(invitation.link) }))).toBe('400 invitation-not-valid')
  })

  test('a set-password link used twice at once sets one password and signs in one device', async () => {
    const { passwordLink, account } = await createAccount(server.admin, { name: 'Robin', email: uniqueEmail('robin') })
    const choose = (password: string): Promise<Response> =>
      api(signedOutDevice(server.url), '/api/account/password', { method: 'POST', body: { token: tokenOf(passwordLink), password } })
    const answers = await Promise.all([choose(`${PROFESSIONAL_PASSWORD} one`), choose(`${PROFESSIONAL_PASSWORD} two`)])
    expect((await Promise.all(answers.map((answer) => answerOf(answer.clone())))).sort()).toEqual(['200', '400 link-not-valid'])
    const chosen = answers[0].ok ? 'one' : 'two'
    const signIn = (password: string): Promise<string> => api(signedOutDevice(server.url), '/api/session', { method: 'POST', body: { email: account.email, password } }).then(answerOf)
    expect(await signIn(`${PROFESSIONAL_PASSWORD} ${chosen}`)).toBe('200')
  })

  test('a professional added twice at once is in the conference once; removing them then takes them out', async () => {
    const sam = await newProfessional(server.admin, { name: 'Sam', email: uniqueEmail('sam') })
    const add = (): Promise<string> => api(server.admin, `/api/conferences/${conference.id}/people`, { method: 'POST', body: { email: sam.email, role: 'socialWorker' } }).then(answerOf)
    expect((await Promise.all([add(), add(), add()])).sort()).toEqual(['201', '409 already-in-conference', '409 already-in-conference'])
    const membership = await membershipOf(sam, conference.id)
    expect(await answerOf(await api(server.admin, `/api/conferences/${conference.id}/people/${membership.participantId}`, { method: 'DELETE' }))).toBe('204')
    expect(await answerOf(await api(sam, `/api/conferences/${conference.id}`))).toBe('404 conference-not-found')
  })

  test('twenty wrong passwords sent at once count as twenty guesses: five are checked, the rest refused, and the account locks', async () => {
    const kim = await newProfessional(server.admin, { name: 'Kim', email: uniqueEmail('kim') })
    const attempt = (password: string): Promise<string> => api(signedOutDevice(server.url), '/api/session', { method: 'POST', body: { email: kim.email, password } }).then(answerOf)
    const answers = await Promise.all(Array.from({ length: 20 }, (_, guess) => attempt(`not the password ${String(guess)}`)))
    expect(answers.filter((answer) => answer === '401 sign-in-failed')).toHaveLength(5)
    expect(answers.filter((answer) => answer === '429 too-many-attempts')).toHaveLength(15)
    expect(await attempt(kim.password)).toBe('429 too-many-attempts')
  })
})

describe('two administrators acting on each other at the same moment', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    if (server) await stopAndVerify(server)
    server = undefined
  })

  /** Bea, an administrator, and Ada (the first administrator) each send one request at once, Bea's first. */
  async function atOnce(beaDoes: (adaId: string) => string, adaDoes: (beaId: string) => string): Promise<string[]> {
    server = await startTestServer()
    const { admin } = server
    const adaId = server.storage.access.accounts.all()[0]!.id
    const bea = await newProfessional(admin, { name: 'Bea', email: uniqueEmail('bea'), admin: true })
    busyDisk(server)
    return Promise.all([
      api(bea, beaDoes(adaId), { method: 'POST' }).then(answerOf),
      api(admin, adaDoes(bea.accountId), { method: 'POST' }).then(answerOf),
    ])
  }

  const workingAdministrators = (running: TestServer): string[] =>
    running.storage.access.accounts.all().filter((account) => account.admin && !account.disabled && account.passwordHash !== null).map((account) => account.name)

  test('resetting each other: the first reset is done, the second refused, and one administrator can still sign in', async () => {
    const answers = await atOnce((ada) => `/api/admin/accounts/${ada}/reset-sign-in`, (bea) => `/api/admin/accounts/${bea}/reset-sign-in`)
    expect(answers.sort()).toEqual(['200', '401 not-signed-in'])
    expect(workingAdministrators(server!)).toHaveLength(1)
    expect(server!.access.setupNeeded).toBe(false)
  })

  test('one resetting the other while the other disables them: one administrator can still sign in', async () => {
    const answers = await atOnce((ada) => `/api/admin/accounts/${ada}/reset-sign-in`, (bea) => `/api/admin/accounts/${bea}/disable`)
    expect(answers.sort()).toEqual(['200', '401 not-signed-in'])
    expect(workingAdministrators(server!)).toHaveLength(1)
  })
})

describe('the sign-in throttle', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  test('after 5 wrong passwords for one account, the 6th attempt is refused with 429 even with the right password', async () => {
    const [sam, kim] = await Promise.all([
      newProfessional(server.admin, { name: 'Sam', email: uniqueEmail('sam') }),
      newProfessional(server.admin, { name: 'Kim', email: uniqueEmail('kim') }),
    ])
    const attempt = (email: string, password: string): Promise<Response> =>
      api(signedOutDevice(server.url), '/api/session', { method: 'POST', body: { email, password } })
    for (let wrong = 1; wrong <= 5; wrong++) {
      expect(await answerOf(await attempt(sam.email, `not the password ${wrong}`))).toBe('401 sign-in-failed')
    }
    const locked = await attempt(sam.email, sam.password)
    expect(locked.headers.getSetCookie()).toEqual([])
    expect(await answerOf(locked)).toBe('429 too-many-attempts')
    // The lock is on that account: a colleague at the same address still signs in.
    expect(await answerOf(await attempt(kim.email, kim.password))).toBe('200')
    const failures = (await auditTrail(server)).filter((entry) => entry.action === 'sign-in-failed')
    expect(failures.map((entry) => entry.actor.id)).toEqual(Array(5).fill(sam.accountId))
  })
})

describe('nobody can keep someone else out by failing on purpose', () => {
  let server: TestServer | undefined
  let clock: ReturnType<typeof movableClock>

  afterEach(async () => {
    if (server) await stopAndVerify(server)
    server = undefined
  })

  async function clockedServer(): Promise<TestServer> {
    clock = movableClock()
    server = await startTestServer({ now: clock.read })
    return server
  }

  const signInFrom = (device: Device, email: string, password: string): Promise<Response> =>
    api(device, '/api/session', { method: 'POST', body: { email, password } })

  /** Five wrong passwords for `email` from browsers that never signed in: the account locks for them. */
  async function lockOut(running: TestServer, email: string): Promise<void> {
    for (let wrong = 1; wrong <= 5; wrong++) {
      expect(await answerOf(await signInFrom(signedOutDevice(running.url), email, `not the password ${wrong}`))).toBe('401 sign-in-failed')
    }
  }

  /** Only the browser's device cookie: what a browser keeps after its session has ended. */
  const browserOf = (device: Device): Device => ({ ...device, cookie: device.cookie.split('; ').filter((pair) => pair.startsWith('safetymap_device=')).join('; ') })

  test('a browser that signed in before still signs its owner in, and changes her password, however long someone else keeps her account locked; new browsers are refused', async () => {
    const running = await clockedServer()
    const priya = await newProfessional(running.admin, { name: 'Priya', email: uniqueEmail('priya') })
    const laptop = browserOf(priya)
    expect(laptop.cookie).not.toBe('')
    /** Moves the clock on, with Priya's open session in use now and then so it does not time out. */
    const later = async (minutes: number): Promise<void> => {
      for (let step = 0; step < minutes; step += 10) {
        clock.now += Math.min(10, minutes - step) * 60_000
        expect(await sessionOf(priya)).not.toBeNull()
      }
    }
    for (const lockMinutes of [15, 30]) {
      await lockOut(running, priya.email)
      const refused = await refusal(await signInFrom(signedOutDevice(running.url), priya.email, priya.password), 429)
      expect(refused).toMatchObject({ code: 'too-many-attempts', message: `Too many attempts to sign in. Please wait ${lockMinutes} minutes and try again.` })
      await later(lockMinutes + 1)
    }
    // Locked a third time (60 minutes): her own laptop is not held by it.
    await lockOut(running, priya.email)
    expect(await answerOf(await signInFrom(signedOutDevice(running.url), priya.email, priya.password))).toBe('429 too-many-attempts')
    const newPassword = 'a new password only Priya knows'
    expect(await answerOf(await api(priya, '/api/account/password/change', { method: 'POST', body: { currentPassword: priya.password, password: newPassword } }))).toBe('200')
    expect(await answerOf(await signInFrom(laptop, priya.email, newPassword))).toBe('200')
    // Guessing from a browser she signed in on stays as slow: five wrong passwords lock it too.
    for (let wrong = 1; wrong <= 5; wrong++) expect(await answerOf(await signInFrom(laptop, priya.email, `not the password ${wrong}`))).toBe('401 sign-in-failed')
    expect(await answerOf(await signInFrom(laptop, priya.email, newPassword))).toBe('429 too-many-attempts')
  })

  test('a browser that signed in with her old password is trusted no more once she changes it: the account’s lock holds it like any other', async () => {
    const running = await clockedServer()
    const priya = await newProfessional(running.admin, { name: 'Priya', email: uniqueEmail('priya') })
    // Someone who had her old password signed in somewhere.
    const stolen = await signInFrom(signedOutDevice(running.url), priya.email, priya.password)
    expect(stolen.status).toBe(200)
    const intruder = browserOf(withCookies(signedOutDevice(running.url), stolen))
    expect(await answerOf(await api(priya, '/api/account/password/change', { method: 'POST', body: { currentPassword: priya.password, password: 'a new password only Priya knows' } }))).toBe('200')
    await lockOut(running, priya.email)
    expect(await answerOf(await signInFrom(intruder, priya.email, 'a guess at her new password'))).toBe('429 too-many-attempts')
    // Her own browser, where she changed it, still signs her in.
    expect(await answerOf(await signInFrom(browserOf(priya), priya.email, 'a new password only Priya knows'))).toBe('200')
  })

  test('an administrator’s reset clears the lock: after choosing a new password through the link she signs in from any browser', async () => {
    const running = await clockedServer()
    const priya = await newProfessional(running.admin, { name: 'Priya', email: uniqueEmail('priya') })
    await lockOut(running, priya.email)
    expect(await answerOf(await signInFrom(signedOutDevice(running.url), priya.email, priya.password))).toBe('429 too-many-attempts')
    const { passwordLink } = await expectJson<NewAccountResponse>(await api(running.admin, `/api/admin/accounts/${priya.accountId}/reset-sign-in`, { method: 'POST' }), 200)
    // No longer "wait 15 minutes": her old password is simply gone.
    expect(await answerOf(await signInFrom(signedOutDevice(running.url), priya.email, priya.password))).toBe('401 sign-in-failed')
    const newPassword = 'a brand new password for Priya'
    await setPassword(running.url, passwordLink, newPassword)
    expect(await answerOf(await signInFrom(signedOutDevice(running.url), priya.email, newPassword))).toBe('200')
  })

  test('choosing a password through a set-password link clears the account’s lock', async () => {
    const running = await clockedServer()
    const { account, passwordLink } = await createAccount(running.admin, { name: 'Robin', email: uniqueEmail('robin') })
    // Locked before Robin has even chosen a password.
    await lockOut(running, account.email)
    await setPassword(running.url, passwordLink, PROFESSIONAL_PASSWORD)
    expect(await answerOf(await signInFrom(signedOutDevice(running.url), account.email, PROFESSIONAL_PASSWORD))).toBe('200')
  })

  test('a family’s link works however many sign-ins failed at the same address; invitation codes have a count of their own, which does not lock sign-ins', async () => {
    const running = await clockedServer()
    const conference = await createTestConference(running.admin, { title: 'One office, one address' })
    const kim = await newProfessional(running.admin, { name: 'Kim', email: uniqueEmail('kim') })
    // Twenty failed sign-ins from this address (the office Wi-Fi): it is locked for sign-ins.
    for (let failure = 0; failure < 20; failure++) {
      expect(await answerOf(await signInFrom(signedOutDevice(running.url), uniqueEmail('nobody'), 'not anybody’s password'))).toBe('401 sign-in-failed')
    }
    expect(await answerOf(await signInFrom(signedOutDevice(running.url), kim.email, kim.password))).toBe('429 too-many-attempts')
    // A parent opening her link there, or typing her code, is let in all the same.
    const mum = await invite(running.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    expect(await answerOf(await redeem(signedOutDevice(running.url), { token: tokenOf(mum.link) }))).toBe('200')
    const dad = await invite(running.admin, conference.id, { name: 'Dad', role: 'parentOrCarer' })
    expect(await answerOf(await redeem(signedOutDevice(running.url), { code: dad.code }))).toBe('200')

    clock.now += 16 * 60_000
    // Twenty wrong codes lock codes at this address, even a right one; not links, not sign-ins.
    for (let failure = 0; failure < 20; failure++) {
      const wrong = `ZZZZZ-ZZZ${READABLE_CODE_ALPHABET.charAt(failure)}Z`
      expect(await answerOf(await redeem(signedOutDevice(running.url), { code: wrong }))).toBe('400 invitation-not-valid')
    }
    const gran = await invite(running.admin, conference.id, { name: 'Gran', role: 'familyNetwork' })
    expect(await answerOf(await redeem(signedOutDevice(running.url), { code: gran.code }))).toBe('429 too-many-attempts')
    expect(await answerOf(await redeem(signedOutDevice(running.url), { token: tokenOf(gran.link) }))).toBe('200')
    expect(await answerOf(await signInFrom(signedOutDevice(running.url), kim.email, kim.password))).toBe('200')
    clock.now += 16 * 60_000
    const grandad = await invite(running.admin, conference.id, { name: 'Grandad', role: 'familyNetwork' })
    expect(await answerOf(await redeem(signedOutDevice(running.url), { code: grandad.code }))).toBe('200')
  })

  test('links that are no invitation’s count as guesses: after twenty from one address the next is refused without writing to the audit trail, while a real link still works', async () => {
    const running = await clockedServer()
    const conference = await createTestConference(running.admin, { title: 'Junk links' })
    const refusedBefore = (await auditTrail(running)).filter((entry) => entry.action === 'invitation-refused').length
    for (let junk = 0; junk < 20; junk++) {
      expect(await answerOf(await redeem(signedOutDevice(running.url), { token: `not-a-link-${String(junk)}` }))).toBe('400 invitation-not-valid')
    }
    expect(await answerOf(await redeem(signedOutDevice(running.url), { token: 'one-more-junk-link' }))).toBe('429 too-many-attempts')
    expect((await auditTrail(running)).filter((entry) => entry.action === 'invitation-refused').length - refusedBefore).toBe(20)
    const mum = await invite(running.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    expect(await answerOf(await redeem(signedOutDevice(running.url), { token: tokenOf(mum.link) }))).toBe('200')
  })
})

describe('signing in without giving away who has an account', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  test('an email with no account is refused after the same password work as a wrong password, with the same answer', async () => {
    const lee = await newProfessional(server.admin, { name: 'Lee', email: uniqueEmail('lee') })
    const timed = async (email: string): Promise<{ answer: string; ms: number }> => {
      const started = performance.now()
      const answer = await answerOf(await api(signedOutDevice(server.url), '/api/session', { method: 'POST', body: { email, password: 'not the password at all' } }))
      return { answer, ms: performance.now() - started }
    }
    const known: number[] = []
    const unknown: number[] = []
    // Taking turns, and fewer than the throttle's 5 per account, so both see the same machine.
    for (let round = 0; round < 4; round++) {
      const wrongPassword = await timed(lee.email)
      const noAccount = await timed(uniqueEmail('nobody'))
      expect([wrongPassword.answer, noAccount.answer]).toEqual(['401 sign-in-failed', '401 sign-in-failed'])
      known.push(wrongPassword.ms)
      unknown.push(noAccount.ms)
    }
    // Both run one scrypt (about 100 ms); without the stand-in an unknown email took a few ms.
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    expect(median(unknown), `unknown ${unknown.map(Math.round).join(', ')} ms; known ${known.map(Math.round).join(', ')} ms`).toBeGreaterThan(median(known) / 2)
  })

  test('a password stored under weaker settings is stored again under the current ones at the next sign-in', async () => {
    const kai = await newProfessional(server.admin, { name: 'Kai', email: uniqueEmail('kai') })
    const account = server.storage.access.accounts.find((candidate) => candidate.email === kai.email)
    if (!account) throw new Error('no account for Kai')
    // What a hash from an earlier, cheaper setting looks like (N=2^14).
    const salt = randomBytes(16)
    const weak = `scrypt$16384$8$1$${salt.toString('base64url')}$${scryptSync(kai.password, salt, 32, { N: 2 ** 14, r: 8, p: 1 }).toString('base64url')}`
    await server.storage.access.accounts.put({ ...account, passwordHash: weak })
    await signIn(server.url, kai.email, kai.password)
    const stored = server.storage.access.accounts.find((candidate) => candidate.id === account.id)?.passwordHash ?? ''
    expect(stored).not.toBe(weak)
    expect(needsRehash(stored)).toBe(false)
    expect(await verifyPassword(kai.password, stored)).toBe(true)
  })
})

describe('behind a proxy (TRUST_PROXY)', () => {
  const CLIENT = '203.0.113.7'
  const PHONE = '198.51.100.9'
  const servers: TestServer[] = []

  afterAll(async () => {
    await Promise.all(servers.map((server) => stopAndVerify(server)))
  })

  /** Signs a new professional in through a proxy that says the client is CLIENT, over https. */
  async function signInThroughProxy(server: TestServer): Promise<{ professional: Professional; response: Response }> {
    const professional = await newProfessional(server.admin, { name: 'Rowan', email: uniqueEmail('rowan') })
    const response = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json', 'x-forwarded-for': CLIENT, 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: professional.email, password: professional.password }),
    })
    expect(response.status).toBe(200)
    return { professional, response }
  }

  /** Where the audit trail says the account's latest sign-in came from (choosing a password signed them in once already). */
  const lastSignInFrom = async (server: TestServer, accountId: string): Promise<string | undefined> =>
    (await auditTrail(server)).filter((entry) => entry.action === 'sign-in' && entry.actor.id === accountId).at(-1)?.from

  test('a trusted proxy’s client address is the one recorded for sign-ins and websockets (the address the sign-in throttle counts), and its https makes the cookie Secure', async () => {
    const server = await startTestServer({ trustProxy: trustedProxies('loopback') })
    servers.push(server)
    const { professional, response } = await signInThroughProxy(server)
    expect(response.headers.getSetCookie().every((cookie) => cookie.includes('; Secure'))).toBe(true)
    expect(await lastSignInFrom(server, professional.accountId)).toBe(CLIENT)

    const conference = await createTestConference(server.admin)
    const socket = new WebSocket(`${server.syncUrl}/${conference.id}`, { origin: server.url, headers: { cookie: server.admin.cookie, 'x-forwarded-for': PHONE } })
    await new Promise((resolve, reject) => { socket.once('open', resolve).once('error', reject) })
    await expect.poll(async () => (await auditTrail(server)).filter((entry) => entry.action === 'join').map((entry) => entry.from)).toEqual([PHONE])
    socket.close()
  })

  test('with no proxy trusted (the default), forwarded headers are ignored: nobody can name another address or claim https', async () => {
    const server = await startTestServer()
    servers.push(server)
    const { professional, response } = await signInThroughProxy(server)
    expect(response.headers.getSetCookie().some((cookie) => cookie.includes('; Secure'))).toBe(false)
    expect(await lastSignInFrom(server, professional.accountId)).toMatch(/127\.0\.0\.1$/)
  })

  test('TRUST_PROXY takes hops, addresses and subnets, and refuses what is not one, by name', () => {
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy('10.0.0.1', 0)).toBe(true)
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy('10.0.0.1', 1)).toBe(false)
    const subnet = readConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy
    expect([subnet('10.1.2.3', 0), subnet('127.0.0.1', 0), subnet('192.0.2.1', 0)]).toEqual([true, true, false])
    expect(readConfig({}).trustProxy('127.0.0.1', 0)).toBe(false)
    expect(() => readConfig({ TRUST_PROXY: 'the load balancer' })).toThrow(/^Invalid environment: TRUST_PROXY: /)
  })
})

// ---- 6. hardening -------------------------------------------------------------------------------------

describe('hardening', () => {
  let server: TestServer
  let conference: ConferenceSummary

  beforeAll(async () => {
    server = await startTestServer()
    conference = await createTestConference(server.admin)
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  async function rawRequest(pathname: string, init: { method: string; body: string; encoding?: string }): Promise<Response> {
    return fetch(`${server.url}${pathname}`, {
      method: init.method,
      headers: { origin: server.url, cookie: server.admin.cookie, 'content-type': 'application/json', ...(init.encoding ? { 'content-encoding': init.encoding } : {}) },
      body: init.body,
    })
  }

  test('a change sent from a foreign origin, or with no origin, is refused with cross-site-request and changes nothing', async () => {
    const { admin } = server
    const parent = await invite(admin, conference.id, { name: 'Parent', role: 'parentOrCarer' })
    const before = { conferences: await conferencesOf(admin), people: await peopleOf(admin, conference.id), audit: (await auditTrail(server)).length }
    const attempts: { path: string; method: string; body?: unknown }[] = [
      { path: '/api/conferences', method: 'POST', body: { title: 'Forged', kind: 'uk-initial', date: '2026-11-23', role: 'chair' } },
      { path: `/api/conferences/${conference.id}/invitations`, method: 'POST', body: { name: 'Forged', role: 'observer' } },
      { path: `/api/conferences/${conference.id}/people/${parent.participant.id}`, method: 'PATCH', body: { role: 'observer' } },
      { path: `/api/conferences/${conference.id}/invitations/${parent.participant.id}`, method: 'DELETE' },
      { path: '/api/admin/accounts', method: 'POST', body: { name: 'Forged', email: uniqueEmail('forged') } },
      { path: '/api/session', method: 'DELETE' },
      { path: '/api/session', method: 'POST', body: { email: ADMIN.email, password: ADMIN.password } },
    ]
    for (const origin of [FOREIGN_ORIGIN, null]) {
      for (const attempt of attempts) {
        const response = await api(admin, attempt.path, { method: attempt.method, body: attempt.body, origin })
        expect(response.headers.getSetCookie()).toEqual([])
        expect(`${attempt.method} ${attempt.path}: ${await answerOf(response)}`).toBe(`${attempt.method} ${attempt.path}: 403 cross-site-request`)
      }
    }
    expect({ conferences: await conferencesOf(admin), people: await peopleOf(admin, conference.id), audit: (await auditTrail(server)).length }).toEqual(before)
    expect(await sessionOf(admin)).toMatchObject({ kind: 'account' })
  })

  test('a websocket upgrade from a foreign origin, or with no origin, is refused with HTTP 403', async () => {
    for (const origin of [FOREIGN_ORIGIN, null]) {
      const raw = rawSocket(server.admin, conference.id, { origin })
      await expect(raw.opened).rejects.toThrow('upgrade refused: 403')
    }
  })

  test("every response carries a Content-Security-Policy with script-src 'self' and frame-ancestors 'none'", async () => {
    const responses = [
      await fetch(`${server.url}/`),
      await fetch(`${server.url}/conferences/${conference.id}`),
      await api(server.admin, '/api/health'),
      await api(signedOutDevice(server.url), '/api/conferences'),
      await api(server.admin, '/api/nothing-here'),
    ]
    for (const response of responses) {
      const directives = new Map((response.headers.get('content-security-policy') ?? '').split(';').map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/)
        return [name, values] as const
      }))
      expect(directives.get('script-src')).toEqual(["'self'"])
      expect(directives.get('frame-ancestors')).toEqual(["'none'"])
      expect(directives.get('default-src')).toEqual(["'self'"])
    }
  })

  test('no API response may be cached, successes and errors alike', async () => {
    const responses = {
      health: await api(server.admin, '/api/health'),
      session: await api(server.admin, '/api/session'),
      conference: await api(server.admin, `/api/conferences/${conference.id}`),
      export: await api(server.admin, '/api/admin/audit/export'),
      notSignedIn: await api(signedOutDevice(server.url), '/api/conferences'),
      noRoute: await api(server.admin, '/api/nothing-here'),
      crossSite: await api(server.admin, '/api/conferences', { method: 'POST', body: {}, origin: FOREIGN_ORIGIN }),
      tooLarge: await rawRequest('/api/conferences', { method: 'POST', body: JSON.stringify({ title: 'x'.repeat(70_000) }) }),
      invalidJson: await rawRequest('/api/conferences', { method: 'POST', body: '{"title":' }),
    }
    expect(Object.fromEntries(Object.entries(responses).map(([name, response]) => [name, response.headers.get('cache-control')])))
      .toEqual(Object.fromEntries(Object.keys(responses).map((name) => [name, 'no-store'])))
  })

  test('an oversized JSON body gets 413 in the one JSON error shape, and creates nothing', async () => {
    const before = await conferencesOf(server.admin)
    const response = await rawRequest('/api/conferences', {
      method: 'POST',
      body: JSON.stringify({ title: 'x'.repeat(70_000), kind: 'uk-initial', date: '2026-11-23', role: 'chair' }),
    })
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ error: { code: 'too-large', message: expect.any(String) as string } })
    expect(await conferencesOf(server.admin)).toEqual(before)
  })

  test('a body that does not decompress, an unknown encoding and dates out of this world get a clear 4xx, and create nothing', async () => {
    const before = await conferencesOf(server.admin)
    const valid = JSON.stringify({ title: 'Far off', kind: 'uk-initial', date: '2026-11-23', role: 'chair' })
    expect(await answerOf(await rawRequest('/api/conferences', { method: 'POST', body: valid, encoding: 'gzip' }))).toBe('400 invalid-request')
    expect(await answerOf(await rawRequest('/api/conferences', { method: 'POST', body: valid, encoding: 'zstd-of-my-own' }))).toBe('415 unsupported-encoding')
    // A conference in the year 9999 would give its invitations an expiry no timestamp can hold.
    for (const date of ['9999-12-31', '0000-01-01']) {
      const response = await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Far off', kind: 'uk-initial', date, role: 'chair' } })
      expect(await expectJson(response, 400)).toMatchObject({ error: { code: 'invalid-request', fields: { date: 'Give a date between the years 1900 and 2199.' } } })
    }
    // Not a date at all: said first, rather than which years a date may be in.
    const notADate = await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Far off', kind: 'uk-initial', date: '26-02-03', role: 'chair' } })
    expect(await expectJson(notADate, 400)).toMatchObject({ error: { fields: { date: 'Give the date as year-month-day, such as 2026-03-14.' } } })
    expect(await answerOf(await api(server.admin, '/api/dashboard?today=9999-12-31'))).toBe('400 invalid-request')
    expect(await conferencesOf(server.admin)).toEqual(before)
    expect(server.logLines.filter((line) => line.level === 'error')).toEqual([])
  })

  test('no error body carries a stack trace, a file path or anything beyond the one error shape', async () => {
    const { admin } = server
    const signedOut = signedOutDevice(server.url)
    const errors = [
      await rawRequest('/api/conferences', { method: 'POST', body: '{"title":' }),
      await rawRequest('/api/conferences', { method: 'POST', body: JSON.stringify({ title: 'x'.repeat(70_000) }) }),
      await rawRequest('/api/session', { method: 'POST', body: '[1, 2, 3]' }),
      await api(admin, '/api/conferences', { method: 'POST', body: { title: '', kind: 'not a kind', date: 'tomorrow', role: 'king' } }),
      await api(admin, '/api/conferences/%E0%A4%A'),
      await api(admin, `/api/conferences/${conference.id}/people/%E0%A4%A`, { method: 'DELETE' }),
      await api(admin, `/api/conferences/${'x'.repeat(500)}`),
      await api(admin, '/api/nothing-here'),
      await api(admin, '/api/health', { method: 'PUT' }),
      await api(signedOut, '/api/conferences'),
      await api(signedOut, '/api/admin/audit'),
      await api(admin, '/api/conferences', { method: 'POST', origin: FOREIGN_ORIGIN }),
      await api(signedOut, '/api/invitations/redeem', { method: 'POST', body: { token: newToken() } }),
      await api(signedOut, '/api/session', { method: 'POST', body: { email: 'nobody@example.org', password: 'wrong password' } }),
    ]
    for (const response of errors) {
      const text = await response.text()
      expect(response.status, text).toBeGreaterThanOrEqual(400)
      expect(response.status, `${response.url}: ${text}`).toBeLessThan(500)
      expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|\.ts\b|\/work\/|Error:|stack/i)
      const body = JSON.parse(text) as Record<string, unknown>
      expect(Object.keys(body)).toEqual(['error'])
      expect(Object.keys(body.error as object).filter((key) => !['code', 'message', 'fields'].includes(key))).toEqual([])
    }
    expect(server.logLines.filter((line) => line.level === 'error')).toEqual([])
  })
})

// ---- 7. the audit trail --------------------------------------------------------------------------------

describe('the audit trail', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await stopAndVerify(server)
  })

  type Summary = [action: string, actor: string, conferenceId: string | undefined]

  /**
   * Runs one action and returns what it appended to the audit trail, as [action, actor id (or
   * 'anonymous'), conference]. HTTP answers come after their entries are on disk; `later` waits
   * for an entry written after the action returned (a websocket's "leave").
   */
  async function audited<T>(action: () => Promise<T>, options: { later?: true } = {}): Promise<{ result: T; added: AuditEntry[]; summary: Summary[] }> {
    const before = (await auditTrail(server)).length
    const result = await action()
    const added = options.later
      ? await vi.waitFor(async () => {
          const entries = (await auditTrail(server)).slice(before)
          if (entries.length === 0) throw new Error('no audit entry yet')
          return entries
        }, { timeout: AT_ONCE_MS, interval: 10 })
      : (await auditTrail(server)).slice(before)
    for (const entry of added) {
      expect(entry.from).toMatch(/127\.0\.0\.1/)
      expect(Date.parse(entry.at)).not.toBeNaN()
    }
    const summary = added.map((entry): Summary => [entry.action, entry.actor.kind === 'anonymous' ? 'anonymous' : entry.actor.id ?? '(none)', entry.conferenceId])
    return { result, added, summary }
  }

  test('each audited action leaves exactly one entry, with the right actor and conference', async () => {
    const { admin } = server
    const adminId = (await expectJson<{ session: { account: { id: string } } }>(await api(admin, '/api/session'), 200)).session.account.id
    const email = uniqueEmail('nell')

    const created = await audited(() => createAccount(admin, { name: 'Nell Note-taker', email }))
    const nellId = created.result.account.id
    expect(created.summary).toEqual([['account-created', adminId, undefined]])
    expect(created.added[0]?.details).toMatchObject({ accountName: 'Nell Note-taker', accountId: nellId, admin: false })

    const passwordChosen = await audited(() => setPassword(server.url, created.result.passwordLink, PROFESSIONAL_PASSWORD))
    expect(passwordChosen.summary).toEqual([['sign-in', nellId, undefined]])

    const signedIn = await audited(() => signIn(server.url, email, PROFESSIONAL_PASSWORD))
    const nell = signedIn.result
    expect(signedIn.summary).toEqual([['sign-in', nellId, undefined]])
    expect(signedIn.added[0]?.details).toEqual({ kind: 'account' })

    const wrongPassword = await audited(() => api(signedOutDevice(server.url), '/api/session', { method: 'POST', body: { email, password: 'not my password' } }))
    expect(wrongPassword.summary).toEqual([['sign-in-failed', nellId, undefined]])
    const unknownEmail = await audited(() => api(signedOutDevice(server.url), '/api/session', { method: 'POST', body: { email: 'nobody@example.org', password: 'whatever it is' } }))
    expect(unknownEmail.summary).toEqual([['sign-in-failed', 'anonymous', undefined]])

    const conferenceCreated = await audited(async () => (await expectJson<{ conference: ConferenceSummary }>(await api(nell, '/api/conferences', {
      method: 'POST', body: { title: 'Audited', kind: 'uk-initial', date: '2026-11-23', role: 'noteTaker' },
    }), 201)).conference)
    const conferenceId = conferenceCreated.result.id
    expect(conferenceCreated.summary).toEqual([['conference-created', nellId, conferenceId]])

    const invited = await audited(() => invite(nell, conferenceId, { name: 'Parent', role: 'parentOrCarer' }))
    const parentId = invited.result.participant.id
    expect(invited.summary).toEqual([['invitation-created', nellId, conferenceId]])

    const redeemed = await audited(async () => {
      const response = await redeem(signedOutDevice(server.url), { token: tokenOf(invited.result.link) })
      await expectJson(response.clone(), 200)
      return withCookies(signedOutDevice(server.url), response)
    })
    const parent = redeemed.result
    expect(redeemed.summary).toEqual([['invitation-redeemed', parentId, conferenceId], ['sign-in', parentId, undefined]])

    const viewed = await audited(() => membershipOf(parent, conferenceId))
    expect(viewed.summary).toEqual([['record-viewed', parentId, conferenceId]])

    const joined = await audited(async () => {
      const live = join(parent, conferenceId, { authorId: parentId })
      await live.synced()
      return live
    })
    expect(joined.summary).toEqual([['join', parentId, conferenceId]])
    expect(joined.added[0]?.details).toEqual({ document: 'record' })
    const left = await audited(() => { joined.result.destroy(); return Promise.resolve() }, { later: true })
    expect(left.summary).toEqual([['leave', parentId, conferenceId]])
    expect(left.added[0]?.details).toEqual({ document: 'record' })

    // The professionals-only section is a document of its own: the trail says which was opened.
    const section = await audited(async () => {
      const socket = openRawSocket(nell, `/${syncRoomName(conferenceId, 'professionalsOnly')}?v=1`)
      await socket.opened
      return socket
    }, { later: true })
    expect(section.summary).toEqual([['join', nellId, conferenceId]])
    expect(section.added[0]?.details).toEqual({ document: 'professionalsOnly' })
    const sectionLeft = await audited(() => { section.result.socket.close(); return Promise.resolve() }, { later: true })
    expect(sectionLeft.summary).toEqual([['leave', nellId, conferenceId]])
    expect(sectionLeft.added[0]?.details).toEqual({ document: 'professionalsOnly' })

    const roleChanged = await audited(() => api(nell, `/api/conferences/${conferenceId}/people/${parentId}`, { method: 'PATCH', body: { role: 'familyNetwork' } }))
    expect(roleChanged.summary).toEqual([['role-changed', nellId, conferenceId]])
    expect(roleChanged.added[0]?.details).toEqual({ participantId: parentId, from: 'parentOrCarer', to: 'familyNetwork' })

    const unknownInvitation = await audited(() => redeem(signedOutDevice(server.url), { token: newToken() }))
    expect(unknownInvitation.summary).toEqual([['invitation-refused', 'anonymous', undefined]])

    const revoked = await audited(() => api(nell, `/api/conferences/${conferenceId}/invitations/${parentId}`, { method: 'DELETE' }))
    expect(revoked.summary).toEqual([['invitation-revoked', nellId, conferenceId]])
    const refused = await audited(() => redeem(signedOutDevice(server.url), { token: tokenOf(invited.result.link) }))
    expect(refused.summary).toEqual([['invitation-refused', parentId, conferenceId]])
    expect(refused.added[0]?.details).toEqual({ reason: 'revoked' })

    const added = await audited(async () => (await expectJson<{ participant: ParticipantSummary }>(
      await api(nell, `/api/conferences/${conferenceId}/people`, { method: 'POST', body: { email: ADMIN.email, role: 'chair' } }), 201)).participant)
    expect(added.summary).toEqual([['member-added', nellId, conferenceId]])
    const roundId = await openRound(admin, conferenceId, { kind: 'overall' })
    const revealed = await audited(() => api(admin, `/api/conferences/${conferenceId}/scoring-rounds/${roundId}/reveal`, { method: 'POST' }))
    expect(revealed.summary).toEqual([['scores-revealed', adminId, conferenceId]])

    // The chair removes the note-taker (a note-taker may not remove the chair).
    const people = (await expectJson<{ people: ParticipantSummary[] }>(await api(admin, `/api/conferences/${conferenceId}/people`), 200)).people
    const nellHere = people.find((person) => person.role === 'noteTaker')!.id
    const removed = await audited(() => api(admin, `/api/conferences/${conferenceId}/people/${nellHere}`, { method: 'DELETE' }))
    expect(removed.summary).toEqual([['participant-removed', adminId, conferenceId]])
    expect(removed.added[0]?.details).toEqual({ participantId: nellHere })

    const auditViewed = await audited(async () => (await expectJson<{ entries: AuditEntry[] }>(await api(admin, `/api/admin/audit?conferenceId=${conferenceId}`), 200)).entries)
    expect(auditViewed.summary).toEqual([['audit-viewed', adminId, undefined]])
    // Newest first, this conference only.
    expect(auditViewed.result.map((entry) => entry.action)).toEqual([
      'participant-removed', 'scores-revealed', 'member-added', 'invitation-refused', 'invitation-revoked', 'role-changed', 'leave', 'join', 'leave', 'join', 'record-viewed',
      'invitation-redeemed', 'invitation-created', 'conference-created',
    ])

    const exported = await audited(async () => (await api(admin, '/api/admin/audit/export')).text())
    expect(exported.summary).toEqual([['audit-exported', adminId, undefined]])

    const signedOut = await audited(() => api(nell, '/api/session', { method: 'DELETE' }))
    expect(signedOut.summary).toEqual([['sign-out', nellId, undefined]])
  })

  test('the export is the audit log itself, as JSON lines, and it verifies', async () => {
    const response = await api(server.admin, '/api/admin/audit/export')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?safetymap-audit-\d{4}-\d{2}-\d{2}\.jsonl"?$/)
    const text = await response.text()
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.split('\n').slice(0, -1)
    expect(lines.map((line) => (JSON.parse(line) as AuditEntry).seq)).toEqual(lines.map((_line, index) => index + 1))
    expect(lines.at(-1)).toContain('"audit-exported"')
    // Byte for byte the file on disk at that moment.
    expect(text).toBe(await fs.readFile(path.join(server.dataDir, AUDIT_FILE), 'utf8'))
    const copy = path.join(await makeTempDir(), 'exported.jsonl')
    await fs.writeFile(copy, text)
    expect(await verifyAuditLog(copy)).toMatchObject({ ok: true, entries: lines.length })
  })

  test('anyone but an administrator gets 404 on every /api/admin route', async () => {
    const conference = await createTestConference(server.admin)
    const [professional, family] = await Promise.all([
      professionalIn(server.admin, server.admin, conference.id, { name: 'Colleague', email: uniqueEmail('colleague'), role: 'socialWorker' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Family member', role: 'parentOrCarer' }),
    ])
    const before = (await auditTrail(server)).length
    for (const device of [professional, family]) {
      for (const route of [...ADMIN_ROUTES, { method: 'GET', path: '/api/admin/something-else' }]) {
        const response = await api(device, route.path, { method: route.method, ...(route.method === 'POST' ? { body: { name: 'X', email: uniqueEmail('x') } } : {}) })
        expect(`${route.method} ${route.path}: ${await answerOf(response)}`).toBe(`${route.method} ${route.path}: 404 not-found`)
      }
    }
    // Nothing was viewed, exported or created.
    expect((await auditTrail(server)).slice(before)).toEqual([])
  })

  test('the audit log on disk is an unbroken hash chain', async () => {
    const verdict = await verifyAuditLog(path.join(server.dataDir, AUDIT_FILE))
    expect(verdict).toMatchObject({ ok: true, entries: (await auditTrail(server)).length })
  })
})

// ---- 8. the first administrator --------------------------------------------------------------------

describe('the first administrator', () => {
  test('the set-up link works once; a second use is refused and set-up is no longer needed', async () => {
    const dataDir = await makeTempDir()
    const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, log: createLogger('silent') })
    try {
      const url = `http://127.0.0.1:${server.port}`
      const nobody = signedOutDevice(url)
      expect(await expectJson(await api(nobody, '/api/setup'), 200)).toEqual({ needed: true })

      // A newer link (each start makes one) replaces the older.
      const older = await server.access.newSetupLink()
      const link = await server.access.newSetupLink()
      expect(link).toMatch(/^\/welcome#/)
      const setUp = (token: string, email: string): Promise<Response> =>
        api(nobody, '/api/setup', { method: 'POST', body: { token, name: 'First admin', email, password: PROFESSIONAL_PASSWORD } })
      expect(await answerOf(await setUp(tokenOf(older ?? ''), 'older@example.org'))).toBe('400 link-not-valid')

      // Used from four places at once, it still sets up one administrator.
      const emails = ['first', 'second', 'third', 'fourth'].map((name) => `${name}@example.org`)
      const answers = await Promise.all(emails.map((email) => setUp(tokenOf(link ?? ''), email)))
      expect((await Promise.all(answers.map((answer) => answerOf(answer.clone())))).sort()).toEqual(['201', ...Array<string>(3).fill('400 link-not-valid')])
      const first = answers.find((answer) => answer.ok)
      const firstEmail = emails[answers.findIndex((answer) => answer.ok)]
      if (!first) throw new Error('nobody set up')
      expect(await expectJson(first.clone(), 201)).toMatchObject({ session: { kind: 'account', account: { admin: true, email: firstEmail } } })
      const admin = withCookies(nobody, first)
      expect(await sessionOf(admin)).toMatchObject({ kind: 'account', account: { admin: true } })

      expect(await answerOf(await setUp(tokenOf(link ?? ''), 'later@example.org'))).toBe('400 link-not-valid')
      expect(await expectJson(await api(nobody, '/api/setup'), 200)).toEqual({ needed: false })
      expect(await server.access.newSetupLink()).toBeNull()
      const { accounts } = await expectJson<{ accounts: { email: string }[] }>(await api(admin, '/api/admin/accounts'), 200)
      expect(accounts.map((account) => account.email)).toEqual([firstEmail])
      expect((await auditTrail({ dataDir })).filter((entry) => entry.action === 'admin-setup')).toHaveLength(1)
    } finally {
      await stopAndVerify({ ...server, dataDir })
    }
  })
})

describe('nobody gives or touches a role with more authority than their own', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await server.stop()
  })

  test('a note-taker can add the chair of a conference that has none, but not a second chair, nor remove or demote the chair', async () => {
    const nell = await newProfessional(server.admin, { name: 'Nell Note-taker', email: 'nell.authority@example.org' })
    const conference = await expectJson<{ conference: ConferenceSummary }>(await api(nell, '/api/conferences', {
      method: 'POST', body: { title: 'Set up by the note-taker', kind: 'uk-initial', date: '2026-11-23', role: 'noteTaker' },
    }), 201)
    const conferenceId = conference.conference.id
    const chair = await addToConference(nell, conferenceId, { email: ADMIN.email, role: 'chair' })
    const worker = await professionalIn(server.admin, nell, conferenceId, { name: 'Sol Worker', email: 'sol.authority@example.org', role: 'socialWorker' })

    const codeOf = async (response: Response): Promise<[number, string]> => [response.status, ((await response.json()) as { error: { code: string } }).error.code]
    const secondChair = await newProfessional(server.admin, { name: 'Another Chair', email: 'another.chair@example.org' })
    expect(await codeOf(await api(nell, `/api/conferences/${conferenceId}/people`, { method: 'POST', body: { email: secondChair.email, role: 'chair' } }))).toEqual([403, 'not-allowed'])
    // Refused in words that say what she tried: removing, not changing a role.
    expect(await refusal(await api(nell, `/api/conferences/${conferenceId}/people/${chair.id}`, { method: 'DELETE' }), 403)).toMatchObject({
      code: 'not-allowed',
      message: 'Your role cannot remove the chair from this conference. Ask the chair or facilitator.',
    })
    expect(await refusal(await api(worker, `/api/conferences/${conferenceId}/people/${chair.id}`, { method: 'PATCH', body: { role: 'otherProfessional' } }), 403)).toMatchObject({
      code: 'not-allowed',
      message: 'Your role cannot change the role of the chair. Ask the chair or facilitator.',
    })
    expect(await codeOf(await api(nell, `/api/conferences/${conferenceId}/people/${worker.participantId}`, { method: 'PATCH', body: { role: 'chair' } }))).toEqual([403, 'not-allowed'])
    expect((await api(nell, `/api/conferences/${conferenceId}/people/${worker.participantId}`, { method: 'PATCH', body: { role: 'otherProfessional' } })).status).toBe(200)
    // The chair may do all of it.
    expect((await api(server.admin, `/api/conferences/${conferenceId}/people/${worker.participantId}`, { method: 'PATCH', body: { role: 'decisionMaker' } })).status).toBe(200)
    // Once there is a decision-maker, the note-taker cannot make a second one.
    expect(await codeOf(await api(nell, `/api/conferences/${conferenceId}/people`, { method: 'POST', body: { email: secondChair.email, role: 'decisionMaker' } }))).toEqual([403, 'not-allowed'])
  })

  test('a chair whose account was disabled does not leave the conference stuck: the note-taker sees why, makes someone else chair and may remove them', async () => {
    const nina = await newProfessional(server.admin, { name: 'Nina Note-taker', email: 'nina.authority@example.org' })
    const conference = await expectJson<{ conference: ConferenceSummary }>(await api(nina, '/api/conferences', {
      method: 'POST', body: { title: 'Their chair has left', kind: 'uk-initial', date: '2026-11-23', role: 'noteTaker' },
    }), 201)
    const conferenceId = conference.conference.id
    const leaving = await professionalIn(server.admin, nina, conferenceId, { name: 'Sam Leaving', email: 'sam.leaving@example.org', role: 'chair' })
    const oli = await professionalIn(server.admin, nina, conferenceId, { name: 'Oli Other', email: 'oli.other@example.org', role: 'socialWorker' })
    const people = `/api/conferences/${conferenceId}/people`
    // While the chair can act, the note-taker cannot make a second one.
    expect((await refusal(await api(nina, `${people}/${oli.participantId}`, { method: 'PATCH', body: { role: 'chair' } }), 403)).code).toBe('not-allowed')

    await expectJson(await api(server.admin, `/api/admin/accounts/${leaving.accountId}/disable`, { method: 'POST' }), 200)
    const listed = await expectJson<{ people: ParticipantSummary[] }>(await api(nina, people), 200)
    expect(listed.people.find((person) => person.id === leaving.participantId)).toMatchObject({ role: 'chair', accountDisabled: true })
    expect(listed.people.find((person) => person.id === oli.participantId)?.accountDisabled).toBeUndefined()
    await expectJson(await api(nina, `${people}/${oli.participantId}`, { method: 'PATCH', body: { role: 'chair' } }), 200)
    expect((await api(nina, `${people}/${leaving.participantId}`, { method: 'DELETE' })).status).toBe(204)
    // The new chair can act: the note-taker cannot take the role from them.
    expect((await refusal(await api(nina, `${people}/${oli.participantId}`, { method: 'PATCH', body: { role: 'socialWorker' } }), 403)).code).toBe('not-allowed')
  })
})
