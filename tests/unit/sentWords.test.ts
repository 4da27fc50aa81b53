import { expect, test } from 'vitest'
import { dateWords } from '../../client/words'
import { sentBeforeCorrectionWords, sentLate, sentTimingWords, sentVersionWords } from '../../client/components/exports/sentWords'

test('the "Sent to" list says in plain words whether a draft or the final record went out, and when it cannot know', () => {
  expect(sentVersionWords({ state: 'draft' })).toBe('Draft — sent before the record was closed')
  expect(sentVersionWords({ state: 'final', hash: 'a'.repeat(64) })).toBe('Final — the closed record')
  expect(sentVersionWords({ state: 'unknown' })).toBe('Draft or final not known — recorded before SafetyMap kept which')
})

test('a document sent before the meeting (one moved to a later day) is said to be so, and is not marked late', () => {
  const early = { sameDay: false, onTime: false, early: true }
  expect(sentTimingWords(early)).toBe('Sent before the meeting')
  expect(sentLate(early)).toBe(false)
  expect(sentTimingWords({ sameDay: true, onTime: true, early: false })).toBe('Same day')
  expect(sentTimingWords({ sameDay: false, onTime: true, early: false })).toBe('Within 72 hours')
  const late = { sameDay: false, onTime: false, early: false }
  expect(sentTimingWords(late)).toBe('Late: after 72 hours')
  expect(sentLate(late)).toBe(true)
})

test('minutes sent before a correction was added to the closed record say so, with the day of the first correction', () => {
  expect(sentBeforeCorrectionWords({ correctedSince: null })).toBe('')
  // The day as the device's language writes it.
  const day = dateWords('2026-11-26')
  expect(sentBeforeCorrectionWords({ correctedSince: { count: 1, firstOn: '2026-11-26' } })).toBe(`Sent before the correction of ${day}`)
  expect(sentBeforeCorrectionWords({ correctedSince: { count: 3, firstOn: '2026-11-26' } })).toBe(`Sent before 3 corrections, the first made on ${day}`)
})
