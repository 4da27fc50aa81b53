import type * as Y from 'yjs'
import { z } from 'zod'
import { isUsConference, kindTerms } from './agenda'
import type { ConferenceKind } from './details'
import { EntryList } from './entryList'
import { FieldMap, type FieldsPart } from './fieldMap'
import { shortText } from './fields'

/**
 * Part 7 of the record: each professional's recommendation, the family's view, and the chair's
 * decision with its category and rationale; in a US child safety conference, the decision-maker's
 * approval of the plan and where the children are staying.
 */

export const DECISIONS = [
  'not-yet-decided',
  'child-protection-plan',
  'no-plan',
  'continue-plan',
  'step-down-child-in-need',
  'end-plan',
  'safety-plan-approved',
] as const
export type ConferenceDecision = (typeof DECISIONS)[number]

export const DECISION_LABELS: Readonly<Record<ConferenceDecision, string>> = {
  'not-yet-decided': 'Not decided yet',
  'child-protection-plan': 'The children will have a child protection plan',
  'no-plan': 'No child protection plan is needed',
  'continue-plan': 'The child protection plan continues',
  'step-down-child-in-need': 'The plan ends and a child in need plan starts',
  'end-plan': 'The child protection plan ends',
  'safety-plan-approved': 'The safety plan is approved',
}

/** The decisions open to a conference of each kind: a review continues, steps down or ends a plan. */
export function decisionsFor(kind: ConferenceKind): readonly ConferenceDecision[] {
  switch (kind) {
    case 'uk-initial':
      return ['not-yet-decided', 'child-protection-plan', 'no-plan']
    case 'uk-review':
      return ['not-yet-decided', 'continue-plan', 'step-down-child-in-need', 'end-plan']
    case 'us-csc-initial':
    case 'us-csc-follow-up':
      return ['not-yet-decided', 'safety-plan-approved']
  }
}

/**
 * Who decides, in the middle of a sentence: the chair (UK); in a US child safety conference the
 * facilitator runs the meeting and a decision-maker approves the plan.
 */
export function deciderWords(kind: ConferenceKind): string {
  return isUsConference(kind) ? 'decision-maker' : kindTerms(kind).chairInSentence
}

/** The heading of the decision itself, on the board and in the minutes. */
export function decisionHeading(kind: ConferenceKind): string {
  return isUsConference(kind) ? 'The decision-maker’s approval' : `The ${deciderWords(kind)}’s decision`
}

/** A child protection plan is made under a category; the other decisions have none. */
export function decisionHasCategory(decision: ConferenceDecision): boolean {
  return decision === 'child-protection-plan' || decision === 'continue-plan'
}

export const PLAN_CATEGORIES = ['neglect', 'emotional-abuse', 'physical-abuse', 'sexual-abuse', 'child-sexual-exploitation'] as const
export type PlanCategory = (typeof PLAN_CATEGORIES)[number]

export const PLAN_CATEGORY_LABELS: Readonly<Record<PlanCategory, string>> = {
  neglect: 'Neglect',
  'emotional-abuse': 'Emotional abuse',
  'physical-abuse': 'Physical abuse',
  'sexual-abuse': 'Sexual abuse',
  'child-sexual-exploitation': 'Child sexual exploitation',
}

/**
 * Where the children are staying after a US child safety conference (one of the outcomes the
 * programmes track: at home or with someone familiar rather than with strangers).
 */
export const WHERE_CHILDREN_STAY = ['not-yet-recorded', 'at-home', 'with-someone-they-know', 'in-a-placement'] as const
export type WhereChildrenStay = (typeof WHERE_CHILDREN_STAY)[number]

/** The question, as the decision step asks it and the documents print it. */
export const WHERE_CHILDREN_STAY_QUESTION = 'Where the children are staying'

export const WHERE_CHILDREN_STAY_LABELS: Readonly<Record<WhereChildrenStay, string>> = {
  'not-yet-recorded': 'Not recorded yet',
  'at-home': 'At home',
  'with-someone-they-know': 'With someone the children know (family or a friend)',
  'in-a-placement': 'In a placement (foster care or another care home)',
}

export const DECISION_ROOT = 'decision'
export const RECOMMENDATIONS_ROOT = 'decision.recommendations'
export const FAMILY_VIEW_ROOT = 'decision.familyView'
export const RATIONALE_ROOT = 'decision.rationale'
export const DECISION_ROOT_NAMES = [DECISION_ROOT, RECOMMENDATIONS_ROOT, FAMILY_VIEW_ROOT, RATIONALE_ROOT] as const

/**
 * Category is only meaningful with a plan, but is not tied to the decision here: two people
 * setting each at once could break any such rule after a merge. The UI shows it with a plan.
 */
export const decisionSchema = z.object({
  decision: z.enum(DECISIONS),
  category: z.enum(PLAN_CATEGORIES).nullable(),
  /** Recorded in a US child safety conference; a record from before this field reads 'not-yet-recorded'. */
  whereChildrenStay: z.enum(WHERE_CHILDREN_STAY),
})
export type DecisionFields = z.infer<typeof decisionSchema>
export const DEFAULT_DECISION: DecisionFields = { decision: 'not-yet-decided', category: null, whereChildrenStay: 'not-yet-recorded' }

export const recommendationSchema = z.object({
  professionalName: shortText,
  roleOrAgency: shortText,
})
export type RecommendationFields = z.infer<typeof recommendationSchema>
export const DEFAULT_RECOMMENDATION: RecommendationFields = { professionalName: '', roleOrAgency: '' }

export interface DecisionPart extends FieldsPart<DecisionFields> {
  readonly recommendations: EntryList<RecommendationFields, 'recommendation'>
  readonly familyView: Y.XmlFragment
  readonly rationale: Y.XmlFragment
}

export function decisionFields(doc: Y.Doc): FieldMap<DecisionFields> {
  return new FieldMap(doc, doc.getMap<unknown>(DECISION_ROOT), { schema: decisionSchema, defaults: DEFAULT_DECISION })
}

export function decisionPart(doc: Y.Doc): DecisionPart {
  const fields = decisionFields(doc)
  return {
    get: () => fields.get(),
    update: (patch, origin) => {
      fields.update(patch, origin)
    },
    observe: (callback) => fields.observe(callback),
    recommendations: new EntryList(doc, RECOMMENDATIONS_ROOT, {
      schema: recommendationSchema,
      defaults: DEFAULT_RECOMMENDATION,
      richText: ['recommendation'],
    }),
    familyView: doc.getXmlFragment(FAMILY_VIEW_ROOT),
    rationale: doc.getXmlFragment(RATIONALE_ROOT),
  }
}
