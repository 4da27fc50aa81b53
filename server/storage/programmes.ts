import { z } from 'zod'
import { FEEDBACK_ANSWERS, FEEDBACK_QUESTIONS, MAX_FEEDBACK_WORDS_LENGTH } from '../../shared/programmes/feedback'
import { OUTCOME_POINTS, PARTICIPATION, WHERE_STAYING } from '../../shared/programmes/outcomes'
import { CHILD_REMOVED, OFFER_STATUSES } from '../../shared/programmes/parentPartner'
import type { StorageHooks } from './durable'
import type { JsonFileFormat } from './jsonFile'
import { inIdOrder, LowdbRecordFile } from './recordFile'
import type { ProgrammeRecords } from './types'

export const PROGRAMMES_VERSION = 2

const name = z.string().max(200)
const staying = z.enum(WHERE_STAYING)

const programmesFileSchema = z.object({
  version: z.literal(PROGRAMMES_VERSION),
  referrals: z.array(z.object({
    id: z.string(),
    concernRaisedAt: z.iso.datetime({ offset: true }),
    timeZone: z.string(),
    family: name,
    children: z.array(name),
    serviceArea: name,
    afterRemoval: z.boolean(),
    facilitator: z.object({ name, organisation: name, independent: z.boolean() }),
    recordedAt: z.iso.datetime(),
  })),
  parentPartnerOffers: z.array(z.object({
    id: z.string(),
    conferenceId: z.string(),
    parentName: name,
    serviceArea: name,
    alreadySupported: z.boolean(),
    childRemoved: z.enum(CHILD_REMOVED),
    status: z.enum(OFFER_STATUSES),
    parentPartnerName: name.nullable(),
    // Optional: offers accepted before it was kept are still read.
    parentPartnerId: z.string().optional(),
    offeredAt: z.iso.datetime(),
    answeredAt: z.iso.datetime().nullable(),
  })),
  childOutcomes: z.array(z.object({
    id: z.string(),
    conferenceId: z.string(),
    childId: z.string(),
    staying: z.partialRecord(z.enum(OUTCOME_POINTS), staying),
    participation: z.enum(PARTICIPATION).nullable(),
    updatedAt: z.iso.datetime(),
  })),
  feedback: z.array(z.object({
    id: z.string(),
    conferenceId: z.string(),
    answers: z.partialRecord(z.enum(FEEDBACK_QUESTIONS.map((question) => question.id)), z.enum(FEEDBACK_ANSWERS)),
    words: z.string().max(MAX_FEEDBACK_WORDS_LENGTH),
    shareWords: z.boolean(),
  })),
  feedbackGiven: z.array(z.object({ id: z.string() })),
}) satisfies z.ZodType<{ version: number } & { [K in keyof ProgrammeRecords]: unknown[] }>

type ProgrammesFile = z.infer<typeof programmesFileSchema>

const format: JsonFileFormat<ProgrammesFile> = {
  version: PROGRAMMES_VERSION,
  schema: programmesFileSchema,
  migrations: {
    // Version 1 kept the name a parent could add to their feedback, which nothing read, and the day
    // it was given; and both feedback stores in the order given, so the nth answer was the nth
    // mark's. Each only made an answer traceable.
    1: (file) => ({
      ...file,
      version: 2,
      feedback: inIdOrder((file.feedback as { id: string; name?: unknown; day?: unknown }[]).map(({ name: _name, day: _day, ...kept }) => kept)),
      feedbackGiven: inIdOrder(file.feedbackGiven as { id: string }[]),
    }),
  },
  syncTarget: 'programmes',
}

/** A new object each time: lowdb keeps and changes the one it is given. */
const empty = (): ProgrammesFile => ({ version: PROGRAMMES_VERSION, referrals: [], parentPartnerOffers: [], childOutcomes: [], feedback: [], feedbackGiven: [] })

/** What the programmes keep (referrals, Parent Partner offers, outcomes, feedback): small, rarely written, one lowdb file. */
export async function openProgrammes(file: string, hooks: StorageHooks): Promise<{ programmes: ProgrammeRecords; close: () => Promise<void> }> {
  const records = await LowdbRecordFile.open(file, format, empty(), hooks)
  return {
    programmes: {
      referrals: records.recordSet('referrals'),
      parentPartnerOffers: records.recordSet('parentPartnerOffers'),
      childOutcomes: records.recordSet('childOutcomes'),
      // In the order of their random ids: an answer's place must not match its mark's.
      feedback: records.recordSet('feedback', { inIdOrder: true }),
      feedbackGiven: records.recordSet('feedbackGiven', { inIdOrder: true }),
    },
    close: () => records.close(),
  }
}
