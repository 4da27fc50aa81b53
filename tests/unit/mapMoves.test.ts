import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { conferenceRecord, plainText, RecordValidationError } from '../../shared/conference'
import { typeInto } from '../helpers/participants'

/** Two devices' docs that exchange every update at once, or only when `sync` is called. */
function pair() {
  const [a, b] = [new Y.Doc(), new Y.Doc()]
  const sync = (): void => {
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  }
  return { a, b, sync }
}

function texts(doc: Y.Doc, section: 'pastHarm' | 'nextSteps' | 'safetyGoals'): string[] {
  return conferenceRecord(doc).map.section(section).entries().map((entry) => plainText(entry.richText('text')))
}

describe('moving map entries between sub-sections', () => {
  test('keeps the id, author, creation time, rich text and views; records who moved it', () => {
    const doc = new Y.Doc()
    const { map, views } = conferenceRecord(doc)
    const entry = map.section('pastHarm').add('note-taker', { text: { text: 'Dad shouted on Friday.\nMum was there.' } })
    const fragment = entry.richText('text')
    const paragraph = fragment.get(0)
    if (!(paragraph instanceof Y.XmlElement)) throw new Error('expected a paragraph')
    const words = paragraph.get(0)
    if (!(words instanceof Y.XmlText)) throw new Error('expected text')
    words.format(0, 3, { bold: {} })
    views.give('mum', entry.id, { stance: 'disagree', words: 'It was Saturday.', about: '' })
    const { id, authorId, createdAt } = entry
    const updates: number[] = []
    doc.on('update', () => { updates.push(1) })

    const moved = map.moveEntry(id, 'pastHarm', 'safetyGoals', 'chair')

    expect(updates).toHaveLength(1) // one transaction: nobody sees it in both places or in neither
    expect(map.section('pastHarm').entries()).toEqual([])
    expect(entry.removed).toBe(true)
    expect(moved).toMatchObject({ id, authorId, createdAt, updatedBy: 'chair', fields: { parked: false } })
    expect(plainText(moved.richText('text'))).toBe('Dad shouted on Friday.\nMum was there.')
    const movedParagraph = moved.richText('text').get(0)
    const movedWords = movedParagraph instanceof Y.XmlElement ? movedParagraph.get(0) : null
    expect(movedWords instanceof Y.XmlText ? movedWords.toDelta() : null).toEqual([{ insert: 'Dad', attributes: { bold: {} } }, { insert: ' shouted on Friday.' }])
    expect(views.on(id).map((view) => view.fields.words)).toEqual(['It was Saturday.'])
  })

  test('parking moves the idea last into Next steps, marked parked; in Next steps it is only marked', () => {
    const { map } = conferenceRecord(new Y.Doc())
    map.section('nextSteps').add('note-taker', { text: { text: 'Book the core group.' } })
    const idea = map.section('pastHarm').add('note-taker', { text: { text: 'Ask about the school report.' } })
    const parked = map.park(idea.id, 'pastHarm', 'note-taker')
    expect(map.section('nextSteps').entries().map((entry) => [plainText(entry.richText('text')), entry.fields.parked])).toEqual([
      ['Book the core group.', false],
      ['Ask about the school report.', true],
    ])
    parked.update('note-taker', { parked: false })
    expect(map.park(parked.id, 'nextSteps', 'note-taker').fields.parked).toBe(true)
    expect(map.section('nextSteps').size).toBe(2)
  })

  test('goes to the place asked for, and refuses an unknown entry or the same sub-section', () => {
    const { map } = conferenceRecord(new Y.Doc())
    for (const words of ['one', 'two']) map.section('safetyGoals').add('a', { text: { text: words } })
    const entry = map.section('pastHarm').add('a', { text: { text: 'between' } })
    map.moveEntry(entry.id, 'pastHarm', 'safetyGoals', 'a', 1)
    expect(map.section('safetyGoals').entries().map((moved) => plainText(moved.richText('text')))).toEqual(['one', 'between', 'two'])
    expect(() => map.moveEntry('nope', 'pastHarm', 'nextSteps', 'a')).toThrow(RecordValidationError)
    expect(() => map.moveEntry(entry.id, 'safetyGoals', 'safetyGoals', 'a')).toThrow()
  })

  test('words typed after the move arrives go into the moved entry, on every device', () => {
    const { a, b, sync } = pair()
    const { id } = conferenceRecord(a).map.section('pastHarm').add('note-taker', { text: { text: 'Worry' } })
    sync()
    conferenceRecord(a).map.park(id, 'pastHarm', 'note-taker')
    sync()
    const onB = conferenceRecord(b).map.section('nextSteps').get(id)
    if (!onB) throw new Error('the parked entry reached the other device')
    typeInto(onB.richText('text'), ' raised by Mum')
    sync()
    expect(texts(a, 'nextSteps')).toEqual(['Worry raised by Mum'])
    expect(texts(b, 'nextSteps')).toEqual(['Worry raised by Mum'])
  })

  test('two people moving the same entry at once: one copy where both sent it, nothing lost or doubled', () => {
    const { a, b, sync } = pair()
    const { id } = conferenceRecord(a).map.section('pastHarm').add('note-taker', { text: { text: 'Worry' } })
    sync()
    conferenceRecord(a).map.park(id, 'pastHarm', 'note-taker')
    conferenceRecord(b).map.park(id, 'pastHarm', 'social-worker')
    sync()
    for (const doc of [a, b]) {
      expect(texts(doc, 'pastHarm')).toEqual([])
      expect(texts(doc, 'nextSteps')).toEqual(['Worry'])
    }
    expect(conferenceRecord(a).map.section('nextSteps').entries()[0]?.updatedBy).toBe(conferenceRecord(b).map.section('nextSteps').entries()[0]?.updatedBy)
    // Removing it removes every copy: the other does not appear in its place.
    conferenceRecord(a).map.section('nextSteps').remove(id)
    sync()
    expect(texts(b, 'nextSteps')).toEqual([])
  })

  test('two people moving the same entry to two places at once: both copies are shown', () => {
    const { a, b, sync } = pair()
    const { id } = conferenceRecord(a).map.section('pastHarm').add('note-taker', { text: { text: 'Worry' } })
    sync()
    conferenceRecord(a).map.moveEntry(id, 'pastHarm', 'nextSteps', 'note-taker')
    conferenceRecord(b).map.moveEntry(id, 'pastHarm', 'safetyGoals', 'social-worker')
    sync()
    for (const doc of [a, b]) {
      expect(texts(doc, 'nextSteps')).toEqual(['Worry'])
      expect(texts(doc, 'safetyGoals')).toEqual(['Worry'])
    }
  })
})

