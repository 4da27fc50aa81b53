import type * as Y from 'yjs'
import { z } from 'zod'
import { FieldMap, type FieldsPart } from './fieldMap'

/** Part 5 of the record: the question of the overall progress / safety scale. Its scores are in the scores part. */

export const OVERALL_SCALE_ROOT = 'overallScale'
export const OVERALL_SCALE_ROOT_NAMES = [OVERALL_SCALE_ROOT] as const

export const overallScaleSchema = z.object({ question: z.string().min(1).max(1000) })
export type OverallScaleFields = z.infer<typeof overallScaleSchema>

export const DEFAULT_OVERALL_SCALE: OverallScaleFields = {
  question:
    'On a scale of 0 to 10, where 10 means everyone agrees the children are safe enough for the case to close, ' +
    'and 0 means things are so bad the children cannot stay at home, where are things today?',
}

export type OverallScalePart = FieldsPart<OverallScaleFields>

export function overallScaleFields(doc: Y.Doc): FieldMap<OverallScaleFields> {
  return new FieldMap(doc, doc.getMap<unknown>(OVERALL_SCALE_ROOT), { schema: overallScaleSchema, defaults: DEFAULT_OVERALL_SCALE })
}

export function overallScalePart(doc: Y.Doc): OverallScalePart {
  return overallScaleFields(doc)
}
