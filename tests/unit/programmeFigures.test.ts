import { describe, expect, test } from 'vitest'
import type { ConferenceDecision } from '../../shared/conference/decision'
import type { ConferenceKind } from '../../shared/conference/details'
import type { FeedbackAnswer, FeedbackQuestionId } from '../../shared/programmes/feedback'
import { figure, figureWords, type Figure, type FiguresFor } from '../../shared/programmes/figures'
import type { ChildOutcome, OutcomePoint, Participation, WhereStaying } from '../../shared/programmes/outcomes'
import { ineligibility, type OfferStatus, type ParentPartnerOffer } from '../../shared/programmes/parentPartner'
import { figuresCsv, periodsOf, programmeFigures, type ProgrammeConference, type ProgrammeFacts } from '../../server/programmes/figures'
import type { StoredFeedback } from '../../server/storage/types'

/**
 * A fixture set of conferences, offers and feedback, with every expected figure worked out by
 * hand in the comments. The range is the first half of 2026.
 */

let ids = 0
const nextId = (): string => `id-${String(++ids)}`

function children(count: number, staying: Partial<Record<OutcomePoint, WhereStaying>> = {}, participation: Participation | null = null): ChildOutcome[] {
  return Array.from({ length: count }, () => ({ childId: nextId(), name: 'not used', staying, participation }))
}

function conference(kind: ConferenceKind, date: string, serviceArea: string, kids: ChildOutcome[], more: Partial<ProgrammeConference> = {}): ProgrammeConference {
  const id = nextId()
  return { id, caseId: id, kind, date, serviceArea, decision: 'not-yet-decided', referral: null, children: kids, ...more }
}

/** A referral whose 72 hours end at noon on `holdByDay` in Chicago. */
function referral(holdByDay: string, { afterRemoval = false, independentFacilitator = true } = {}): ProgrammeConference['referral'] {
  return { holdBy: new Date(`${holdByDay}T12:00:00-06:00`), timeZone: 'America/Chicago', afterRemoval, independentFacilitator }
}

function decided(kind: ConferenceKind, date: string, decision: ConferenceDecision, kids: ChildOutcome[], caseId?: string): ProgrammeConference {
  const made = conference(kind, date, 'Bexley', kids, { decision })
  return caseId ? { ...made, caseId } : made
}

function offers(count: number, status: OfferStatus, offeredAt: string): ParentPartnerOffer[] {
  return Array.from({ length: count }, () => ({
    id: nextId(), conferenceId: 'not used', parentName: 'not used', serviceArea: 'Eastern', alreadySupported: false, childRemoved: 'no' as const,
    status, parentPartnerName: null, offeredAt, answeredAt: null,
  }))
}

function feedback(conferenceId: string, answers: Partial<Record<FeedbackQuestionId, FeedbackAnswer>>, words = '', shareWords = false): StoredFeedback {
  return { id: nextId(), conferenceId, answers, words, shareWords }
}

const home = 'at-home'
const known = 'with-someone-they-know'
const placed = 'in-a-placement'

// Child safety conferences.
// A: 6 children, all at home after and at 10 days; 6 months on, 5 at home and 1 in a placement. Held on its deadline day.
const cscA = conference('us-csc-initial', '2026-01-10', 'Eastern', [...children(5, { afterConference: home, atFollowUp: home, atSixMonths: home }), ...children(1, { afterConference: home, atFollowUp: home, atSixMonths: placed })], { referral: referral('2026-01-10') })
// B: held two days late, right after a removal, facilitator from the agency; 5 children placed, then with someone they know at 10 days.
const cscB = conference('us-csc-initial', '2026-02-05', 'Eastern', children(5, { afterConference: placed, atFollowUp: known }), { referral: referral('2026-02-03', { afterRemoval: true, independentFacilitator: false }) })
// C: no referral recorded; 6 children with someone they know.
const cscC = conference('us-csc-initial', '2026-04-20', 'Western', children(6, { afterConference: known }))
// D to H: five CSCs of one child each, at home, held in time.
const smallCscs = ['2026-05-04', '2026-05-11', '2026-05-18', '2026-05-25', '2026-06-01'].map((date) => conference('us-csc-initial', date, 'Western', children(1, { afterConference: home }), { referral: referral(date) }))
// Outside the range: never counted.
const cscLater = conference('us-csc-initial', '2026-07-15', 'Eastern', children(10, { afterConference: home }), { referral: referral('2026-07-15') })

