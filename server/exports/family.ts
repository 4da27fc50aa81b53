import type { AgendaStepId } from '../../shared/conference/agenda'
import { DECISION_LABELS, WHERE_CHILDREN_STAY_LABELS, WHERE_CHILDREN_STAY_QUESTION } from '../../shared/conference/decision'
import type { MapSectionId } from '../../shared/conference/map'
import { findTerms, type GlossaryTerm } from '../../shared/glossary'
import { dayOrWords, formatDay, formatMoment, isCalendarDay, paragraphs, viewBlocks, type Block } from './blocks'
import { partOf, sectionOf } from './model'
import type { ExportEntry, ExportModel } from './schema'

/** The map's "What's working well?" column: the strengths a plan is built on. */
const GOING_WELL: readonly MapSectionId[] = ['existingStrengths', 'existingSafety']

/** The parts of the record this version prints, each as its correction's heading names it. */
const SHOWN_SECTIONS = {
  decision: 'what was decided',
  map: 'what people are worried about and what is going well',
  dangerStatements: 'the worries and what needs to be true',
  plan: 'the plan',
  actions: 'who will do what',
  coreGroup: 'who is helping and when everyone meets',
  contingency: 'what happens if things do not change',
} as const satisfies Partial<Record<AgendaStepId, string>>
type ShownSection = keyof typeof SHOWN_SECTIONS

/** The parts it leaves out (they are in the minutes), in words for "was changed, about …". */
const NOT_SHOWN_WORDS: Readonly<Record<Exclude<AgendaStepId, ShownSection>, string>> = {
  family: 'who is in the family and network',
  childsVoice: 'what the children said',
  involvement: 'who took part in the meeting',
  scales: 'the safety scores',
}
const NOT_SHOWN = Object.keys(NOT_SHOWN_WORDS) as (keyof typeof NOT_SHOWN_WORDS)[]

/**
 * The family version: the plan and what happens next, in plain words, for a worried parent to
 * read on a phone or print in large type. It leaves out most of the map, the scores and the
 * professionals' recommendations (they are in the minutes) and never holds anything private.
 * It holds the family's own view of the decision and what is going well as well as the worries,
 * which come with what needs to be true, and the glossary explains the words it uses.
 */
