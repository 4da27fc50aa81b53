import { z } from 'zod'

const FIRST_YEAR = 1900
const LAST_YEAR = 2199

/**
 * A calendar day (YYYY-MM-DD) as the API takes it: in the years 1900 to 2199. No conference is
 * further off, and dates far beyond it break the sums made from them: a deadline a week after
 * 31 December 9999 cannot be written as a timestamp, and would make the access file unreadable.
 */
export const calendarDate = z.iso.date().refine(inYears, `Give a date between the years ${String(FIRST_YEAR)} and ${String(LAST_YEAR)}.`)

function inYears(date: string): boolean {
  const year = Number(date.slice(0, 4))
  return year >= FIRST_YEAR && year <= LAST_YEAR
}
