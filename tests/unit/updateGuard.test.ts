import { describe, expect, test } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { migrateConference } from '../../shared/conference/migrations'
import { setPlainText } from '../../shared/conference/richText'
import { inspectUpdate, isEmptyUpdate, MAX_STRUCT_LENGTH, MAX_TYPE_DEPTH, MAX_TYPES_PER_UPDATE } from '../../server/documents/updateGuard'

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
      conferenceRecord(client).details.children.add('note-taker', { fields: { name: 'Robin' } })
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

/** A hand-made V1 update: per client a list of items (a root name as parent, or origins), then deletions. */
interface ItemSpec {
  origin?: [number, number]
  rightOrigin?: [number, number]
  parent?: string | [number, number]
  content: { string: string } | { any: unknown[] } | { type: number } | { json: string } | { doc: true }
}
function craft(blocks: [number, number, (ItemSpec | { skip: number })[]][], deletions: [number, [number, number][]][] = []): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, blocks.length)
  for (const [client, clock, structs] of blocks) {
    encoding.writeVarUint(e, structs.length)
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
    for (const struct of structs) {
      if ('skip' in struct) {
        encoding.writeUint8(e, 10)
        encoding.writeVarUint(e, struct.skip)
        continue
      }
      const { content } = struct
      const ref = 'string' in content ? 4 : 'any' in content ? 8 : 'type' in content ? 7 : 'json' in content ? 2 : 9
      encoding.writeUint8(e, ref | (struct.origin ? 128 : 0) | (struct.rightOrigin ? 64 : 0))
      for (const id of [struct.origin, struct.rightOrigin]) {
        if (id) {
          encoding.writeVarUint(e, id[0])
          encoding.writeVarUint(e, id[1])
        }
      }
      if (!struct.origin && !struct.rightOrigin) {
        const parent = struct.parent ?? 'map.pastHarm'
        if (typeof parent === 'string') {
          encoding.writeVarUint(e, 1)
          encoding.writeVarString(e, parent)
        } else {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, parent[0])
          encoding.writeVarUint(e, parent[1])
        }
      }
      if ('string' in content) encoding.writeVarString(e, content.string)
      else if ('any' in content) {
        encoding.writeVarUint(e, content.any.length)
        for (const value of content.any) encoding.writeAny(e, value as never)
      } else if ('type' in content) {
        encoding.writeVarUint(e, content.type)
        if (content.type === 3) encoding.writeVarString(e, 'paragraph')
      } else if ('json' in content) {
        encoding.writeVarUint(e, 1)
        encoding.writeVarString(e, content.json)
      } else {
        encoding.writeVarString(e, 'a-guid')
        encoding.writeAny(e, {})
      }
    }
  }
  encoding.writeVarUint(e, deletions.length)
  for (const [client, ranges] of deletions) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, ranges.length)
    for (const [clock, length] of ranges) {
      encoding.writeVarUint(e, clock)
      encoding.writeVarUint(e, length)
    }
  }
  return encoding.toUint8Array(e)
}

/** Two people typing in turn into one paragraph: `count` items in one list that never merge. */
function interleavedParagraph(count: number): { doc: Y.Doc; items: Y.ID[] } {
  const doc = serverDoc()
  const other = new Y.Doc()
  const text = new Y.XmlText()
  doc.getArray('map.pastHarm').insert(0, [text])
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
  const otherText = other.getArray('map.pastHarm').get(0) as Y.XmlText
  for (let index = 0; index < count / 2; index++) {
    text.insert(text.length, 'a')
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)))
    otherText.insert(otherText.length, 'b')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
  }
  const items: Y.ID[] = []
  for (let item = text._start; item; item = item.right) items.push(Y.createID(item.id.client, item.id.clock + item.length - 1))
  return { doc, items }
}

