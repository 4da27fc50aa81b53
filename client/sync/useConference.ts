import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Identity } from '../identity'
import { isRole, type Role } from '../../shared/roles'
import { ConferenceConnection, type ConnectionState, type PresentPerson } from './conferenceConnection'
import { nothingUnsaved } from './statusWords'

const idle: ConnectionState = { status: { state: 'connecting' }, synced: false, keptOnDevice: false }
const noSubscription = (): (() => void) => () => undefined

/**
 * Opens a conference for as long as the calling component is mounted: creates the Y.Doc,
 * provider and save tracker, and tears them down on unmount or when the conference changes.
 */
export function useConference(conferenceId: string, identity: Identity): {
  connection: ConferenceConnection | null
  /** The record is here to show, and this person may still see it. */
  live: ConferenceConnection | null
  /** Removed, or the invitation withdrawn: the record is no longer theirs to see. */
  forbidden: boolean
  /** The server refused this device for good (signed out, removed, another version): no more retries. */
  stopped: boolean
} {
  const [connection, setConnection] = useState<ConferenceConnection | null>(null)

  useEffect(() => {
    const opened = new ConferenceConnection(conferenceId, identity)
    // The connection is an outside resource this effect owns; state is how the render sees it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setConnection(opened)
    return () => {
      opened.destroy()
      setConnection(null)
    }
    // A new name is announced below; only another conference needs a new connection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conferenceId])

  useEffect(() => { connection?.announce(identity) }, [connection, identity])

  const synced = useConnectionState(connection, (state) => state.synced)
  const forbidden = useConnectionState(connection, isForbidden)
  const stopped = useConnectionState(connection, (state) => state.status.state === 'stopped')
  return { connection, live: connection && synced && !forbidden ? connection : null, forbidden, stopped }
}

/**
 * One thing about the connection, re-rendering only when it changes. The save status changes
 * twice with every keystroke: only the few components that show it may follow it, not the board.
 * `select` must return a value or an object the state keeps (such as `state.status`).
 */
export function useConnectionState<T>(connection: ConferenceConnection | null, select: (state: ConnectionState) => T): T {
  return useSyncExternalStore(connection?.subscribe ?? noSubscription, () => select(connection?.getState() ?? idle))
}

const isForbidden = (state: ConnectionState): boolean => state.status.state === 'stopped' && state.status.reason === 'forbidden'

/** Nothing typed on this device is still waiting for the server. */
export function useAllSaved(connection: ConferenceConnection | null): boolean {
  return useConnectionState(connection, (state) => nothingUnsaved(state.status))
}

/** The people connected to this conference now, by author id (for "written by" names). */
export function usePeoplePresent(connection: ConferenceConnection): ReadonlyMap<string, PresentPerson> {
  const [people, setPeople] = useState<ReadonlyMap<string, PresentPerson>>(() => readPeople(connection))
  useEffect(() => {
    const { awareness } = connection.provider
    // Awareness changes on every caret move; re-render only when who is here changes.
    const refresh = (): void => {
      const next = readPeople(connection)
      setPeople((current) => (samePeople(current, next) ? current : next))
    }
    refresh()
    awareness.on('change', refresh)
    return () => { awareness.off('change', refresh) }
  }, [connection])
  return people
}

/** Someone connected now, as the server announces them (their role too, before the list of people has them). */
export interface OnlinePerson {
  name: string
  role: Role | null
}

/**
 * Everyone connected to this conference now, by author id (participant id), this person included.
 * The server sets `user` in awareness from each connection's session, so nobody can appear as
 * someone else. Null while this device is not connected: it then cannot know who else is, and
 * must not say that nobody is.
 */
export function useOnline(connection: ConferenceConnection | null): ReadonlyMap<string, OnlinePerson> | null {
  const [online, setOnline] = useState<{ connection: ConferenceConnection; people: ReadonlyMap<string, OnlinePerson> | null } | null>(null)
  useEffect(() => {
    if (!connection) return
    const { provider } = connection
    const refresh = (): void => {
      const people = provider.wsconnected ? readOnline(connection) : null
      setOnline((current) => (current?.connection === connection && sameOnline(current.people, people) ? current : { connection, people }))
    }
    refresh()
    // Awareness says who joined and who left; the provider, whether this device is connected.
    provider.awareness.on('change', refresh)
    provider.on('status', refresh)
    return () => {
      provider.awareness.off('change', refresh)
      provider.off('status', refresh)
    }
  }, [connection])
  return online?.connection === connection ? online.people : null
}

function readOnline(connection: ConferenceConnection): ReadonlyMap<string, OnlinePerson> {
  const people = new Map<string, OnlinePerson>()
  for (const state of connection.provider.awareness.getStates().values()) {
    const user: unknown = state.user
    if (!isPresentPerson(user)) continue
    // The server adds the role beside the name; a client's own claim never reaches the others.
    const { role } = user as PresentPerson & { role?: unknown }
    people.set(user.authorId, { name: user.name, role: isRole(role) ? role : null })
  }
  return people
}

function sameOnline(a: ReadonlyMap<string, OnlinePerson> | null, b: ReadonlyMap<string, OnlinePerson> | null): boolean {
  if (a === null || b === null) return a === b
  if (a.size !== b.size) return false
  for (const [authorId, person] of a) {
    const other = b.get(authorId)
    if (other?.name !== person.name || other.role !== person.role) return false
  }
  return true
}

function readPeople(connection: ConferenceConnection): ReadonlyMap<string, PresentPerson> {
  const people = new Map<string, PresentPerson>()
  for (const state of connection.provider.awareness.getStates().values()) {
    const user: unknown = state.user
    if (isPresentPerson(user)) people.set(user.authorId, user)
  }
  return people
}

function isPresentPerson(value: unknown): value is PresentPerson {
  if (typeof value !== 'object' || value === null) return false
  const person = value as Record<string, unknown>
  return typeof person.name === 'string' && typeof person.authorId === 'string' && typeof person.color === 'string'
}

function samePeople(a: ReadonlyMap<string, PresentPerson>, b: ReadonlyMap<string, PresentPerson>): boolean {
  if (a.size !== b.size) return false
  for (const [authorId, person] of a) {
    const other = b.get(authorId)
    if (other?.name !== person.name || other.color !== person.color) return false
  }
  return true
}
