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

  test('the words typed into the family and network, the children, the core group and the next meetings are compared too', () => {
    const { server, device } = serverAndDevice((record) => {
      record.details.children.add('chair', { fields: { name: 'Sam', dateOfBirth: null } })
      record.network.people.add('chair', { fields: { name: 'Jo', relationship: 'Mum' } })
    })
    // Offline on the device: Sam's date of birth, Nan added to the network, Jo's relationship
    // put in fuller words, a core group member and a next meeting.
    const mine = conferenceRecord(device)
    mine.details.children.entries()[0]!.update('chair', { dateOfBirth: '2019-03-04' })
    mine.details.children.add('chair', { fields: { name: 'Ava' } })
    mine.network.people.entries()[0]!.update('chair', { relationship: 'Mum, who Sam lives with' })
    mine.network.people.add('chair', { fields: { name: 'Pat Jones', relationship: 'Nan', agency: '', present: true } })
    mine.coreGroup.members.add('chair', { fields: { name: 'Lee Smith', roleOrAgency: 'Health visitor' } })
    mine.coreGroup.nextMeetings.add('chair', { fields: { kind: 'review-conference', date: '2026-12-10', note: 'At the family centre, 10am' } })

    expect(wordsNotInRecord(recordSnapshot(device), recordSnapshot(server))).toEqual([
      { part: 'Family and network', entry: 1, words: '2019-03-04' },
      { part: 'Family and network', entry: 2, words: 'Ava' },
      { part: 'Family and network', entry: 1, words: 'Mum, who Sam lives with' },
      { part: 'Family and network', entry: 2, words: 'Pat Jones' },
      { part: 'Family and network', entry: 2, words: 'Nan' },
      { part: 'Core group and next dates', entry: 1, words: 'Lee Smith' },
      { part: 'Core group and next dates', entry: 1, words: 'Health visitor' },
      { part: 'Core group and next dates', entry: 1, words: '2026-12-10' },
      { part: 'Core group and next dates', entry: 1, words: 'At the family centre, 10am' },
    ])
  })

  test('the names on recommendations, who does an action and by when, the plan’s dates and the overall scale’s question are compared too; choices from a list are not words', () => {
    const { server, device } = serverAndDevice((record) => {
      record.actions.add('chair', { text: { what: 'Book the GP.' } })
    })
    const mine = conferenceRecord(device)
    mine.decision.recommendations.add('chair', { fields: { professionalName: 'Dr Khan', roleOrAgency: 'GP' } })
    mine.actions.entries()[0]!.update('chair', { who: 'Mum', byWhen: '2026-12-01', status: 'done' })
    mine.plan.timeline.add('chair', { fields: { byWhen: '2027-01-15' } })
    mine.overallScale.update({ question: 'How safe are the children at home now?' })
    mine.decision.update({ decision: 'child-protection-plan', category: 'neglect' })

    expect(wordsNotSent(device, Y.encodeStateAsUpdate(server))).toEqual([
      { part: 'Overall safety scale', entry: null, words: 'How safe are the children at home now?' },
      { part: 'Decision', entry: 1, words: 'Dr Khan' },
      { part: 'Decision', entry: 1, words: 'GP' },
      { part: 'The plan', entry: 1, words: '2027-01-15' },
      { part: 'Actions', entry: 1, words: 'Mum' },
      { part: 'Actions', entry: 1, words: '2026-12-01' },
    ])
  })

  test('nothing is quoted when the device holds nothing the record lacks', () => {
    const { server, device } = serverAndDevice((record) => {
      record.map.section('pastHarm').add('chair', { text: { text: 'A bruise in March.' } })
    })
    expect(wordsNotInRecord(recordSnapshot(device), recordSnapshot(server))).toEqual([])
  })
})
