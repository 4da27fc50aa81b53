import type { ConferenceKind } from '../../shared/conference/details'
import type { ConferenceDecision } from '../../shared/conference/decision'
import { FEEDBACK_QUESTIONS } from '../../shared/programmes/feedback'
import { DISCLOSURE_NOTE, figure, SMALLEST_SHOWN, type FigureGroup, type FiguresFor, type PeriodKind, type ProgrammeFigures, type QuarterWords } from '../../shared/programmes/figures'
import { OUTCOME_POINTS, OUTCOME_POINT_LABELS, staysWithFamiliarPeople, type ChildOutcome, type OutcomePoint, type Participation } from '../../shared/programmes/outcomes'
import type { AreaPlaces, ParentPartnerOffer } from '../../shared/programmes/parentPartner'
import { addDays, addMonths, type IsoDate } from '../../shared/timescales'
import { heldInTime } from '../../shared/programmes/deadlines'
import type { StoredFeedback } from '../storage/types'

/**
 * The programme figures (shared/programmes/figures.ts), worked out from what the records and the
 * programme store hold. Pure: tests/unit/programmeFigures.test.ts checks it against figures worked
 * out by hand. Every percentage counts children, conferences or parents whose answer is known:
 * one not recorded yet is left out of both sides, not counted as a failure.
 */

/** One conference, as the figures need it. Demo conferences never get this far. */
export interface ProgrammeConference {
  id: string
  caseId: string
  kind: ConferenceKind
  date: IsoDate
  serviceArea: string
  decision: ConferenceDecision
  referral: { holdBy: Date; timeZone: string; afterRemoval: boolean; independentFacilitator: boolean } | null
  children: ChildOutcome[]
}

export interface ProgrammeFacts {
  conferences: readonly ProgrammeConference[]
  offers: readonly ParentPartnerOffer[]
  feedback: readonly StoredFeedback[]
  places: readonly AreaPlaces[]
}

export interface FiguresQuery {
  from: IsoDate
  to: IsoDate
  period: PeriodKind
  serviceArea: string | null
  /** The day the figures are asked for: a quarter's words wait until it has ended. */
  today: IsoDate
}

/** The area a conference is counted in when its record does not say. */
export const AREA_NOT_RECORDED = 'Area not recorded'

export function programmeFigures(facts: ProgrammeFacts, query: FiguresQuery): ProgrammeFigures {
  const serviceAreas = [...new Set([...facts.places.map((area) => area.serviceArea), ...facts.conferences.map((conference) => conference.serviceArea)])].sort()
  const whole = { from: query.from, to: query.to, label: `${query.from} to ${query.to}` }
  const total = figuresFor(facts, whole, query.serviceArea)
  return {
    serviceAreas,
    total,
    // Places taken are a count of now: repeated for each period they would look like a history.
    periods: periodsOf(query).map((period) => figuresFor(facts, period, query.serviceArea, false)),
    byArea: serviceAreas.map((area) => figuresFor(facts, whole, area)),
    parentsWords: wholePeriods({ ...query, period: 'quarter' }).map((quarter) => quarterWords(facts, quarter, query.today)),
  }
}

/**
 * Words go by whole quarter and for every area together: ranges or areas that differ by one
 * family then never differ by its words. Shown only once the quarter has ended (while it runs,
 * today's list would differ from yesterday's by one family's words), when enough parents shared
 * theirs that none can be picked out, and sorted, not in the order given.
 */
function quarterWords(facts: ProgrammeFacts, quarter: Period, today: IsoDate): QuarterWords {
  const ended = quarter.to < today
  const shared = feedbackIn(facts, quarter, null).filter((response) => response.shareWords && response.words !== '')
  return { ...quarter, ended, words: !ended || shared.length < SMALLEST_SHOWN ? null : shared.map((response) => response.words).sort() }
}

interface Period {
  from: IsoDate
  to: IsoDate
  label: string
}

/** The quarters or months that overlap the range, each cut to it. */
export function periodsOf(range: Pick<FiguresQuery, 'from' | 'to' | 'period'>): Period[] {
  return wholePeriods(range).map((whole) => ({ ...whole, from: whole.from < range.from ? range.from : whole.from, to: whole.to > range.to ? range.to : whole.to }))
}

