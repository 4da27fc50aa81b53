import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import {
  CLIENT_WRITABLE_ROOT_NAMES,
  CONFERENCE_KINDS,
  CONFERENCE_KIND_LABELS,
  MAP_COLUMNS,
  MAP_SECTION_IDS,
  MAX_DANGER_STATEMENT_PAIRS,
  ROOT_NAMES,
  SERVER_ONLY_ROOT_NAMES,
  THREE_HOUSES,
  conferenceRecord,
  migrateConference,
  plainText,
  recordSnapshot,
  setPlainText,
  type MapSection,
} from '../../shared/conference'
import { CARRIED_FORWARD_ROOT } from '../../shared/conference/dangerStatements'
import { SCORES_ROOT, summarizeScores, writeScoringRound } from '../../shared/conference/scores'
import { populateEveryPart } from '../fixtures/fullRecord'
import { reasonOf } from '../helpers/recordErrors'

describe('conferenceRecord', () => {
  test('is the same object for the same doc, and writes nothing by being read', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const record = conferenceRecord(doc)
    expect(conferenceRecord(doc)).toBe(record)
    expect(record.map.section('pastHarm')).toBe(record.map.section('pastHarm'))
    recordSnapshot(doc)
    expect(updates).toEqual([])
  })

  test('an empty record reads as the defaults', () => {
    const snapshot = recordSnapshot(new Y.Doc())
    expect(snapshot.schemaVersion).toBe(0)
    expect(snapshot.details).toEqual({ kind: 'uk-initial', title: '', date: '', area: '', children: [] })
    const emptyHouses = { worries: '', goodThings: '', dreams: '' }
    expect(snapshot.childsVoice).toEqual({ howShared: 'not-yet-recorded', houses: emptyHouses, housesForChild: emptyHouses })
    expect(snapshot.decision).toEqual({ decision: 'not-yet-decided', category: null, whereChildrenStay: 'not-yet-recorded', recommendations: [], familyView: '', rationale: '' })
    expect(snapshot.overallScale.question).toMatch(/^On a scale of 0 to 10/)
    expect(snapshot.scores).toEqual([])
    expect(Object.values(snapshot.map).every((entries) => entries.length === 0)).toBe(true)
  })
})

describe('details', () => {
  test('kinds have plain-English labels', () => {
    expect(Object.keys(CONFERENCE_KIND_LABELS).sort()).toEqual([...CONFERENCE_KINDS].sort())
    expect(CONFERENCE_KIND_LABELS['uk-initial']).toBe('UK initial child protection conference')
  })

  test('update validates kind, date and length, and observe reports changes', () => {
    const record = conferenceRecord(new Y.Doc())
    const seen: string[] = []
    const stop = record.details.observe(() => seen.push(record.details.get().title))
    record.details.update({ title: 'The Examples', kind: 'uk-review', date: '2025-03-14', area: 'Imaginary Borough' })
    expect(record.details.get()).toEqual({ title: 'The Examples', kind: 'uk-review', date: '2025-03-14', area: 'Imaginary Borough' })
    expect(seen).toEqual(['The Examples'])
    stop()
    expect(reasonOf(() => { record.details.update({ kind: 'uk-interim' as 'uk-initial' }) })).toBe('invalid-field')
    expect(reasonOf(() => { record.details.update({ date: '14/03/2025' }) })).toBe('invalid-field')
    expect(reasonOf(() => { record.details.update({ title: 'x'.repeat(201) }) })).toBe('invalid-field')
    record.details.update({ date: '' })
    expect(record.details.get().date).toBe('')
  })

  test('children: name and optional date of birth, no rich text', () => {
    const { children } = conferenceRecord(new Y.Doc()).details
    const child = children.add('note-taker', { fields: { name: 'Sam' } })
    expect(child.fields).toEqual({ name: 'Sam', dateOfBirth: null })
    child.update('note-taker', { dateOfBirth: '2018-06-01' })
    expect(child.fields.dateOfBirth).toBe('2018-06-01')
    expect(reasonOf(() => { child.update('note-taker', { dateOfBirth: '2018-13-01' }) })).toBe('invalid-field')
    expect(children.richTextParts).toEqual([])
  })
})

describe('family and network', () => {
  test('people carry relationship, role, agency, presence and safety network membership', () => {
    const { people } = conferenceRecord(new Y.Doc()).network
    const nan = people.add('note-taker', { fields: { name: 'Nan', relationship: 'Grandmother', inSafetyNetwork: true } })
    expect(nan.fields).toEqual({ name: 'Nan', relationship: 'Grandmother', roleInMeeting: 'family-network-member', agency: '', present: false, inSafetyNetwork: true })
    nan.update('note-taker', { present: true })
    expect(nan.fields.present).toBe(true)
    expect(reasonOf(() => { nan.update('note-taker', { roleInMeeting: 'judge' as 'professional' }) })).toBe('invalid-field')
  })
})

