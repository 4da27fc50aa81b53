import { Router } from 'express'
import { z } from 'zod'
import type { AccessControl } from '../auth/accessControl'
import { actorOf } from '../auth/accessControl'
import type { AuditLog } from '../audit/auditLog'
import { requestContext, signedInAdmin } from './auth'
import { parseOrThrow } from './errors'
import { emailAddress, personName } from './words'

const newAccountBody = z.object({
  name: personName,
  email: emailAddress,
  admin: z.boolean().default(false),
  programmeLead: z.boolean().default(false),
})

const accountParams = z.object({ accountId: z.string().max(100) })

const auditQuery = z.object({
  conferenceId: z.string().max(100).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

/** `/api/admin`: accounts and the audit trail, for administrators only. docs/http-api.md. */
export function adminRoutes(access: AccessControl, audit: AuditLog): Router {
  const router = Router()

  router.get('/accounts', (_request, response) => {
    signedInAdmin(response)
    response.json({ accounts: access.listAccounts() })
  })

  router.post('/accounts', async (request, response) => {
    const who = signedInAdmin(response)
    const input = parseOrThrow(newAccountBody, request.body)
    response.status(201).json(await access.createAccount(who.account, input, requestContext(request)))
  })

  router.post('/accounts/:accountId/reset-sign-in', async (request, response) => {
    const who = signedInAdmin(response)
    const { accountId } = parseOrThrow(accountParams, request.params)
    response.json(await access.resetSignIn(who.account, accountId, requestContext(request)))
  })

  router.post('/accounts/:accountId/disable', async (request, response) => {
    const who = signedInAdmin(response)
    const { accountId } = parseOrThrow(accountParams, request.params)
    response.json({ account: await access.disableAccount(who.account, accountId, requestContext(request)) })
  })

  router.post('/accounts/:accountId/enable', async (request, response) => {
    const who = signedInAdmin(response)
    const { accountId } = parseOrThrow(accountParams, request.params)
    response.json({ account: await access.enableAccount(who.account, accountId, requestContext(request)) })
  })

  router.get('/audit', async (request, response) => {
    const who = signedInAdmin(response)
    const query = parseOrThrow(auditQuery, request.query)
    const entries = await audit.entries({
      limit: query.limit,
      ...(query.conferenceId ? { conferenceId: query.conferenceId } : {}),
      ...(query.before ? { before: query.before } : {}),
    })
    await access.recordLook({ action: 'audit-viewed', actor: actorOf(who), from: requestContext(request).from })
    response.json({ entries })
  })

  router.get('/audit/export', async (request, response) => {
    const who = signedInAdmin(response)
    await access.recordLook({ action: 'audit-exported', actor: actorOf(who), from: requestContext(request).from })
    // attachment() sets a type from the file name (.jsonl is unknown: octet-stream), so the type comes after.
    response.attachment(`safetymap-audit-${new Date().toISOString().slice(0, 10)}.jsonl`).type('application/x-ndjson')
    for await (const line of audit.exportLines()) response.write(line.endsWith('\n') ? line : `${line}\n`)
    response.end()
  })

  return router
}
