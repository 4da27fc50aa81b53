import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { conferenceRecord, MAX_VIEW_WORDS, recordSnapshot, ROOT_NAMES, CLIENT_WRITABLE_ROOT_NAMES } from '../../shared/conference'
import { MAX_VIEWED_WORDS, pairViewedWords, wordsChangedSince } from '../../shared/conference/views'
import { reasonOf } from '../helpers/recordErrors'

describe('views on map entries', () => {
  test('a person gives their view in their own words; everyone reads it beside the entry', () => {
    const { map, views } = conferenceRecord(new Y.Doc())
    const entry = map.section('pastHarm').add('note-taker', { text: { text: 'Dad shouted on Friday.' } })
    const other = map.section('pastHarm').add('note-taker', { text: { text: 'Another worry.' } })
    views.give('mum', entry.id, { stance: 'disagree', words: '  It was Saturday, and he said sorry.  ', about: '' })
    views.give('social-worker', entry.id, { stance: 'agree', words: '', about: '' })

    expect(views.on(entry.id).map((view) => [view.authorId, view.fields.stance, view.fields.words])).toEqual([
      ['mum', 'disagree', 'It was Saturday, and he said sorry.'],
      ['social-worker', 'agree', ''],
    ])
    expect(views.on(other.id)).toEqual([])
    expect(views.of('mum', entry.id)?.fields.stance).toBe('disagree')
  })

  test('one view per person per entry: giving it again changes it; withdrawing removes only theirs', () => {
    const { map, views } = conferenceRecord(new Y.Doc())
    const entry = map.section('safetyGoals').add('note-taker')
    const first = views.give('mum', entry.id, { stance: 'disagree', words: 'No.', about: '' })
    views.give('dad', entry.id, { stance: 'agree', words: '', about: '' })
    const changed = views.give('mum', entry.id, { stance: 'differently', words: 'I would say it another way.', about: '' })
    expect(changed.id).toBe(first.id)
    expect(views.on(entry.id).map((view) => view.fields.stance)).toEqual(['differently', 'agree'])

    expect(views.withdraw('mum', entry.id)).toBe(true)
    expect(views.withdraw('mum', entry.id)).toBe(false)
    expect(views.on(entry.id).map((view) => view.authorId)).toEqual(['dad'])
  })

  test('bad input is refused with a reason, and nothing is written', () => {
    const doc = new Y.Doc()
    const { map, views } = conferenceRecord(doc)
    const entry = map.section('pastHarm').add('note-taker')
    expect(reasonOf(() => views.give('mum', entry.id, { stance: 'maybe' as 'agree', words: '', about: '' }))).toBe('invalid-field')
    expect(reasonOf(() => views.give('mum', entry.id, { stance: 'agree', words: 'x'.repeat(MAX_VIEW_WORDS + 1), about: '' }))).toBe('invalid-field')
    expect(reasonOf(() => views.give('mum', '', { stance: 'agree', words: '', about: '' }))).toBe('unknown-entry')
    expect(reasonOf(() => views.give('', entry.id, { stance: 'agree', words: '', about: '' }))).toBe('invalid-author')
    // "I'd put it differently" says nothing without the different words.
    expect(reasonOf(() => views.give('mum', entry.id, { stance: 'differently', words: '  ', about: '' }))).toBe('words-needed')
    expect(views.list.size).toBe(0)
    views.give('mum', entry.id, { stance: 'agree', words: '', about: '' })
    expect(reasonOf(() => views.give('mum', entry.id, { stance: 'differently', words: '', about: '' }))).toBe('words-needed')
    expect(views.of('mum', entry.id)?.fields).toMatchObject({ stance: 'agree', words: '' })
  })

  test('views live at their own root, which clients may write, and are in the snapshot', () => {
    expect(ROOT_NAMES.has('views')).toBe(true)
    expect(CLIENT_WRITABLE_ROOT_NAMES.has('views')).toBe(true)
    const doc = new Y.Doc()
    const { map, views } = conferenceRecord(doc)
    const entry = map.section('pastHarm').add('note-taker')
    views.give('mum', entry.id, { stance: 'differently', words: 'Once, not often.', about: '' })
    expect(recordSnapshot(doc).views).toEqual([
      expect.objectContaining({ authorId: 'mum', fields: { entryId: entry.id, stance: 'differently', words: 'Once, not often.', about: '' }, text: {} }),
    ])
  })

  test('a view keeps the words it was given on, so a change made after it is known; a view given again is on the new words', () => {
    const { map, views } = conferenceRecord(new Y.Doc())
    const entry = map.section('pastHarm').add('note-taker', { text: { text: 'Dad shouted on Friday.' } })
    const given = views.give('mum', entry.id, { stance: 'agree', words: '', about: '  Dad shouted on Friday.\n' })
    expect(given.fields.about).toBe('Dad shouted on Friday.')
    // Laid out differently is not changed.
    expect(wordsChangedSince(given.fields, 'Dad  shouted\non Friday.')).toBe(false)
    expect(wordsChangedSince(given.fields, 'Dad shouted and hit Sam on Friday.')).toBe(true)
    views.give('mum', entry.id, { stance: 'agree', words: '', about: 'Dad shouted and hit Sam on Friday.' })
    expect(wordsChangedSince(views.of('mum', entry.id)!.fields, 'Dad shouted and hit Sam on Friday.')).toBe(false)
    // A view given before the words were kept cannot say, so it says nothing.
    expect(wordsChangedSince({ ...given.fields, about: '' }, 'Anything')).toBe(false)
    // Very long words are kept up to a limit, and compared up to it.
    const long = 'x'.repeat(MAX_VIEWED_WORDS + 50)
    const onLong = views.give('dad', entry.id, { stance: 'agree', words: '', about: long })
    expect(onLong.fields.about).toHaveLength(MAX_VIEWED_WORDS)
    expect(wordsChangedSince(onLong.fields, long)).toBe(false)
    expect(pairViewedWords({ dangerStatement: ' Sam could be hurt. ', safetyGoal: 'Sam is safe.' })).toBe('Sam could be hurt. / Sam is safe.')
  })

  test('views from two devices at once both stay', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()]
    const entry = conferenceRecord(a).map.section('pastHarm').add('note-taker')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    conferenceRecord(a).views.give('mum', entry.id, { stance: 'disagree', words: 'Not true.', about: '' })
    conferenceRecord(b).views.give('dad', entry.id, { stance: 'agree', words: '', about: '' })
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    for (const doc of [a, b]) expect(conferenceRecord(doc).views.on(entry.id).map((view) => view.authorId).sort()).toEqual(['dad', 'mum'])
  })
})
