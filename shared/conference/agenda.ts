import { ROLE_LABELS, type Role } from '../roles'
import type { ConferenceKind } from './details'

/**
 * The steps of the meeting, in the order the record is built (../shared/DOMAIN.md, "The
 * agenda"), for each kind of conference. Each step is one screen of the board; titles follow the
 * kind (a chair in the UK, a facilitator in a US child safety conference).
 */

export const AGENDA_STEP_IDS = [
  'family',
  'map',
  'childsVoice',
  'involvement',
  'dangerStatements',
  'scales',
  'contingency',
  'decision',
  'plan',
  'actions',
  'coreGroup',
] as const
export type AgendaStepId = (typeof AGENDA_STEP_IDS)[number]

export function isAgendaStepId(value: unknown): value is AgendaStepId {
  return typeof value === 'string' && (AGENDA_STEP_IDS as readonly string[]).includes(value)
}

export interface AgendaStep {
  readonly id: AgendaStepId
  /** Short, for the rail. */
  readonly title: string
  /** One plain sentence: what this step is for. */
  readonly hint: string
}

/** Words that change with the kind of conference. */
export interface KindTerms {
  /** Who runs the meeting. */
  readonly chair: 'Chair' | 'Facilitator'
  /** The same, in the middle of a sentence ("ask the facilitator"). */
  readonly chairInSentence: 'chair' | 'facilitator'
  readonly conference: 'child protection conference' | 'child safety conference'
  readonly plan: 'child protection plan' | 'safety plan'
  /** The group that carries the plan out between meetings. */
  readonly coreGroup: 'core group' | 'safety network'
  /** Who may stand with the parents, as examples: Parent Partners exist only at US child safety conferences. */
  readonly parentSupporters: 'an advocate, a Parent Partner, a friend' | 'an advocate, a friend'
}

export function isUsConference(kind: ConferenceKind): boolean {
  return kind === 'us-csc-initial' || kind === 'us-csc-follow-up'
}

/** A role in plain words, as this kind of conference names it: the chair is a facilitator in a US child safety conference. */
export function roleWords(role: Role, kind: ConferenceKind): string {
  return role === 'chair' ? kindTerms(kind).chair : ROLE_LABELS[role]
}

export function kindTerms(kind: ConferenceKind): KindTerms {
  return isUsConference(kind)
    ? { chair: 'Facilitator', chairInSentence: 'facilitator', conference: 'child safety conference', plan: 'safety plan', coreGroup: 'safety network', parentSupporters: 'an advocate, a Parent Partner, a friend' }
    : { chair: 'Chair', chairInSentence: 'chair', conference: 'child protection conference', plan: 'child protection plan', coreGroup: 'core group', parentSupporters: 'an advocate, a friend' }
}

/** The heading of the decision's list of recommendations, which the step's hint names first. */
export const RECOMMENDATIONS_TITLE = 'What each professional recommends'

function step(id: AgendaStepId, kind: ConferenceKind): AgendaStep {
  const terms = kindTerms(kind)
  const review = kind === 'uk-review'
  const followUp = kind === 'us-csc-follow-up'
  switch (id) {
    case 'family':
      return { id, title: 'Family and network', hint: 'Who is here today, who is in the family’s network, and how they know the children.' }
    case 'map':
      return review
        ? { id, title: 'What’s working well', hint: 'What has gone well since the last meeting, then what people are still worried about.' }
        : { id, title: 'Worries and what’s working well', hint: 'What brought us here: what people are worried about, and what is going well.' }
    case 'childsVoice':
      return { id, title: 'The child’s voice', hint: 'The child’s worries, good things and dreams, and how their views were shared.' }
    case 'involvement':
      return { id, title: 'Who took part', hint: 'How the children and parents took part in this meeting and got ready for it.' }
    case 'dangerStatements':
      return review || followUp
        ? { id, title: 'Danger statements and safety goals', hint: 'The worries and goals agreed last time, carried forward: are they still right?' }
        : { id, title: 'Danger statements and safety goals', hint: 'What could happen to the children if nothing changes, and what needs to be true for everyone to agree they are safe.' }
    case 'scales':
      return { id, title: 'Overall safety scale', hint: 'Everyone gives one number from 0 to 10 for how safe the children are now, on their own device.' }
    case 'contingency':
      return { id, title: 'If things do not change', hint: 'What will happen if the children are still not safe, explained in full.' }
    case 'decision':
      return isUsConference(kind)
        ? { id, title: 'Decision', hint: `${RECOMMENDATIONS_TITLE}, what the family thinks, and the decision-maker’s approval of the plan.` }
        : { id, title: 'Decision', hint: `${RECOMMENDATIONS_TITLE}, what the family thinks, and the ${terms.chairInSentence}’s decision and why.` }
    case 'plan':
      return followUp
        ? { id, title: 'How the plan is going', hint: 'The plan from the first meeting: what has happened, and what needs to change.' }
        : { id, title: 'The plan', hint: `The ${terms.plan}: how the children will be kept safe, and the rules everyone agrees to.` }
    case 'actions':
      return { id, title: 'Actions', hint: 'Who will do what, and by when.' }
    case 'coreGroup':
      return { id, title: `${terms.coreGroup === 'core group' ? 'Core group' : 'Safety network'} and next dates`, hint: `Who is in the ${terms.coreGroup}, and when everyone meets next.` }
  }
}

const ORDER: Readonly<Record<ConferenceKind, readonly AgendaStepId[]>> = {
  'uk-initial': ['family', 'map', 'childsVoice', 'involvement', 'dangerStatements', 'scales', 'contingency', 'decision', 'plan', 'actions', 'coreGroup'],
  // A review starts with what is working well and the danger statements carried forward: family first.
  'uk-review': ['family', 'map', 'dangerStatements', 'childsVoice', 'involvement', 'scales', 'contingency', 'decision', 'plan', 'actions', 'coreGroup'],
  'us-csc-initial': ['family', 'map', 'childsVoice', 'involvement', 'dangerStatements', 'scales', 'contingency', 'plan', 'decision', 'actions', 'coreGroup'],
  // A follow-up reviews the plan made at the first meeting before anything else.
  'us-csc-follow-up': ['family', 'plan', 'map', 'dangerStatements', 'scales', 'childsVoice', 'involvement', 'contingency', 'decision', 'actions', 'coreGroup'],
}

/** The steps of a conference of this kind, in meeting order. Every kind has every step. */
export function agendaFor(kind: ConferenceKind): readonly AgendaStep[] {
  return ORDER[kind].map((id) => step(id, kind))
}
