import { Router } from 'express'
import { z } from 'zod'
import type { SessionResponse } from '../../shared/access'
import type { AccessControl } from '../auth/accessControl'
import { newSecretToken } from '../auth/secrets'
import { ensureDeviceCookie, keepDeviceId, readCookie, requestContext, SESSION_COOKIE, setSessionCookie, signedInAccount, signedInOrNull, withDeviceId } from './auth'
import { HttpError, parseOrThrow } from './errors'
import { emailAddress as email, personName } from './words'

const password = z.string().min(1, 'Please type a password.').max(200, 'Use a password of at most 200 characters.')
const token = z.string().min(20).max(100)

const signInBody = z.object({ email, password, code: z.string().trim().max(10).optional() })
const setupBody = z.object({ token, name: personName, email, password })
const setPasswordBody = z.object({ token, password })
const codeBody = z.object({ code: z.string().trim().min(1).max(10) })
const passwordBody = z.object({ password: z.string().max(200) })
const changePasswordBody = z.object({ currentPassword: z.string().max(200), password })
const moveBody = z.object({ password: z.string().max(200), code: z.string().trim().max(10) })
// Any link is looked up, however cut short in copying: one that is not an invitation is refused
// in the invitation's own words (invitation-not-valid), and audited, as any other.
const redeemBody = z.union([z.object({ token: z.string().max(200) }), z.object({ code: z.string().min(1).max(40) })])

/**
 * Signing in and out: `/api/session`, `/api/setup` (the first administrator), `/api/account`
 * (password links, second factor) and `/api/invitations/redeem` (families). docs/http-api.md.
 */
export function sessionRoutes(access: AccessControl): Router {
  const router = Router()

  router.get('/session', (request, response) => {
    const who = signedInOrNull(response)
    const takenOut = who ? null : access.takenOutParticipant(readCookie(request, SESSION_COOKIE))
    const answer: SessionResponse = { session: who ? access.sessionInfo(who) : null, ...(takenOut ? { takenOut } : {}) }
    response.json(answer)
  })

  router.post('/session', async (request, response) => {
    const input = parseOrThrow(signInBody, request.body)
    const context = withDeviceId(request, newSecretToken)
    const { token: sessionToken, session } = await access.signIn(input, context)
    keepDeviceId(request, response, context)
    setSessionCookie(request, response, sessionToken)
    response.json({ session })
  })

  router.delete('/session', async (request, response) => {
    const who = signedInOrNull(response)
    if (who) await access.signOut(who, requestContext(request))
    response.clearCookie(SESSION_COOKIE, { path: '/' })
    response.status(204).end()
  })

  router.get('/setup', (_request, response) => {
    response.json({ needed: access.setupNeeded })
  })

  router.post('/setup', async (request, response) => {
    const input = parseOrThrow(setupBody, request.body)
    const context = withDeviceId(request, newSecretToken)
    const { token: sessionToken, session } = await access.setUpFirstAdmin(input, context)
    keepDeviceId(request, response, context)
    setSessionCookie(request, response, sessionToken)
    response.status(201).json({ session })
  })

  router.post('/account/password', async (request, response) => {
    const input = parseOrThrow(setPasswordBody, request.body)
    const context = withDeviceId(request, newSecretToken)
    const { token: sessionToken, session } = await access.setPassword(input, context)
    keepDeviceId(request, response, context)
    setSessionCookie(request, response, sessionToken)
    response.json({ session })
  })

  router.post('/account/password/change', async (request, response) => {
    const who = signedInAccount(response)
    const input = parseOrThrow(changePasswordBody, request.body)
    const account = await access.changePassword(who, input, requestContext(request))
    response.json({ session: { kind: 'account', account } })
  })

  router.post('/account/second-factor/move', async (request, response) => {
    const { account } = signedInAccount(response)
    const input = parseOrThrow(moveBody, request.body)
    response.json(await access.moveSecondFactor(account, input, requestContext(request)))
  })

  router.post('/account/second-factor', async (request, response) => {
    const { account } = signedInAccount(response)
    const { password: given } = parseOrThrow(passwordBody, request.body)
    response.json(await access.startSecondFactor(account, given, requestContext(request)))
  })

  router.post('/account/second-factor/confirm', async (request, response) => {
    const who = signedInAccount(response)
    const { code } = parseOrThrow(codeBody, request.body)
    const account = await access.confirmSecondFactor(who.account, code, requestContext(request))
    response.json({ session: { kind: 'account', account } })
  })

  router.post('/invitations/redeem', async (request, response) => {
    const input = parseOrThrow(redeemBody, request.body)
    // A professional who opens a family member's link in their own browser would silently become
    // that family member: their open board would then write as them, and one of the link's devices be used.
    const who = signedInOrNull(response)
    if (who?.kind === 'account') {
      throw new HttpError(409, 'signed-in-as-professional', `You are signed in as ${who.account.name}. This link or code is for someone invited to a family meeting, on their own device. If this is their device, sign out first, then open the link or type the code again.`)
    }
    const context = ensureDeviceCookie(request, response, newSecretToken)
    const redeemed = await access.redeem(input, context)
    setSessionCookie(request, response, redeemed.token)
    response.json({ session: redeemed.session, conferenceId: redeemed.conferenceId })
  })

  return router
}
