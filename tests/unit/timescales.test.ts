import fs from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { readConfig } from '../../server/config'
import {
  addDays,
  addMonths,
  addWorkingDays,
  conferenceTimescales,
  dueState,
  holidaysRunningOut,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  isIsoDate,
  isWorkingDay,
  localDate,
  workingCalendar,
  type Timescale,
} from '../../shared/timescales'
import { removeTempDirs, tempDir } from '../helpers/tempDir'

afterAll(removeTempDirs)

const englandAndWales = workingCalendar()
const noHolidays = workingCalendar([])

/** The dates of a conference by what they are, for short expectations. */
function byId(timescales: Timescale[]): Record<string, { date: string; latest: string }> {
  return Object.fromEntries(timescales.map(({ id, date, latest }) => [id, { date, latest }]))
}

describe('working days', () => {
  test('Saturdays and Sundays are not working days; counting skips them both ways', () => {
    expect(isWorkingDay('2026-11-27', noHolidays)).toBe(true) // Friday
    expect(isWorkingDay('2026-11-28', noHolidays)).toBe(false)
    expect(isWorkingDay('2026-11-29', noHolidays)).toBe(false)
    expect(addWorkingDays('2026-11-27', 1, noHolidays)).toBe('2026-11-30') // Friday → Monday
    expect(addWorkingDays('2026-11-30', -2, noHolidays)).toBe('2026-11-26') // Monday → Thursday
    // From a Saturday, the first working day after is Monday, the first before is Friday.
    expect(addWorkingDays('2026-11-28', 1, noHolidays)).toBe('2026-11-30')
    expect(addWorkingDays('2026-11-28', -1, noHolidays)).toBe('2026-11-27')
    expect(addWorkingDays('2026-11-25', 0, noHolidays)).toBe('2026-11-25')
  })

  test('a bank holiday Monday is skipped', () => {
    // Spring bank holiday, Monday 25 May 2026.
    expect(isWorkingDay('2026-05-25', englandAndWales)).toBe(false)
    expect(addWorkingDays('2026-05-22', 1, englandAndWales)).toBe('2026-05-26')
    expect(addWorkingDays('2026-05-22', 1, noHolidays)).toBe('2026-05-25')
    // Easter 2026: Good Friday 3 April and Easter Monday 6 April.
    expect(addWorkingDays('2026-04-02', 1, englandAndWales)).toBe('2026-04-07')
  })

  test('Christmas and Boxing Day on a weekend move to the substitute weekdays', () => {
    // 2026: Christmas is a Friday, Boxing Day a Saturday: the substitute is Monday 28 December.
    expect(isWorkingDay('2026-12-28', englandAndWales)).toBe(false)
    expect(addWorkingDays('2026-12-24', 1, englandAndWales)).toBe('2026-12-29')
    // 2027: both fall on the weekend: Monday 27 and Tuesday 28 December are the holidays.
    expect(isWorkingDay('2027-12-27', englandAndWales)).toBe(false)
    expect(isWorkingDay('2027-12-28', englandAndWales)).toBe(false)
    expect(addWorkingDays('2027-12-24', 1, englandAndWales)).toBe('2027-12-29')
    // New Year's Day 2027 is a Friday.
    expect(addWorkingDays('2026-12-31', 1, englandAndWales)).toBe('2027-01-04')
  })

  test('the default list is the eight bank holidays of each year, all weekdays', () => {
    for (const year of ['2026', '2027']) expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((date) => date.startsWith(year))).toHaveLength(8)
    for (const date of ENGLAND_AND_WALES_BANK_HOLIDAYS) expect(isWorkingDay(date, noHolidays)).toBe(true)
  })
})