// UK conferences, all in Bexley.
// Two plans that end in the range: 5 children after 6 months (stepped down), 5 after 14 months (ended).
const planShort = decided('uk-initial', '2025-09-01', 'child-protection-plan', children(5))
const planShortEnds = decided('uk-review', '2026-03-01', 'step-down-child-in-need', children(5, {}, 'relayed-by-social-worker'), planShort.caseId)
const planLong = decided('uk-initial', '2024-12-01', 'child-protection-plan', children(5))
const planLongEnds = decided('uk-review', '2026-02-10', 'end-plan', children(5), planLong.caseId)
// Ten initial conferences of one child each: 5 made no plan (the child came), 5 made a plan (views shared another way); one not decided yet (the child came).
const initials = [
  ...Array.from({ length: 5 }, () => decided('uk-initial', '2026-01-20', 'no-plan', children(1, {}, 'attended'))),
  ...Array.from({ length: 5 }, () => decided('uk-initial', '2026-04-20', 'child-protection-plan', children(1, {}, 'views-shared-other-means'))),
]
const undecided = decided('uk-initial', '2026-05-20', 'not-yet-decided', children(1, {}, 'attended'))
// Three reviews that continue a plan, one child each, views relayed.
const continuing = Array.from({ length: 3 }, () => decided('uk-review', '2026-06-10', 'continue-plan', children(1, {}, 'relayed-by-social-worker')))

const facts: ProgrammeFacts = {
  conferences: [cscA, cscB, cscC, ...smallCscs, cscLater, planShort, planShortEnds, planLong, planLongEnds, ...initials, undecided, ...continuing],
  // Offered in the range: 5 accepted, 5 declined, 2 not answered yet; one offered after it.
  offers: [...offers(5, 'accepted', '2026-02-01T10:00:00.000Z'), ...offers(5, 'declined', '2026-03-01T10:00:00.000Z'), ...offers(2, 'offered', '2026-06-30T22:00:00.000Z'), ...offers(1, 'accepted', '2026-07-01T00:00:00.000Z')],
  feedback: [
    // Six parents of the first initial conferences; one more from a conference outside the range.
    ...Array.from({ length: 5 }, (_, index) => feedback(initials[index]?.id ?? '', { listenedTo: 'yes', respected: 'yes', involved: index < 3 ? 'yes' : 'partly', knewFamily: 'yes' }, index === 0 ? 'They let me finish.' : index === 1 ? 'Too many people, = but fair' : index === 2 ? 'Only for me' : '', index < 2)),
    feedback(initials[5]?.id ?? '', { listenedTo: 'no', respected: 'yes', involved: 'partly', knewFamily: 'partly' }),
    feedback(cscLater.id, { listenedTo: 'no', respected: 'no' }, 'Not in range', true),
  ],
  places: [{ serviceArea: 'Eastern', places: 50, taken: 6 }, { serviceArea: 'Western', places: 50, taken: 0 }],
}

const QUERY = { from: '2026-01-01', to: '2026-06-30', period: 'quarter', serviceArea: null, today: '2026-07-01' } as const

function byId(set: FiguresFor): Record<string, string> {
  return Object.fromEntries(set.groups.flatMap((group) => group.figures.map((value) => [value.id, figureWords(value)])))
}

