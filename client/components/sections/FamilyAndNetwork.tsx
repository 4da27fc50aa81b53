import { useId } from 'react'
import { DEFAULT_CHILD, type DetailsPart } from '../../../shared/conference/details'
import { DEFAULT_PERSON, MEETING_ROLES, MEETING_ROLE_LABELS } from '../../../shared/conference/network'
import { useObserved } from '../../useObserved'
import { dateWords, kindWords } from '../../words'
import { ChangeTitleOrDate } from './ChangeTitleOrDate'
import { EntryListSection } from './EntryListSection'
import { quoteParts } from './entryWords'
import { RecordCheckbox, RecordDateField, RecordSelect, RecordTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

const ROLE_CHOICES = MEETING_ROLES.map((role) => ({ value: role, label: MEETING_ROLE_LABELS[role] }))

/** Step 1: what the conference is, the children it is about, and the people at it and around the family. */
export function FamilyAndNetwork({ conferenceId, connection, identity, people, canEdit, you }: SectionProps) {
  const { details, network } = connection.record
  const facts = useObserved(details, readDetails)
  const aboutId = useId()
  const by = identity.authorId

  return (
    <div className="section-screen">
      <section aria-labelledby={aboutId}>
        <h3 id={aboutId}>About this conference</h3>
        <dl className="facts conference-facts">
          <dt>Meeting</dt>
          <dd>{kindWords(facts.kind)}</dd>
          <dt>Title</dt>
          <dd>{facts.title || 'No title yet'}</dd>
          <dt>Date</dt>
          <dd>{dateWords(facts.date)}</dd>
          <dt>Area</dt>
          <dd>{facts.area || 'Not given'}</dd>
        </dl>
        {canEdit && you.permissions.includes('changeTitleOrDate') && <ChangeTitleOrDate conferenceId={conferenceId} title={facts.title} date={facts.date} />}
      </section>

      <EntryListSection
        list={details.children}
        connection={connection}
        quote={(child) => child.fields.name}
        blank={DEFAULT_CHILD}
        title="Children"
        hint="The children this conference is about."
        entryName="Child"
        addLabel="Add a child"
        emptyWords="No children written down yet."
        identity={identity}
        people={people}
        canEdit={canEdit}
      >
        {(child, label) => (
          <>
            <RecordTextField label="Name" context={label} value={child.fields.name} canEdit={canEdit} onSave={(name) => { child.update(by, { name }) }} />
            <RecordDateField
              label="Date of birth"
              context={label}
              hint="Leave it empty if it is not known."
              value={child.fields.dateOfBirth}
              canEdit={canEdit}
              emptyWords="Not given"
              onSave={(dateOfBirth) => { child.update(by, { dateOfBirth }) }}
            />
          </>
        )}
      </EntryListSection>

      <EntryListSection
        list={network.people}
        connection={connection}
        quote={(person) => quoteParts(person.fields.name, person.fields.relationship)}
        blank={DEFAULT_PERSON}
        title="People"
        hint="Everyone at the meeting and everyone in the family’s network, and how they know the children."
        entryName="Person"
        addLabel="Add a person"
        emptyWords="No people written down yet."
        identity={identity}
        people={people}
        canEdit={canEdit}
      >
        {(person, label) => (
          <>
            <RecordTextField label="Name" context={label} value={person.fields.name} canEdit={canEdit} onSave={(name) => { person.update(by, { name }) }} />
            <RecordTextField
              label="Who they are to the children"
              context={label}
              hint="In the family’s words: Mum, Nan, a neighbour, the school nurse."
              value={person.fields.relationship}
              canEdit={canEdit}
              onSave={(relationship) => { person.update(by, { relationship }) }}
            />
            <RecordSelect
              label="Role in the meeting"
              context={label}
              value={person.fields.roleInMeeting}
              choices={ROLE_CHOICES}
              canEdit={canEdit}
              onSave={(roleInMeeting) => { person.update(by, { roleInMeeting }) }}
            />
            <RecordTextField
              label="Agency"
              context={label}
              hint="Where a professional works. Leave it empty for family and friends."
              value={person.fields.agency}
              canEdit={canEdit}
              emptyWords="None"
              onSave={(agency) => { person.update(by, { agency }) }}
            />
            <RecordCheckbox label="Here today" context={label} value={person.fields.present} canEdit={canEdit} onSave={(present) => { person.update(by, { present }) }} />
            <RecordCheckbox
              label="In the safety network"
              context={label}
              hint="Someone who will help keep the children safe."
              value={person.fields.inSafetyNetwork}
              canEdit={canEdit}
              onSave={(inSafetyNetwork) => { person.update(by, { inSafetyNetwork }) }}
            />
          </>
        )}
      </EntryListSection>
    </div>
  )
}

/** The conference details kept in the record, live. */
const readDetails = (details: DetailsPart) => details.get()