describe('calendar arithmetic on dates', () => {
  test('a month after the 31st is the last day of a shorter month', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28')
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29') // leap year
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28')
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28')
    expect(addMonths('2026-12-15', 3)).toBe('2027-03-15')
  })

  test('a year before 100 (a half-typed date on the board) is that year, not 19xx, and never throws', () => {
    expect(isIsoDate('0026-03-14')).toBe(true)
    expect(addDays('0026-03-14', 1)).toBe('0026-03-15')
    expect(addMonths('0026-01-31', 1)).toBe('0026-02-28')
    expect(() => conferenceTimescales({ kind: 'uk-initial', date: '0026-03-14' }, workingCalendar())).not.toThrow()
  })

  test('days across the change to summer time are whole days', () => {
    // Clocks go forward in the UK on 29 March 2026 and in the US on 8 March 2026.
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29')
    expect(addDays('2026-03-07', 3)).toBe('2026-03-10')
    expect(addWorkingDays('2026-03-27', 1, englandAndWales)).toBe('2026-03-30')
  })

  test('a date that does not exist is refused rather than rolled over', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError)
    expect(() => addMonths('26-1-1', 1)).toThrow(RangeError)
    expect(() => workingCalendar(['Christmas'])).toThrow(RangeError)
  })

  test("the local day of an instant is the calendar day where it happens, not UTC's", () => {
    expect(localDate(new Date(2026, 10, 23, 23, 59))).toBe('2026-11-23')
    expect(localDate(new Date(2026, 10, 24, 0, 1))).toBe('2026-11-24')
  })
})

describe('the dates that follow from each kind of conference', () => {
  test('UK initial: reports 2 working days before, minutes the same day (72 hours at most), core group within 10 working days, first review within 3 months', () => {
    // Monday 23 November 2026.
    expect(byId(conferenceTimescales({ kind: 'uk-initial', date: '2026-11-23' }, englandAndWales))).toEqual({
      reportsDue: { date: '2026-11-19', latest: '2026-11-19' },
      minutesSent: { date: '2026-11-23', latest: '2026-11-26' },
      coreGroup: { date: '2026-12-07', latest: '2026-12-07' },
      review: { date: '2027-02-23', latest: '2027-02-23' },
    })
  })

  test('UK initial after a bank holiday: the reports are due before the long weekend', () => {
    const dates = byId(conferenceTimescales({ kind: 'uk-initial', date: '2026-05-26' }, englandAndWales))
    expect(dates.reportsDue?.date).toBe('2026-05-21')
  })

  test('UK review: reports 5 working days before, core group within 10 working days, next review at most 6 months later', () => {
    expect(byId(conferenceTimescales({ kind: 'uk-review', date: '2026-11-23' }, englandAndWales))).toEqual({
      reportsDue: { date: '2026-11-16', latest: '2026-11-16' },
      minutesSent: { date: '2026-11-23', latest: '2026-11-26' },
      coreGroup: { date: '2026-12-07', latest: '2026-12-07' },
      review: { date: '2027-05-23', latest: '2027-05-23' },
    })
  })

  test('UK review in December: the core group deadline skips Christmas, Boxing Day and New Year', () => {
    // Friday 18 December 2026: 10 working days skip 25 and 28 December and 1 January.
    expect(byId(conferenceTimescales({ kind: 'uk-review', date: '2026-12-18' }, englandAndWales)).coreGroup?.date).toBe('2027-01-06')
  })

  test('US child safety conference: held by the referral’s 72-hour deadline, follow-up within 10 days, where the children stay asked again at 6 months', () => {
    expect(byId(conferenceTimescales({ kind: 'us-csc-initial', date: '2026-11-23', holdBy: '2026-11-24' }, noHolidays))).toEqual({
      conferenceHeld: { date: '2026-11-24', latest: '2026-11-24' },
      minutesSent: { date: '2026-11-23', latest: '2026-11-26' },
      followUp: { date: '2026-12-03', latest: '2026-12-03' },
      sixMonthCheck: { date: '2027-05-23', latest: '2027-05-23' },
    })
    // Without a referral, that one date is left out; the rest still follow.
    expect(conferenceTimescales({ kind: 'us-csc-initial', date: '2026-11-23' }, noHolidays).map((timescale) => timescale.id)).toEqual(['minutesSent', 'followUp', 'sixMonthCheck'])
  })

  test('US follow-up: the minutes only; a conference with no date yet has none', () => {
    expect(conferenceTimescales({ kind: 'us-csc-follow-up', date: '2026-12-03' }, noHolidays).map((timescale) => timescale.id)).toEqual(['minutesSent'])
    expect(conferenceTimescales({ kind: 'uk-initial', date: '' }, englandAndWales)).toEqual([])
  })

  test('the dates come in date order, each with its rule in words', () => {
    const dates = conferenceTimescales({ kind: 'uk-initial', date: '2026-11-23' }, englandAndWales)
    expect(dates.map((timescale) => timescale.date)).toEqual([...dates.map((timescale) => timescale.date)].sort())
    expect(dates.find((timescale) => timescale.id === 'reportsDue')?.rule).toBe('2 working days before the conference')
  })

  test('how a date stands: upcoming, due until its latest day, then overdue unless the record settles it', () => {
    const minutes = { date: '2026-11-23', latest: '2026-11-26' }
    expect(dueState(minutes, '2026-11-22')).toBe('upcoming')
    expect(dueState(minutes, '2026-11-23')).toBe('due')
    expect(dueState(minutes, '2026-11-26')).toBe('due')
    expect(dueState(minutes, '2026-11-27')).toBe('overdue')
    expect(dueState(minutes, '2026-11-27', 'done')).toBe('done')
  })

  test('a meeting booked for a day after the latest the timescale allows is booked late, not on time', () => {
    const coreGroup = { date: '2026-11-16', latest: '2026-11-16' }
    expect(dueState(coreGroup, '2026-11-10', { booked: '2026-11-16' })).toBe('booked')
    expect(dueState(coreGroup, '2026-11-10', { booked: '2027-01-20' })).toBe('booked-late')
    expect(dueState(coreGroup, '2026-12-01', { booked: '2027-01-20' })).toBe('booked-late')
  })
})

