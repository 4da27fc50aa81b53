import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { z } from 'zod'
import type { ApiErrorBody } from '../../shared/api'
import { errorMessage, type Logger } from '../log'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message)
  }
}

/** A 400 that says, field by field, what is wrong with what was sent. */
export const invalidRequest = (fields: Record<string, string>): HttpError => new HttpError(400, 'invalid-request', 'Some of the details sent are not valid.', fields)

/** Parses a request part with zod, or throws a 400 that names each invalid field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const fields: Record<string, string> = {}
  // The first problem of a field is the one to fix first ("not a date" before "a date between…").
  for (const issue of parsed.error.issues) fields[issue.path.join('.') || '(body)'] ??= issue.message
  throw invalidRequest(fields)
}

/** A conference that does not exist and one you are not in get the same answer, so ids cannot be probed. */
export const conferenceNotFound = (): HttpError => new HttpError(404, 'conference-not-found', 'There is no conference at this address, or you have not been invited to it.')

export const apiNotFound: RequestHandler = (_request, _response, next) => {
  next(new HttpError(404, 'not-found', 'There is nothing at this address.'))
}

/** Turns any error into the one JSON shape. Never sends stack traces or internal details. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    let httpError: HttpError
    if (error instanceof HttpError) {
      httpError = error
    } else if (error instanceof URIError) {
      // A path with broken percent-encoding, which the router could not decode into a parameter.
      httpError = new HttpError(400, 'invalid-request', 'The address of this request is not valid.')
    } else if (isBodyParserError(error)) {
      httpError = error.type === 'entity.too.large' ? new HttpError(413, 'too-large', 'The request is too large.')
        : error.type === 'encoding.unsupported' || error.type === 'charset.unsupported' ? new HttpError(415, 'unsupported-encoding', 'The request body is sent in an encoding this server does not read.')
        : new HttpError(400, 'invalid-json', 'The request body is not valid JSON.')
    } else if (isUnreadableBody(error)) {
      httpError = new HttpError(400, 'invalid-request', 'The request body could not be read.')
    } else {
      log.error('http.unhandled-error', { method: request.method, path: request.path, error: errorMessage(error) })
      httpError = new HttpError(500, 'internal-error', 'Something went wrong on the server. Nothing you saved was lost; please try again.')
    }
    const body: ApiErrorBody = {
      error: { code: httpError.code, message: httpError.message, ...(httpError.fields ? { fields: httpError.fields } : {}) },
    }
    // Errors raised before the API's own Cache-Control (a foreign origin, a body too large) must not be cached either.
    response.setHeader('Cache-Control', 'no-store')
    response.status(httpError.status).json(body)
  }
}

function isBodyParserError(error: unknown): error is { type: string } {
  return typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string'
}

/** The body parser's own 400 without a type: a compressed body that does not decompress. */
function isUnreadableBody(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && error.status === 400 && 'expose' in error && error.expose === true
}
