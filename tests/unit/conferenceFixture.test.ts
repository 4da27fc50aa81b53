import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { ROOT_NAMES, SCHEMA_VERSION, conferenceRecord, migrateConference, plainText, recordSnapshot } from '../../shared/conference'

/**
 * tests/fixtures/conference-v1.ydoc is a record saved by schema version 1 (see
 * tests/fixtures/README.md). Every later SafetyMap must still load it, migrate it and read
 * exactly this content. When a migration changes how it reads, update the expectation here;
 * never regenerate the fixture.
 */
function loadV1(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, readFileSync(new URL('../fixtures/conference-v1.ydoc', import.meta.url)))
  return doc
}

const EXPECTED_V1 = {
  schemaVersion: 1,
  details: {
    kind: 'uk-initial',
    title: 'Fictional family: the Examples',
    date: '2025-03-14',
    area: 'Imaginary Borough',
    children: [
      {
        id: 'CiOA6PyaBXemt8xJSQ094Q',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.083Z',
        updatedAt: '2026-11-23T09:28:04.083Z',
        updatedBy: 'fixture-note-taker',
        fields: { name: 'Sam Example (fictional)', dateOfBirth: '2018-06-01' },
        text: {},
      },
      {
        id: 'J_PGpqmcDFsh4LwuVNxiNw',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.084Z',
        updatedAt: '2026-11-23T09:28:04.084Z',
        updatedBy: 'fixture-note-taker',
        fields: { name: 'Alex Example (fictional)', dateOfBirth: null },
        text: {},
      },
    ],
  },
  network: {
    people: [
      {
        id: 'O_ipMCq_7hklYB-RJYf8lA',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.084Z',
        updatedAt: '2026-11-23T09:28:04.084Z',
        updatedBy: 'fixture-note-taker',
        fields: {
          name: 'Jo Example (fictional)',
          relationship: 'Mum',
          roleInMeeting: 'parent-or-carer',
          agency: '',
          present: true,
          inSafetyNetwork: true,
        },
        text: {},
      },
      {
        id: 'teApJFj71kEuZghguOxPTA',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.085Z',
        updatedAt: '2026-11-23T09:28:04.085Z',
        updatedBy: 'fixture-note-taker',
        fields: {
          name: 'Pat Sample (fictional)',
          relationship: 'Social worker',
          roleInMeeting: 'professional',
          agency: 'Imaginary Borough children’s services',
          present: true,
          inSafetyNetwork: false,
        },
        text: {},
      },
    ],
  },
  map: {
    pastHarm: [
      {
        id: 'buPVDTqMIcWOTOZHnhfhHg',
        authorId: 'fixture-parent',
        createdAt: '2026-11-23T09:28:04.099Z',
        updatedAt: '2026-11-23T09:28:04.099Z',
        updatedBy: 'fixture-parent',
        fields: { parked: false },
        text: { text: 'Added first, then moved to the top (fictional).' },
      },
      {
        id: '7nDnRZihtwdIRTBMkkpYcQ',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.085Z',
        updatedAt: '2026-11-23T09:28:04.085Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: false },
        text: { text: 'Fictional pastHarm entry.\nSecond line.' },
      },
    ],
    dangerStatements: [
      {
        id: 'MqAg9i5W1KDj0yMBbeCdLg',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.086Z',
        updatedAt: '2026-11-23T09:28:04.086Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: false },
        text: { text: 'Fictional dangerStatements entry.\nSecond line.' },
      },
    ],
    complicatingFactors: [
      {
        id: 'ude7ixAOyK5WBAI84Z6cdQ',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.086Z',
        updatedAt: '2026-11-23T09:28:04.086Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: false },
        text: { text: 'Fictional complicatingFactors entry.\nSecond line.' },
      },
    ],
    existingStrengths: [
      {
        id: 'XsE57cjyPJU9x90pcygR9g',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.087Z',
        updatedAt: '2026-11-23T09:28:04.087Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: false },
        text: { text: 'Fictional existingStrengths entry.\nSecond line.' },
      },
    ],
    existingSafety: [
      {
        id: '5J-Ami_GqNQfXR4sYI6MjA',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.087Z',
        updatedAt: '2026-11-23T09:28:04.087Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: false },
        text: { text: 'Fictional existingSafety entry.\nSecond line.' },
      },
    ],
    safetyGoals: [
      {
        id: '2aA_c6RivwjfCzgLp6yFGg',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.087Z',
        updatedAt: '2026-11-23T09:28:04.087Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: false },
        text: { text: 'Fictional safetyGoals entry.\nSecond line.' },
      },
    ],
    familyGoals: [
      {
        id: 'nwUVLzVU3VeYSHqi_sn2og',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.087Z',
        updatedAt: '2026-11-23T09:28:04.087Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: false },
        text: { text: 'Fictional familyGoals entry.\nSecond line.' },
      },
    ],
    nextSteps: [
      {
        id: '3OO88JMm99lVYGJtVEG8Yw',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.087Z',
        updatedAt: '2026-11-23T09:28:04.087Z',
        updatedBy: 'fixture-note-taker',
        fields: { parked: true },
        text: { text: 'Fictional nextSteps entry.\nSecond line.' },
      },
    ],
  },
  childsVoice: {
    howShared: 'views-shared-other-means',
    houses: {
      worries: 'Sam\'s fictional worries.',
      goodThings: 'Sam\'s fictional goodThings.',
      dreams: 'Sam\'s fictional dreams.',
    },
    // Nothing in them is crossed out.
    housesForChild: {
      worries: 'Sam\'s fictional worries.',
      goodThings: 'Sam\'s fictional goodThings.',
      dreams: 'Sam\'s fictional dreams.',
    },
  },
  involvement: 'Mum attended in person. Sam drew three houses with the social worker (fictional).',
  dangerStatements: [
    {
      id: 'H7fLiX_vDKT7HTp_-BGk1Q',
      authorId: 'fixture-note-taker',
      createdAt: '2026-11-23T09:28:04.088Z',
      updatedAt: '2026-11-23T09:28:04.100Z',
      updatedBy: 'fixture-chair',
      fields: { carriedForwardFrom: null },
      text: {
        dangerStatement: 'Everyone is worried that Sam (fictional) could be left alone at night again and be hurt.',
        safetyGoal: 'Sam is always looked after by an adult everyone agrees on when Mum works late.',
      },
    },
    {
      id: 'iTYb940qLvzKETOey0GeAA',
      authorId: 'fixture-note-taker',
      createdAt: '2026-11-23T09:28:04.088Z',
      updatedAt: '2026-11-23T09:28:04.088Z',
      updatedBy: 'fixture-note-taker',
      fields: { carriedForwardFrom: 'fictional-earlier-conference' },
      text: {
        dangerStatement: 'A second fictional danger statement.',
        safetyGoal: 'A second fictional safety goal.',
      },
    },
  ],
  overallScale: { question: 'Fictional scale question: where are things today, from 0 to 10?' },
  scores: [],
  contingency: 'If nothing changes, a fictional next step would be explained here in full.',
  decision: {
    decision: 'child-protection-plan',
    category: 'neglect',
    // Saved before there was a field for it.
    whereChildrenStay: 'not-yet-recorded',
    recommendations: [
      {
        id: 'fX_1eDm2s2ZfauuWdUiRxg',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.092Z',
        updatedAt: '2026-11-23T09:28:04.092Z',
        updatedBy: 'fixture-note-taker',
        fields: { professionalName: 'Pat Sample (fictional)', roleOrAgency: 'Social worker' },
        text: { recommendation: 'A child protection plan under neglect.' },
      },
    ],
    familyView: 'Mum agrees help is needed with late shifts (fictional).',
    rationale: 'The chair explained the fictional reasons in plain words.',
  },
  plan: {
    immediateSafety: 'Grandma (fictional) looks after Sam on late shifts from tonight.',
    bottomLines: 'Sam is never left alone at home (fictional).',
    timeline: [
      {
        id: '8odqMzkHGrmQEIopxKTukA',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.097Z',
        updatedAt: '2026-11-23T09:28:04.097Z',
        updatedBy: 'fixture-note-taker',
        fields: { byWhen: '2025-03-21' },
        text: { text: 'Agree the late-shift rota.' },
      },
    ],
    rules: [
      {
        id: 'X6Yf-bLZihUoJKs8RwpqcQ',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.097Z',
        updatedAt: '2026-11-23T09:28:04.097Z',
        updatedBy: 'fixture-note-taker',
        fields: {},
        text: {
          behaviour: 'Leaving Sam alone (fictional).',
          whatWorks: 'Grandma staying over.',
          triggersAndRedFlags: 'A late shift at short notice.',
          whoDoesWhat: 'Mum calls Grandma; if no answer, calls the fictional neighbour.',
        },
      },
    ],
    howRecordedAndShown: 'A picture version for Sam and a family group chat (fictional).',
  },
  actions: [
    {
      id: 'VUYNWM9bZVnTOQDk0nRiAg',
      authorId: 'fixture-note-taker',
      createdAt: '2026-11-23T09:28:04.098Z',
      updatedAt: '2026-11-23T09:28:04.100Z',
      updatedBy: 'fixture-social-worker',
      fields: { who: 'Pat Sample (fictional)', ownedBy: 'professionals', byWhen: '2025-03-28', status: 'done' },
      text: { what: 'Find a registered childminder.' },
    },
    {
      id: 'QfZFwHKORq5ZC4pp-PLZzg',
      authorId: 'fixture-note-taker',
      createdAt: '2026-11-23T09:28:04.098Z',
      updatedAt: '2026-11-23T09:28:04.098Z',
      updatedBy: 'fixture-note-taker',
      fields: { who: 'Jo Example (fictional)', ownedBy: 'family-and-network', byWhen: null, status: 'done' },
      text: { what: 'Ask Grandma about late shifts.' },
    },
  ],
  coreGroup: {
    members: [
      {
        id: 't29xWcmnQrXi0aKsHgw-fA',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.098Z',
        updatedAt: '2026-11-23T09:28:04.098Z',
        updatedBy: 'fixture-note-taker',
        fields: { name: 'Jo Example (fictional)', roleOrAgency: 'Mum' },
        text: {},
      },
    ],
    nextMeetings: [
      {
        id: '5Zyw0GoD_qxDjW-eKOtHrQ',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.099Z',
        updatedAt: '2026-11-23T09:28:04.099Z',
        updatedBy: 'fixture-note-taker',
        fields: { kind: 'core-group', date: '2025-04-04', note: 'At the fictional family centre, 10am.' },
        text: {},
      },
      {
        id: 'jI1vqp6FaS02DuRNAlWDZA',
        authorId: 'fixture-note-taker',
        createdAt: '2026-11-23T09:28:04.099Z',
        updatedAt: '2026-11-23T09:28:04.099Z',
        updatedBy: 'fixture-note-taker',
        fields: { kind: 'review-conference', date: null, note: 'To be booked within three months.' },
        text: {},
      },
    ],
  },
}

