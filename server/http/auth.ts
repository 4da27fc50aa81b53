import type { IncomingMessage } from 'node:http'
import type { Request, RequestHandler, Response } from 'express'
import proxyaddr from 'proxy-addr'
import { ABSOLUTE_LIMIT_MS, type AccessControl, type RequestContext, type Signedin } from '../auth/accessControl'
import { HttpError } from './errors'

export const SESSION_COOKIE = 'safetymap_session'
/**
 * A random id per browser (httpOnly, 400 days), so an invitation counts each device once however
 * often it is used, and a browser that has signed in to an account is not kept out by others'
 * failed sign-ins to it (server/auth/throttle.ts).
 */
export const DEVICE_COOKIE = 'safetymap_device'

/** The value of one cookie in a Cookie header (HTTP requests and websocket upgrades alike). */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=')
    if (separator !== -1 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim()
  }
  return undefined
}

/** Which proxies in front of the server may say who the client is, and whether it used https (TRUST_PROXY). */
export type TrustedProxies = (address: string, hop: number) => boolean

export const NO_TRUSTED_PROXY: TrustedProxies = () => false

/**
 * TRUST_PROXY as Express reads 'trust proxy': empty for none, a number of hops, or addresses,
 * subnets and the names loopback, linklocal and uniquelocal, separated by commas. Never "every
 * proxy": then anyone could name any address and dodge the per-address sign-in throttle.
 */
export function trustedProxies(setting: string): TrustedProxies {
  const value = setting.trim()
  if (value === '') return NO_TRUSTED_PROXY
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    return (_address, hop) => hop < hops
  }
  return proxyaddr.compile(value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
}

/**
 * Who a request came from. An Express request knows its client address already (`ip`, through
 * the app's 'trust proxy'); a websocket upgrade is not an Express request, so it passes the
 * trusted proxies itself.
 */
export function requestContext(request: IncomingMessage & { ip?: string | undefined }, trusted?: TrustedProxies): RequestContext {
  const deviceId = readCookie(request, DEVICE_COOKIE)
  const from = trusted ? proxyaddr(request, trusted) : (request.ip ?? request.socket.remoteAddress ?? 'unknown')
  return { from, ...(deviceId ? { deviceId } : {}) }
}

/**
 * The origins a browser may send requests and open websockets from: the configured list, or else
 * the address the request itself was sent to (the usual case: one server, one address).
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin
  if (!origin) return false
  if (allowedOrigins.length > 0) return allowedOrigins.includes(origin)
  const host = request.headers.host
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)
}

/**
 * Cross-site request forgery: the session cookie is SameSite=Strict, and on top of that every
 * request that changes something must come from one of our own pages (browsers always send
 * Origin on such requests).
 */
export function sameOriginChanges(allowedOrigins: readonly string[]): RequestHandler {
  return (request, _response, next) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') {
      next()
      return
    }
    if (!originAllowed(request, allowedOrigins)) {
      next(new HttpError(403, 'cross-site-request', 'This request did not come from a SafetyMap page.'))
      return
    }
    next()
  }
}

/** Resolves the session cookie (if any) once per request, into `response.locals.who`. */
export function identify(access: AccessControl): RequestHandler {
  return async (request, response, next) => {
    const who = await access.resolveSession(readCookie(request, SESSION_COOKIE))
    response.locals.who = who
    // A cookie that no longer works is cleared, so the browser stops sending it; except that of
    // someone taken out of their conference, which tells their device to drop the record
    // (GET /api/session, the websocket's 4403), until the session is pruned.
    const cookie = readCookie(request, SESSION_COOKIE)
    if (!who && cookie !== undefined && !access.takenOutParticipant(cookie)) response.clearCookie(SESSION_COOKIE, { path: '/' })
    next()
  }
}

export function signedInOrNull(response: Response): Signedin | null {
  return (response.locals.who as Signedin | null | undefined) ?? null
}

export function signedIn(response: Response): Signedin {
  const who = signedInOrNull(response)
  if (!who) throw new HttpError(401, 'not-signed-in', 'Please sign in to carry on.')
  return who
}

export function signedInAccount(response: Response): Extract<Signedin, { kind: 'account' }> {
  const who = signedIn(response)
  if (who.kind !== 'account') throw new HttpError(403, 'not-allowed', 'Only professionals with a SafetyMap account can do that.')
  return who
}

export function signedInAdmin(response: Response): Extract<Signedin, { kind: 'account' }> {
  const who = signedIn(response)
  // Not 403: the administration pages are not there for anyone else, people invited by link included.
  if (who.kind !== 'account' || !who.account.admin) throw new HttpError(404, 'not-found', 'There is nothing at this address.')
  return who
}

/** Programme leads (and administrators, who make them) see the programme figures; for anyone else the page is not there. */
export function signedInProgrammeLead(response: Response): Extract<Signedin, { kind: 'account' }> {
  const who = signedIn(response)
  if (who.kind !== 'account' || !(who.account.programmeLead || who.account.admin)) throw new HttpError(404, 'not-found', 'There is nothing at this address.')
  return who
}

export function setSessionCookie(request: Request, response: Response, token: string): void {
  response.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: request.secure, path: '/', maxAge: ABSOLUTE_LIMIT_MS })
}

/**
 * The request's context with a device id: the browser's own, or a new one that `keepDeviceId`
 * then gives it. Kept only once it is used (a sign-in, a redeemed invitation), so a refused
 * request sets no cookie.
 */
export function withDeviceId(request: Request, newDeviceId: () => string): RequestContext & { deviceId: string; newDevice: boolean } {
  const context = requestContext(request)
  if (context.deviceId) return { ...context, deviceId: context.deviceId, newDevice: false }
  return { ...context, deviceId: newDeviceId(), newDevice: true }
}

/** Sets the device cookie for a device id `withDeviceId` made. */
export function keepDeviceId(request: Request, response: Response, context: { deviceId: string; newDevice: boolean }): void {
  if (!context.newDevice) return
  response.cookie(DEVICE_COOKIE, context.deviceId, { httpOnly: true, sameSite: 'strict', secure: request.secure, path: '/', maxAge: 400 * 24 * 60 * 60 * 1000 })
}

/** Gives the browser its device id if it has none yet (before an invitation is redeemed). */
export function ensureDeviceCookie(request: Request, response: Response, newDeviceId: () => string): RequestContext {
  const context = withDeviceId(request, newDeviceId)
  keepDeviceId(request, response, context)
  return { from: context.from, deviceId: context.deviceId }
}
