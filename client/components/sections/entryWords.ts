import type { Entry } from '../../../shared/conference/entryList'
import type { FieldValues } from '../../../shared/conference/fields'
import { plainText } from '../../../shared/conference/richText'

/**
 * True when an entry holds nothing anyone could miss: every field as a new entry has it and every
 * text empty. Such an entry is removed at once; any other is confirmed first.
 */
export function isBlankEntry<F extends FieldValues, R extends string>(entry: Entry<F, R>, blank: F, richText: readonly R[]): boolean {
  const fields = entry.fields
  if (Object.keys(blank).some((key) => fields[key] !== blank[key])) return false
  return richText.every((name) => entryText(entry, name).trim() === '')
}

/** The words of one of an entry's texts: '' while it has none. */
export function entryText<F extends FieldValues, R extends string>(entry: Entry<F, R>, name: R): string {
  return entry.hasRichText(name) ? plainText(entry.richText(name)) : ''
}

/** "Sam Jones, Health visitor": the parts that have words, in order, to quote an entry by. */
export function quoteParts(...parts: readonly (string | null)[]): string {
  return parts.map((part) => part?.trim() ?? '').filter(Boolean).join(', ')
}
