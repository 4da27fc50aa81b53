import { addDays, FOLLOW_UP_DAYS, isIsoDate, type IsoDate } from '../timescales'

export { FOLLOW_UP_DAYS }

/**
 * The Child Safety Conference's two deadlines (../shared/DOMAIN.md; Iowa's CSC): held within 72
 * hours of the removal concern being raised, and followed up within 10 days of the CSC. The 72
 * hours are elapsed time from an instant, so they are counted on instants and only then shown in
 * the referral's own time zone: across a change to or from daylight saving the clock time of the
 * deadline moves by an hour, the time left does not. The 10 days are calendar days from the day
 * the CSC met (shared/timescales.ts). Pure: no clock.
 */

export const CSC_HOURS = 72
const HOUR_MS = 3_600_000

/** A wall-clock day and time in one time zone. */
export interface ZonedTime {
  date: IsoDate
  /** HH:MM, 24-hour. */
  time: string
  timeZone: string
}

/** True for a time zone name this runtime knows (IANA, e.g. America/Chicago, Europe/London). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** Making a formatter is far slower than using one: one per time zone. */
const clocks = new Map<string, Intl.DateTimeFormat>()

function clockOf(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone)
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    clocks.set(timeZone, clock)
  }
  return clock
}

/** The day and time an instant shows on a clock in `timeZone`. */
export function zonedTime(instant: Date, timeZone: string): ZonedTime {
  const parts = Object.fromEntries(clockOf(timeZone).formatToParts(instant).map((part) => [part.type, part.value]))
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, timeZone }
}

/** Minutes the zone's clock is ahead of UTC at this instant. */
function offsetMinutes(instant: number, timeZone: string): number {
  const shown = zonedTime(new Date(instant), timeZone)
  const asUtc = Date.parse(`${shown.date}T${shown.time}:00Z`)
  return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000)
}

/**
 * The instant a clock in `timeZone` shows `date` `time`. A time that the clock skips (the hour
 * lost when daylight saving starts) is read as the same number of minutes after the skip; a time
 * the clock shows twice (when it ends) is the first of the two.
 */
export function instantOf({ date, time, timeZone }: ZonedTime): Date {
  const wall = Date.parse(`${date}T${time}:00Z`)
  if (!isIsoDate(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time) || Number.isNaN(wall)) throw new RangeError(`not a day and time: ${date} ${time}`)
  // Offsets half a day either side of the wall time include both sides of any change near it.
  const candidates = [...new Set([wall - 12 * HOUR_MS, wall, wall + 12 * HOUR_MS].map((probe) => offsetMinutes(probe, timeZone)))]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => { const shown = zonedTime(new Date(instant), timeZone); return shown.date === date && shown.time === time })
    .sort((a, b) => a - b)
  if (candidates[0] !== undefined) return new Date(candidates[0])
  // Skipped by the clock: the offset from before the change, which lands after it.
  return new Date(wall - offsetMinutes(wall - 12 * HOUR_MS, timeZone) * 60_000)
}

/** When the CSC must have been held: 72 hours after the concern was raised. */
export function cscHoldBy(concernRaisedAt: Date): Date {
  return new Date(concernRaisedAt.getTime() + CSC_HOURS * HOUR_MS)
}

/** The day the follow-up conference is due: 10 calendar days after the day the CSC met. */
export function followUpDue(cscDate: IsoDate): IsoDate {
  return addDays(cscDate, FOLLOW_UP_DAYS)
}

/**
 * Whether a CSC meeting on `cscDate` met its 72 hours. Only the day of the meeting is recorded, so
 * a meeting on the deadline's own day (in the referral's time zone) counts as on time.
 */
export function heldInTime(cscDate: IsoDate, holdBy: Date, timeZone: string): boolean {
  return cscDate <= zonedTime(holdBy, timeZone).date
}

/** "Thu 26 Nov, 3:00 pm CST": a deadline as the people in the referral's time zone read it. */
export function deadlineWords(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(instant)
}
