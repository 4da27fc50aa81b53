import type { Permission } from './roles'

/**
 * The documents made from one conference record (docs/exports.md), who may download each, and
 * the record of who each was sent to and when. Shared by the server's routes and the client's
 * Downloads panel.
 */

export const EXPORT_DOCUMENTS = ['minutes.docx', 'minutes.pdf', 'record.json', 'family.html', 'family.pdf', 'child.html'] as const
export type ExportDocument = (typeof EXPORT_DOCUMENTS)[number]

export interface ExportDocumentInfo {
  /** What a person sees on the download link. */
  label: string
  /** One plain sentence: what it is. */
  hint: string
  /**
   * Who may download it. The minutes and the JSON are professional documents: they hold nothing
   * private (the professionals-only section is in no export), but they are what professionals
   * send out and file, and the family receives them from the chair, recorded below. The family
   * and child versions are for everyone in the conference.
   */
  needs: Extract<Permission, 'seeRecord' | 'seeProfessionalsOnly'>
  /** The file name starts with this; the conference date follows (never a family name). */
  fileStem: string
  extension: string
  contentType: string
  /**
   * Opened in the browser (a page to read on a phone, then print or save) rather than saved as a
   * file. A parent who taps a download on a phone often cannot find the file afterwards.
   */
  opensInBrowser: boolean
}

export const EXPORT_DOCUMENT_INFO: Readonly<Record<ExportDocument, ExportDocumentInfo>> = {
  'minutes.docx': {
    label: 'Minutes (Word)',
    hint: 'Every section in agenda order, with who wrote what, views and the scales.',
    needs: 'seeProfessionalsOnly',
    fileStem: 'conference-minutes',
    extension: 'docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    opensInBrowser: false,
  },
  'minutes.pdf': {
    label: 'Minutes (PDF)',
    hint: 'The same minutes, ready to print or send.',
    needs: 'seeProfessionalsOnly',
    fileStem: 'conference-minutes',
    extension: 'pdf',
    contentType: 'application/pdf',
    opensInBrowser: false,
  },
  'record.json': {
    label: 'Record for other systems (JSON)',
    hint: 'The whole record as data, with a published schema.',
    needs: 'seeProfessionalsOnly',
    fileStem: 'conference-record',
    extension: 'json',
    contentType: 'application/json; charset=utf-8',
    opensInBrowser: false,
  },
  'family.html': {
    label: 'Family version (web page)',
    hint: 'The plan and what happens next, in plain words and large type. It opens as a page to read, print or save.',
    needs: 'seeRecord',
    fileStem: 'family-plan',
    extension: 'html',
    contentType: 'text/html; charset=utf-8',
    opensInBrowser: true,
  },
  'family.pdf': {
    label: 'Family version (PDF)',
    hint: 'The same family version, to print.',
    needs: 'seeRecord',
    fileStem: 'family-plan',
    extension: 'pdf',
    contentType: 'application/pdf',
    opensInBrowser: false,
  },
  'child.html': {
    label: 'Child’s version (words and pictures)',
    hint: 'Short sentences, the three houses and who will help, to read with a child. It opens as a page.',
    needs: 'seeRecord',
    fileStem: 'child-version',
    extension: 'html',
    contentType: 'text/html; charset=utf-8',
    opensInBrowser: true,
  },
}

/** The target: documents go out the same day, and at the latest 72 hours after (the minutes' timescale, shared/timescales.ts). */
export const SEND_TARGET_HOURS = 72

/**
 * Which version of the record a sent document was: a draft (recorded while the record was open,
 * or sent before the chair closed it: it says "Draft" on every page), the final record (with the
 * SHA-256 of the copy kept at closing, as in the documents themselves), or unknown (recorded
 * before SafetyMap kept which). Only final minutes count as the minutes being sent.
 */
export type SentStatus = { state: 'draft' } | { state: 'final'; hash: string } | { state: 'unknown' }

/** One document sent to someone (POST /api/conferences/:id/exports/sent). */
export interface SentDocument {
  id: string
  document: ExportDocument
  /** Who it went to, in words ("Jo Example, by email"). */
  to: string
  /** When it was sent, ISO 8601 UTC. */
  at: string
  /** Who recorded it. */
  recordedBy: string
  /** Whether a draft or the final record went out (SentStatus). */
  status: SentStatus
  /** Sent on the conference day itself (days in UTC). */
  sameDay: boolean
  /** Sent on the conference day or after it, by the last day of the target (dueBy). */
  onTime: boolean
  /**
   * Sent on a day before the conference day: neither on time nor late (the meeting was moved to a
   * later day after something was sent, say, or the year was mistyped).
   */
  early: boolean
  /**
   * Corrections (amendments) added to the closed record after it was sent, so not in what went
   * out: how many, and the day of the first (YYYY-MM-DD, where the conference is held). Null when
   * none, and for a draft (sent before the record was closed, so before any correction).
   */
  correctedSince: { count: number; firstOn: string } | null
}

/** GET /api/conferences/:id/exports/sent */
export interface SentDocumentsResponse {
  /** The last day of the target, YYYY-MM-DD: three days after the conference (null while it has no date). */
  dueBy: string | null
  sent: SentDocument[]
}