describe('the map', () => {
  test('three columns, eight sub-sections, each with a title and a hint', () => {
    expect(MAP_COLUMNS.map((column) => column.title)).toEqual(['What are we worried about?', "What's working well?", 'What needs to happen?'])
    expect(MAP_SECTION_IDS).toEqual(['pastHarm', 'dangerStatements', 'complicatingFactors', 'existingStrengths', 'existingSafety', 'safetyGoals', 'familyGoals', 'nextSteps'])
    for (const section of MAP_COLUMNS.flatMap((column): readonly MapSection[] => column.sections)) {
      expect(section.title.length).toBeGreaterThan(0)
      expect(section.hint).toMatch(/^[A-Z].*\.$/)
    }
  })

  test('each sub-section is its own list of rich-text entries that can be parked', () => {
    const { map } = conferenceRecord(new Y.Doc())
    const idea = map.section('nextSteps').add('chair', { text: { text: 'Ask about the childminder' } })
    expect(idea.fields).toEqual({ parked: false })
    idea.update('chair', { parked: true })
    expect(map.section('nextSteps').get(idea.id)!.fields.parked).toBe(true)
    expect(map.section('pastHarm').entries()).toEqual([])
    expect(plainText(idea.richText('text'))).toBe('Ask about the childminder')
  })
})

describe("the child's voice and involvement", () => {
  test('three houses of rich text and how the views were shared', () => {
    const record = conferenceRecord(new Y.Doc())
    expect(THREE_HOUSES.map((house) => house.id)).toEqual(['worries', 'goodThings', 'dreams'])
    setPlainText(record.childsVoice.house('dreams'), 'A dog')
    const calls: number[] = []
    const stop = record.childsVoice.observe(() => calls.push(1))
    record.childsVoice.setHowShared('relayed-by-social-worker')
    setPlainText(record.childsVoice.house('worries'), 'Being alone')
    stop()
    expect(calls).toHaveLength(2)
    expect(record.childsVoice.howShared()).toBe('relayed-by-social-worker')
    expect(plainText(record.childsVoice.house('dreams'))).toBe('A dog')
    expect(reasonOf(() => { record.childsVoice.setHowShared('by-letter' as 'attended') })).toBe('invalid-field')
    setPlainText(record.involvement.text, 'Mum attended.')
    expect(recordSnapshot(record.involvement.text.doc!).involvement).toBe('Mum attended.')
  })
})

describe('danger statements and safety goals', () => {
  test('pairs of rich text, at most four', () => {
    const pairs = conferenceRecord(new Y.Doc()).dangerStatements
    expect(MAX_DANGER_STATEMENT_PAIRS).toBe(4)
    const first = pairs.add('chair', { text: { dangerStatement: 'Worried that…', safetyGoal: 'Safe when…' } })
    expect(first.fields).toEqual({ carriedForwardFrom: null })
    expect(plainText(first.richText('safetyGoal'))).toBe('Safe when…')
    for (let index = 1; index < 4; index++) pairs.add('chair')
    expect(pairs.isFull()).toBe(true)
    expect(reasonOf(() => pairs.add('chair'))).toBe('too-many-entries')
    expect(pairs.size).toBe(4)
    pairs.remove(first.id)
    const carried = pairs.add('chair', { fields: { carriedForwardFrom: 'conf-earlier' } })
    expect(carried.fields.carriedForwardFrom).toBe('conf-earlier')
    expect(reasonOf(() => { carried.update('chair', { carriedForwardFrom: '' }) })).toBe('invalid-field')
  })
})

describe('overall scale, scores, contingency', () => {
  test('the scale question has a default and can be changed but not emptied', () => {
    const { overallScale } = conferenceRecord(new Y.Doc())
    const question = overallScale.get().question
    expect(question.length).toBeGreaterThan(20)
    overallScale.update({ question: 'Where are things today?' })
    expect(overallScale.get().question).toBe('Where are things today?')
    expect(reasonOf(() => { overallScale.update({ question: '' }) })).toBe('invalid-field')
  })

  test('scores: rounds are read here and written only by the server; odd shapes are skipped', () => {
    const doc = new Y.Doc()
    const { scores } = conferenceRecord(doc)
    expect(Object.keys(scores)).toEqual(['rounds', 'round', 'observe'])
    let seen = 0
    const stop = scores.observe(() => seen++)
    const round = {
      id: 'round-1',
      scale: { kind: 'overall' as const },
      openedAt: '2026-11-23T10:00:00.000Z',
      scored: [{ participantId: 'p1', name: 'Sam', role: 'parentOrCarer' as const, enteredBy: null }],
      revealedAt: null,
      scores: [],
    }
    writeScoringRound(doc, round)
    doc.getMap(SCORES_ROOT).set('junk', { not: 'a round' })
    stop()
    expect(scores.rounds()).toEqual([round])
    expect(scores.round('junk')).toBeUndefined()
    expect(seen).toBe(2)
    expect(() => { writeScoringRound(doc, { ...round, scores: [{ ...round.scored[0]!, score: { value: 11, reason: '', at: round.openedAt }, earlier: [] }] }) }).toThrow()
    expect(SERVER_ONLY_ROOT_NAMES).toEqual(new Set(['meta', 'scores', 'dangerStatements.carriedForward', 'details']))
    expect(CLIENT_WRITABLE_ROOT_NAMES.has('scores')).toBe(false)
    expect(CLIENT_WRITABLE_ROOT_NAMES.size).toBe(ROOT_NAMES.size - 4)
    expect(CLIENT_WRITABLE_ROOT_NAMES.has('details.children')).toBe(true)
  })

  test('the line under the scores: lowest, highest and median', () => {
    expect(summarizeScores([])).toBeNull()
    expect(summarizeScores([7])).toEqual({ count: 1, lowest: 7, highest: 7, median: 7 })
    expect(summarizeScores([8, 2, 5])).toEqual({ count: 3, lowest: 2, highest: 8, median: 5 })
    expect(summarizeScores([3, 4, 6, 9])).toEqual({ count: 4, lowest: 3, highest: 9, median: 5 })
  })

  test('contingency is rich text', () => {
    const record = conferenceRecord(new Y.Doc())
    setPlainText(record.contingency.text, 'If nothing changes…')
    expect(plainText(record.contingency.text)).toBe('If nothing changes…')
  })
})

