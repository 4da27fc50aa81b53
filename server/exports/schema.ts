import { z } from 'zod'
import { AGENDA_STEP_IDS } from '../../shared/conference/agenda'
import { THREE_HOUSES, type HouseId } from '../../shared/conference/childsVoice'
import { CONFERENCE_KINDS } from '../../shared/conference/details'

/**
 * The shape of every export (server/exports/model.ts builds it), as a zod schema: the JSON
 * export is this model itself, and its JSON Schema (`recordJsonSchema`, served at
 * /api/exports/record.schema.json) is generated from here, so the two cannot drift apart.
 */

export const EXPORT_FORMAT = 'safetymap-conference-record'
/**
 * Raised when a field a reader relies on changes meaning or type (adding a field does not).
 * 2: a scale's `zero` and `ten` may be null (the overall scale has `question` instead); views have `earlierWords`.
 */
export const EXPORT_FORMAT_VERSION = 2

const isoDateTime = z.iso.datetime()

/** A label and its value, e.g. "By when: 2025-03-21". */
export const exportDetailSchema = z.object({ label: z.string(), value: z.string() })

/** Someone's view beside an entry: "I agree", "I disagree" or "I'd put it differently", and their own words. */
export const exportViewSchema = z.object({
  by: z.string(),
  at: isoDateTime,
  stance: z.string(),
  text: z.string(),
  /** The entry's words when the view was given, if they have changed since; null when they have not. */
  earlierWords: z.string().nullable(),
})

export const exportEntrySchema = z.object({
  /** The record's entry id; null for a part that is one piece of text. */
  id: z.string().nullable(),
  /** A short heading of its own (a person's name, "Danger statement 1"), or null. */
  title: z.string().nullable(),
  text: z.string().meta({ description: 'One line per paragraph; list items start with their bullet (•) or number; crossed-out words read "[crossed out: …]"; a link’s address follows its words in brackets.' }),
  details: z.array(exportDetailSchema),
  /** Name and role of who wrote it; null for text the meeting wrote together. */
  writtenBy: z.string().nullable(),
  writtenAt: isoDateTime.nullable(),
  /** Set when someone other than the writer changed it last. */
  changedBy: z.string().nullable(),
  views: z.array(exportViewSchema),
})

/** One sub-heading of a section (e.g. "Past harm" in the map). */
export const exportPartSchema = z.object({ id: z.string(), title: z.string(), entries: z.array(exportEntrySchema) })

export const exportScoreSchema = z.object({
  name: z.string(),
  role: z.string().nullable(),
  value: z.number().int().min(0).max(10),
  /** What they would need to see for the number to go up. */
  reason: z.string(),
  /** Set when the note-taker typed the score in for them. */
  enteredBy: z.string().nullable(),
  /** Numbers they gave before changing it, oldest first. */
  earlier: z.array(z.number().int().min(0).max(10)),
})

/** The revealed scores of one scoring round on one scale. */
export const exportScaleSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** What people were asked: the overall scale's question as the record has it; null on a danger statement's scale. */
  question: z.string().nullable(),
  /**
   * What 0 and 10 mean on a danger statement's scale: its danger statement and safety goal as they
   * read when the numbers were revealed. Null on the overall scale: its question says what they mean.
   */
  zero: z.string().nullable(),
  ten: z.string().nullable(),
  revealedAt: isoDateTime,
  scores: z.array(exportScoreSchema),
  summary: z.object({ count: z.number().int(), lowest: z.number(), highest: z.number(), median: z.number() }).nullable(),
  /** The same scale at each conference of the case up to this one, oldest first (empty when this is the only one). */
  acrossTheCase: z.array(
    z.object({
      conference: z.string(),
      date: z.string(),
      median: z.number(),
      scores: z.array(z.object({ name: z.string(), role: z.string().nullable(), value: z.number().int().min(0).max(10) })),
      /** Scored against other words than the reading before (changed after new harm, or a new overall question). */
      wordsChanged: z.boolean(),
    }),
  ),
})

export const exportAmendmentSchema = z.object({ at: isoDateTime, by: z.string(), text: z.string() })

export const exportSectionSchema = z.object({
  id: z.enum(AGENDA_STEP_IDS),
  title: z.string(),
  parts: z.array(exportPartSchema),
  scales: z.array(exportScaleSchema),
  /** Corrections made after finalizing, oldest first: shown after the original, which stays. */
  amendments: z.array(exportAmendmentSchema),
})

export const exportStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('draft') }),
  z.object({ state: z.literal('final'), at: isoDateTime, by: z.string(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
])

export const exportModelSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    formatVersion: z.literal(EXPORT_FORMAT_VERSION),
    generatedAt: isoDateTime,
    status: exportStatusSchema,
    conference: z.object({
      id: z.string(),
      title: z.string(),
      kind: z.enum(CONFERENCE_KINDS),
      kindLabel: z.string(),
      /** YYYY-MM-DD, or '' when the record does not say. */
      date: z.union([z.iso.date(), z.literal('')]),
      area: z.string(),
      /** The IANA time zone the documents give times in (the times here are all UTC). */
      timeZone: z.string(),
      terms: z.object({ chair: z.string(), conference: z.string(), plan: z.string(), coreGroup: z.string() }),
      /** A US initial CSC's referral: when the concern was raised, the 72-hour deadline, and who facilitated. */
      referral: z.object({
        concernRaisedAt: isoDateTime,
        holdBy: isoDateTime,
        timeZone: z.string(),
        afterRemoval: z.boolean(),
        facilitator: z.object({ name: z.string(), organisation: z.string(), independent: z.boolean() }),
      }).optional(),
    }),
    children: z.array(z.object({ name: z.string(), dateOfBirth: z.iso.date().nullable() })),
    /** In the agenda order of this kind of conference; every kind has every section. */
    sections: z.array(exportSectionSchema),
    forTheChild: z.object({
      houses: z.record(z.enum(THREE_HOUSES.map((house) => house.id) as [HouseId, ...HouseId[]]), z.string()).meta({ description: 'The child’s three houses as the child’s version shows them: as in the childsVoice section, with crossed-out words left out.' }),
    }),
  })
  .meta({
    title: 'SafetyMap conference record',
    description: 'The record of one child protection or child safety conference, section by section in agenda order. The professionals-only section is never included.',
  })

export type ExportDetail = z.infer<typeof exportDetailSchema>
export type ExportView = z.infer<typeof exportViewSchema>
export type ExportEntry = z.infer<typeof exportEntrySchema>
export type ExportPart = z.infer<typeof exportPartSchema>
export type ExportScore = z.infer<typeof exportScoreSchema>
export type ExportScale = z.infer<typeof exportScaleSchema>
export type ExportAmendment = z.infer<typeof exportAmendmentSchema>
export type ExportSection = z.infer<typeof exportSectionSchema>
export type ExportStatus = z.infer<typeof exportStatusSchema>
export type ExportModel = z.infer<typeof exportModelSchema>

let recordSchema: Record<string, unknown> | null = null

/** The JSON Schema (draft 2020-12) that every record.json export validates against. */
export function recordJsonSchema(): Record<string, unknown> {
  // It never changes while the server runs: made once.
  recordSchema ??= z.toJSONSchema(exportModelSchema, { target: 'draft-2020-12' })
  return recordSchema
}

export const RECORD_SCHEMA_PATH = '/api/exports/record.schema.json'
