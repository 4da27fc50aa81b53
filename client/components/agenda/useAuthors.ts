import { useMemo } from 'react'
import type { ParticipantSummary } from '../../api'
import { caretColor } from '../../../shared/caretColors'
import type { ConferenceConnection, PresentPerson } from '../../sync/conferenceConnection'
import { usePeoplePresent } from '../../sync/useConference'

/**
 * Everyone who can be named as an author: those here now, and everyone in the conference (whose
 * participant id is their author id). The server's names win over what a device announces.
 */
export function useAuthors(connection: ConferenceConnection, participants: ParticipantSummary[] | null): ReadonlyMap<string, PresentPerson> {
  const present = usePeoplePresent(connection)
  return useMemo(() => withParticipants(present, participants), [present, participants])
}

function withParticipants(
  present: ReadonlyMap<string, PresentPerson>,
  participants: ParticipantSummary[] | null,
): ReadonlyMap<string, PresentPerson> {
  if (!participants || participants.length === 0) return present
  const people = new Map(present)
  for (const participant of participants) {
    people.set(participant.id, { authorId: participant.id, name: participant.name, color: present.get(participant.id)?.color ?? caretColor(participant.id) })
  }
  return people
}
