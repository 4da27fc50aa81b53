import type { ConferenceKind } from './conference/details'

/**
 * The dates that follow from a conference (../shared/DOMAIN.md, "Conference kinds and
 * timescales"): reports due before it, the minutes after it, the next core group, review or
 * follow-up. Pure: no clock, no I/O. Dates are local calendar dates, YYYY-MM-DD, and all the
 * arithmetic is on day numbers, so no time zone or daylight-saving change can move a date.
 */

/** YYYY-MM-DD. */
export type IsoDate = string

/**
 * Bank holidays in England and Wales, 2026 and 2027, as gov.uk publishes them: when Christmas or
 * Boxing Day falls on a weekend, the substitute weekday is listed instead. The server can replace
 * the list (PUBLIC_HOLIDAYS, server/config.ts), and warns at start when the list in use runs out
 * within a year (holidaysRunningOut). 2028 is not here: add it from gov.uk/bank-holidays.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly IsoDate[] = [
  '2026-01-01', // New Year's Day
  '2026-04-03', // Good Friday
  '2026-04-06', // Easter Monday
  '2026-05-04', // Early May bank holiday
  '2026-05-25', // Spring bank holiday
  '2026-08-31', // Summer bank holiday
  '2026-12-25', // Christmas Day
  '2026-12-28', // Boxing Day (substitute day: 26 December is a Saturday)
  '2027-01-01', // New Year's Day
  '2027-03-26', // Good Friday
  '2027-03-29', // Easter Monday
  '2027-05-03', // Early May bank holiday
  '2027-05-31', // Spring bank holiday
  '2027-08-30', // Summer bank holiday
  '2027-12-27', // Christmas Day (substitute day: 25 December is a Saturday)
  '2027-12-28', // Boxing Day (substitute day: 26 December is a Sunday)
]

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

/** Days since 1970-01-01 for a valid YYYY-MM-DD; throws for anything else (e.g. 2026-02-30). */
function dayNumber(date: IsoDate): number {
  const match = ISO_DATE.exec(date)
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`)
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const days = utcDay(year, month - 1, day)
  if (fromDayNumber(days) !== date) throw new RangeError(`no such date: ${date}`)
  return days
}

/** Days since 1970-01-01 of a calendar day. Not Date.UTC: it reads years 0-99 as 1900-1999. */
function utcDay(year: number, monthIndex: number, day: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, monthIndex, day)
  return date.getTime() / MS_PER_DAY
}

/** UTC here only names a calendar day: no clock time is ever involved. */
function fromDayNumber(days: number): IsoDate {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10)
}

/**
 * The years a conference date can fall in. No conference is further off, and the sums made from
 * dates far beyond them fail: a week after 31 December 9999 cannot be written as a YYYY-MM-DD date.
 */
export const CONFERENCE_YEARS = { first: 1900, last: 2199 } as const

export function inConferenceYears(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4))
  return year >= CONFERENCE_YEARS.first && year <= CONFERENCE_YEARS.last
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false
  try {
    dayNumber(value)
    return true
  } catch {
    return false
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days)
}

/** Calendar months; a day past the end of the target month is the month's last day (31 Jan + 1 month = 28 or 29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  dayNumber(date)
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const monthIndex = year * 12 + (month - 1) + months
  const targetYear = Math.floor(monthIndex / 12)
  const targetMonth = monthIndex - targetYear * 12
  const lastDay = new Date(utcDay(targetYear, targetMonth + 1, 0) * MS_PER_DAY).getUTCDate()
  return fromDayNumber(utcDay(targetYear, targetMonth, Math.min(day, lastDay)))
}

/** Days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from)
}

/** Which days are not working days besides Saturdays and Sundays. */
export interface WorkingCalendar {
  readonly publicHolidays: ReadonlySet<IsoDate>
}

/**
 * When a list of public holidays runs out: the last year it covers, and whether that year has
 * ended by `today`; null while it covers the next 12 months, or for an empty list (a place
 * with no public holidays was given one on purpose). Past its end working days count no public
 * holidays, and nothing else would say so.
 */
export function holidaysRunningOut(publicHolidays: readonly IsoDate[], today: IsoDate): { lastYear: number; ended: boolean } | null {
  if (publicHolidays.length === 0) return null
  const lastYear = Math.max(...publicHolidays.map((holiday) => Number(holiday.slice(0, 4))))
  const end = `${String(lastYear).padStart(4, '0')}-12-31`
  if (end >= addMonths(today, 12)) return null
  return { lastYear, ended: end < today }
}

/** A calendar with these public holidays (England and Wales by default). Throws on a date that is not YYYY-MM-DD. */
export function workingCalendar(publicHolidays: readonly IsoDate[] = ENGLAND_AND_WALES_BANK_HOLIDAYS): WorkingCalendar {
  for (const holiday of publicHolidays) dayNumber(holiday)
  return { publicHolidays: new Set(publicHolidays) }
}

export function isWorkingDay(date: IsoDate, calendar: WorkingCalendar): boolean {
  // 1970-01-01 was a Thursday: day 2 of every week is a Saturday, day 3 a Sunday.
  const weekday = (((dayNumber(date) % 7) + 7) % 7)
  return weekday !== 2 && weekday !== 3 && !calendar.publicHolidays.has(date)
}

/**
 * The working day `count` working days after `date` (before it when negative). Counting starts
 * the day after (or before), so "2 working days before a Monday meeting" is the Thursday.
 */
export function addWorkingDays(date: IsoDate, count: number, calendar: WorkingCalendar): IsoDate {
  const step = count < 0 ? -1 : 1
  let current = date
  for (let left = Math.abs(count); left > 0;) {
    current = addDays(current, step)
    if (isWorkingDay(current, calendar)) left--
  }
  return current
}

/** A CSC's follow-up conference is due this many calendar days after it (DOMAIN.md). */
export const FOLLOW_UP_DAYS = 10

export const TIMESCALE_IDS = ['conferenceHeld', 'reportsDue', 'minutesSent', 'coreGroup', 'review', 'followUp', 'sixMonthCheck'] as const
export type TimescaleId = (typeof TIMESCALE_IDS)[number]

/** One date that follows from a conference. */
export interface Timescale {
  id: TimescaleId
  /** What is due, in plain words: "Reports due". */
  label: string
  /** The date to aim for. */
  date: IsoDate
  /** The latest acceptable date, when it differs from the target (minutes: same day, at most 72 hours). */
  latest: IsoDate
  /** The rule it comes from: "2 working days before the conference". */
  rule: string
}

export interface ConferenceDates {
  kind: ConferenceKind
  /** The day the conference meets; '' while not set (then no date follows). */
  date: IsoDate
  /** US: the day, in the referral's time zone, the CSC must be held by (shared/programmes/deadlines.ts), when there is a referral. */
  holdBy?: IsoDate | null
}

function due(id: TimescaleId, label: string, date: IsoDate, rule: string, latest: IsoDate = date): Timescale {
  return { id, label, date, latest, rule }
}

/**
 * The dates that follow from a conference of this kind, in date order. The minutes and plan go
 * out the same day, at most 72 hours after (the pilot's target, DOMAIN.md).
 */
export function conferenceTimescales({ kind, date, holdBy }: ConferenceDates, calendar: WorkingCalendar): Timescale[] {
  const dates: Timescale[] = []
  if (kind === 'us-csc-initial' && holdBy) {
    dates.push(due('conferenceHeld', 'Conference held', holdBy, 'within 72 hours of the concern being raised'))
  }
  if (date === '') return dates
  const minutes = due('minutesSent', 'Minutes and plan sent', date, 'the same day, and at most 72 hours after', addDays(date, 3))
  const coreGroup = (label: string): Timescale => due('coreGroup', label, addWorkingDays(date, 10, calendar), 'within 10 working days')
  switch (kind) {
    case 'uk-initial':
      dates.push(
        due('reportsDue', 'Reports due', addWorkingDays(date, -2, calendar), '2 working days before the conference'),
        minutes,
        coreGroup('First core group meeting'),
        due('review', 'First review conference', addMonths(date, 3), 'within 3 months'),
      )
      break
    case 'uk-review':
      dates.push(
        due('reportsDue', 'Reports due', addWorkingDays(date, -5, calendar), '5 working days before the conference'),
        minutes,
        coreGroup('Next core group meeting'),
        due('review', 'Next review conference', addMonths(date, 6), 'at most 6 months later'),
      )
      break
    case 'us-csc-initial':
      dates.push(
        minutes,
        due('followUp', 'Follow-up conference', addDays(date, FOLLOW_UP_DAYS), 'within 10 days'),
        // The programme asks where each child is staying 6 months on (shared/programmes/outcomes.ts).
        due('sixMonthCheck', 'Where the children are staying, 6 months on', addMonths(date, 6), '6 months after the conference'),
      )
      break
    case 'us-csc-follow-up':
      dates.push(minutes)
      break
  }
  return dates.sort((a, b) => a.date.localeCompare(b.date))
}

/** The local calendar day of an instant, in the time zone of whoever runs this. */
export function localDate(instant: Date): IsoDate {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${String(instant.getFullYear()).padStart(4, '0')}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`
}

/**
 * How a date stands on `today`: 'done' or 'booked' when the record says so, otherwise by the
 * calendar. 'booked-late': booked, but for a day after the latest the timescale allows, which
 * is not on time however soon the day comes.
 */
export type DueState = 'upcoming' | 'due' | 'overdue' | 'booked' | 'booked-late' | 'done'

/** `settled`: done, or booked for this day. */
export function dueState(timescale: Pick<Timescale, 'date' | 'latest'>, today: IsoDate, settled: 'done' | { booked: IsoDate } | null = null): DueState {
  if (settled === 'done') return 'done'
  if (settled) return settled.booked > timescale.latest ? 'booked-late' : 'booked'
  if (today > timescale.latest) return 'overdue'
  return today >= timescale.date ? 'due' : 'upcoming'
}
