import { describe, expect, test } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { setPlainText } from '../../shared/conference/richText'
import { inspectUpdate, MAX_STRUCT_LENGTH } from '../../server/documents/updateGuard'

/** A hand-made V1 update holding one GC struct of `length` for `client` (no deletions). */
function gcUpdate(client: number, length: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1) // one client
  encoding.writeVarUint(encoder, 1) // one struct
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 0) // starting clock
  encoding.writeUint8(encoder, 0) // info: GC
  encoding.writeVarUint(encoder, length)
  encoding.writeVarUint(encoder, 0) // delete set: no clients
  return encoding.toUint8Array(encoder)
}

function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  change(doc)
  return Y.encodeStateAsUpdate(doc)
}

describe('checking a client update before it is applied', () => {
  test('ordinary edits through the record accessors pass', () => {
    const update = updateOf((doc) => {
      const record = conferenceRecord(doc)
      setPlainText(record.map.section('pastHarm').add('note-taker').richText('text'), 'A worry')
      record.actions.add('note-taker', { fields: { who: 'Mum' }, text: { what: 'Call the school' } })
    })
    expect(inspectUpdate(update)).toBeNull()
  })

  test('a struct whose length would push a clock far ahead is refused', () => {
    expect(inspectUpdate(gcUpdate(7, 5))).toBeNull()
    expect(inspectUpdate(gcUpdate(7, MAX_STRUCT_LENGTH + 1))?.reason).toBe('implausible-length')
    expect(inspectUpdate(gcUpdate(7, 2 ** 45))?.reason).toBe('implausible-length')
  })

  test('a deletion claiming an implausible range is refused', () => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0) // no structs
    encoding.writeVarUint(encoder, 1) // one client in the delete set
    encoding.writeVarUint(encoder, 7)
    encoding.writeVarUint(encoder, 1) // one range
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, 2 ** 44)
    expect(inspectUpdate(encoding.toUint8Array(encoder))?.reason).toBe('implausible-length')
  })

  test.each(['scores', 'meta', 'somethingElse'])('writing to the "%s" root is refused: only the server writes there, or it does not exist', (root) => {
    expect(inspectUpdate(updateOf((doc) => { doc.getMap(root).set('x', 1) }))?.reason).toBe('unknown-root')
  })

  test('bytes that do not decode are refused', () => {
    expect(inspectUpdate(new Uint8Array([1, 1, 7]))?.reason).toBe('undecodable')
  })
})
