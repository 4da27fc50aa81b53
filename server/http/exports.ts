import { Router } from 'express'
import { z } from 'zod'
import { detailsPart, type ConferenceDetails } from '../../shared/conference/details'
import { EXPORT_DOCUMENT_INFO, EXPORT_DOCUMENTS, type SentDocument, type SentDocumentsResponse, type SentStatus } from '../../shared/exports'
import type { Finalization } from '../../shared/conference/meta'
import { conferenceTimescales, workingCalendar } from '../../shared/timescales'
import { actorOf, type AccessControl } from '../auth/accessControl'
import { newId } from '../auth/secrets'
import { finalizationOf } from '../documents/finalizing'
import type { ConferenceRooms } from '../documents/rooms'
import type { RecordReader } from '../documents/recordReader'
import type { ScoringRound } from '../../shared/conference/scores'
import { fileNameOf, renderDocument } from '../exports/documents'
import { exportModelOf } from '../exports/load'
import { timeZoneOf } from '../programmes/referrals'
import { zonedTime } from '../../shared/programmes/deadlines'
import { RECORD_SCHEMA_PATH, recordJsonSchema } from '../exports/schema'
import { sameWords } from '../../shared/sameWords'
import { withinRepeatWindow } from '../repeats'
import { Turns } from '../turns'
import type { Storage, StoredSentDocument, StoredSentStatus } from '../storage/types'
import { amendmentsOf } from '../storage/amendments'
import type { Amendment } from '../../shared/api'
import { requestContext, signedIn } from './auth'
import { HttpError, parseOrThrow } from './errors'
import { textToShow } from './words'

const conferenceParams = z.object({ conferenceId: z.string().max(100) })
/** A little clock difference between devices is fine; a time in the future is a mistake. */
const FUTURE_LEEWAY_MS = 5 * 60 * 1000
const OPENED_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"

/**
 * What a parent (or anyone else the minutes are not for: an advocate, a Parent Partner, an
 * observer) who opens a link to the minutes or the JSON is told: a bare "not allowed" reads as if
 * something were hidden from them. It is the same record, sent to the family by the professionals.
 */
export const FOR_PROFESSIONALS =
  'The full minutes are for the professionals to file and send out. The family’s plan and the child’s version can be opened here. For a copy of the minutes, ask the social worker or the person who ran the meeting.'

const sentBody = z.object({
  document: z.enum(EXPORT_DOCUMENTS),
  to: textToShow({ max: 200, lines: false, empty: 'Write who it was sent to.' }),
  /** When it was sent; now when not given. */
  at: z.iso.datetime().optional(),
})

/**
 * The documents made from a conference's record (docs/exports.md) and who they were sent to.
 * Mounted at `/api`: `GET /conferences/:conferenceId/exports/<document>` for members whose role
 * may have that document (a conference you are not in answers 404, as everywhere),
 * `GET|POST /conferences/:conferenceId/exports/sent` for professionals, and the JSON export's
 * schema at `/exports/record.schema.json` for anyone.
 */
export function exportRoutes(storage: Storage, rooms: ConferenceRooms, scoring: RecordReader<readonly ScoringRound[]>, access: AccessControl, timeZone: string, now: () => number = Date.now): Router {
  const router = Router()
  // One sending recorded at a time: the same one sent twice at once must not both pass the repeat check.
  const recording = new Turns()

  router.get(RECORD_SCHEMA_PATH.replace(/^\/api/, ''), (_request, response) => {
    response.type('application/schema+json').send(JSON.stringify(recordJsonSchema(), null, 2))
  })

  for (const document of EXPORT_DOCUMENTS) {
    const info = EXPORT_DOCUMENT_INFO[document]
    router.get(`/conferences/:conferenceId/exports/${document}`, async (request, response) => {
      const who = signedIn(response)
      const { conferenceId } = parseOrThrow(conferenceParams, request.params)
      access.requireMember(who, conferenceId, info.needs, FOR_PROFESSIONALS)
      const model = await exportModelOf(storage, rooms, scoring, conferenceId, timeZone, now)
      const body = await renderDocument(document, model)
      await access.recordLook({ action: 'record-downloaded', actor: actorOf(who), conferenceId, from: requestContext(request).from, details: { document, state: model.status.state } })
      response.setHeader('Content-Type', info.contentType)
      response.setHeader('Content-Disposition', `${info.opensInBrowser ? 'inline' : 'attachment'}; filename="${fileNameOf(document, model)}"`)
      // A page opened from our own address: it may hold nothing but its own styles and drawings,
      // and runs as a sandbox, so words in the record can never act as the reader's session.
      if (info.opensInBrowser) response.setHeader('Content-Security-Policy', OPENED_PAGE_POLICY)
      response.send(body)
    })
  }

  router.get('/conferences/:conferenceId/exports/sent', async (request, response) => {
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    access.requireMember(signedIn(response), conferenceId, 'seeProfessionalsOnly')
    const answer: SentDocumentsResponse = await sentDocumentsOf(storage, rooms, conferenceId, timeZone)
    response.json(answer)
  })

  router.post('/conferences/:conferenceId/exports/sent', async (request, response) => {
    const who = signedIn(response)
    const { conferenceId } = parseOrThrow(conferenceParams, request.params)
    const member = access.requireMember(who, conferenceId, 'seeProfessionalsOnly')
    const input = parseOrThrow(sentBody, request.body)
    const recordedAt = new Date(now()).toISOString()
    if (input.at && Date.parse(input.at) > now() + FUTURE_LEEWAY_MS) {
      throw new HttpError(400, 'invalid-request', 'The time it was sent cannot be in the future.', { at: 'This time is in the future.' })
    }
    const at = input.at ? new Date(input.at).toISOString() : recordedAt
    const sent: StoredSentDocument = {
      id: newId(),
      conferenceId,
      document: input.document,
      to: input.to,
      at,
      recordedBy: member.participant.name,
      recordedById: member.participant.id,
      recordedAt,
      status: sentStatusOf(await finalizationOf(rooms, conferenceId), at),
    }
    await recording.run(async () => {
      const corrections = amendmentsOf(storage, conferenceId)
      if (storage.sentDocuments.find((earlier) => repeatsSending(earlier, sent, corrections))) throw alreadyRecorded()
      await storage.sentDocuments.put(sent)
    })
    await access.record({ action: 'document-sent', actor: actorOf(who), conferenceId, from: requestContext(request).from, details: { document: sent.document, at: sent.at, state: sent.status?.state ?? 'unknown' } })
    const { sent: all } = await sentDocumentsOf(storage, rooms, conferenceId, timeZone)
    response.status(201).json({ sent: all.find((candidate) => candidate.id === sent.id) })
  })

  return router
}

