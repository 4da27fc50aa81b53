import type * as Y from 'yjs'
import { z } from 'zod'
import { EntryList } from './entryList'
import { isoDate } from './fields'

/**
 * Part 8 of the record: the plan. Immediate safety, bottom lines, a timeline of what by when,
 * plan rules for each worrying behaviour, and how the plan is recorded and shown (a child's
 * version, a safety journal, a group chat). Who is involved is the safety network (network part).
 */

export const IMMEDIATE_SAFETY_ROOT = 'plan.immediateSafety'
export const BOTTOM_LINES_ROOT = 'plan.bottomLines'
export const TIMELINE_ROOT = 'plan.timeline'
export const PLAN_RULES_ROOT = 'plan.rules'
export const HOW_RECORDED_AND_SHOWN_ROOT = 'plan.howRecordedAndShown'
export const PLAN_ROOT_NAMES = [IMMEDIATE_SAFETY_ROOT, BOTTOM_LINES_ROOT, TIMELINE_ROOT, PLAN_RULES_ROOT, HOW_RECORDED_AND_SHOWN_ROOT] as const

export const timelineStepSchema = z.object({
  /** YYYY-MM-DD, or null while not agreed. */
  byWhen: isoDate.nullable(),
})
export type TimelineStepFields = z.infer<typeof timelineStepSchema>
export const DEFAULT_TIMELINE_STEP: TimelineStepFields = { byWhen: null }

export const PLAN_RULE_PARTS = ['behaviour', 'whatWorks', 'triggersAndRedFlags', 'whoDoesWhat'] as const
export type PlanRulePart = (typeof PLAN_RULE_PARTS)[number]

export const PLAN_RULE_PART_TITLES: Readonly<Record<PlanRulePart, string>> = {
  behaviour: 'The worrying behaviour',
  whatWorks: 'What works',
  triggersAndRedFlags: 'Triggers and red flags',
  whoDoesWhat: 'Who does what when problems come up',
}

export interface PlanPart {
  readonly immediateSafety: Y.XmlFragment
  readonly bottomLines: Y.XmlFragment
  readonly timeline: EntryList<TimelineStepFields, 'text'>
  readonly rules: EntryList<Record<string, never>, PlanRulePart>
  readonly howRecordedAndShown: Y.XmlFragment
}

export function planPart(doc: Y.Doc): PlanPart {
  return {
    immediateSafety: doc.getXmlFragment(IMMEDIATE_SAFETY_ROOT),
    bottomLines: doc.getXmlFragment(BOTTOM_LINES_ROOT),
    timeline: new EntryList(doc, TIMELINE_ROOT, { schema: timelineStepSchema, defaults: DEFAULT_TIMELINE_STEP, richText: ['text'] }),
    rules: new EntryList(doc, PLAN_RULES_ROOT, { schema: z.object({}), defaults: {}, richText: PLAN_RULE_PARTS }),
    howRecordedAndShown: doc.getXmlFragment(HOW_RECORDED_AND_SHOWN_ROOT),
  }
}