describe('the programme figures, worked out from a fixture set by hand', () => {
  const figures = programmeFigures(facts, QUERY)

  test('child safety conferences: deadlines, removals, facilitators and where the children stay', () => {
    expect(byId(figures.total)).toMatchObject({
      // A, B, C and the five small ones: 8, rounded to the nearest 5.
      cscs: '10',
      // 7 with a referral, 6 in time: 1 late is a small count, so the figure is not shown.
      'held-in-time': 'fewer than 5 (not shown)',
      'after-removal': 'fewer than 5 (not shown)',
      'independent-facilitator': 'fewer than 5 (not shown)',
      // 6 + 5 + 6 + 5 = 22
      'csc-children': '20',
      // At home or with someone they know after: A 6, C 6, the small ones 5 = 17 of 22 (B's 5 were placed), shown rounded.
      'familiar-afterConference': '75% (15 of 20)',
      // At 10 days: A's 6 at home, B's 5 with someone they know: 11 of 11.
      'familiar-atFollowUp': '100% (10 of 10)',
      // 6 months on: 5 of A's 6 (1 placed): suppressed.
      'familiar-atSixMonths': 'fewer than 5 (not shown)',
      'same-place': 'fewer than 5 (not shown)',
    })
  })

  test('Parent Partners: offers in the range, answers, and places taken now', () => {
    expect(byId(figures.total)).toMatchObject({
      offered: '10',
      accepted: '50% (5 of 10)',
      // 6 of 100
      'places-taken': '5% (5 of 100)',
    })
  })

  test('UK conferences: children’s participation, plans not made, stepped down, and plans over 12 months', () => {
    expect(byId(figures.total)).toMatchObject({
      // 10 initial + 1 undecided + 5 + 5 ending reviews + 3 continuing.
      'uk-children': '25',
      // Known for 19 (the 5 of the long plan's last review are not recorded): 6 came, 5 another way, 8 relayed.
      'participation-attended': '25% (5 of 20)',
      'participation-views-shared-other-means': '25% (5 of 20)',
      'participation-relayed-by-social-worker': '50% (10 of 20)',
      // 10 decided initial conferences, 5 made no plan; the undecided one is left out.
      'icpc-no-plan': '50% (5 of 10)',
      // 5 decided reviews, 1 stepped down.
      'rcpc-step-down': 'fewer than 5 (not shown)',
      // 10 children's plans ended; the 5 of the plan begun in December 2024 after more than 12 months.
      'plan-over-12-months': '50% (5 of 10)',
    })
  })

  test('parents’ feedback: counted per question among those who answered it; words only when allowed', () => {
    expect(byId(figures.total)).toMatchObject({
      // 6 parents
      responses: '5',
      'feedback-respected': '100% (5 of 5)',
      'feedback-listenedTo': 'fewer than 5 (not shown)',
      'feedback-involved': 'fewer than 5 (not shown)',
      'feedback-knewFamily': 'fewer than 5 (not shown)',
      'feedback-madeDifference': 'none yet',
    })
    // Only two parents of the first quarter shared words: too few to show.
    expect(figures.parentsWords).toEqual([{ label: '2026 Q1', from: '2026-01-01', to: '2026-03-31', ended: true, words: null }, { label: '2026 Q2', from: '2026-04-01', to: '2026-06-30', ended: true, words: null }])
  })

  test('per quarter and per area', () => {
    expect(figures.periods.map((period) => [period.label, period.from, period.to])).toEqual([['2026 Q1', '2026-01-01', '2026-03-31'], ['2026 Q2', '2026-04-01', '2026-06-30']])
    const [q1, q2] = figures.periods.map(byId)
    // Q1: A and B. Q2: C and the five small ones.
    expect(q1).toMatchObject({ cscs: 'fewer than 5 (not shown)', 'csc-children': '10', 'familiar-afterConference': '50% (5 of 10)' })
    expect(q2).toMatchObject({ cscs: '5', 'csc-children': '10', 'familiar-afterConference': '100% (10 of 10)', 'icpc-no-plan': '0% (0 of 5)' })
    expect(figures.serviceAreas).toEqual(['Bexley', 'Eastern', 'Western'])
    const [bexley, eastern, western] = figures.byArea.map(byId)
    expect(eastern).toMatchObject({ 'csc-children': '10', 'familiar-afterConference': '50% (5 of 10)', 'places-taken': '10% (5 of 50)', 'uk-children': '0' })
    expect(western).toMatchObject({ cscs: '5', 'places-taken': '0% (0 of 50)' })
    expect(bexley).toMatchObject({ 'uk-children': '25', cscs: '0', responses: '5' })
    // One area asked for: only its conferences.
    expect(byId(programmeFigures(facts, { ...QUERY, serviceArea: 'Western' }).total)).toMatchObject({ cscs: '5', 'uk-children': '0', offered: '0' })
  })

  test('parents’ words go by whole calendar quarter, for all areas together, once 5 parents of the quarter shared them', () => {
    const eastern = Array.from({ length: 3 }, () => conference('uk-initial', '2026-01-10', 'Eastern', []))
    const western = Array.from({ length: 3 }, () => conference('uk-initial', '2026-02-10', 'Western', []))
    const april = conference('uk-initial', '2026-04-10', 'Eastern', [])
    const said = [
      ...[...eastern, ...western.slice(0, 2)].map((held, index) => feedback(held.id, {}, `Words ${String(5 - index)}`, true)),
      // Answered, or wrote words without sharing them: not counted among those who shared.
      feedback(western[2]?.id ?? '', {}, 'Kept to myself', false),
      feedback(april.id, {}, 'Only parent in April', true),
    ]
    const few = { conferences: [...eastern, ...western, april], offers: [], feedback: said, places: [] }
    const toMarch = programmeFigures(few, { ...QUERY, to: '2026-03-31' })
    const q1 = { label: '2026 Q1', from: '2026-01-01', to: '2026-03-31', ended: true, words: ['Words 1', 'Words 2', 'Words 3', 'Words 4', 'Words 5'] }
    expect(toMarch.parentsWords).toEqual([q1])
    // A longer range does not give April's one parent's words by the difference; nor does one area.
    const toApril = programmeFigures(few, { ...QUERY, from: '2026-02-01', to: '2026-04-30', serviceArea: 'Eastern' })
    expect(toApril.parentsWords).toEqual([q1, { label: '2026 Q2', from: '2026-04-01', to: '2026-06-30', ended: true, words: null }])
    // Four who shared are too few, however many answered.
    expect(programmeFigures({ ...few, feedback: said.slice(1) }, QUERY).parentsWords[0]?.words).toBeNull()
    // Nor while the quarter runs: each day's list would differ from the day before's by one family's words.
    expect(programmeFigures(few, { ...QUERY, to: '2026-03-31', today: '2026-03-31' }).parentsWords).toEqual([{ ...q1, ended: false, words: null }])
  })

  test('the CSV says how the counts were made safe, has every figure of the range, each period and each area, and never starts a cell with a formula', () => {
    const csv = figuresCsv(figures)
    const lines = csv.trimEnd().split('\r\n')
    const perSet = figures.total.groups.reduce((sum, group) => sum + group.figures.length, 0)
    // Places taken now are not given per period.
    expect(lines).toHaveLength(2 + perSet * (1 + figures.byArea.length) + (perSet - 1) * figures.periods.length)
    expect(figures.periods.flatMap((period) => period.groups.flatMap((group) => group.figures.map((value) => value.id)))).not.toContain('places-taken')
    expect(lines[0]).toBe('"Counts are rounded to the nearest 5, and counts under 5 are not shown, so that no family can be worked out from the figures."')
    expect(lines[1]).toBe('period,from,to,service area,group,figure,count,of,percent,suppressed')
    expect(lines).toContain('2026-01-01 to 2026-06-30,2026-01-01,2026-06-30,All areas,Child safety conferences,After the conference: children at home or with someone they know,15,20,75,no')
    expect(lines).toContain('2026 Q1,2026-01-01,2026-03-31,All areas,Child safety conferences,Initial child safety conferences,,,,yes')
    expect(csv).not.toContain('They let me finish')
    // An area name comes from the record, which the family can type in.
    const typed = figuresCsv(programmeFigures({ ...facts, conferences: [...facts.conferences, conference('uk-initial', '2026-03-03', '=HYPERLINK("http://x")', [])] }, QUERY))
    expect(typed).toContain(`"'=HYPERLINK(""http://x"")"`)
    expect(typed).not.toMatch(/(^|,)=HYPERLINK/m)
  })
})