describe('the saved v1 record (tests/fixtures/conference-v1.ydoc)', () => {
  test('loads, migrates to SCHEMA_VERSION and reads exactly what was saved', () => {
    const doc = loadV1()
    const migration = migrateConference(doc)
    expect(migration.from).toBe(1)
    expect(migration.to).toBe(SCHEMA_VERSION)
    // Views came after v1 without a migration: a record saved before them has none.
    expect(recordSnapshot(doc)).toEqual({ ...EXPECTED_V1, views: [], schemaVersion: SCHEMA_VERSION })
  })

  test('holds only known roots, and every one of them but the scores, where the meeting is, the views and the pairs carried forward', () => {
    const doc = loadV1()
    const roots = new Set(doc.share.keys())
    expect([...roots].filter((name) => !ROOT_NAMES.has(name))).toEqual([])
    expect([...ROOT_NAMES].filter((name) => !roots.has(name))).toEqual(['meeting', 'views', 'dangerStatements.carriedForward', 'scores'])
  })

  test('its parts read through the accessors as live, editable objects', () => {
    const doc = loadV1()
    migrateConference(doc)
    const record = conferenceRecord(doc)
    const pastHarm = record.map.section('pastHarm').entries()
    expect(pastHarm.map((entry) => plainText(entry.richText('text')))).toEqual([
      'Added first, then moved to the top (fictional).',
      'Fictional pastHarm entry.\nSecond line.',
    ])
    expect(record.map.section('nextSteps').entries()[0]!.fields.parked).toBe(true)
    expect(record.dangerStatements.size).toBe(2)
    expect(record.dangerStatements.entries()[0]!.updatedBy).toBe('fixture-chair')
    expect(record.actions.entries().map((action) => [action.fields.status, action.updatedBy])).toEqual([
      ['done', 'fixture-social-worker'],
      ['done', 'fixture-note-taker'],
    ])
    // Still editable after loading: a new pair, up to the limit.
    record.dangerStatements.add('fixture-chair', { text: { dangerStatement: 'Third', safetyGoal: 'Third goal' } })
    expect(record.dangerStatements.size).toBe(3)
  })
})
