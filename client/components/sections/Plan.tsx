import { useId } from 'react'
import { kindTerms } from '../../../shared/conference/agenda'
import type { Entry, EntryList } from '../../../shared/conference/entryList'
import type { PersonFields } from '../../../shared/conference/network'
import { DEFAULT_TIMELINE_STEP, PLAN_RULE_PARTS, PLAN_RULE_PART_TITLES } from '../../../shared/conference/plan'
import { useObserved } from '../../useObserved'
import { EntryListSection } from './EntryListSection'
import { entryText } from './entryWords'
import { EntryTextField, RecordDateField, RichTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

const PLAN_RULE_HINTS: Readonly<Record<(typeof PLAN_RULE_PARTS)[number], string>> = {
  behaviour: 'What an adult does that worries people.',
  whatWorks: 'What helps, and has helped before.',
  triggersAndRedFlags: 'What sets it off, and the first signs that it is starting.',
  whoDoesWhat: 'Who does what, and who they call, when the red flags show.',
}

/**
 * Step 8: the plan. What keeps the children safe from today, the bottom lines, what happens by
 * when, who is involved, a rule for each worrying behaviour, and how the plan is kept and shown
 * to the children.
 */
export function Plan({ connection, identity, people, canEdit, kind }: SectionProps) {
  const { plan, network } = connection.record
  const involvedId = useId()
  const texts = { connection, identity, canEdit }

  return (
    <div className="section-screen">
      <RichTextField
        {...texts}
        label="Immediate safety"
        hint="What happens from today to keep the children safe, before the rest of the plan starts."
        fragment={plan.immediateSafety}
      />
      <RichTextField
        {...texts}
        label="Bottom lines"
        hint="What must always happen, or must never happen, whatever else changes."
        fragment={plan.bottomLines}
      />

      <EntryListSection
        list={plan.timeline}
        connection={connection}
        quote={(step) => entryText(step, 'text')}
        blank={DEFAULT_TIMELINE_STEP}
        title="Timeline: what by when"
        entryName="Timeline step"
        addLabel="Add to the timeline"
        emptyWords="Nothing on the timeline yet."
        identity={identity}
        people={people}
        canEdit={canEdit}
      >
        {(step, label) => (
          <>
            <EntryTextField {...texts} entry={step} part="text" label="What needs to happen" context={label} />
            <RecordDateField label="By when" context={label} value={step.fields.byWhen} canEdit={canEdit} onSave={(byWhen) => { step.update(identity.authorId, { byWhen }) }} />
          </>
        )}
      </EntryListSection>

      <section aria-labelledby={involvedId}>
        <h3 id={involvedId}>Who is involved</h3>
        <SafetyNetwork people={network.people} />
        <p className="hint">Everyone marked “in the safety network” under Family and network.</p>
      </section>

      <EntryListSection
        list={plan.rules}
        connection={connection}
        quote={(rule) => entryText(rule, 'behaviour')}
        blank={NO_FIELDS}
        title="Plan rules"
        hint="One for each worrying behaviour: what works, what the triggers and red flags are, and who does what when problems come up."
        entryName="Plan rule"
        addLabel="Add a plan rule"
        emptyWords="No plan rules yet."
        identity={identity}
        people={people}
        canEdit={canEdit}
      >
        {(rule, label) => (
          <div className="plan-rule">
            {PLAN_RULE_PARTS.map((part) => (
              <EntryTextField key={part} {...texts} entry={rule} part={part} label={PLAN_RULE_PART_TITLES[part]} hint={PLAN_RULE_HINTS[part]} context={label} />
            ))}
          </div>
        )}
      </EntryListSection>

      <RichTextField
        {...texts}
        label="How the plan is recorded and shown to the children"
        hint={`For example a version of the ${kindTerms(kind).plan} for the children in words and pictures, a safety journal, or a group chat for the safety network.`}
        fragment={plan.howRecordedAndShown}
      />
    </div>
  )
}

const NO_FIELDS: Record<string, never> = {}

/** The names of the people in the safety network, live. */
function SafetyNetwork({ people }: { people: EntryList<PersonFields, never> }) {
  const names = useObserved(people, readSafetyNetwork)
  if (names.length === 0) return <p className="waiting">Nobody is in the safety network yet.</p>
  return (
    <ul className="safety-network">
      {names.map((name, index) => <li key={index}>{name}</li>)}
    </ul>
  )
}

const readSafetyNetwork = (people: EntryList<PersonFields, never>): string[] =>
  people.entries().flatMap((person: Entry<PersonFields, never>) => {
    const { name, relationship, inSafetyNetwork } = person.fields
    if (!inSafetyNetwork) return []
    const named = name.trim() || 'Someone not named yet'
    return [relationship.trim() ? `${named} (${relationship.trim()})` : named]
  })
