import { describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { z } from 'zod'
import { EntryList, RecordValidationError, conferenceRecord, isConferenceOrigin, plainText, seedOrigin, serverOrigin, type ConferenceOrigin } from '../../shared/conference'
import { reasonOf } from '../helpers/recordErrors'

const noteSchema = z.object({ who: z.string().max(20), urgent: z.boolean(), byWhen: z.iso.date().nullable() })
type NoteFields = z.infer<typeof noteSchema>
const noteDefaults: NoteFields = { who: '', urgent: false, byWhen: null }

function noteList(doc = new Y.Doc(), maxEntries?: number): EntryList<NoteFields, 'what' | 'why'> {
  return new EntryList(doc, 'test.notes', { schema: noteSchema, defaults: noteDefaults, richText: ['what', 'why'], ...(maxEntries === undefined ? {} : { maxEntries }) })
}

/** Records the origin of every transaction on the doc. */
function originsOf(doc: Y.Doc): unknown[] {
  const origins: unknown[] = []
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    origins.push(transaction.origin)
  })
  return origins
}

describe('EntryList', () => {
  test('add stores who, when, defaults, fields and rich text in one transaction', () => {
    const doc = new Y.Doc()
    const list = noteList(doc)
    const origins = originsOf(doc)
    vi.useFakeTimers({ now: new Date('2025-03-14T10:00:00Z'), toFake: ['Date'] })
    try {
      const entry = list.add('note-taker', { fields: { urgent: true }, text: { what: 'First line\nSecond line' } })
      expect(origins).toEqual([{ kind: 'local-edit' }])
      expect(entry.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(entry.authorId).toBe('note-taker')
      expect(entry.createdAt).toBe('2025-03-14T10:00:00.000Z')
      expect(entry.updatedAt).toBe('2025-03-14T10:00:00.000Z')
      expect(entry.updatedBy).toBe('note-taker')
      expect(entry.fields).toEqual({ who: '', urgent: true, byWhen: null })
      expect(plainText(entry.richText('what'))).toBe('First line\nSecond line')
      expect(plainText(entry.richText('why'))).toBe('')
      expect(entry.removed).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  test('ids are unique', () => {
    const list = noteList()
    const ids = new Set(Array.from({ length: 200 }, () => list.add('a').id))
    expect(ids.size).toBe(200)
  })

  test('entries keep the order they were added in, and `after` places an entry right after another', () => {
    const list = noteList()
    const first = list.add('a', { text: { what: 'first' } })
    const third = list.add('a', { text: { what: 'third' } })
    list.add('a', { text: { what: 'second' }, after: first.id })
    list.add('a', { text: { what: 'fourth' }, after: third.id })
    expect(list.entries().map((entry) => plainText(entry.richText('what')))).toEqual(['first', 'second', 'third', 'fourth'])
    expect(reasonOf(() => list.add('a', { after: 'no-such-entry' }))).toBe('unknown-entry')
  })

  test('move changes only the position: same entry, same text, new place', () => {
    const doc = new Y.Doc()
    const list = noteList(doc)
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((word) => list.add('x', { text: { what: word } }))
    const words = (): string[] => list.entries().map((entry) => plainText(entry.richText('what')))
    const fragmentBefore = d!.richText('what')
    list.move(d!.id, 0)
    expect(words()).toEqual(['d', 'a', 'b', 'c'])
    expect(list.get(d!.id)!.richText('what')).toBe(fragmentBefore)
    list.move(d!.id, 99)
    expect(words()).toEqual(['a', 'b', 'c', 'd'])
    list.move(a!.id, 2)
    expect(words()).toEqual(['b', 'c', 'a', 'd'])
    list.move(c!.id, -5)
    expect(words()).toEqual(['c', 'b', 'a', 'd'])
    expect(b!.position).toBeTypeOf('number')

    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    list.move(c!.id, 0)
    expect(updates).toEqual([]) // already there: nothing written
    expect(reasonOf(() => { list.move('gone', 0) })).toBe('unknown-entry')
  })

  test('many moves into the same gap renumber instead of running out of room', () => {
    const list = noteList()
    const entries = ['a', 'b', 'c'].map((word) => list.add('x', { text: { what: word } }))
    // Alternately move the last and the first entry into index 1: each halves the gap.
    for (let round = 0; round < 200; round++) list.move(entries[round % 2 === 0 ? 2 : 0]!.id, 1)
    const order = list.entries().map((entry) => plainText(entry.richText('what')))
    expect(new Set(order)).toEqual(new Set(['a', 'b', 'c']))
    expect(order[1]).toBe('a') // round 199 moved 'a' into index 1
    const positions = list.entries().map((entry) => entry.position)
    expect(new Set(positions).size).toBe(3)
  })

  test('equal positions (two people adding at once) are ordered by id, the same everywhere', () => {
    const [one, two] = [new Y.Doc(), new Y.Doc()]
    noteList(one).add('a', { text: { what: 'from one' } })
    noteList(two).add('b', { text: { what: 'from two' } })
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two))
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one))
    const ids = noteList(one).entries().map((entry) => entry.id)
    expect(ids).toEqual([...ids].sort())
    expect(noteList(two).entries().map((entry) => entry.id)).toEqual(ids)
    // Moving between two tied entries still works.
    const list = noteList(one)
    const third = list.add('c')
    list.move(third.id, 1)
    expect(list.entries()[1]!.id).toBe(third.id)
  })

  test('remove deletes the entry and says whether there was one', () => {
    const list = noteList()
    const entry = list.add('a')
    expect(list.remove('nope')).toBe(false)
    expect(list.remove(entry.id)).toBe(true)
    expect(list.entries()).toEqual([])
    expect(list.get(entry.id)).toBeUndefined()
    expect(entry.removed).toBe(true)
    expect(list.remove(entry.id)).toBe(false)
  })

  test('update validates, writes only changes, and records who and when', () => {
    const doc = new Y.Doc()
    const list = noteList(doc)
    vi.useFakeTimers({ now: new Date('2025-01-01T09:00:00Z'), toFake: ['Date'] })
    try {
      const entry = list.add('author')
      vi.setSystemTime(new Date('2025-01-01T09:05:00Z'))
      entry.update('editor', { who: 'Mum', byWhen: '2025-02-01' }, serverOrigin)
      expect(entry.fields).toEqual({ who: 'Mum', urgent: false, byWhen: '2025-02-01' })
      expect(entry.updatedBy).toBe('editor')
      expect(entry.updatedAt).toBe('2025-01-01T09:05:00.000Z')
      expect(entry.authorId).toBe('author')

      const origins = originsOf(doc)
      entry.update('someone-else', { who: 'Mum' })
      expect(origins).toEqual([]) // nothing changed, nothing written
      expect(entry.updatedBy).toBe('editor')
    } finally {
      vi.useRealTimers()
    }

    const entry = list.entries()[0]!
    expect(reasonOf(() => { entry.update('x', { byWhen: '2025-02-30' }) })).toBe('invalid-field')
    expect(reasonOf(() => { entry.update('x', { who: 'far too long a name for this field' }) })).toBe('invalid-field')
    expect(reasonOf(() => { entry.update('x', { urgent: 'yes' as unknown as boolean }) })).toBe('invalid-field')
    expect(reasonOf(() => { entry.update('x', { colour: 'red' } as unknown as Partial<NoteFields>) })).toBe('unknown-field')
    expect(reasonOf(() => { entry.update('', { who: 'x' }) })).toBe('invalid-author')
    expect(entry.fields.who).toBe('Mum')
    const error = (() => {
      try {
        entry.update('x', { byWhen: 'soon' })
      } catch (thrown) {
        return thrown
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(RecordValidationError)
    expect((error as RecordValidationError).issues.length).toBeGreaterThan(0)
  })

  test('add refuses invalid fields, unknown rich text and empty authors, writing nothing', () => {
    const doc = new Y.Doc()
    const list = noteList(doc)
    const origins = originsOf(doc)
    expect(reasonOf(() => list.add('a', { fields: { byWhen: 'tomorrow' } }))).toBe('invalid-field')
    expect(reasonOf(() => list.add('a', { text: { how: 'x' } as unknown as Partial<Record<'what', string>> }))).toBe('unknown-rich-text')
    expect(reasonOf(() => list.add(''))).toBe('invalid-author')
    expect(origins).toEqual([])
    expect(list.entries()).toEqual([])
  })

  test('update of a removed entry throws; touch of one returns false', () => {
    const list = noteList()
    const entry = list.add('a')
    list.remove(entry.id)
    expect(reasonOf(() => { entry.update('b', { who: 'x' }) })).toBe('unknown-entry')
    expect(entry.touch('b')).toBe(false)
  })

  test('touch records who changed the text and when, with the origin given', () => {
    const doc = new Y.Doc()
    const list = noteList(doc)
    const entry = list.add('author')
    const origins = originsOf(doc)
    entry.richText('what').insert(0, [new Y.XmlElement('paragraph')])
    expect(entry.touch('parent', seedOrigin)).toBe(true)
    expect(entry.updatedBy).toBe('parent')
    expect(origins.at(-1)).toEqual({ kind: 'seed' })
    expect(origins.every((origin) => origin === null || isConferenceOrigin(origin))).toBe(true)
  })

  test('richText refuses names the list does not have', () => {
    const entry = noteList().add('a')
    expect(reasonOf(() => entry.richText('how' as 'what'))).toBe('unknown-rich-text')
    expect(entry.hasRichText('what')).toBe(true)
  })

  test('observe reports changes to the list and inside entries, until unsubscribed', () => {
    const list = noteList()
    const calls: number[] = []
    const stop = list.observe(() => calls.push(list.size))
    const entry = list.add('a')
    entry.update('a', { urgent: true })
    entry.richText('what').insert(0, [new Y.XmlText('typed')])
    list.remove(entry.id)
    expect(calls).toEqual([1, 1, 1, 0])
    stop()
    list.add('a')
    expect(calls).toHaveLength(4)
  })

  test('maxEntries: add refuses at the limit; a merge beyond it shows every entry and says so', () => {
    const [one, two] = [new Y.Doc(), new Y.Doc()]
    const listOne = noteList(one, 2)
    listOne.add('a')
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one))
    const listTwo = noteList(two, 2)
    listOne.add('a')
    listTwo.add('b')
    expect(listOne.isFull()).toBe(true)
    expect(reasonOf(() => listOne.add('a'))).toBe('too-many-entries')
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two))
    expect(listOne.entries()).toHaveLength(3)
    expect(listOne.exceedsLimit()).toBe(true)
    expect(reasonOf(() => listOne.add('a'))).toBe('too-many-entries')
  })

  test('invalid or missing stored values read as their defaults, field by field', () => {
    const doc = new Y.Doc()
    const list = noteList(doc)
    const entry = list.add('a', { fields: { who: 'Nan', urgent: true } })
    // A faulty or older client wrote these straight into the doc.
    const raw = doc.getArray<Y.Map<unknown>>('test.notes').get(0)
    raw.set('urgent', 'very')
    raw.set('byWhen', 12)
    raw.set('position', 'first')
    raw.delete('updatedBy')
    expect(entry.fields).toEqual({ who: 'Nan', urgent: false, byWhen: null })
    expect(entry.position).toBe(0)
    expect(entry.updatedBy).toBe('')
    // The next valid update repairs only what it writes, and validates against the defaults.
    entry.update('b', { urgent: true })
    expect(entry.fields).toEqual({ who: 'Nan', urgent: true, byWhen: null })
  })

  test('values that are not entries are skipped; an entry without its rich text says so', () => {
    const doc = new Y.Doc()
    const list = noteList(doc)
    list.add('a')
    const array = doc.getArray<unknown>('test.notes')
    const broken = new Y.Map<unknown>()
    array.push(['x', 42, new Y.Map<unknown>(), broken])
    broken.set('id', 'broken-entry')
    expect(list.entries().map((entry) => entry.id)).toContain('broken-entry')
    expect(list.size).toBe(2)
    const entry = list.get('broken-entry')!
    expect(entry.hasRichText('what')).toBe(false)
    expect(reasonOf(() => entry.richText('what'))).toBe('missing-rich-text')
    expect(list.remove('broken-entry')).toBe(true)
    expect(list.size).toBe(1)
  })

  test('a spec whose names collide with entry keys is refused', () => {
    const doc = new Y.Doc()
    expect(() => new EntryList(doc, 'test.bad', { schema: z.object({ id: z.string() }), defaults: { id: '' }, richText: [] })).toThrow(/reserved/)
    expect(() => new EntryList(doc, 'test.bad2', { schema: z.object({ text: z.string() }), defaults: { text: '' }, richText: ['text'] })).toThrow(/both/)
  })

  test('every accessor write in the record carries a conference origin', () => {
    const doc = new Y.Doc()
    const record = conferenceRecord(doc)
    const origins = originsOf(doc)
    const entry = record.map.section('pastHarm').add('a', { text: { text: 'x' } })
    entry.update('a', { parked: true })
    entry.touch('a')
    record.map.section('pastHarm').move(entry.id, 0)
    record.map.section('pastHarm').remove(entry.id)
    record.details.update({ title: 'T' })
    record.childsVoice.setHowShared('attended')
    const withOrigin: ConferenceOrigin = { kind: 'seed' }
    record.actions.add('a', {}, withOrigin)
    expect(origins.length).toBeGreaterThan(0)
    expect(origins.every(isConferenceOrigin)).toBe(true)
    expect(origins.at(-1)).toEqual({ kind: 'seed' })
  })

  describe('concurrent edits by two people keep everything', () => {
    function pair(): [EntryList<NoteFields, 'what' | 'why'>, EntryList<NoteFields, 'what' | 'why'>, () => void] {
      const [one, two] = [new Y.Doc(), new Y.Doc()]
      const sync = (): void => {
        Y.applyUpdate(one, Y.encodeStateAsUpdate(two, Y.encodeStateVector(one)))
        Y.applyUpdate(two, Y.encodeStateAsUpdate(one, Y.encodeStateVector(two)))
      }
      return [noteList(one), noteList(two), sync]
    }

    test('one moves an entry while the other types in it', () => {
      const [mine, theirs, sync] = pair()
      for (const word of ['a', 'b', 'c']) mine.add('x', { text: { what: word } })
      sync()
      const moving = mine.entries()[2]!
      mine.move(moving.id, 0)
      const typed = theirs.get(moving.id)!.richText('what').get(0) as Y.XmlElement
      ;(typed.get(0) as Y.XmlText).insert(1, ' and more')
      sync()
      for (const list of [mine, theirs]) {
        expect(list.entries().map((entry) => plainText(entry.richText('what')))).toEqual(['c and more', 'a', 'b'])
      }
    })

    test('both move the same entry: it ends up in one place, once, with its text', () => {
      const [mine, theirs, sync] = pair()
      for (const word of ['a', 'b', 'c', 'd']) mine.add('x', { text: { what: word } })
      sync()
      const id = mine.entries()[1]!.id
      mine.move(id, 0)
      theirs.move(id, 3)
      sync()
      const order = mine.entries().map((entry) => plainText(entry.richText('what')))
      expect(order).toEqual(theirs.entries().map((entry) => plainText(entry.richText('what'))))
      expect([...order].sort()).toEqual(['a', 'b', 'c', 'd'])
    })

    test('both add at once: two entries, each with its own rich text', () => {
      const [mine, theirs, sync] = pair()
      mine.add('me', { text: { what: 'mine' } })
      theirs.add('them', { text: { what: 'theirs', why: 'because' } })
      sync()
      const texts = mine.entries().map((entry) => [entry.authorId, plainText(entry.richText('what')), plainText(entry.richText('why'))])
      expect(texts.sort()).toEqual([['me', 'mine', ''], ['them', 'theirs', 'because']])
    })

    test('both change different fields of one entry: both changes are kept', () => {
      const [mine, theirs, sync] = pair()
      const entry = mine.add('x')
      sync()
      entry.update('me', { who: 'Nan' })
      theirs.get(entry.id)!.update('them', { urgent: true })
      sync()
      expect(mine.get(entry.id)!.fields).toEqual(theirs.get(entry.id)!.fields)
      expect(mine.get(entry.id)!.fields).toMatchObject({ who: 'Nan', urgent: true })
    })
  })
})
