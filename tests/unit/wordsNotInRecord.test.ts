import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { conferenceRecord, setPlainText } from '../../shared/conference'
import { recordSnapshot } from '../../shared/conference/snapshot'
import { missingWordsToCopy, whereWordsWere, wordsNotIn, wordsNotInRecord, wordsNotSent } from '../../client/sync/wordsNotInRecord'

/** The server's record, and a device's copy of it as it was when the device went offline. */
function serverAndDevice(build: (server: ReturnType<typeof conferenceRecord>) => void): { server: Y.Doc; device: Y.Doc } {
  const server = new Y.Doc()
  build(conferenceRecord(server))
  const device = new Y.Doc()
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server))
  return { server, device }
}

describe('the words of an entry the record lacks', () => {
  test('a sentence added at the end is quoted alone', () => {
    expect(wordsNotIn('Mum will call the school. And the GP on Tuesday.', 'Mum will call the school.')).toBe('And the GP on Tuesday.')
  })

  test('words put in the middle are quoted alone, and words in both are not', () => {
    expect(wordsNotIn('Dad will take them to school every day.', 'Dad will take them every day.')).toBe('to school')
    expect(wordsNotIn('Same words.', 'Same words.')).toBe('')
  })

  test('words only taken out here, or only added by others, are not words of this person to keep', () => {
    expect(wordsNotIn('Mum will call', 'Mum will call the school.')).toBe('')
    expect(wordsNotIn('', 'Anything at all')).toBe('')
  })

  test('an entry the record does not have is quoted whole, with its lines', () => {
    expect(wordsNotIn('First line.\nSecond line.', '')).toBe('First line.\nSecond line.')
  })
})

describe('the words on this device that the record does not have', () => {
  test('a new entry and a longer one are quoted where they were; entries only the record has, and entries taken out here, are not', () => {
    let dangerId = ''
    const { server, device } = serverAndDevice((record) => {
      record.map.section('nextSteps').add('mum', { text: { text: 'Mum will call the school.' } })
      dangerId = record.dangerStatements.add('mum', { text: { dangerStatement: 'Dad might shout at the children again.', safetyGoal: '' } }).id
    })
    // Offline on the device: a long account, a sentence more, and her danger statement taken out.
    const mine = conferenceRecord(device)
    mine.map.section('pastHarm').add('mum', { text: { text: 'Long account typed on the bus, about that night.' } })
    setPlainText(mine.map.section('nextSteps').entries()[0]!.richText('text'), 'Mum will call the school. And the GP on Tuesday.')
    mine.dangerStatements.remove(dangerId)
    // Meanwhile, on the server, someone else writes in another part.
    setPlainText(conferenceRecord(server).contingency.text, 'If nothing changes, the plan is reviewed.')

    const missing = wordsNotInRecord(recordSnapshot(device), recordSnapshot(server))
    expect(missing).toEqual([
      { part: 'Past harm', entry: 1, words: 'Long account typed on the bus, about that night.' },
      { part: 'Next steps', entry: 1, words: 'And the GP on Tuesday.' },
    ])
    expect(missing.map(whereWordsWere)).toEqual(['Past harm, entry 1', 'Next steps, entry 1'])
    expect(missingWordsToCopy(missing)).toBe('Past harm, entry 1:\nLong account typed on the bus, about that night.\n\nNext steps, entry 1:\nAnd the GP on Tuesday.')
  })

  test('parts that are one text, a view’s words and a safety goal are compared too', () => {
    const { server, device } = serverAndDevice((record) => {
      record.dangerStatements.add('chair', { text: { dangerStatement: 'Worried that…', safetyGoal: 'Safe when…' } })
    })
    const mine = conferenceRecord(device)
    setPlainText(mine.contingency.text, 'The children would stay with Nan.')
    setPlainText(mine.dangerStatements.entries()[0]!.richText('safetyGoal'), 'Safe when Dad has finished the course.')
    mine.views.give('mum', mine.dangerStatements.entries()[0]!.id, { stance: 'disagree', words: 'It was one time.', about: 'Worried that…' })

    expect(wordsNotInRecord(recordSnapshot(device), recordSnapshot(server))).toEqual([
      { part: 'Views beside the entries', entry: 1, words: 'It was one time.' },
      { part: 'Danger statements and safety goals', entry: 1, words: 'when Dad has finished the course.' },
      { part: 'If things do not change', entry: null, words: 'The children would stay with Nan.' },
    ])
  })

  test('only changes made on this device are quoted: words someone else changed on the server since are not hers', () => {
    const { server, device } = serverAndDevice((record) => {
      record.map.section('pastHarm').add('note-taker', { text: { text: 'Dad hit Sam in March.' } })
    })
    // On the server, the note-taker rewords her entry; offline on the device, Mum adds her own.
    setPlainText(conferenceRecord(server).map.section('pastHarm').entries()[0]!.richText('text'), 'Dad shouted at Sam in March.')
    conferenceRecord(device).map.section('nextSteps').add('mum', { text: { text: 'Mum will call the school.' } })

    // Compared copy against record, the old wording reads as words of hers.
    expect(wordsNotInRecord(recordSnapshot(device), recordSnapshot(server)).map((missing) => missing.words)).toEqual(['hit', 'Mum will call the school.'])
    expect(wordsNotSent(device, Y.encodeStateAsUpdate(server))).toEqual([{ part: 'Next steps', entry: 1, words: 'Mum will call the school.' }])
  })

  test('nothing is quoted when the device holds nothing the record lacks', () => {
    const { server, device } = serverAndDevice((record) => {
      record.map.section('pastHarm').add('chair', { text: { text: 'A bruise in March.' } })
    })
    expect(wordsNotInRecord(recordSnapshot(device), recordSnapshot(server))).toEqual([])
  })
})
