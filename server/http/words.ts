import { z } from 'zod'

/**
 * Characters that are not text (control codes), or that change how the text around them is
 * shown: a right-to-left override inside a name could make a list of people, or the minutes,
 * read differently from what was typed.
 */
const HIDDEN_CONTROLS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u
/** Something anyone can see: a name of spaces or zero-width characters would show as nothing. */
const SOMETHING_TO_READ = /[\p{L}\p{N}]/u

/**
 * Words other people will read as typed (a person's name, a conference's title): trimmed, with
 * at least one letter or number, no hidden control characters, at most `max` characters.
 */
export function wordsToShow(what: 'name' | 'title', max: number): z.ZodType<string> {
  return z
    .string()
    .trim()
    .max(max, `Keep the ${what} under ${String(max + 1)} characters.`)
    .refine((words) => SOMETHING_TO_READ.test(words), `Write a ${what} with at least one letter or number.`)
    .refine((words) => !HIDDEN_CONTROLS.test(words), `The ${what} holds hidden characters that would change how it is shown. Please type it again.`)
}

export const personName = wordsToShow('name', 120)

/** As accounts are made and signed in with. */
export const emailAddress = z.string().trim().min(3).max(254).regex(/^[^\s@]+@[^\s@]+$/, 'Give an email address, such as jo.smith@example.org.')
