import { describe, expect, test } from 'vitest'
import { readConfig } from '../../server/config'
import { PILOT_PLACES } from '../../server/programmes/places'
import { cscHoldBy, deadlineWords, followUpDue, heldInTime, instantOf, isTimeZone, zonedTime } from '../../shared/programmes/deadlines'
import type { ReferralSummary } from '../../shared/programmes/referral'
import { holdByWords } from '../../client/components/programmes/referralWords'

const CHICAGO = 'America/Chicago'

describe('a Child Safety Conference’s deadlines', () => {
  test('72 hours from the instant the concern was raised, shown on the referring office’s clock', () => {
    const raised = new Date('2026-11-23T09:30:00-06:00')
    const holdBy = cscHoldBy(raised)
    expect(holdBy.toISOString()).toBe('2026-11-26T15:30:00.000Z')
    expect(zonedTime(holdBy, CHICAGO)).toEqual({ date: '2026-11-26', time: '09:30', timeZone: CHICAGO })
    expect(zonedTime(holdBy, 'Europe/London')).toEqual({ date: '2026-11-26', time: '15:30', timeZone: 'Europe/London' })
    expect(deadlineWords(holdBy, CHICAGO)).toBe('Thu, Nov 26, 9:30 AM CST')
  })

  test('across the start of daylight saving the 72 hours stay 72 hours: the clock shows an hour later', () => {
    // Friday 6 March 2026, 10:00 CST; clocks go forward on Sunday 8 March.
    const holdBy = cscHoldBy(instantOf({ date: '2026-03-06', time: '10:00', timeZone: CHICAGO }))
    expect(holdBy.toISOString()).toBe('2026-03-09T16:00:00.000Z')
    expect(zonedTime(holdBy, CHICAGO)).toMatchObject({ date: '2026-03-09', time: '11:00' })
    expect(deadlineWords(holdBy, CHICAGO)).toContain('CDT')
  })

  test('across the end of daylight saving the clock shows an hour earlier (London, October)', () => {
    const holdBy = cscHoldBy(instantOf({ date: '2026-10-23', time: '12:00', timeZone: 'Europe/London' }))
    // 12:00 BST is 11:00 UTC; the clocks go back on Sunday 25 October.
    expect(holdBy.toISOString()).toBe('2026-10-26T11:00:00.000Z')
    expect(zonedTime(holdBy, 'Europe/London')).toMatchObject({ date: '2026-10-26', time: '11:00' })
    // Chicago's clocks go back a week later.
    expect(zonedTime(holdBy, CHICAGO)).toMatchObject({ date: '2026-10-26', time: '06:00' })
  })

  test('a clock time typed in is read in its own time zone, including the hour skipped and the hour shown twice', () => {
    expect(instantOf({ date: '2026-11-23', time: '09:30', timeZone: CHICAGO }).toISOString()).toBe('2026-11-23T15:30:00.000Z')
    expect(instantOf({ date: '2026-07-01', time: '09:30', timeZone: CHICAGO }).toISOString()).toBe('2026-07-01T14:30:00.000Z')
    expect(instantOf({ date: '2026-07-01', time: '09:30', timeZone: 'Pacific/Honolulu' }).toISOString()).toBe('2026-07-01T19:30:00.000Z')
    // 02:30 on 8 March 2026 never shows in Chicago: read as 03:30 CDT.
    expect(instantOf({ date: '2026-03-08', time: '02:30', timeZone: CHICAGO }).toISOString()).toBe('2026-03-08T08:30:00.000Z')
    // 01:30 on 1 November 2026 shows twice: the first (CDT).
    expect(instantOf({ date: '2026-11-01', time: '01:30', timeZone: CHICAGO }).toISOString()).toBe('2026-11-01T06:30:00.000Z')
    expect(() => instantOf({ date: '2026-02-30', time: '09:30', timeZone: CHICAGO })).toThrow(RangeError)
    expect(() => instantOf({ date: '2026-02-03', time: '9:30', timeZone: CHICAGO })).toThrow(RangeError)
  })

  test('every quarter hour of a year in three zones reads back as the same clock time', () => {
    for (const timeZone of [CHICAGO, 'Europe/London', 'Australia/Lord_Howe']) {
      for (let day = 0; day < 365; day += 7) {
        for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
          const start = new Date(Date.UTC(2026, 0, 1 + day, 0, minutes))
          const shown = zonedTime(start, timeZone)
          expect(zonedTime(instantOf(shown), timeZone)).toEqual(shown)
        }
      }
    }
  })

  test('met in time when it meets on or before the deadline’s day where the referral was made', () => {
    // 23:30 on 25 November in Chicago is already 26 November in UTC.
    const holdBy = cscHoldBy(new Date('2026-11-22T23:30:00-06:00'))
    expect(heldInTime('2026-11-25', holdBy, CHICAGO)).toBe(true)
    expect(heldInTime('2026-11-26', holdBy, CHICAGO)).toBe(false)
    expect(heldInTime('2026-11-26', holdBy, 'Europe/London')).toBe(true)
  })

  test('the follow-up within 10 calendar days of the CSC, over a year end and a leap day', () => {
    expect(followUpDue('2026-11-23')).toBe('2026-12-03')
    expect(followUpDue('2026-12-28')).toBe('2027-01-07')
    expect(followUpDue('2028-02-25')).toBe('2028-03-06')
  })

  test('Parent Partner places per service area from PARENT_PARTNER_PLACES, the pilot’s by default', () => {
    expect(readConfig({}).parentPartnerPlaces).toEqual(PILOT_PLACES)
    expect(PILOT_PLACES).toHaveLength(5)
    expect(PILOT_PLACES.every((area) => area.places === 50)).toBe(true)
    expect(readConfig({ PARENT_PARTNER_PLACES: 'Eastern=2, Des Moines = 40' }).parentPartnerPlaces).toEqual([{ serviceArea: 'Eastern', places: 2 }, { serviceArea: 'Des Moines', places: 40 }])
    expect(() => readConfig({ PARENT_PARTNER_PLACES: 'Eastern' })).toThrow('Invalid environment: PARENT_PARTNER_PLACES: not "Area=places": Eastern')
    expect(() => readConfig({ PARENT_PARTNER_PLACES: 'Eastern=2,eastern=3' })).toThrow(/named twice/)
  })

  test('only time zone names the runtime knows', () => {
    expect(isTimeZone(CHICAGO)).toBe(true)
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isTimeZone('')).toBe(false)
    expect(isTimeZone(42)).toBe(false)
  })
})