/** The whole quarters or months that overlap the range, oldest first. */
function wholePeriods({ from, to, period }: Pick<FiguresQuery, 'from' | 'to' | 'period'>): Period[] {
  const months = period === 'quarter' ? 3 : 1
  const [year, month] = from.split('-').map(Number) as [number, number]
  const firstMonth = Math.floor((month - 1) / months) * months + 1
  let start = `${String(year).padStart(4, '0')}-${String(firstMonth).padStart(2, '0')}-01`
  const periods: Period[] = []
  while (start <= to) {
    const next = addMonths(start, months)
    const [y, m] = start.split('-').map(Number) as [number, number]
    const label = period === 'quarter' ? `${y} Q${Math.floor((m - 1) / 3) + 1}` : start.slice(0, 7)
    periods.push({ from: start, to: addDays(next, -1), label })
    start = next
  }
  return periods
}

function inPeriod(date: IsoDate, period: Period): boolean {
  return date >= period.from && date <= period.to
}

function figuresFor(facts: ProgrammeFacts, period: Period, serviceArea: string | null, withPlaces = true): FiguresFor {
  const inArea = (area: string): boolean => serviceArea === null || area === serviceArea
  const held = facts.conferences.filter((conference) => inPeriod(conference.date, period) && inArea(conference.serviceArea))
  const groups: FigureGroup[] = [
    cscFigures(held.filter((conference) => conference.kind === 'us-csc-initial')),
    parentPartnerFigures(facts.offers.filter((offer) => inPeriod(offer.offeredAt.slice(0, 10), period) && inArea(offer.serviceArea)), withPlaces ? facts.places.filter((area) => inArea(area.serviceArea)) : null),
    ukFigures(held, facts.conferences),
    feedbackFigures(feedbackIn(facts, period, serviceArea)),
  ]
  return { ...period, serviceArea, groups }
}

function count<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.filter(test).length
}

function cscFigures(cscs: ProgrammeConference[]): FigureGroup {
  const referred = cscs.flatMap((csc) => (csc.referral ? [{ csc, referral: csc.referral }] : []))
  const children = cscs.flatMap((csc) => csc.children)
  const familiarAt = (point: OutcomePoint) => {
    const known = children.flatMap((child) => child.staying[point] ?? [])
    return figure(`familiar-${point}`, `${OUTCOME_POINT_LABELS[point]}: children at home or with someone they know`, count(known, staysWithFamiliarPeople), known.length)
  }
  const followedSixMonths = children.filter((child) => child.staying.afterConference && child.staying.atSixMonths)
  return {
    id: 'csc',
    title: 'Child safety conferences',
    figures: [
      figure('cscs', 'Initial child safety conferences', cscs.length),
      figure('held-in-time', 'Held within 72 hours of the concern', count(referred, ({ csc, referral }) => heldInTime(csc.date, referral.holdBy, referral.timeZone)), referred.length),
      figure('after-removal', 'Held right after a removal', count(referred, ({ referral }) => referral.afterRemoval), referred.length),
      figure('independent-facilitator', 'Facilitator independent of the child welfare agency', count(referred, ({ referral }) => referral.independentFacilitator), referred.length),
      figure('csc-children', 'Children', children.length),
      ...OUTCOME_POINTS.map(familiarAt),
      figure('same-place', '6 months on: children still where they stayed after the conference', count(followedSixMonths, (child) => child.staying.afterConference === child.staying.atSixMonths), followedSixMonths.length),
    ],
  }
}

function parentPartnerFigures(offers: ParentPartnerOffer[], places: readonly AreaPlaces[] | null): FigureGroup {
  const answered = offers.filter((offer) => offer.status !== 'offered')
  return {
    id: 'parentPartner',
    title: 'Parent Partners',
    figures: [
      figure('offered', 'Parents offered a Parent Partner', offers.length),
      figure('accepted', 'Parents who accepted, of those who answered', count(answered, (offer) => offer.status !== 'declined'), answered.length),
      ...(places ? [figure('places-taken', 'Places taken now', places.reduce((sum, area) => sum + area.taken, 0), places.reduce((sum, area) => sum + area.places, 0))] : []),
    ],
  }
}

