import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { conferenceRecord, setPlainText } from '../../shared/conference'
import { DEFAULT_ACTION } from '../../shared/conference/actions'
import { DEFAULT_PERSON } from '../../shared/conference/network'
import { isBlankEntry } from '../../client/components/sections/entryWords'

/** Remove on a section screen asks first unless the entry holds nothing anyone could miss. */
describe('a blank entry of a section list', () => {
  test('a new person is blank; any field changed, even a choice or a tick, is not', () => {
    const { people } = conferenceRecord(new Y.Doc()).network
    const person = people.add('note-taker')
    expect(isBlankEntry(person, DEFAULT_PERSON, people.richTextParts)).toBe(true)
    person.update('note-taker', { present: true })
    expect(isBlankEntry(person, DEFAULT_PERSON, people.richTextParts)).toBe(false)
    const other = people.add('note-taker', { fields: { roleInMeeting: 'professional' } })
    expect(isBlankEntry(other, DEFAULT_PERSON, people.richTextParts)).toBe(false)
  })

  test('an action with words in its text is not blank; with only spaces it is', () => {
    const { actions } = conferenceRecord(new Y.Doc())
    const action = actions.add('note-taker')
    setPlainText(action.richText('what'), '   ')
    expect(isBlankEntry(action, DEFAULT_ACTION, actions.richTextParts)).toBe(true)
    setPlainText(action.richText('what'), 'Mum rings the health visitor')
    expect(isBlankEntry(action, DEFAULT_ACTION, actions.richTextParts)).toBe(false)
  })
})
