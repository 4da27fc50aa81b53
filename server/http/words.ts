import { z } from 'zod'

/**
 * Characters that are not text (control codes), or that change how the text around them is
 * shown: a right-to-left override inside a name could make a list of people, or the minutes,
 * read differently from what was typed.
 */
const HIDDEN_CONTROLS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u
/** The control codes longer text may hold: it can run over several lines, with tabs. */
const LINE_BREAKS_AND_TABS = /[\t\n\r]/g
/**
 * Half of a character (a lone surrogate, as from an emoji cut in two): stored as sent, but the
 * live record holds U+FFFD in its place, so the two would disagree.
 */
const BROKEN_CHARACTER = /\p{Cs}/u
/** Something anyone can see: a name of spaces or zero-width characters would show as nothing. */
const SOMETHING_TO_READ = /[\p{L}\p{N}]/u
/** Longer text may be punctuation or an emoji too, but not only spaces or zero-width characters. */
const SOMETHING_TO_SEE = /[\p{L}\p{N}\p{P}\p{S}]/u

/** Refuses what would not show as it was typed. `subject` starts the messages ("The name", "This"). */
function shownAsTyped(words: z.ZodString, subject: string, lines: boolean): z.ZodType<string> {
  return words
    .refine((typed) => !BROKEN_CHARACTER.test(typed), `${subject} holds a broken character. Please type it again.`)
    .refine((typed) => !HIDDEN_CONTROLS.test(lines ? typed.replace(LINE_BREAKS_AND_TABS, '') : typed), `${subject} holds hidden characters that would change how it is shown. Please type it again.`)
}

/**
 * Words other people will read as typed (a person's name, a conference's title): trimmed, with
 * at least one letter or number, on one line with no hidden characters, at most `max` characters.
 */
export function wordsToShow(what: 'name' | 'title', max: number): z.ZodType<string> {
  const words = z
    .string()
    .trim()
    .max(max, `Keep the ${what} under ${String(max + 1)} characters.`)
    .refine((typed) => SOMETHING_TO_READ.test(typed), `Write a ${what} with at least one letter or number.`)
  return shownAsTyped(words, `The ${what}`, false)
}

/**
 * Text others will read as typed that is not a name (a correction, a reason, who a document was
 * sent to): trimmed, at most `max` characters, and empty only when `optional`; else something that
 * can be seen, with no hidden characters. `lines`: it may run over several lines (tabs too).
 */
export function textToShow({ max, lines, optional = false, empty = 'What is written here cannot be seen on screen. Please type it again.' }: {
  max: number
  lines: boolean
  optional?: boolean
  /** What to say when there is nothing to read. */
  empty?: string
}): z.ZodType<string> {
  const text = z
    .string()
    .trim()
    .max(max, `Keep it under ${String(max + 1)} characters.`)
    .refine((typed) => (optional && typed === '') || SOMETHING_TO_SEE.test(typed), empty)
  return shownAsTyped(text, 'This', lines)
}

export const personName = wordsToShow('name', 120)

/** As accounts are made and signed in with. */
export const emailAddress = shownAsTyped(
  z.string().trim().max(254, 'An email address is at most 254 characters.').regex(/^[^\s@]+@[^\s@]+$/, 'Give an email address, such as jo.smith@example.org.'),
  'The email address',
  false,
)
