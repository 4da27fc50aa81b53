import { z } from 'zod'
import { CONFERENCE_YEARS, inConferenceYears } from '../../shared/timescales'

/**
 * A calendar day (YYYY-MM-DD) as the API takes it: in the years a conference can fall in
 * (shared/timescales.ts). Dates far beyond them would also give invitations an expiry no
 * timestamp can hold.
 */
export const calendarDate = z.iso.date({ message: 'Give the date as year-month-day, such as 2026-03-14.' }).refine(inConferenceYears, `Give a date between the years ${String(CONFERENCE_YEARS.first)} and ${String(CONFERENCE_YEARS.last)}.`)