describe('removing a map entry with undo', () => {
  test('undo brings back the same entry with its text, fields, author and place', () => {
    const doc = new Y.Doc()
    const list = conferenceRecord(doc).map.section('nextSteps')
    list.add('a', { text: { text: 'first' } })
    const entry = list.add('note-taker', { text: { text: 'Call Nan\nbefore Friday' }, fields: { parked: true } })
    list.add('a', { text: { text: 'last' } })
    const { id, createdAt } = entry

    const removal = list.removeUndoably(id)
    expect(list.entries().map((kept) => plainText(kept.richText('text')))).toEqual(['first', 'last'])
    expect(removal?.undo()).toBe(true)

    const back = list.get(id)
    expect(back).toMatchObject({ id, authorId: 'note-taker', createdAt, fields: { parked: true } })
    expect(list.entries().map((kept) => plainText(kept.richText('text')))).toEqual(['first', 'Call Nan\nbefore Friday', 'last'])
    expect(removal?.undo()).toBe(false) // once only
  })

  test('the undo reaches other devices, and undoes only the removal, not later typing elsewhere', () => {
    const { a, b, sync } = pair()
    const list = conferenceRecord(a).map.section('pastHarm')
    const kept = list.add('a', { text: { text: 'kept' } })
    const removed = list.add('a', { text: { text: 'removed then back' } }).id
    sync()
    const removal = list.removeUndoably(removed)
    typeInto(kept.richText('text'), ' and more')
    sync()
    expect(texts(b, 'pastHarm')).toEqual(['kept and more'])
    removal?.undo()
    sync()
    expect(texts(b, 'pastHarm')).toEqual(['kept and more', 'removed then back'])
    expect(conferenceRecord(b).map.section('pastHarm').get(removed)?.authorId).toBe('a')
  })

  test('an unknown entry gives no removal', () => {
    const list = conferenceRecord(new Y.Doc()).map.section('pastHarm')
    expect(list.removeUndoably('nope')).toBeNull()
  })
})