describe('configurable public holidays', () => {
  test('a list of holidays is running out from 12 months before the end of its last year, and has ended after it', () => {
    const list = ['2026-12-25', '2027-12-28']
    expect(holidaysRunningOut(list, '2026-12-31')).toBeNull()
    // No holidays at all was given on purpose: nothing runs out.
    expect(holidaysRunningOut([], '2026-12-31')).toBeNull()
    expect(holidaysRunningOut(list, '2027-01-01')).toEqual({ lastYear: 2027, ended: false })
    expect(holidaysRunningOut(list, '2027-12-31')).toEqual({ lastYear: 2027, ended: false })
    expect(holidaysRunningOut(list, '2028-01-01')).toEqual({ lastYear: 2027, ended: true })
  })

  test('another list of holidays changes the working days', () => {
    const scotland = workingCalendar(['2026-11-30']) // St Andrew's Day (substitute Monday)
    expect(addWorkingDays('2026-11-27', 1, scotland)).toBe('2026-12-01')
    expect(addWorkingDays('2026-11-27', 1, englandAndWales)).toBe('2026-11-30')
    expect(byId(conferenceTimescales({ kind: 'uk-initial', date: '2026-11-23' }, scotland)).coreGroup?.date).toBe('2026-12-08')
  })

  test('PUBLIC_HOLIDAYS: the default list, a comma-separated list, or a file; bad dates are refused at start', async () => {
    expect(readConfig({}).publicHolidays).toEqual(ENGLAND_AND_WALES_BANK_HOLIDAYS)
    expect(readConfig({ PUBLIC_HOLIDAYS: '2026-11-30, 2027-11-30' }).publicHolidays).toEqual(['2026-11-30', '2027-11-30'])
    const file = path.join(await tempDir('holidays-'), 'holidays.txt')
    await fs.writeFile(file, '2026-01-02\n2026-11-30\n')
    expect(readConfig({ PUBLIC_HOLIDAYS: file }).publicHolidays).toEqual(['2026-01-02', '2026-11-30'])
    expect(() => readConfig({ PUBLIC_HOLIDAYS: '2026-11-31' })).toThrow(/PUBLIC_HOLIDAYS/)
    expect(() => readConfig({ PUBLIC_HOLIDAYS: path.join(path.dirname(file), 'missing.txt') })).toThrow(/PUBLIC_HOLIDAYS: cannot read/)
  })
})
