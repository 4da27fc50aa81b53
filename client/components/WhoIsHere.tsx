import { useEffect, useId, useRef } from 'react'
import type { ParticipantSummary } from '../api'
import type { ConferenceKind } from '../../shared/conference/details'
import type { Role } from '../../shared/roles'
import type { PeopleState } from '../people'
import type { ConferenceConnection } from '../sync/conferenceConnection'
import { useConnectionState, useOnline, type OnlinePerson } from '../sync/useConference'
import { roleWords } from '../../shared/conference/agenda'

interface Row {
  id: string
  name: string
  role: Role | null
  /** Null while this device is offline: it cannot know. */
  online: boolean | null
}

/**
 * Everyone in the conference, with their role and whether they are connected now: one wrapping
 * line of small labels, so the map keeps the screen. Each label reads in full words, the same for
 * the eye and for a screen reader: "Sam, Parent or carer, online". While this device is offline
 * it cannot know who is connected, and says so rather than showing everyone as gone.
 */
export function WhoIsHere({ connection, people, youId, kind }: {
  connection: ConferenceConnection | null
  /** Everyone in the conference (GET /api/conferences/:id/people). */
  people: PeopleState
  youId: string
  /** Names the roles as this kind of conference does (Chair or Facilitator). */
  kind: ConferenceKind
}) {
  const headingId = useId()
  const online = useOnline(connection)
  const offline = useConnectionState(connection, (state) => state.status.state === 'offline')
  const list = people.people
  useListEveryoneOnline(list, online, people.reload)
  const rows = rowsOf(list ?? [], online)

  return (
    <section className="who" aria-labelledby={headingId}>
      <h2 id={headingId} className="who-heading">Who is here</h2>
      {rows.length === 0 ? (
        !people.problem && <p className="who-waiting">Loading…</p>
      ) : (
        <ul className="who-list">
          {rows.map((row) => (
            <li key={row.id} className={row.online ? 'who-person who-online' : 'who-person'}>
              <span className="who-dot" aria-hidden="true" />
              <span className="who-name">{row.name}{row.id === youId && ' (you)'}</span>
              {row.role && `, ${roleWords(row.role, kind)}`}
              {row.online !== null && <>{', '}<span className="who-state">{row.online ? 'online' : 'not connected'}</span></>}
            </li>
          ))}
        </ul>
      )}
      {offline && <p className="who-waiting">You are offline, so who else is connected cannot be shown just now.</p>}
    </section>
  )
}

/**
 * The list of people is loaded once; someone invited after that who connects is shown from what
 * the server announces about them, and the list is asked for again (once per such person).
 */
function useListEveryoneOnline(list: ParticipantSummary[] | null, online: ReadonlyMap<string, OnlinePerson> | null, reload: () => void): void {
  const askedAbout = useRef(new Set<string>())
  useEffect(() => {
    if (!list || !online) return
    const known = new Set(list.map((person) => person.id))
    const unknown = [...online.keys()].filter((id) => !known.has(id) && !askedAbout.current.has(id))
    if (unknown.length === 0) return
    for (const id of unknown) askedAbout.current.add(id)
    reload()
  }, [list, online, reload])
}

/** In the order of the list (labels do not jump about as people come and go), then anyone not in it yet. */
function rowsOf(list: readonly ParticipantSummary[], online: ReadonlyMap<string, OnlinePerson> | null): Row[] {
  // A withdrawn invitation is no longer anyone's way into the meeting.
  const rows: Row[] = list
    .filter((person) => !person.invitation?.revoked)
    .map((person) => ({ id: person.id, name: person.name, role: person.role, online: online ? online.has(person.id) : null }))
  if (!online) return rows
  const listed = new Set(list.map((person) => person.id))
  for (const [id, person] of online) {
    if (!listed.has(id)) rows.push({ id, name: person.name, role: person.role, online: true })
  }
  return rows
}
