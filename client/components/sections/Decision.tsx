import { useId } from 'react'
import { isUsConference, RECOMMENDATIONS_TITLE } from '../../../shared/conference/agenda'
import {
  DECISION_LABELS,
  DEFAULT_RECOMMENDATION,
  PLAN_CATEGORIES,
  PLAN_CATEGORY_LABELS,
  WHERE_CHILDREN_STAY,
  WHERE_CHILDREN_STAY_LABELS,
  WHERE_CHILDREN_STAY_QUESTION,
  decisionHasCategory,
  decisionHeading,
  decisionsFor,
  deciderWords,
  type DecisionPart,
  type PlanCategory,
} from '../../../shared/conference/decision'
import { useObserved } from '../../useObserved'
import { EntryListSection } from './EntryListSection'
import { entryText, quoteParts } from './entryWords'
import { choicesWith, EntryTextField, RecordChoice, RecordSelect, RecordTextField, RichTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

/** "No category yet" in the drop-down; null in the record. */
const NO_CATEGORY = 'none'
const CATEGORY_CHOICES = [
  { value: NO_CATEGORY, label: 'Not chosen yet' },
  ...PLAN_CATEGORIES.map((category) => ({ value: category, label: PLAN_CATEGORY_LABELS[category] })),
] as const satisfies readonly { value: PlanCategory | typeof NO_CATEGORY; label: string }[]

const WHERE_CHOICES = WHERE_CHILDREN_STAY.map((where) => ({ value: where, label: WHERE_CHILDREN_STAY_LABELS[where] }))

/**
 * Step 7: each professional's recommendation and the family's view, which everyone who edits may
 * write; then the decision, its category and the reasons, which only the chair (UK) or the
 * decision-maker (US, who approves the plan and records where the children stay) may change.
 * The server refuses anyone else's writes there; here the others see them as text.
 */
export function Decision({ connection, identity, people, canEdit, you, kind }: SectionProps) {
  const { decision } = connection.record
  const fields = useObserved(decision, readDecision)
  const familyId = useId()
  const decisionId = useId()
  const us = isUsConference(kind)
  const decider = deciderWords(kind)
  const canDecide = canEdit && you.permissions.includes('recordDecision')
  const by = identity.authorId
  const decisionChoices = choicesWith(
    decisionsFor(kind).map((value) => ({ value, label: DECISION_LABELS[value] })),
    fields.decision,
    (value) => DECISION_LABELS[value],
  )

  return (
    <div className="section-screen">
      <EntryListSection
        list={decision.recommendations}
        connection={connection}
        quote={(recommendation) => quoteParts(recommendation.fields.professionalName, entryText(recommendation, 'recommendation'))}
        blank={DEFAULT_RECOMMENDATION}
        title={RECOMMENDATIONS_TITLE}
        hint="Each professional says, in their own name, what they think should happen and why."
        entryName="Recommendation"
        addLabel="Add a recommendation"
        emptyWords="No recommendations written down yet."
        identity={identity}
        people={people}
        canEdit={canEdit}
      >
        {(recommendation, label) => (
          <>
            <RecordTextField
              label="Name"
              context={label}
              value={recommendation.fields.professionalName}
              canEdit={canEdit}
              onSave={(professionalName) => { recommendation.update(by, { professionalName }) }}
            />
            <RecordTextField
              label="Role or agency"
              context={label}
              value={recommendation.fields.roleOrAgency}
              canEdit={canEdit}
              onSave={(roleOrAgency) => { recommendation.update(by, { roleOrAgency }) }}
            />
            <EntryTextField
              entry={recommendation}
              part="recommendation"
              label="What they recommend"
              context={label}
              connection={connection}
              identity={identity}
              canEdit={canEdit}
            />
          </>
        )}
      </EntryListSection>

      <section aria-labelledby={familyId}>
        <h3 id={familyId}>What the family thinks</h3>
        <RichTextField
          label="The family’s view, in their own words"
          hint="The family can write this themselves, or say it for the note-taker to write. It goes into the record as they put it."
          fragment={decision.familyView}
          connection={connection}
          identity={identity}
          canEdit={canEdit}
        />
      </section>

      <section className="decision-box" aria-labelledby={decisionId}>
        <h3 id={decisionId}>{decisionHeading(kind)}</h3>
        {canEdit && !canDecide && <p className="hint">Only the {decider} can change this part. Everyone can see it.</p>}
        <RecordSelect
          label="Decision"
          value={fields.decision}
          choices={decisionChoices}
          canEdit={canDecide}
          onSave={(value) => { decision.update({ decision: value }) }}
        />
        {/* A category recorded before the decision changed still shows: nothing recorded is hidden. */}
        {(decisionHasCategory(fields.decision) || fields.category !== null) && (
          <RecordSelect
            label="Category of the plan"
            hint="Child sexual exploitation is used as a category in some areas only."
            value={fields.category ?? NO_CATEGORY}
            choices={CATEGORY_CHOICES}
            canEdit={canDecide}
            onSave={(value) => { decision.update({ category: value === NO_CATEGORY ? null : value }) }}
          />
        )}
        {us && (
          <RecordChoice
            label={WHERE_CHILDREN_STAY_QUESTION}
            value={fields.whereChildrenStay}
            choices={WHERE_CHOICES}
            canEdit={canDecide}
            onSave={(whereChildrenStay) => { decision.update({ whereChildrenStay }) }}
          />
        )}
        <RichTextField
          label={`Why: the ${decider}’s reasons`}
          fragment={decision.rationale}
          connection={connection}
          identity={identity}
          canEdit={canDecide}
        />
      </section>
    </div>
  )
}

const readDecision = (part: DecisionPart) => part.get()
