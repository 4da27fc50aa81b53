import { describe, expect, test } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { migrateConference } from '../../shared/conference/migrations'
import { setPlainText } from '../../shared/conference/richText'
import { inspectUpdate, MAX_STRUCT_LENGTH } from '../../server/documents/updateGuard'

/** The server's copy of a conference, with the scores part written as only the server may. */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc()
  migrateConference(doc)
  doc.transact(() => {
    const overall = new Y.Map<number>()
    doc.getMap('scores').set('overall', overall)
    overall.set('parent', 6)
  })
  return doc
}

/** A client that synced with the server, then made `change`: the update it would send. */
function clientUpdate(server: Y.Doc, change: (client: Y.Doc) => void): Uint8Array {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const updates: Uint8Array[] = []
  client.on('update', (update: Uint8Array) => updates.push(update))
  change(client)
  return Y.mergeUpdates(updates)
}

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

describe('checking a client update before it is applied', () => {
  test('ordinary edits through the record accessors pass, including edits of existing text', () => {
    const server = serverDoc()
    const first = clientUpdate(server, (client) => {
      const record = conferenceRecord(client)
      setPlainText(record.map.section('pastHarm').add('note-taker').richText('text'), 'A worry')
      record.actions.add('note-taker', { fields: { who: 'Mum' }, text: { what: 'Call the school' } })
    })
    expect(inspectUpdate(first, server)).toBeNull()
    Y.applyUpdate(server, first)
    const edit = clientUpdate(server, (client) => {
      const entry = conferenceRecord(client).map.section('pastHarm').entries()[0]!
      setPlainText(entry.richText('text'), 'A worry, corrected by Mum')
      conferenceRecord(client).details.update({ title: 'Renamed' })
    })
    expect(inspectUpdate(edit, server)).toBeNull()
  })

  test('a struct whose length would push a clock far ahead is refused', () => {
    const server = serverDoc()
    expect(inspectUpdate(gcUpdate(7, 5), server)).toBeNull()
    expect(inspectUpdate(gcUpdate(7, MAX_STRUCT_LENGTH + 1), server)).toBe('implausible-length')
    expect(inspectUpdate(gcUpdate(7, 2 ** 45), server)).toBe('implausible-length')
  })

  test('a deletion claiming an implausible range is refused', () => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0) // no structs
    encoding.writeVarUint(encoder, 1) // one client in the delete set
    encoding.writeVarUint(encoder, 7)
    encoding.writeVarUint(encoder, 1) // one range
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, 2 ** 44)
    expect(inspectUpdate(encoding.toUint8Array(encoder), serverDoc())).toBe('implausible-length')
  })

  test.each(['scores', 'meta', 'somethingElse'])('a new key in the "%s" root is refused', (root) => {
    const server = serverDoc()
    expect(inspectUpdate(clientUpdate(server, (client) => { client.getMap(root).set('x', 1) }), server)).toBe('forbidden-root')
  })

  test('overwriting the schema version is refused, though the update names no root (only an origin)', () => {
    const server = serverDoc()
    const update = clientUpdate(server, (client) => { client.getMap('meta').set('schemaVersion', 99) })
    expect(inspectUpdate(update, server)).toBe('forbidden-root')
  })

  test('deleting the schema version, or writing inside a nested map of the scores, is refused', () => {
    const server = serverDoc()
    expect(inspectUpdate(clientUpdate(server, (client) => { client.getMap('meta').delete('schemaVersion') }), server)).toBe('forbidden-root')
    const nested = clientUpdate(server, (client) => { (client.getMap('scores').get('overall') as Y.Map<number>).set('social worker', 9) })
    expect(inspectUpdate(nested, server)).toBe('forbidden-root')
  })

  test('an update built on content the server never received is refused as a missing dependency', () => {
    const server = serverDoc()
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const updates: Uint8Array[] = []
    client.on('update', (update: Uint8Array) => updates.push(update))
    const text = conferenceRecord(client).map.section('pastHarm').add('note-taker').richText('text')
    setPlainText(text, 'first words')
    setPlainText(text, 'second words')
    expect(inspectUpdate(updates[updates.length - 1]!, server)).toBe('missing-dependency')
    expect(inspectUpdate(Y.mergeUpdates(updates), server)).toBeNull()
  })

  test('bytes that do not decode are refused', () => {
    expect(inspectUpdate(new Uint8Array([1, 1, 7]), serverDoc())).toBe('undecodable')
  })
})
