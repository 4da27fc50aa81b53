import * as Y from 'yjs'
import { isRole } from '../../shared/roles'
import type { Storage } from '../storage/types'
import type { ExportPerson } from './model'

/** In the kept copy only, never in the live record: who was in the conference when it closed. */
const PEOPLE_AT_CLOSE_ROOT = 'peopleAtClose'

/** Everyone ever in the conference, by participant id, removed people too: the record still names them as authors. */
export function peopleOf(storage: Storage, conferenceId: string): Map<string, ExportPerson> {
  return new Map(
    storage.access.participants
      .all((participant) => participant.conferenceId === conferenceId)
      .map((participant) => [participant.id, { name: participant.name, role: participant.role }]),
  )
}

/**
 * The copy kept when the record is closed, with everyone's name and role at that moment added to
 * it, so a final document names people as they were then, whatever roles change afterwards.
 * Added to a copy, not to the record: every device holds the record, and this list includes people
 * who were removed from the conference.
 */
export function withPeopleAtClose(state: Uint8Array, people: ReadonlyMap<string, ExportPerson>): Uint8Array {
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, state)
    const map = copy.getMap<unknown>(PEOPLE_AT_CLOSE_ROOT)
    copy.transact(() => {
      for (const [id, person] of people) map.set(id, { name: person.name, role: person.role })
    })
    return Y.encodeStateAsUpdate(copy)
  } finally {
    copy.destroy()
  }
}

/** The people kept with a closed record's copy; null for a copy kept before they were. */
export function readPeopleAtClose(copy: Y.Doc): Map<string, ExportPerson> | null {
  if (!copy.share.has(PEOPLE_AT_CLOSE_ROOT)) return null
  const people = new Map<string, ExportPerson>()
  for (const [id, value] of copy.getMap<unknown>(PEOPLE_AT_CLOSE_ROOT)) {
    if (typeof value !== 'object' || value === null) continue
    const { name, role } = value as Record<string, unknown>
    if (typeof name === 'string' && isRole(role)) people.set(id, { name, role })
  }
  return people
}
