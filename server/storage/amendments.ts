import { z } from 'zod'
import { MAX_AMENDMENT_LENGTH, type Amendment } from '../../shared/api'
import { AGENDA_STEP_IDS } from '../../shared/conference/agenda'
import { ROLES } from '../../shared/roles'
import type { StorageHooks } from './durable'
import type { JsonFileFormat } from './jsonFile'
import { LowdbRecordFile } from './recordFile'
import type { RecordSet, Storage, StoredAmendment } from './types'

export const AMENDMENTS_VERSION = 1

const amendmentsFileSchema = z.object({
  version: z.literal(AMENDMENTS_VERSION),
  amendments: z.array(
    z.object({
      id: z.string(),
      conferenceId: z.string(),
      participantId: z.string(),
      at: z.iso.datetime(),
      by: z.string(),
      role: z.enum(ROLES),
      section: z.enum(AGENDA_STEP_IDS),
      text: z.string().max(MAX_AMENDMENT_LENGTH),
    }) satisfies z.ZodType<StoredAmendment>,
  ),
})

type AmendmentsFile = z.infer<typeof amendmentsFileSchema>

const format: JsonFileFormat<AmendmentsFile> = { version: AMENDMENTS_VERSION, schema: amendmentsFileSchema, migrations: {}, syncTarget: 'amendments' }

/**
 * Corrections made after records were finalized, in their own file: the finalized record (and
 * the copy kept under its hash) never changes again, so they cannot go into it.
 */
export async function openAmendments(file: string, hooks: StorageHooks): Promise<{ amendments: RecordSet<StoredAmendment>; close: () => Promise<void> }> {
  const records = await LowdbRecordFile.open(file, format, { version: AMENDMENTS_VERSION, amendments: [] }, hooks)
  return { amendments: records.recordSet('amendments'), close: () => records.close() }
}

/** A conference's amendments, oldest first, as people and exports show them. */
export function amendmentsOf(storage: Storage, conferenceId: string): Amendment[] {
  return storage.amendments
    .all((amendment) => amendment.conferenceId === conferenceId)
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
    .map(({ id, at, by, role, section, text }) => ({ id, at, by, role, section, text }))
}

/**
 * Whether `participantId` already added these very words to this section, with nothing added there
 * by anyone else since: the same correction sent twice. Said again after someone else's, it is meant.
 */
export function repeatsAmendment(storage: Storage, added: Pick<StoredAmendment, 'conferenceId' | 'participantId' | 'section' | 'text'>): boolean {
  const here = storage.amendments.all((amendment) => amendment.conferenceId === added.conferenceId && amendment.section === added.section)
  const last = here.filter((amendment) => amendment.participantId === added.participantId && amendment.text === added.text).map((amendment) => amendment.at).sort().at(-1)
  return last !== undefined && !here.some((amendment) => amendment.participantId !== added.participantId && amendment.at >= last)
}
