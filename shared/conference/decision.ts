import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList } from './entryList'
import { FieldMap, type FieldsPart } from './fieldMap'
import { shortText } from './fields'

/**
 * Part 7 of the record: each professional's recommendation, the family's view, and the chair's
 * decision with its category and rationale.
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

export const PLAN_CATEGORIES = ['neglect', 'emotional-abuse', 'physical-abuse', 'sexual-abuse', 'child-sexual-exploitation'] as const
export type PlanCategory = (typeof PLAN_CATEGORIES)[number]

export const PLAN_CATEGORY_LABELS: Readonly<Record<PlanCategory, string>> = {
  neglect: 'Neglect',
  'emotional-abuse': 'Emotional abuse',
  'physical-abuse': 'Physical abuse',
  'sexual-abuse': 'Sexual abuse',
  'child-sexual-exploitation': 'Child sexual exploitation',
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
})
export type DecisionFields = z.infer<typeof decisionSchema>
export const DEFAULT_DECISION: DecisionFields = { decision: 'not-yet-decided', category: null }

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
