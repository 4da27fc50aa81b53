/**
 * People's devices as the server sees them: a base URL and a session cookie. Every request sends
 * the Origin a SafetyMap page would, so tests go through the same checks as browsers.
 */
import type { Role } from '../../shared/roles'
import type { NewInvitation } from '../../shared/access'

export interface Device {
  baseUrl: string
  /** `safetymap_session=…` (plus the device cookie once an invitation was redeemed), or '' when signed out. */
  cookie: string
}

export function signedOutDevice(baseUrl: string): Device {
  return { baseUrl, cookie: '' }
}

/** Calls the API as this device. JSON in, raw Response out. */
export async function api(device: Device, path: string, init: { method?: string; body?: unknown; origin?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { origin: init.origin ?? device.baseUrl, accept: 'application/json' }
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

/** Invites someone to a conference and redeems the link on a fresh device. */
export async function inviteAndJoin(organiser: Device, conferenceId: string, person: { name: string; role: Role }): Promise<Device & { participantId: string; invitation: NewInvitation }> {
  const invitation = await expectJson<NewInvitation>(await api(organiser, `/api/conferences/${conferenceId}/invitations`, { method: 'POST', body: person }), 201)
  const token = invitation.link.split('#')[1]
  const response = await api(signedOutDevice(organiser.baseUrl), '/api/invitations/redeem', { method: 'POST', body: { token } })
  await expectJson(response, 200)
  return { ...withCookies(signedOutDevice(organiser.baseUrl), response), participantId: invitation.participant.id, invitation }
}
