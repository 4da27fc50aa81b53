import { expect, test } from 'vitest'
import { sentVersionWords } from '../../client/components/exports/sentWords'

test('the "Sent to" list says in plain words whether a draft or the final record went out, and when it cannot know', () => {
  expect(sentVersionWords({ state: 'draft' })).toBe('Draft — sent before the record was closed')
  expect(sentVersionWords({ state: 'final', hash: 'a'.repeat(64) })).toBe('Final — the closed record')
  expect(sentVersionWords({ state: 'unknown' })).toBe('Draft or final not known — recorded before SafetyMap kept which')
})
