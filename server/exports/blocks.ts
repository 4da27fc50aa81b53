import { isUsConference } from '../../shared/conference/agenda'
import type { ConferenceKind } from '../../shared/conference/details'
import { NESTING_INDENT } from '../../shared/conference/richText'
import type { ExportModel, ExportScale, ExportView } from './schema'

/**
 * A document as a list of blocks: the minutes and the family version are written once as
 * blocks, and each renderer (Word, PDF, HTML) only decides how a block looks.
 */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; style: ParagraphStyle; indent?: number }
  | { kind: 'detail'; label: string; value: string }
  | { kind: 'bullet'; text: string }
  | { kind: 'scale'; scale: ExportScale }

/**
 * body: ordinary text; lead: a short bold heading of an entry; byline: who wrote it, small;
 * view: someone's view beside an entry; amendment: a correction after finalizing; empty: "nothing recorded".
 */
export type ParagraphStyle = 'body' | 'lead' | 'byline' | 'view' | 'amendment' | 'empty'

/** Plain words, and the same in UK and US documents (which spell "finalised" differently). */
export const DRAFT_MARK = 'Draft — not final yet'

/** Said on every page of a document made from a record not yet finalized; null for a final one. */
export function draftMark(model: ExportModel): string | null {
  return model.status.state === 'draft' ? DRAFT_MARK : null
}

/**
 * One paragraph per line the person typed, empty lines left out. A line set in (a sub-point in a
 * list, as plainText writes it) keeps how deep it was as its indent: flattened, it would read as
 * a point of its own.
 */
export function paragraphs(text: string, style: ParagraphStyle): Block[] {
  return text.split('\n').flatMap((line): Block[] => {
    const words = line.trim()
    if (words === '') return []
    const indent = Math.floor((/^ */.exec(line)?.[0].length ?? 0) / NESTING_INDENT.length)
    return [{ kind: 'paragraph', text: words, style, ...(indent > 0 ? { indent } : {}) }]
  })
}

/** What the spelling of dates follows: the country of the conference's kind. */
interface DatesOf {
  conference: { kind: ConferenceKind }
}

/** "14 March 2025" (UK) or "March 14, 2025" (US) from YYYY-MM-DD ; '' stays ''. */
export function formatDay(model: DatesOf, day: string | null): string {
  if (!day) return ''
  const date = new Date(`${day}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? day : new Intl.DateTimeFormat(localeOf(model), { dateStyle: 'long', timeZone: 'UTC' }).format(date)
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/

/** True for a value that is a calendar day (YYYY-MM-DD), not words such as "No date agreed". */
export const isCalendarDay = (value: string): boolean => CALENDAR_DAY.test(value)

/** A calendar day spelled out as in formatDay; any other value (words the record has instead) as it is. */
export function dayOrWords(model: DatesOf, value: string): string {
  return isCalendarDay(value) ? formatDay(model, value) : value
}

/**
 * "14 July 2025 at 11:00 BST" (UK) or "July 14, 2025 at 5:00 AM CDT" (US) from an ISO time: the day
 * and clock time where the conference was held, as the family lived them, with the zone's short name.
 */
export function formatMoment(model: ExportModel, iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const { timeZone } = model.conference
  const day = new Intl.DateTimeFormat(localeOf(model), { dateStyle: 'long', timeZone }).format(date)
  const time = new Intl.DateTimeFormat(localeOf(model), { hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(date)
  return `${day} at ${time}`
}

function localeOf(model: DatesOf): string {
  return isUsConference(model.conference.kind) ? 'en-US' : 'en-GB'
}

/** Who gave a score: "Jo Example (Parent or carer)", or "Nan, typed in by Nell Note-taker". */
export function scorerWords(score: ExportScale['scores'][number]): string {
  return `${score.name}${score.role ? ` (${score.role})` : ''}${score.enteredBy ? `, typed in by ${score.enteredBy}` : ''}`
}

/** What a scale asked, as labelled lines: the overall scale's question, or what 0 and 10 mean on a danger statement's scale. */
export function scaleMeaningLines(scale: ExportScale): { label: string; value: string }[] {
  if (scale.question !== null) return [{ label: 'Question asked', value: scale.question }]
  return [
    { label: '0 means', value: scale.zero ?? '' },
    { label: '10 means', value: scale.ten ?? '' },
  ]
}

/** The numbers under a scale, in words: "Median 6 (lowest 4, highest 8; 5 scores)". */
export function scaleSummaryWords(scale: ExportScale): string {
  const { summary } = scale
  if (!summary) return 'Nobody gave a score in this round.'
  return `Median ${summary.median} (lowest ${summary.lowest}, highest ${summary.highest}; ${summary.count} ${summary.count === 1 ? 'score' : 'scores'})`
}

/**
 * Someone's view beside an entry, as the minutes and the family version both print it: who, their
 * stance and words; then, if the entry's words changed after it, what they were when it was given,
 * so nobody's view reads as being about words changed after it.
 */
export function viewBlocks(view: ExportView): Block[] {
  return [
    { kind: 'paragraph', text: `View of ${view.by}: ${view.stance}${view.text ? `. ${view.text}` : ''}`, style: 'view' },
    ...(view.earlierWords ? [{ kind: 'paragraph', text: `Given when it said: “${view.earlierWords.replace(/\s*\n\s*/g, ' ')}”`, style: 'view' } as const] : []),
  ]
}
