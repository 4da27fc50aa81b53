import { z } from 'zod'
import { EXPORT_DOCUMENTS } from '../../shared/exports'
import type { StorageHooks } from './durable'
import type { JsonFileFormat } from './jsonFile'
import { LowdbRecordFile } from './recordFile'
import type { RecordSet, StoredSentDocument } from './types'

export const SENT_DOCUMENTS_VERSION = 1

const sentDocumentsFileSchema = z.object({
  version: z.literal(SENT_DOCUMENTS_VERSION),
  sentDocuments: z.array(
    z.object({
      id: z.string(),
      conferenceId: z.string(),
      document: z.enum(EXPORT_DOCUMENTS),
      to: z.string(),
      at: z.iso.datetime(),
      recordedBy: z.string(),
      recordedById: z.string(),
      recordedAt: z.iso.datetime(),
      // Absent in sendings stored before it was kept (read as unknown).
      status: z.discriminatedUnion('state', [
        z.object({ state: z.literal('draft') }),
        z.object({ state: z.literal('final'), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
      ]).optional(),
    }) satisfies z.ZodType<StoredSentDocument>,
  ),
})

type SentDocumentsFile = z.infer<typeof sentDocumentsFileSchema>

const format: JsonFileFormat<SentDocumentsFile> = { version: SENT_DOCUMENTS_VERSION, schema: sentDocumentsFileSchema, migrations: {}, syncTarget: 'sent-documents' }

/**
 * Who each document of a conference was sent to and when, against the target of the same day
 * (at most 72 hours). Rarely written: one small lowdb file for every conference.
 */
export async function openSentDocuments(file: string, hooks: StorageHooks): Promise<{ sentDocuments: RecordSet<StoredSentDocument>; close: () => Promise<void> }> {
  const records = await LowdbRecordFile.open(file, format, { version: SENT_DOCUMENTS_VERSION, sentDocuments: [] }, hooks)
  return { sentDocuments: records.recordSet('sentDocuments'), close: () => records.close() }
}
