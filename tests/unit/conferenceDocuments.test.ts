import { describe, expect, test } from 'vitest'
import { parseSyncRoomName, syncRoomName, WRITABLE_ROOTS } from '../../shared/conference/documents'
import { PROFESSIONALS_ONLY_ROOT_NAMES } from '../../shared/conference/professionalsOnly'

describe('a conference’s two documents', () => {
  test('room names round-trip, and nothing else parses', () => {
    for (const document of ['record', 'professionalsOnly'] as const) {
      expect(parseSyncRoomName(syncRoomName('abc', document))).toEqual({ conferenceId: 'abc', document })
    }
    for (const odd of ['', '/', 'abc/', 'abc/other', 'abc/professionals-only/x', '/professionals-only']) {
      expect(parseSyncRoomName(odd)).toBeNull()
    }
  })

  test('the record and the professionals-only section share no writable part', () => {
    for (const root of PROFESSIONALS_ONLY_ROOT_NAMES) expect(WRITABLE_ROOTS.record.has(root)).toBe(false)
    expect([...WRITABLE_ROOTS.professionalsOnly]).toEqual([...PROFESSIONALS_ONLY_ROOT_NAMES])
  })
})
