import { z } from 'zod'
import { RecordValidationError } from './errors'

/** What a scalar field may hold: values Yjs stores as JSON. */
export type FieldValue = string | number | boolean | null

export type FieldValues = Record<string, FieldValue>

/** Zod schema, defaults and key list of one set of scalar fields. */
export interface FieldSpec<F extends FieldValues> {
  readonly schema: z.ZodType<F>
  readonly defaults: F
}

/** Shared zod building blocks, so every part limits text and dates the same way. */
export const shortText = z.string().max(200)
export const isoDate = z.iso.date()
/** A date not yet known is '' (conference details) or null (everything else). */
export const isoDateOrEmpty = z.union([isoDate, z.literal('')])
export const authorId = z.string().min(1).max(200)

export function fieldKeys<F extends FieldValues>(spec: FieldSpec<F>): readonly (keyof F & string)[] {
  return Object.keys(spec.defaults)
}

/**
 * Reads the fields through the schema. A stored value that is missing or invalid (an older
 * client, a faulty one) falls back to its default, field by field, so one bad value never
 * hides the others.
 */
export function readFields<F extends FieldValues>(spec: FieldSpec<F>, stored: (key: string) => unknown): F {
  const candidate: Record<string, unknown> = {}
  for (const key of fieldKeys(spec)) {
    const value = stored(key)
    candidate[key] = value === undefined ? spec.defaults[key] : value
  }
  const whole = spec.schema.safeParse(candidate)
  if (whole.success) return whole.data
  const repaired: Record<string, unknown> = { ...spec.defaults }
  for (const key of fieldKeys(spec)) {
    const single = spec.schema.safeParse({ ...spec.defaults, [key]: candidate[key] })
    if (single.success) repaired[key] = single.data[key]
  }
  const result = spec.schema.safeParse(repaired)
  return result.success ? result.data : spec.defaults
}

/**
 * Validates a patch against the current values and returns only the keys to write, with their
 * parsed values. Throws a RecordValidationError for unknown keys or invalid values.
 */
export function validatePatch<F extends FieldValues>(spec: FieldSpec<F>, current: F, patch: Partial<F>): Partial<F> {
  const known = new Set<string>(fieldKeys(spec))
  const given = Object.entries(patch).filter(([, value]) => value !== undefined)
  for (const [key] of given) {
    if (!known.has(key)) throw new RecordValidationError('unknown-field', `There is no field "${key}" here.`)
  }
  const parsed = spec.schema.safeParse({ ...current, ...Object.fromEntries(given) })
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new RecordValidationError('invalid-field', `Invalid value: ${issues.join('; ')}`, issues)
  }
  const changes: Record<string, FieldValue> = {}
  for (const [key] of given) {
    const value = parsed.data[key]
    if (value !== undefined) changes[key] = value
  }
  return changes as Partial<F>
}

export function checkAuthor(by: string): void {
  if (!authorId.safeParse(by).success) throw new RecordValidationError('invalid-author', 'An author id must be 1 to 200 characters.')
}