describe('the 72 hours, in words beside a listed CSC', () => {
  // Raised Monday 23 November, 9:30 in Chicago: to be held by Thursday 26 November, 9:30.
  const raised = new Date('2026-11-23T09:30:00-06:00')
  const referral: ReferralSummary = {
    concernRaisedAt: raised.toISOString(),
    timeZone: CHICAGO,
    holdBy: cscHoldBy(raised).toISOString(),
    afterRemoval: false,
    serviceArea: 'Eastern',
    facilitator: { name: 'Sam Lee', organisation: 'Family Voices', independent: true },
  }
  const at = (wallClock: string): Date => new Date(`${wallClock}-06:00`)

  test('until the conference’s day has gone by, the deadline still to meet', () => {
    expect(holdByWords(referral, '2026-11-25', at('2026-11-24T12:00:00'))).toBe('Hold by Thu, Nov 26, 9:30 AM CST')
    // On the day itself the meeting may be later on.
    expect(holdByWords(referral, '2026-11-25', at('2026-11-25T23:00:00'))).toBe('Hold by Thu, Nov 26, 9:30 AM CST')
    expect(holdByWords({ ...referral, afterRemoval: true }, '2026-11-25', at('2026-11-24T12:00:00'))).toBe('Hold by Thu, Nov 26, 9:30 AM CST · After a removal')
    // No date yet: not held.
    expect(holdByWords(referral, '', at('2026-11-30T12:00:00'))).toBe('Hold by Thu, Nov 26, 9:30 AM CST')
  })

  test('after it, whether it was held within the 72 hours, on the referral’s own clock', () => {
    // Midnight has passed in Chicago (06:00 UTC), not only in UTC.
    expect(holdByWords(referral, '2026-11-26', at('2026-11-26T23:30:00'))).toBe('Hold by Thu, Nov 26, 9:30 AM CST')
    expect(holdByWords(referral, '2026-11-26', at('2026-11-27T00:30:00'))).toBe('Held within 72 hours of the concern being raised')
    expect(holdByWords({ ...referral, afterRemoval: true }, '2026-11-27', at('2026-11-30T09:00:00'))).toBe('Held more than 72 hours after the concern was raised · After a removal')
  })
})