describe('decision', () => {
  test('recommendations, the family view, the decision, category and rationale', () => {
    const { decision } = conferenceRecord(new Y.Doc())
    decision.update({ decision: 'step-down-child-in-need' })
    decision.update({ category: 'emotional-abuse' })
    expect(decision.get()).toEqual({ decision: 'step-down-child-in-need', category: 'emotional-abuse', whereChildrenStay: 'not-yet-recorded' })
    decision.update({ category: null })
    expect(decision.get().category).toBeNull()
    expect(reasonOf(() => { decision.update({ category: 'other' as 'neglect' }) })).toBe('invalid-field')
    const recommendation = decision.recommendations.add('chair', { fields: { professionalName: 'Pat', roleOrAgency: 'School' }, text: { recommendation: 'No plan' } })
    expect(plainText(recommendation.richText('recommendation'))).toBe('No plan')
    setPlainText(decision.familyView, 'We agree')
    setPlainText(decision.rationale, 'Because')
    expect(plainText(decision.familyView)).toBe('We agree')
  })
})

describe('plan, actions, core group', () => {
  test('plan: rich texts, a dated timeline and four-part plan rules', () => {
    const { plan } = conferenceRecord(new Y.Doc())
    const step = plan.timeline.add('a', { fields: { byWhen: '2025-04-01' }, text: { text: 'Rota agreed' } })
    expect(step.fields.byWhen).toBe('2025-04-01')
    const rule = plan.rules.add('a', { text: { triggersAndRedFlags: 'Late shifts' } })
    expect(rule.fields).toEqual({})
    expect(plan.rules.richTextParts).toEqual(['behaviour', 'whatWorks', 'triggersAndRedFlags', 'whoDoesWhat'])
    expect(plainText(rule.richText('triggersAndRedFlags'))).toBe('Late shifts')
    expect(reasonOf(() => { rule.update('a', { colour: 'x' } as never) })).toBe('unknown-field')
    for (const text of [plan.immediateSafety, plan.bottomLines, plan.howRecordedAndShown]) expect(text).toBeInstanceOf(Y.XmlFragment)
  })

  test('actions: what, who, for whom, by when and status', () => {
    const { actions } = conferenceRecord(new Y.Doc())
    const action = actions.add('a', { text: { what: 'Call Nan' }, fields: { who: 'Mum', ownedBy: 'family-and-network' } })
    expect(action.fields).toEqual({ who: 'Mum', ownedBy: 'family-and-network', byWhen: null, status: 'open' })
    action.update('a', { status: 'done', byWhen: '2025-03-20' })
    expect(action.fields.status).toBe('done')
    expect(reasonOf(() => { action.update('a', { status: 'started' as 'open' }) })).toBe('invalid-field')
  })

  test('core group members and next meetings', () => {
    const { coreGroup } = conferenceRecord(new Y.Doc())
    coreGroup.members.add('a', { fields: { name: 'Nan', roleOrAgency: 'Grandmother' } })
    const meeting = coreGroup.nextMeetings.add('a', { fields: { kind: 'review-conference', date: '2025-06-01' } })
    expect(meeting.fields).toEqual({ kind: 'review-conference', date: '2025-06-01', note: '' })
    expect(reasonOf(() => { meeting.update('a', { kind: 'tea' as 'follow-up' }) })).toBe('invalid-field')
  })
})

describe('ROOT_NAMES', () => {
  test('is exactly the set of roots a fully populated record creates', () => {
    const doc = new Y.Doc()
    migrateConference(doc)
    populateEveryPart(conferenceRecord(doc))
    doc.getMap(SCORES_ROOT).set('reserved', true) // the server's part, written here as the server would
    doc.getMap(CARRIED_FORWARD_ROOT).set('reserved', true) // the server's too
    // Load into a fresh doc: only roots that hold something travel in an update.
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, Y.encodeStateAsUpdate(doc))
    expect(new Set(loaded.share.keys())).toEqual(ROOT_NAMES)
  })

  test('uses namespaced part names', () => {
    for (const name of ROOT_NAMES) expect(name).toMatch(/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)?$/)
  })
})