describe('bounding what an update costs', () => {
  test('references that go round in a circle (Yjs would keep them pending) are refused', () => {
    // a0 follows b0, b0 follows a1, a1 is written at the root: nothing can go first.
    const update = craft([
      [1001, 0, [{ origin: [1002, 0], content: { string: 'a' } }, { content: { string: 'a' } }]],
      [1002, 0, [{ origin: [1001, 1], content: { string: 'b' } }]],
    ])
    const server = serverDoc()
    expect(inspectUpdate(update, server)).toBe('missing-dependency')
    // The same three in an order Yjs can integrate pass.
    const fine = craft([
      [1001, 0, [{ content: { string: 'a' } }, { origin: [1002, 0], content: { string: 'a' } }]],
      [1002, 0, [{ origin: [1001, 0], content: { string: 'b' } }]],
    ])
    expect(inspectUpdate(fine, server)).toBeNull()
    Y.applyUpdate(server, fine)
    expect(server.store.pendingStructs).toBeNull()
  })

  test('a gap (a Skip) before content is refused; a client written twice is refused', () => {
    expect(inspectUpdate(craft([[7, 0, [{ content: { any: [1] } }, { skip: 3 }, { origin: [7, 0], content: { any: [2] } }]]]), serverDoc())).toBe('missing-dependency')
    expect(inspectUpdate(craft([[7, 0, [{ content: { any: [1] } }]], [7, 0, [{ content: { any: [2] } }]]]), serverDoc())).toBe('undecodable')
  })

  test('deletions must be sorted and must not overlap: overlapping ranges would walk the same items again and again', () => {
    const { doc, items } = interleavedParagraph(200)
    // The second typist, who only ever typed into the paragraph.
    const client = items.find((id) => id.client !== doc.clientID)!.client
    const end = Y.getState(doc.store, client)
    expect(inspectUpdate(craft([], [[client, [[0, 2], [4, 3]]]]), doc)).toBeNull()
    expect(inspectUpdate(craft([], [[client, [[0, end], [0, end]]]]), doc)).toBe('undecodable')
    expect(inspectUpdate(craft([], [[client, [[4, 3], [0, 2]]]]), doc)).toBe('undecodable')
  })

  test('sub-documents are refused before Yjs would build a Y.Doc for each', () => {
    const many = craft([[9, 0, Array.from({ length: 1000 }, (_, index) => (index === 0 ? { content: { doc: true } } : { origin: [9, index - 1] as [number, number], content: { doc: true } }))]])
    expect(inspectUpdate(many, serverDoc())).toBe('unsupported-content')
  })

  test('items that would each make Yjs walk a long paragraph are refused; ordinary typing there passes', () => {
    const { doc, items } = interleavedParagraph(4000)
    // Placed at the paragraph's start, each claiming a far right neighbour: 100 walks of ~4000.
    const scan = craft([[31, 0, Array.from({ length: 100 }, (_, index) => ({ rightOrigin: [items[items.length - 1 - index]!.client, items[items.length - 1 - index]!.clock] as [number, number], content: { string: 'z' } }))]])
    expect(inspectUpdate(scan, doc)).toBe('too-costly')
    // Someone typing 500 characters in the middle of it.
    const typist = new Y.Doc()
    Y.applyUpdate(typist, Y.encodeStateAsUpdate(doc))
    const updates: Uint8Array[] = []
    typist.on('update', (update: Uint8Array) => updates.push(update))
    const text = typist.getArray('map.pastHarm').get(0) as Y.XmlText
    for (let index = 0; index < 500; index++) text.insert(2000 + index, 'x', index % 7 === 0 ? { bold: true } : {})
    expect(inspectUpdate(Y.mergeUpdates(updates), doc)).toBeNull()
  })

  test('a long run of single values Yjs would merge by copying is refused; a short one passes', () => {
    const run = (count: number): Uint8Array => craft([[41, 0, Array.from({ length: count }, (_, index) => (index === 0 ? { content: { any: [0] } } : { origin: [41, index - 1] as [number, number], content: { any: [index] } }))]])
    expect(inspectUpdate(run(100), serverDoc())).toBeNull()
    expect(inspectUpdate(run(2_000), serverDoc())).toBe('too-costly')
  })

  test('values nested too deeply to be encoded again, too many types, or types nested too deeply are refused', () => {
    expect(inspectUpdate(craft([[51, 0, [{ content: { json: '['.repeat(65) + ']'.repeat(65) } }]]]), serverDoc())).toBe('too-costly')
    expect(inspectUpdate(craft([[51, 0, [{ content: { json: '[[{"a":"[[[["}]]' } }]]]), serverDoc())).toBeNull()
    let nested: unknown = 1
    for (let depth = 0; depth < 70; depth++) nested = [nested]
    expect(inspectUpdate(craft([[52, 0, [{ content: { any: [nested] } }]]]), serverDoc())).toBe('too-costly')
    const flat = (count: number): Uint8Array => craft([[53, 0, Array.from({ length: count }, (_, index) => (index === 0 ? { content: { type: 3 } } : { origin: [53, index - 1] as [number, number], content: { type: 3 } }))]])
    expect(inspectUpdate(flat(100), serverDoc())).toBeNull()
    expect(inspectUpdate(flat(MAX_TYPES_PER_UPDATE + 1), serverDoc())).toBe('too-costly')
    const deep = (depth: number): Uint8Array => craft([[54, 0, Array.from({ length: depth }, (_, index) => (index === 0 ? { content: { type: 3 } } : { parent: [54, index - 1] as [number, number], content: { type: 3 } }))]])
    expect(inspectUpdate(deep(20), serverDoc())).toBeNull()
    expect(inspectUpdate(deep(MAX_TYPE_DEPTH + 1), serverDoc())).toBe('too-costly')
  })

  test('a long offline session, sent as one update (its sync step 2), passes', () => {
    const server = serverDoc()
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    {
      const record = conferenceRecord(client)
      for (let entryIndex = 0; entryIndex < 20; entryIndex++) {
        const fragment = record.map.section('pastHarm').add('note-taker').richText('text')
        for (let paragraph = 0; paragraph < 5; paragraph++) {
          const element = new Y.XmlElement('paragraph')
          fragment.insert(fragment.length, [element])
          const text = new Y.XmlText()
          element.insert(0, [text])
          for (let index = 0; index < 200; index++) text.insert(text.length, 'w', index % 10 === 0 ? { bold: true } : {})
          text.delete(3, 5)
        }
      }
    }
    expect(inspectUpdate(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)), server)).toBeNull()
  })

  test('an empty update is recognised without building Yjs objects', () => {
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true)
    expect(isEmptyUpdate(craft([[9, 0, [{ content: { doc: true } }]]]))).toBe(false)
    expect(isEmptyUpdate(new Uint8Array([1, 1, 7]))).toBe(false)
  })
})
