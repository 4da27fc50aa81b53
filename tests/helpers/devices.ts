/**
 * People's devices as the server sees them: a base URL and a session cookie. Every request sends
 * the Origin a SafetyMap page would, so tests go through the same checks as browsers.
 */
import type { Role } from '../../shared/roles'
import type { ApiErrorBody } from '../../shared/api'
import type { NewAccountResponse, NewInvitation, ParticipantSummary } from '../../shared/access'

export interface Device {
  baseUrl: string
  /** `safetymap_session=…` (plus the device cookie once an invitation was redeemed), or '' when signed out. */
  cookie: string
}

export function signedOutDevice(baseUrl: string): Device {
  return { baseUrl, cookie: '' }
}

/** Calls the API as this device. JSON in, raw Response out. `origin: null` sends no Origin at all. */
export async function api(device: Device, path: string, init: { method?: string; body?: unknown; origin?: string | null } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.origin !== null) headers.origin = init.origin ?? device.baseUrl
  if (device.cookie) headers.cookie = device.cookie
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  return fetch(`${device.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
}

/** The device with the cookies a response set added (a sign-in, a redeemed invitation). */
export function withCookies(device: Device, response: Response): Device {
  const jar = new Map(device.cookie.split('; ').filter(Boolean).map((pair) => [pair.split('=')[0]!, pair]))
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0]!
    jar.set(pair.split('=')[0]!, pair)
  }
  return { ...device, cookie: [...jar.values()].join('; ') }
}

export async function expectJson<T>(response: Response, status: number): Promise<T> {
  const text = await response.text()
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`)
  return (text ? JSON.parse(text) : null) as T
}

/** The error a refused request answered with, after checking its status. */
export async function refusal(response: Response, status: number): Promise<ApiErrorBody['error']> {
  return (await expectJson<ApiErrorBody>(response, status)).error
}

export const ADMIN = { name: 'Ada Admin', email: 'ada@example.org', password: 'a long enough test password' }

/** Uses the first-start set-up link (`/welcome#<token>`) to create the first administrator. */
export async function setUpFirstAdmin(baseUrl: string, setupLink: string): Promise<Device> {
  const token = setupLink.split('#')[1] ?? ''
  const response = await api(signedOutDevice(baseUrl), '/api/setup', { method: 'POST', body: { token, ...ADMIN } })
  await expectJson(response, 201)
  return withCookies(signedOutDevice(baseUrl), response)
}

/** Signs a professional in with email and password. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<Device> {
  const response = await api(signedOutDevice(baseUrl), '/api/session', { method: 'POST', body: { email, password } })
  await expectJson(response, 200)
  return withCookies(signedOutDevice(baseUrl), response)
}

/**
 * The author id this device's person has in a conference (their participant id): the server
 * refuses entries they add, and changes they stamp, under any other.
 */
export async function authorIdIn(device: Device, conferenceId: string): Promise<string> {
  return (await expectJson<{ you: { participantId: string } }>(await api(device, `/api/conferences/${conferenceId}`), 200)).you.participantId
}

/** Invites someone to a conference and redeems the link on a fresh device. */
export async function inviteAndJoin(organiser: Device, conferenceId: string, person: { name: string; role: Role }): Promise<Device & { participantId: string; invitation: NewInvitation }> {
  const invitation = await invite(organiser, conferenceId, person)
  const response = await redeem(signedOutDevice(organiser.baseUrl), { token: tokenOf(invitation.link) })
  await expectJson(response, 200)
  return { ...withCookies(signedOutDevice(organiser.baseUrl), response), participantId: invitation.participant.id, invitation }
}

/** Invites someone to a conference; the answer is the only one that carries the link and the code. */
export async function invite(organiser: Device, conferenceId: string, person: { name: string; role: Role }): Promise<NewInvitation> {
  return expectJson<NewInvitation>(await api(organiser, `/api/conferences/${conferenceId}/invitations`, { method: 'POST', body: person }), 201)
}

/** Redeems an invitation's link token or spoken code on this device (its device cookie, if any, goes along). */
export async function redeem(device: Device, input: { token: string } | { code: string }): Promise<Response> {
  return api(device, '/api/invitations/redeem', { method: 'POST', body: input })
}

/** The secret part of a link such as `/join#<token>` or `/set-password#<token>`. */
export function tokenOf(link: string): string {
  return link.split('#')[1] ?? ''
}

/** An administrator creates a professional's account; the answer carries its one-time set-password link. */
export async function createAccount(admin: Device, person: { name: string; email: string; admin?: boolean; programmeLead?: boolean }): Promise<NewAccountResponse> {
  return expectJson<NewAccountResponse>(await api(admin, '/api/admin/accounts', { method: 'POST', body: person }), 201)
}

/** Opens a set-password link on a fresh device: chooses the password, and that device is signed in. */
export async function setPassword(baseUrl: string, passwordLink: string, password: string): Promise<Device> {
  const response = await api(signedOutDevice(baseUrl), '/api/account/password', { method: 'POST', body: { token: tokenOf(passwordLink), password } })
  await expectJson(response, 200)
  return withCookies(signedOutDevice(baseUrl), response)
}

export const PROFESSIONAL_PASSWORD = 'correct horse battery staple'

export interface Professional extends Device {
  accountId: string
  email: string
  password: string
}

/** A professional whose account an administrator created and who chose their password: signed in, in no conference yet. */
export async function newProfessional(admin: Device, person: { name: string; email: string; admin?: boolean; programmeLead?: boolean }): Promise<Professional> {
  const { account, passwordLink } = await createAccount(admin, person)
  const device = await setPassword(admin.baseUrl, passwordLink, PROFESSIONAL_PASSWORD)
  return { ...device, accountId: account.id, email: account.email, password: PROFESSIONAL_PASSWORD }
}

/** Adds a professional's account to a conference in a professional role (`POST /api/conferences/:id/people`). */
export async function addToConference(organiser: Device, conferenceId: string, person: { email: string; role: Role }): Promise<ParticipantSummary> {
  const response = await api(organiser, `/api/conferences/${conferenceId}/people`, { method: 'POST', body: person })
  return (await expectJson<{ participant: ParticipantSummary }>(response, 201)).participant
}

/** A new professional account, signed in and added to the conference in `role`. */
export async function professionalIn(
  admin: Device,
  organiser: Device,
  conferenceId: string,
  person: { name: string; email: string; role: Role },
): Promise<Professional & { participantId: string }> {
  const professional = await newProfessional(admin, { name: person.name, email: person.email })
  const participant = await addToConference(organiser, conferenceId, { email: professional.email, role: person.role })
  return { ...professional, participantId: participant.id }
}