export function familyBlocks(model: ExportModel): Block[] {
  const { terms } = model.conference
  const day = formatDay(model, model.conference.date)
  const children = model.children.map((child) => child.name).filter(Boolean)
  const entries = (section: AgendaStepId, part: string): ExportEntry[] => partOf(model, section, part)?.entries ?? []
  const textOf = (section: AgendaStepId, part: string): Block[] => {
    const blocks = entries(section, part).flatMap((entry) => paragraphs(entry.text, 'body'))
    return blocks.length > 0 ? blocks : [{ kind: 'paragraph', text: 'Nothing was written about this.', style: 'empty' }]
  }
  const detail = (entry: ExportEntry, label: string): string => entry.details.find((candidate) => candidate.label === label)?.value ?? ''
  const listOr = (items: Block[], none: string): Block[] => (items.length > 0 ? items : [{ kind: 'paragraph', text: none, style: 'empty' }])
  // Under a heading of its own that names the part it corrects: printed straight after the
  // family's view or what is going well, a correction read as a change to those words.
  const changedAfter = (section: ShownSection): Block[] => {
    const { amendments } = sectionOf(model, section)
    if (amendments.length === 0) return []
    return [
      { kind: 'heading', level: 2, text: `Changed after the meeting: ${SHOWN_SECTIONS[section]}` },
      ...amendments.flatMap((amendment) => [
        { kind: 'paragraph', text: `By ${amendment.by}, ${formatMoment(model, amendment.at)}:`, style: 'byline' } as const,
        ...paragraphs(amendment.text, 'amendment'),
      ]),
    ]
  }
  // A correction to a part this version leaves out is not printed (it is in the minutes), but is never hidden either.
  const correctedElsewhere = NOT_SHOWN.filter((section) => sectionOf(model, section).amendments.length > 0)

  const decision = entries('decision', 'decision')[0]
  const undecided = !decision || decision.text === DECISION_LABELS['not-yet-decided']
  const category = decision ? detail(decision, 'Category') : ''
  const whereChildrenStay = decision ? detail(decision, WHERE_CHILDREN_STAY_QUESTION) : ''

  const worries = entries('dangerStatements', 'pairs')

  const plan: Block[] = [
    { kind: 'heading', level: 1, text: 'Your family’s plan' },
    {
      kind: 'paragraph',
      style: 'body',
      // A draft is what has been written so far: calling it agreed would promise what may change.
      text: `${model.status.state === 'draft' ? 'This is what has been written so far' : 'This is what was agreed'} at the ${terms.conference}${day ? ` on ${day}` : ''}${children.length > 0 ? ` about ${children.join(' and ')}` : ''}. It is written in plain words. The full minutes have more detail.`,
    },
    ...(model.status.state === 'draft' ? [{ kind: 'paragraph', style: 'lead', text: 'This is a draft. The meeting has not finished the record yet, so some of it may still change.' } as const] : []),

    { kind: 'heading', level: 2, text: 'What was decided' },
    { kind: 'paragraph', style: 'body', text: decision?.text ?? 'Not decided yet.' },
    ...(category ? [{ kind: 'paragraph', style: 'body', text: `The main worry is called: ${category}.` } as const] : []),
    // Reasons written before the decision is made are what has been said so far, not its reasons.
    ...(undecided && entries('decision', 'rationale').some((entry) => entry.text.trim()) ? [{ kind: 'paragraph', style: 'body', text: 'What has been said about it so far:' } as const] : []),
    ...paragraphs(entries('decision', 'rationale').map((entry) => entry.text).join('\n'), 'body'),
    ...(whereChildrenStay && whereChildrenStay !== WHERE_CHILDREN_STAY_LABELS['not-yet-recorded'] ? [{ kind: 'paragraph', style: 'body', text: `${WHERE_CHILDREN_STAY_QUESTION}: ${whereChildrenStay}.` } as const] : []),
    // The family's own view of the decision is theirs: it is in their version, or its absence is.
    { kind: 'paragraph', style: 'lead', text: 'What your family said about it' },
    ...listOr(entries('decision', 'familyView').flatMap((entry) => paragraphs(entry.text, 'body')), 'Nothing was written down about what your family thinks. You can ask for it to be added.'),
    ...changedAfter('decision'),

    { kind: 'heading', level: 2, text: 'What is going well' },
    ...listOr(
      GOING_WELL.flatMap((part) => entries('map', `map.${part}`)).map((entry) => ({ kind: 'bullet', text: oneLine(entry.text) })),
      'Nothing was written down yet about what is going well.',
    ),
    // A correction to the map may be about a worry as well as what is going well: its heading says both.
    ...changedAfter('map'),

    { kind: 'heading', level: 2, text: 'What the worries are, and what needs to be true' },
    ...(worries.length > 0
      ? [
          {
            kind: 'paragraph',
            style: 'body',
            text: 'Each worry is something that could happen to the children if nothing changes. Under it is what needs to be true for everyone to know the children are safe. Professionals call these “danger statements” and “safety goals”.',
          } as const,
          ...worries.flatMap((pair, index): Block[] => [
            { kind: 'heading', level: 3, text: `Worry ${index + 1}` },
            ...paragraphs(pair.text, 'body'),
            { kind: 'paragraph', style: 'lead', text: 'What needs to be true' },
            ...listOr(paragraphs(detail(pair, 'Safety goal'), 'body'), 'Not agreed yet.'),
            // What each person said of it, as in the minutes: a worry the family disputes is not printed as agreed.
            ...(pair.views.length > 0 ? [{ kind: 'paragraph', style: 'lead', text: 'What people said about this worry' } as const, ...pair.views.flatMap(viewBlocks)] : []),
          ]),
        ]
      // Not "no worries": the map may hold many. What is missing is the statements made of them.
      : [{ kind: 'paragraph', style: 'empty', text: 'The worries, and what needs to be true for the children, have not been agreed yet. What people are worried about is in the full minutes.' } as const]),
    ...changedAfter('dangerStatements'),

    { kind: 'heading', level: 2, text: 'Keeping the children safe from today' },
    ...textOf('plan', 'immediateSafety'),
    { kind: 'heading', level: 2, text: 'Things that must always happen' },
    ...textOf('plan', 'bottomLines'),
    { kind: 'heading', level: 2, text: 'What will happen, and by when' },
    ...listOr(entries('plan', 'timeline').map((step) => ({ kind: 'bullet', text: `${byWhen(model, detail(step, 'By when'))}: ${oneLine(step.text)}` })), 'No dates were agreed yet.'),
    { kind: 'heading', level: 2, text: 'If things get hard' },
    ...listOr(
      entries('plan', 'rules').flatMap((rule): Block[] => [
        { kind: 'paragraph', style: 'lead', text: oneLine(rule.text) },
        ...rule.details.map((part): Block => ({ kind: 'bullet', text: `${part.label}: ${oneLine(part.value)}` })),
      ]),
      'No plan rules were written.',
    ),
    ...changedAfter('plan'),

    { kind: 'heading', level: 2, text: 'Who will do what' },
    ...listOr(
      [...entries('actions', 'actions.family-and-network'), ...entries('actions', 'actions.professionals')].map((action) => ({
        kind: 'bullet',
        // Sentences of their own: run together, "Call the GP No date agreed. To do." read as one muddle.
        text: [
          `${detail(action, 'Who') || 'Not decided who'}: ${sentence(oneLine(action.text))}`,
          isCalendarDay(detail(action, 'By when')) ? `By ${formatDay(model, detail(action, 'By when'))}.` : 'No date agreed yet.',
          `Now: ${detail(action, 'Status').toLowerCase()}.`,
        ].join(' '),
      })),
      'No actions were agreed yet.',
    ),
    ...changedAfter('actions'),

    { kind: 'heading', level: 2, text: 'Who is helping' },
    ...listOr(
      entries('coreGroup', 'members').map((member) => ({ kind: 'bullet', text: [member.title, detail(member, 'Role or agency')].filter(Boolean).join(', ') })),
      `Nobody was named in the ${terms.coreGroup} yet.`,
    ),
    { kind: 'heading', level: 2, text: 'When everyone meets next' },
    ...listOr(
      entries('coreGroup', 'nextMeetings').map((meeting) => ({ kind: 'bullet', text: [`${meeting.title ?? 'Meeting'}: ${dayOrWords(model, detail(meeting, 'Date'))}`, oneLine(meeting.text)].filter(Boolean).join('. ') })),
      'No dates were set yet.',
    ),
    ...changedAfter('coreGroup'),

    { kind: 'heading', level: 2, text: 'If things do not change' },
    ...textOf('contingency', 'contingency'),
    ...changedAfter('contingency'),

    ...(correctedElsewhere.length > 0
      ? [
          { kind: 'heading', level: 2, text: 'Changed after the meeting: other parts of the minutes' } as const,
          {
            kind: 'paragraph',
            style: 'body',
            text: `Something in the full minutes was changed after the meeting, about ${listWords(correctedElsewhere.map((section) => NOT_SHOWN_WORDS[section]))}. It is not part of this plan. Ask your social worker or the ${terms.chair.toLowerCase()} what was changed.`,
          } as const,
        ]
      : []),
  ]
  const question: Block[] = [
    { kind: 'heading', level: 2, text: 'If you have a question' },
    {
      kind: 'paragraph',
      style: 'body',
      text: `Ask your social worker or the ${terms.chair.toLowerCase()} of the meeting. You can ask for anything here to be explained again, and you can ask for the full minutes.`,
    },
  ]
  return [...plan, ...wordsExplained(plan), ...question]
}

