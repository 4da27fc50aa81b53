import { isUsConference, kindTerms } from '../../../shared/conference/agenda'
import { DEFAULT_CORE_GROUP_MEMBER, DEFAULT_NEXT_MEETING, NEXT_MEETING_KIND_LABELS, type NextMeetingKind } from '../../../shared/conference/coreGroup'
import type { ConferenceKind } from '../../../shared/conference/details'
import { EntryListSection } from './EntryListSection'
import { choicesWith, RecordDateField, RecordSelect, RecordTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

/** Step 10: who carries the plan out between meetings (the core group; in the US, the safety network), and when everyone meets next. */
export function CoreGroup({ connection, identity, people, canEdit, kind }: SectionProps) {
  const { coreGroup } = connection.record
  const group = kindTerms(kind).coreGroup
  const by = identity.authorId
  const list = { identity, people, canEdit }

  return (
    <div className="section-screen">
      <EntryListSection
        {...list}
        list={coreGroup.members}
        blank={DEFAULT_CORE_GROUP_MEMBER}
        title={`Who is in the ${group}`}
        hint="The family, their network and the professionals who meet between conferences to carry out the plan."
        entryName="Member"
        addLabel={`Add someone to the ${group}`}
        emptyWords={`Nobody is in the ${group} yet.`}
      >
        {(member, label) => (
          <>
            <RecordTextField label="Name" context={label} value={member.fields.name} canEdit={canEdit} onSave={(name) => { member.update(by, { name }) }} />
            <RecordTextField
              label="Role or agency"
              context={label}
              hint="For example Mum, Nan, social worker, school."
              value={member.fields.roleOrAgency}
              canEdit={canEdit}
              onSave={(roleOrAgency) => { member.update(by, { roleOrAgency }) }}
            />
          </>
        )}
      </EntryListSection>

      <EntryListSection
        {...list}
        list={coreGroup.nextMeetings}
        blank={DEFAULT_NEXT_MEETING}
        title="Next meetings"
        hint="When everyone meets next, and where."
        entryName="Meeting"
        addLabel="Add a meeting"
        emptyWords="No dates yet."
      >
        {(meeting, label) => (
          <>
            <RecordSelect
              label="Which meeting"
              context={label}
              value={meeting.fields.kind}
              choices={choicesWith(meetingChoices(kind), meeting.fields.kind, (value) => meetingWords(value, kind))}
              canEdit={canEdit}
              onSave={(value) => { meeting.update(by, { kind: value }) }}
            />
            <RecordDateField label="Date" context={label} value={meeting.fields.date} canEdit={canEdit} onSave={(date) => { meeting.update(by, { date }) }} />
            <RecordTextField
              label="Where, what time, who arranges it"
              context={label}
              value={meeting.fields.note}
              maxLength={500}
              canEdit={canEdit}
              emptyWords="Not written down yet"
              onSave={(note) => { meeting.update(by, { note }) }}
            />
          </>
        )}
      </EntryListSection>
    </div>
  )
}

/** The meetings that follow a conference of this kind: a review in the UK, a follow-up in the US. */
function meetingChoices(kind: ConferenceKind): { value: NextMeetingKind; label: string }[] {
  const kinds: NextMeetingKind[] = isUsConference(kind) ? ['core-group', 'follow-up'] : ['core-group', 'review-conference']
  return kinds.map((value) => ({ value, label: meetingWords(value, kind) }))
}

function meetingWords(meeting: NextMeetingKind, kind: ConferenceKind): string {
  return meeting === 'core-group' && isUsConference(kind) ? 'Safety network meeting' : NEXT_MEETING_KIND_LABELS[meeting]
}