describe('the rules behind the figures', () => {
  test('a count from 1 to 4, or a percentage whose count, total or the rest is from 1 to 4, is suppressed; 0 is shown; the rest is rounded to the nearest 5', () => {
    const shown = (value: Figure): string => figureWords(value)
    expect(shown(figure('x', 'x', 0))).toBe('0')
    expect(shown(figure('x', 'x', 4))).toBe('fewer than 5 (not shown)')
    expect(shown(figure('x', 'x', 5))).toBe('5')
    expect(shown(figure('x', 'x', 0, 5))).toBe('0% (0 of 5)')
    expect(shown(figure('x', 'x', 5, 9))).toBe('fewer than 5 (not shown)')
    expect(shown(figure('x', 'x', 5, 10))).toBe('50% (5 of 10)')
    expect(shown(figure('x', 'x', 7))).toBe('5')
    expect(shown(figure('x', 'x', 8))).toBe('10')
    // The percentage is of the rounded numbers, so it cannot give back the exact count.
    expect(shown(figure('x', 'x', 213, 222))).toBe('98% (215 of 220)')
    expect(shown(figure('x', 'x', 220, 222))).toBe('fewer than 5 (not shown)')
    expect(figure('x', 'x', 2, 100)).toMatchObject({ count: null, of: null, percent: null, suppressed: true })
  })

  test('Parent Partner eligibility: not already supported, and the children not removed formally or informally', () => {
    expect(ineligibility({ alreadySupported: false, childRemoved: 'no' })).toBeNull()
    expect(ineligibility({ alreadySupported: true, childRemoved: 'no' })).toMatch(/already has a Parent Partner/)
    expect(ineligibility({ alreadySupported: false, childRemoved: 'formally' })).toMatch(/still at home/)
    expect(ineligibility({ alreadySupported: false, childRemoved: 'informally' })).toMatch(/still at home/)
    // A CSC held right after a removal: nobody in its case, whatever is answered about the parent.
    expect(ineligibility({ alreadySupported: false, childRemoved: 'no' }, true)).toMatch(/held after the children were removed.*still at home/)
  })

  test('an area’s suppressed count cannot be worked out by taking the other areas from the total', () => {
    const cscs = [...Array.from({ length: 10 }, () => conference('us-csc-initial', '2026-02-10', 'Eastern', children(1))), ...Array.from({ length: 2 }, () => conference('us-csc-initial', '2026-02-11', 'Western', children(1)))]
    const shown = programmeFigures({ conferences: cscs, offers: [], feedback: [], places: [] }, { ...QUERY, to: '2026-03-31' })
    const [eastern, western] = shown.byArea.map(byId)
    expect(western?.cscs).toBe('fewer than 5 (not shown)')
    // 12 in all, shown as 10: all areas minus Eastern is 0, not Western's 2.
    expect(byId(shown.total).cscs).toBe('10')
    expect(eastern?.cscs).toBe('10')
  })

  test('two overlapping ranges do not give, by their difference, the one month left out of the shorter', () => {
    const cscs = [...Array.from({ length: 10 }, () => conference('us-csc-initial', '2026-01-10', 'Eastern', children(1))), ...Array.from({ length: 2 }, () => conference('us-csc-initial', '2026-04-10', 'Eastern', children(1)))]
    const facts = { conferences: cscs, offers: [], feedback: [], places: [] }
    const toMarch = byId(programmeFigures(facts, { ...QUERY, to: '2026-03-31' }).total)
    const toApril = byId(programmeFigures(facts, { ...QUERY, to: '2026-04-30' }).total)
    expect([toMarch.cscs, toApril.cscs]).toEqual(['10', '10'])
  })

  test('periods cut to the range: months across a year end, quarters starting mid-quarter', () => {
    expect(periodsOf({ from: '2026-11-15', to: '2027-01-10', period: 'month' }).map((period) => [period.label, period.from, period.to])).toEqual([
      ['2026-11', '2026-11-15', '2026-11-30'],
      ['2026-12', '2026-12-01', '2026-12-31'],
      ['2027-01', '2027-01-01', '2027-01-10'],
    ])
    expect(periodsOf({ from: '2026-02-10', to: '2026-04-01', period: 'quarter' }).map((period) => period.label)).toEqual(['2026 Q1', '2026 Q2'])
  })
})