/**
 * The glossary's explanation of each short form or professional word the plan's text uses, once
 * each, in the order they first appear, short forms as the plan writes them: "DV (Domestic
 * abuse): …", so that a parent who read "DV" finds "DV" in the list. Nobody's words are changed:
 * the record says what was said.
 */
function wordsExplained(plan: readonly Block[]): Block[] {
  const used = new Map<string, { term: GlossaryTerm; written: string }>()
  for (const block of plan) {
    if (block.kind !== 'paragraph' && block.kind !== 'bullet') continue
    for (const { term, from, to } of findTerms(block.text)) {
      if (!used.has(term.id)) used.set(term.id, { term, written: block.text.slice(from, to) })
    }
  }
  if (used.size === 0) return []
  return [
    { kind: 'heading', level: 2, text: 'Words used in this plan' },
    ...[...used.values()].map(({ term, written }): Block => ({
      kind: 'bullet',
      // A short form as written ("DV", "s.47"); a phrase ("danger statements") reads as the term itself.
      text: `${/\s/.test(written) || written.toLowerCase() === term.term.toLowerCase() ? term.term : `${written} (${term.term})`}: ${term.explanation}`,
    })),
  ]
}

/** "a", "a and b", "a, b and c". */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

/** The words with a full stop at the end, unless they already end a sentence ("Call the GP!", "…as agreed.”"). */
function sentence(text: string): string {
  return text === '' || /[.!?…][”’"')]*$/u.test(text) ? text : `${text}.`
}

function oneLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).join(' ')
}

/** "By 21 March 2025", or the words the record has when no date was agreed. */
function byWhen(model: ExportModel, value: string): string {
  return isCalendarDay(value) ? `By ${formatDay(model, value)}` : value || 'No date agreed'
}
