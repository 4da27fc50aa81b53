import { describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { AGENDA_STEP_IDS, agendaFor, isAgendaStepId, kindTerms, RECOMMENDATIONS_TITLE, type AgendaStepId } from '../../shared/conference/agenda'
import { CONFERENCE_KINDS } from '../../shared/conference/details'
import { mapColumnsFor, type MapSection } from '../../shared/conference/map'
import { DEFAULT_MEETING_STATE, meetingPart } from '../../shared/conference/meeting'
import { reasonOf } from '../helpers/recordErrors'

const ids = (kind: (typeof CONFERENCE_KINDS)[number]): AgendaStepId[] => agendaFor(kind).map((step) => step.id)

describe('the agenda of each kind of conference', () => {
  test.each(CONFERENCE_KINDS)('%s has every step exactly once, each with a title and a plain hint', (kind) => {
    const steps = agendaFor(kind)
    expect([...ids(kind)].sort()).toEqual([...AGENDA_STEP_IDS].sort())
    // Titles name the rail's buttons: two steps with one title could not be told apart.
    expect(new Set(steps.map((step) => step.title)).size).toBe(steps.length)
    for (const step of steps) {
      expect(step.title.length).toBeGreaterThan(0)
      expect(step.hint).toMatch(/[.?]$/)
    }
  })

  test('every kind starts with the family and their network, and ends with the core group and next dates', () => {
    for (const kind of CONFERENCE_KINDS) {
      expect(ids(kind)[0]).toBe('family')
      expect(ids(kind).at(-1)).toBe('coreGroup')
    }
  })

  test('a UK review starts with the family, then what’s working well, then the danger statements carried forward', () => {
    const steps = agendaFor('uk-review')
    expect(steps.slice(0, 3).map((step) => [step.id, step.title])).toEqual([
      ['family', 'Family and network'],
      ['map', 'What’s working well'],
      ['dangerStatements', 'Danger statements and safety goals'],
    ])
    expect(steps[2]?.hint).toContain('carried forward')
    // An initial conference looks at the worries first.
    expect(agendaFor('uk-initial')[1]?.title).toBe('Worries and what’s working well')
  })

  test('a US follow-up reviews the plan from the first meeting before anything else', () => {
    expect(ids('us-csc-follow-up').slice(0, 2)).toEqual(['family', 'plan'])
    expect(agendaFor('us-csc-follow-up')[1]?.title).toBe('How the plan is going')
  })

  test('US conferences have a facilitator, a safety plan and a safety network; UK ones a chair, a child protection plan and a core group', () => {
    for (const kind of ['us-csc-initial', 'us-csc-follow-up'] as const) {
      expect(kindTerms(kind)).toEqual({ chair: 'Facilitator', chairInSentence: 'facilitator', conference: 'child safety conference', plan: 'safety plan', coreGroup: 'safety network', parentSupporters: 'an advocate, a Parent Partner, a friend' })
      const titles = agendaFor(kind).map((step) => step.title)
      expect(titles).toContain('Safety network and next dates')
      expect(agendaFor(kind).map((step) => step.hint).join(' ')).not.toMatch(/chair|child protection|core group/i)
    }
    expect(agendaFor('us-csc-initial').find((step) => step.id === 'plan')?.hint).toContain('safety plan')
    for (const kind of ['uk-initial', 'uk-review'] as const) {
      expect(kindTerms(kind)).toEqual({ chair: 'Chair', chairInSentence: 'chair', conference: 'child protection conference', plan: 'child protection plan', coreGroup: 'core group', parentSupporters: 'an advocate, a friend' })
      expect(agendaFor(kind).map((step) => step.title)).toContain('Core group and next dates')
      expect(agendaFor(kind).find((step) => step.id === 'decision')?.hint).toContain('chair’s decision')
      expect(agendaFor(kind).find((step) => step.id === 'plan')?.hint).toContain('child protection plan')
    }
  })

  test('a Parent Partner is named among who may support the parents only at a US child safety conference, where they exist', () => {
    expect(kindTerms('us-csc-initial').parentSupporters).toBe('an advocate, a Parent Partner, a friend')
    expect(kindTerms('us-csc-follow-up').parentSupporters).toBe('an advocate, a Parent Partner, a friend')
    expect(kindTerms('uk-initial').parentSupporters).toBe('an advocate, a friend')
    expect(kindTerms('uk-review').parentSupporters).toBe('an advocate, a friend')
  })

  test('the decision step says what its first list is called, in every kind: what each professional recommends', () => {
    for (const kind of CONFERENCE_KINDS) {
      expect(agendaFor(kind).find((step) => step.id === 'decision')?.hint, kind).toMatch(new RegExp(`^${RECOMMENDATIONS_TITLE},`))
    }
    expect(RECOMMENDATIONS_TITLE).toBe('What each professional recommends')
  })

  test('no hint of the map points up or down to another part: a review shows what is working well before the worries', () => {
    for (const kind of CONFERENCE_KINDS) {
      for (const section of mapColumnsFor(kind).flatMap((column): readonly MapSection[] => column.sections)) {
        expect(section.hint, `${kind} ${section.title}`).not.toMatch(/\b(above|below|left|right)\b/i)
      }
    }
  })

  test('isAgendaStepId knows the steps and nothing else', () => {
    expect(AGENDA_STEP_IDS.every(isAgendaStepId)).toBe(true)
    for (const value of ['', 'Map', 'professionalsOnly', 3, null, undefined]) expect(isAgendaStepId(value)).toBe(false)
  })
})

describe('where the meeting is (record.meeting)', () => {
  test('starts with the family and network, moved by nobody, and writes nothing by being read', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    expect(meetingPart(doc).get()).toEqual(DEFAULT_MEETING_STATE)
    expect(DEFAULT_MEETING_STATE).toEqual({ step: 'family', movedBy: '', movedAt: '' })
    expect(updates).toEqual([])
  })

  test('moveTo says which step, who moved it and when; the others see it and are told', () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T10:15:00Z'), toFake: ['Date'] })
    try {
      const noteTakers = new Y.Doc()
      const parents = new Y.Doc()
      const parentMeeting = meetingPart(parents)
      const told: string[] = []
      const stop = parentMeeting.observe(() => told.push(parentMeeting.get().step))
      noteTakers.on('update', (update: Uint8Array) => { Y.applyUpdate(parents, update) })

      meetingPart(noteTakers).moveTo('map', 'note-taker-1')
      expect(parentMeeting.get()).toEqual({ step: 'map', movedBy: 'note-taker-1', movedAt: '2026-11-23T10:15:00.000Z' })
      meetingPart(noteTakers).moveTo('childsVoice', 'chair-1')
      expect(parentMeeting.get()).toMatchObject({ step: 'childsVoice', movedBy: 'chair-1' })
      expect(told).toEqual(['map', 'childsVoice'])
      stop()
    } finally {
      vi.useRealTimers()
    }
  })

  test('a step that is not on the agenda is refused and the meeting stays where it was', () => {
    const meeting = meetingPart(new Y.Doc())
    meeting.moveTo('plan', 'chair-1')
    expect(reasonOf(() => { meeting.moveTo('privateSession' as AgendaStepId, 'chair-1') })).toBe('invalid-field')
    expect(meeting.get().step).toBe('plan')
  })
})
