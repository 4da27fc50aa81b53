import { z } from 'zod'
import { givenScoreSchema, scorerSchema } from '../../shared/conference/scores'
import type { StorageHooks } from './durable'
import type { JsonFileFormat } from './jsonFile'
import { LowdbRecordFile } from './recordFile'
import type { RecordSet, SealedScore } from './types'

export const SEALED_SCORES_VERSION = 1

const sealedScoresFileSchema = z.object({
  version: z.literal(SEALED_SCORES_VERSION),
  sealedScores: z.array(
    z.object({ id: z.string(), conferenceId: z.string(), roundId: z.string(), scorer: scorerSchema, score: givenScoreSchema }) satisfies z.ZodType<SealedScore>,
  ),
})

type SealedScoresFile = z.infer<typeof sealedScoresFileSchema>

const format: JsonFileFormat<SealedScoresFile> = { version: SEALED_SCORES_VERSION, schema: sealedScoresFileSchema, migrations: {}, syncTarget: 'scores' }

/**
 * Scores given before their round's reveal, in their own file: the shared record must not hold
 * them (every device has all of it), and they must survive a crash until the chair reveals them.
 */
export async function openSealedScores(file: string, hooks: StorageHooks): Promise<{ scores: RecordSet<SealedScore>; close: () => Promise<void> }> {
  const records = await LowdbRecordFile.open(file, format, { version: SEALED_SCORES_VERSION, sealedScores: [] }, hooks)
  return { scores: records.recordSet('sealedScores'), close: () => records.close() }
}
