/** Typed calls to the SafetyMap HTTP API (docs/http-api.md). */

import type { ConferenceSummary } from '../shared/api'

export type { ConferenceSummary }

/** Every failed API call, carrying the server's `{ error: { code, message } }` when it sent one. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The server's stable code (e.g. `conference-not-found`), or `network-error` / `bad-response`. */
    readonly code: string,
    /** Plain English, fit to show a person. */
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const unreachable = 'SafetyMap could not be reached. Check your internet connection and try again.'
const unexpected = 'Something went wrong on the SafetyMap server. Please try again.'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, 'network-error', unreachable)
  }
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const serverError = isRecord(body) && isRecord(body.error) ? body.error : null
    const code = typeof serverError?.code === 'string' ? serverError.code : 'bad-response'
    const message = typeof serverError?.message === 'string' ? serverError.message : unexpected
    throw new ApiError(response.status, code, message)
  }
  if (body === null) throw new ApiError(response.status, 'bad-response', unexpected)
  return body
}

export async function listConferences(signal?: AbortSignal): Promise<ConferenceSummary[]> {
  const body = (await getJson('/api/conferences', signal)) as { conferences?: ConferenceSummary[] }
  if (!Array.isArray(body.conferences)) throw new ApiError(200, 'bad-response', unexpected)
  return body.conferences
}

export async function getConference(conferenceId: string, signal?: AbortSignal): Promise<ConferenceSummary> {
  const body = (await getJson(`/api/conferences/${encodeURIComponent(conferenceId)}`, signal)) as { conference?: ConferenceSummary }
  if (!body.conference) throw new ApiError(200, 'bad-response', unexpected)
  return body.conference
}
