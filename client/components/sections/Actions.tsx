import { useId, useMemo } from 'react'
import { ACTION_OWNERS, ACTION_STATUSES, ACTION_STATUS_LABELS, DEFAULT_ACTION, type ActionOwner } from '../../../shared/conference/actions'
import type { EntryList } from '../../../shared/conference/entryList'
import type { PersonFields } from '../../../shared/conference/network'
import type { PresentPerson } from '../../sync/conferenceConnection'
import { useObserved } from '../../useObserved'
import { EntryListSection } from './EntryListSection'
import { entryText } from './entryWords'
import { EntryTextField, RecordDateField, RecordSelect, RecordTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

const OWNER_LABELS: Readonly<Record<ActionOwner, string>> = {
  professionals: 'A professional',
  'family-and-network': 'The family or their network',
}
const OWNER_CHOICES = ACTION_OWNERS.map((owner) => ({ value: owner, label: OWNER_LABELS[owner] }))
const STATUS_CHOICES = ACTION_STATUSES.map((status) => ({ value: status, label: ACTION_STATUS_LABELS[status] }))

/** Step 9: who will do what, and by when; the professionals' actions and the family's and network's. */
export function Actions({ connection, identity, people, canEdit }: SectionProps) {
  const { actions, network } = connection.record
  const namesId = useId()
  const networkNames = useObserved(network.people, readNetworkNames)
  const names = useMemo(() => knownNames(people, networkNames), [people, networkNames])
  const by = identity.authorId

  return (
    <div className="section-screen">
      {canEdit && (
        <datalist id={namesId}>
          {names.map((name) => <option key={name} value={name} />)}
        </datalist>
      )}
      <EntryListSection
        list={actions}
        connection={connection}
        quote={(action) => entryText(action, 'what')}
        blank={DEFAULT_ACTION}
        title="Who will do what"
        hint="What needs doing, who will do it, and by when: the professionals’ actions and the family’s and network’s."
        entryName="Action"
        addLabel="Add an action"
        emptyWords="No actions yet."
        identity={identity}
        people={people}
        canEdit={canEdit}
      >
        {(action, label) => (
          <>
            <EntryTextField entry={action} part="what" label="What needs to be done" context={label} connection={connection} identity={identity} canEdit={canEdit} />
            <RecordTextField
              label="Who will do it"
              context={label}
              hint="Someone at the meeting or in the family’s network."
              value={action.fields.who}
              suggestions={namesId}
              canEdit={canEdit}
              emptyWords="Nobody named yet"
              onSave={(who) => { action.update(by, { who }) }}
            />
            <RecordSelect label="Whose action" context={label} value={action.fields.ownedBy} choices={OWNER_CHOICES} canEdit={canEdit} onSave={(ownedBy) => { action.update(by, { ownedBy }) }} />
            <RecordDateField label="By when" context={label} value={action.fields.byWhen} canEdit={canEdit} onSave={(byWhen) => { action.update(by, { byWhen }) }} />
            <RecordSelect label="Done yet?" context={label} value={action.fields.status} choices={STATUS_CHOICES} canEdit={canEdit} onSave={(status) => { action.update(by, { status }) }} />
          </>
        )}
      </EntryListSection>
    </div>
  )
}

/** Everyone in the conference and everyone named in the family's network, once each, in alphabetical order. */
function knownNames(people: ReadonlyMap<string, PresentPerson>, networkNames: readonly string[]): string[] {
  const names = new Set([...[...people.values()].map((person) => person.name), ...networkNames].map((name) => name.trim()).filter(Boolean))
  return [...names].sort((a, b) => a.localeCompare(b))
}

/** The names written down under Family and network, live. */
const readNetworkNames = (list: EntryList<PersonFields, never>): string[] => list.entries().map((person) => person.fields.name)
