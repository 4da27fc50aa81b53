import { useEffect, useId, useState } from 'react'
import { getConferenceDates } from '../../api'
import type { DashboardDate } from '../../../shared/api'
import { isUsConference, kindTerms } from '../../../shared/conference/agenda'
import { DEFAULT_CORE_GROUP_MEMBER, DEFAULT_NEXT_MEETING, nextMeetingWords, type CoreGroupPart, type NextMeetingKind } from '../../../shared/conference/coreGroup'
import type { ConferenceKind, DetailsPart } from '../../../shared/conference/details'
import { localDate, type TimescaleId } from '../../../shared/timescales'
import { useObserved } from '../../useObserved'
import { dateWords } from '../../words'
import { EntryListSection } from './EntryListSection'
import { quoteParts } from './entryWords'
import { choicesWith, RecordDateField, RecordSelect, RecordTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

/** Step 10: who carries the plan out between meetings (the core group; in the US, the safety network), and when everyone meets next. */
export function CoreGroup({ conferenceId, connection, identity, people, canEdit, kind }: SectionProps) {
  const { coreGroup } = connection.record
  const group = kindTerms(kind).coreGroup
  const by = identity.authorId
  const list = { connection, identity, people, canEdit }

  return (
    <div className="section-screen">
      <EntryListSection
        {...list}
        list={coreGroup.members}
        quote={(member) => quoteParts(member.fields.name, member.fields.roleOrAgency)}
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

      <SuggestedMeetings conferenceId={conferenceId} connection={connection} by={by} canEdit={canEdit} kind={kind} />
      <EntryListSection
        {...list}
        list={coreGroup.nextMeetings}
        quote={({ fields }) => quoteParts(nextMeetingWords(fields.kind, kind), fields.date && dateWords(fields.date), fields.note)}
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
              choices={choicesWith(meetingChoices(kind), meeting.fields.kind, (value) => nextMeetingWords(value, kind))}
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

/** Which timescale suggests which of the next meetings. */
const SUGGESTS: Partial<Record<TimescaleId, NextMeetingKind>> = { coreGroup: 'core-group', review: 'review-conference', followUp: 'follow-up' }

/**
 * The next meetings the timescales ask for (core group within 10 working days, review within 3 or
 * 6 months, follow-up within 10 days), each until the record has a meeting of that kind. The
 * server works the dates out, with this area's public holidays.
 */
function SuggestedMeetings({ conferenceId, connection, by, canEdit, kind }: Pick<SectionProps, 'conferenceId' | 'connection' | 'canEdit' | 'kind'> & { by: string }) {
  const headingId = useId()
  const { nextMeetings } = connection.record.coreGroup
  const conferenceDate = useObserved(connection.record.details, readDate)
  const planned = useObserved(nextMeetings, readPlannedKinds)
  const [dates, setDates] = useState<readonly DashboardDate[]>([])
  useEffect(() => {
    const asking = new AbortController()
    getConferenceDates(conferenceId, localDate(new Date()), asking.signal).then(
      (answer) => { setDates(answer.dates) },
      // Only a suggestion: the meetings can be added by hand without it.
      () => { setDates([]) },
    )
    return () => { asking.abort() }
  }, [conferenceId, conferenceDate])

  const suggestions = dates.flatMap((date) => {
    const meeting = SUGGESTS[date.id]
    return meeting && !planned.has(meeting) ? [{ date, meeting }] : []
  })
  if (suggestions.length === 0) return null
  return (
    <section className="suggested-meetings" aria-labelledby={headingId}>
      <h4 id={headingId}>Suggested dates for the next meetings</h4>
      <ul>
        {suggestions.map(({ date, meeting }) => (
          <li key={date.id}>
            <span>{nextMeetingWords(meeting, kind)}: by {dateWords(date.date)} ({date.rule}).</span>{' '}
            {canEdit && (
              <button
                type="button"
                className="secondary"
                // The visible words first (WCAG 2.5.3), then which meeting, for a screen reader's list of buttons.
                aria-label={`Add it: ${nextMeetingWords(meeting, kind)}, ${dateWords(date.date)}`}
                onClick={() => { nextMeetings.add(by, { fields: { kind: meeting, date: date.date, note: '' } }) }}
              >
                Add it
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

const readDate = (details: DetailsPart) => details.get().date
const readPlannedKinds = (meetings: CoreGroupPart['nextMeetings']): ReadonlySet<NextMeetingKind> => new Set(meetings.entries().map((entry) => entry.fields.kind))

/** The meetings that follow a conference of this kind: a review in the UK, a follow-up in the US. */
function meetingChoices(kind: ConferenceKind): { value: NextMeetingKind; label: string }[] {
  const kinds: NextMeetingKind[] = isUsConference(kind) ? ['core-group', 'follow-up'] : ['core-group', 'review-conference']
  return kinds.map((value) => ({ value, label: nextMeetingWords(value, kind) }))
}