const PARTICIPATION_FIGURES: readonly { how: Participation; label: string }[] = [
  { how: 'attended', label: 'Children who came to their conference' },
  { how: 'views-shared-other-means', label: 'Children who shared their views another way' },
  { how: 'relayed-by-social-worker', label: 'Children whose views the social worker relayed' },
]

function ukFigures(held: ProgrammeConference[], all: readonly ProgrammeConference[]): FigureGroup {
  const uk = held.filter((conference) => conference.kind === 'uk-initial' || conference.kind === 'uk-review')
  const participations = uk.flatMap((conference) => conference.children.flatMap((child) => child.participation ?? []))
  const decided = (kind: ConferenceKind) => uk.filter((conference) => conference.kind === kind && conference.decision !== 'not-yet-decided')
  const initials = decided('uk-initial')
  const reviews = decided('uk-review')
  // A plan ends when a review steps down or ends it; it began at the last conference of the case that made one.
  const ended = reviews.filter((review) => review.decision === 'step-down-child-in-need' || review.decision === 'end-plan').flatMap((review) => {
    const began = all.filter((conference) => conference.caseId === review.caseId && conference.decision === 'child-protection-plan' && conference.date <= review.date).map((conference) => conference.date).sort().at(-1)
    return began ? review.children.map(() => ({ began, ended: review.date })) : []
  })
  return {
    id: 'uk',
    title: 'Child protection conferences',
    figures: [
      figure('uk-children', 'Children', uk.reduce((sum, conference) => sum + conference.children.length, 0)),
      ...PARTICIPATION_FIGURES.map(({ how, label }) => figure(`participation-${how}`, label, count(participations, (value) => value === how), participations.length)),
      figure('icpc-no-plan', 'Initial conferences that made no plan', count(initials, (conference) => conference.decision === 'no-plan'), initials.length),
      figure('rcpc-step-down', 'Reviews that stepped down to a child in need plan', count(reviews, (conference) => conference.decision === 'step-down-child-in-need'), reviews.length),
      figure('plan-over-12-months', 'Children whose plan ended after more than 12 months', count(ended, (plan) => addMonths(plan.began, 12) < plan.ended), ended.length),
    ],
  }
}

function feedbackIn(facts: ProgrammeFacts, period: Period, serviceArea: string | null): StoredFeedback[] {
  const counted = new Map(facts.conferences.filter((conference) => inPeriod(conference.date, period) && (serviceArea === null || conference.serviceArea === serviceArea)).map((conference) => [conference.id, conference]))
  return facts.feedback.filter((response) => counted.has(response.conferenceId))
}

function feedbackFigures(responses: StoredFeedback[]): FigureGroup {
  return {
    id: 'feedback',
    title: 'Parents’ feedback',
    figures: [
      figure('responses', 'Parents who gave feedback', responses.length),
      ...FEEDBACK_QUESTIONS.map(({ id, question }) => {
        const answers = responses.flatMap((response) => response.answers[id] ?? [])
        return figure(`feedback-${id}`, `Said yes: ${question}`, count(answers, (answer) => answer === 'yes'), answers.length)
      }),
    ],
  }
}

/** Every figure of every period and area, one per line, for a spreadsheet, after a line saying how the counts were made safe. */
export function figuresCsv(figures: ProgrammeFigures): string {
  const rows = [[DISCLOSURE_NOTE], ['period', 'from', 'to', 'service area', 'group', 'figure', 'count', 'of', 'percent', 'suppressed']]
  for (const set of [figures.total, ...figures.periods, ...figures.byArea]) {
    for (const group of set.groups) {
      for (const value of group.figures) {
        rows.push([set.label, set.from, set.to, set.serviceArea ?? 'All areas', group.title, value.label, String(value.count ?? ''), String(value.of ?? ''), String(value.percent ?? ''), value.suppressed ? 'yes' : 'no'])
      }
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** Quoted when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
