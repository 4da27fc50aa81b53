import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { writeFinalization, writeSchemaVersion, type Finalization } from '../../shared/conference/meta'
import { serverOrigin } from '../../shared/conference/origins'

const CLOSED: Finalization = { at: '2026-11-23T16:20:00.000Z', by: 'Ada Admin', hash: 'a'.repeat(64) }

/** Two copies of one record, each update passed straight to the other (the server and a board). */
function serverAndBoard(): { server: Y.Doc; board: Y.Doc } {
  const server = new Y.Doc()
  const board = new Y.Doc()
  server.on('update', (update: Uint8Array) => { Y.applyUpdate(board, update) })
  return { server, board }
}

describe('the record’s meta part, watched', () => {
  test('a board learns that the record was closed the moment the server’s change arrives', () => {
    const { server, board } = serverAndBoard()
    const meta = conferenceRecord(board).meta
    const seen: (Finalization | null)[] = []
    meta.observe(() => { seen.push(meta.finalization()) })
    expect(meta.finalization()).toBeNull()

    server.transact(() => { writeFinalization(server, CLOSED) }, serverOrigin)

    expect(seen).toEqual([CLOSED])
    expect(meta.finalization()).toEqual(CLOSED)
  })

  test('a migration’s schema version is a change too; after unobserving nothing more is heard', () => {
    const doc = new Y.Doc()
    const meta = conferenceRecord(doc).meta
    let changes = 0
    const stop = meta.observe(() => { changes += 1 })
    doc.transact(() => { writeSchemaVersion(doc, 3) })
    expect(changes).toBe(1)

    stop()
    doc.transact(() => { writeFinalization(doc, CLOSED) })
    expect(changes).toBe(1)
    expect(meta.finalization()).toEqual(CLOSED)
  })

  test('changes elsewhere in the record are not reported as changes to it', () => {
    const doc = new Y.Doc()
    const record = conferenceRecord(doc)
    let changes = 0
    record.meta.observe(() => { changes += 1 })
    record.meeting.moveTo('map', 'someone')
    expect(changes).toBe(0)
  })
})
