import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CONFERENCE_KINDS, conferenceRecord, migrateConference, recordSnapshot } from '../../shared/conference'
import { ROOTS_NEEDING } from '../../shared/conference/documents'
import { DECISION_ROOT, DECISIONS, decisionHasCategory, decisionsFor, WHERE_CHILDREN_STAY } from '../../shared/conference/decision'
import { reasonOf } from '../helpers/recordErrors'

/** A record saved before the decision said where the children are staying (tests/fixtures/README.md). */
function savedBeforeWhereChildrenStay(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, readFileSync(new URL('../fixtures/conference-v1.ydoc', import.meta.url)))
  return doc
}

describe('the decision: where the children are staying (US child safety conference)', () => {
  test('a record saved before the field existed reads "not recorded yet", and its decision is unchanged', () => {
    const doc = savedBeforeWhereChildrenStay()
    expect(doc.getMap(DECISION_ROOT).has('whereChildrenStay')).toBe(false)
    migrateConference(doc)
    const { decision } = conferenceRecord(doc)
    expect(decision.get()).toEqual({ decision: 'child-protection-plan', category: 'neglect', whereChildrenStay: 'not-yet-recorded' })
    expect(recordSnapshot(doc).decision.whereChildrenStay).toBe('not-yet-recorded')
  })

  test('can be recorded, is kept beside the decision, and refuses anything but the known places', () => {
    const doc = savedBeforeWhereChildrenStay()
    const { decision } = conferenceRecord(doc)
    decision.update({ whereChildrenStay: 'with-someone-they-know' })
    expect(decision.get()).toEqual({ decision: 'child-protection-plan', category: 'neglect', whereChildrenStay: 'with-someone-they-know' })
    expect(reasonOf(() => { decision.update({ whereChildrenStay: 'in-a-hotel' as 'at-home' }) })).toBe('invalid-field')
    expect(decision.get().whereChildrenStay).toBe('with-someone-they-know')
    expect(WHERE_CHILDREN_STAY).toEqual(['not-yet-recorded', 'at-home', 'with-someone-they-know', 'in-a-placement'])
  })

  test('a value a faulty client stored reads as "not recorded yet", without hiding the decision', () => {
    const doc = new Y.Doc()
    conferenceRecord(doc).decision.update({ decision: 'safety-plan-approved' })
    doc.getMap(DECISION_ROOT).set('whereChildrenStay', 'on-the-moon')
    expect(conferenceRecord(doc).decision.get()).toEqual({ decision: 'safety-plan-approved', category: null, whereChildrenStay: 'not-yet-recorded' })
  })

  test('lives in the decision root, so only those who may record the decision can write it', () => {
    const doc = new Y.Doc()
    const changed: unknown[] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => { changed.push(...transaction.changed.keys()) })
    conferenceRecord(doc).decision.update({ whereChildrenStay: 'at-home' })
    expect(changed).toEqual([doc.getMap(DECISION_ROOT)])
    expect(ROOTS_NEEDING[DECISION_ROOT]).toBe('recordDecision')
  })
})

describe('the decisions open to each kind of conference', () => {
  test('an initial conference makes a plan or not; a review continues, steps down or ends it; a US conference approves the safety plan', () => {
    expect(decisionsFor('uk-initial')).toEqual(['not-yet-decided', 'child-protection-plan', 'no-plan'])
    expect(decisionsFor('uk-review')).toEqual(['not-yet-decided', 'continue-plan', 'step-down-child-in-need', 'end-plan'])
    expect(decisionsFor('us-csc-initial')).toEqual(['not-yet-decided', 'safety-plan-approved'])
    expect(decisionsFor('us-csc-follow-up')).toEqual(['not-yet-decided', 'safety-plan-approved'])
    for (const kind of CONFERENCE_KINDS) expect(decisionsFor(kind)[0]).toBe('not-yet-decided')
  })

  test('only a child protection plan (new or continued) has a category', () => {
    expect(DECISIONS.filter(decisionHasCategory)).toEqual(['child-protection-plan', 'continue-plan'])
  })
})