const alreadyRecorded = (): HttpError => new HttpError(409, 'sending-already-recorded', 'This sending was already recorded. It is in the list above.')

/**
 * The same document, the same version of it, to the same person at about the same time: one
 * sending recorded twice. Sent again later, once the record was closed, or once a correction was
 * added to it, it is another sending.
 */
function repeatsSending(earlier: StoredSentDocument, sent: StoredSentDocument, corrections: readonly Amendment[]): boolean {
  return earlier.conferenceId === sent.conferenceId
    && earlier.document === sent.document
    && sameWords(earlier.to, sent.to)
    && versionSent(earlier, corrections) === versionSent(sent, corrections)
    && withinRepeatWindow(earlier.at, Date.parse(sent.at))
}

/**
 * A draft, unknown, or the final record named by its kept copy's hash and the corrections added
 * to it by the time it was sent: corrections do not change the kept copy, but every document
 * made after one prints it.
 */
function versionSent({ status, at }: StoredSentDocument, corrections: readonly Amendment[]): string {
  if (status?.state !== 'final') return status?.state ?? 'unknown'
  return `${status.hash}+${String(corrections.length - correctionsAfter(corrections, at).length)}`
}

/** The corrections added after `at`, oldest first (`corrections` is oldest first). */
function correctionsAfter(corrections: readonly Amendment[], at: string): readonly Amendment[] {
  const sentAt = Date.parse(at)
  return corrections.filter((correction) => Date.parse(correction.at) > sentAt)
}

/**
 * Which version went out, judged when the sending is recorded: while the record is open only a
 * draft exists, and a document sent before the chair closed the record was a draft too, though
 * it is recorded afterwards. Otherwise it is the final record, named by the hash of its kept copy.
 */
function sentStatusOf(finalization: Finalization | null, at: string): StoredSentStatus {
  if (!finalization || Date.parse(at) < Date.parse(finalization.at)) return { state: 'draft' }
  return { state: 'final', hash: finalization.hash }
}

/**
 * The documents sent for a conference, oldest first, each against the target: the minutes'
 * timescale (shared/timescales.ts, as the dashboard has it), from the date on the board. A
 * document sent at 7 in the evening in Iowa was sent that day, though it was already tomorrow in UTC.
 */
async function sentDocumentsOf(storage: Storage, rooms: ConferenceRooms, conferenceId: string, serverTimeZone: string): Promise<SentDocumentsResponse> {
  const timeZone = await timeZoneOf(storage, conferenceId, serverTimeZone)
  const read: { details: Pick<ConferenceDetails, 'kind' | 'date'> | null } = { details: null }
  await rooms.change(conferenceId, (room) => { read.details = detailsPart(room.doc).get() })
  // The minutes' dates are calendar days: no public holiday moves them.
  const target = read.details ? conferenceTimescales(read.details, workingCalendar([])).find((timescale) => timescale.id === 'minutesSent') : undefined
  const corrections = amendmentsOf(storage, conferenceId)
  const sent = storage.sentDocuments
    .all((record) => record.conferenceId === conferenceId)
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
    .map(({ id, document, to, at, recordedBy, status }): SentDocument => {
      const day = zonedTime(new Date(at), timeZone).date
      // Stored before the version was kept: unknown, never taken for the final record.
      const version: SentStatus = status ?? { state: 'unknown' }
      // A draft went out before the record was closed, so before any correction: it says so already.
      const later = version.state === 'draft' ? [] : correctionsAfter(corrections, at)
      return {
        id, document, to, at, recordedBy, status: version,
        correctedSince: later[0] ? { count: later.length, firstOn: zonedTime(new Date(later[0].at), timeZone).date } : null,
        sameDay: target !== undefined && day === target.date,
        onTime: target !== undefined && target.date <= day && day <= target.latest,
        early: target !== undefined && day < target.date,
      }
    })
  return { dueBy: target?.latest ?? null, sent }
}
