import { z } from 'zod'

/**
 * Characters that are not text (control codes), or that change how the text around them is
 * shown: a right-to-left override inside a name could make a list of people, or the minutes,
 * read differently from what was typed.
 */
const HIDDEN_CONTROLS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u
/**
 * Half of a character (a lone surrogate, as from an emoji cut in two): stored as sent, but the
 * live record holds U+FFFD in its place, so the two would disagree.
 */
const BROKEN_CHARACTER = /\p{Cs}/u
/** Something anyone can see: a name of spaces or zero-width characters would show as nothing. */
const SOMETHING_TO_READ = /[\p{L}\p{N}]/u

/** Refuses what would not show as it was typed. `subject` starts the messages ("The name"). */
function shownAsTyped(words: z.ZodString, subject: string): z.ZodType<string> {
  return words
    .refine((typed) => !BROKEN_CHARACTER.test(typed), `${subject} holds a broken character. Please type it again.`)
    .refine((typed) => !HIDDEN_CONTROLS.test(typed), `${subject} holds hidden characters that would change how it is shown. Please type it again.`)
}

/**
 * Words other people will read as typed (a person's name, a conference's title): trimmed, with
 * at least one letter or number, no hidden or broken characters, at most `max` characters.
 */
export function wordsToShow(what: 'name' | 'title', max: number): z.ZodType<string> {
  const words = z
    .string()
    .trim()
    .max(max, `Keep the ${what} under ${String(max + 1)} characters.`)
    .refine((typed) => SOMETHING_TO_READ.test(typed), `Write a ${what} with at least one letter or number.`)
  return shownAsTyped(words, `The ${what}`)
}

export const personName = wordsToShow('name', 120)

/** As accounts are made and signed in with. */
export const emailAddress = shownAsTyped(
  z.string().trim().min(3).max(254).regex(/^[^\s@]+@[^\s@]+$/, 'Give an email address, such as jo.smith@example.org.'),
  'The email address',
)
