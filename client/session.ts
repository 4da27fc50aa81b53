import { useSyncExternalStore } from 'react'
import * as api from './api'
import { ApiError, type SessionInfo } from './api'
import type { TakenOut } from '../shared/access'
import { clearDeviceCopy, clearEveryDeviceCopyIfSaved } from './sync/deviceCopy'
import { keepOneHistoryEntry } from './navigation'

/**
 * Who is signed in on this device, as the server says (GET /api/session). The session itself is an
 * httpOnly cookie this code never reads: it only asks the server, once at start and after each
 * change, and keeps the answer here for every component.
 */
export type SessionState =
  | { state: 'loading' }
  | { state: 'known'; session: SessionInfo | null; invitedEnded: InvitedSessionEnd | null }
  | { state: 'failed'; message: string }

/**
 * Why nobody is signed in here any more, when the last one signed in on this page was an invited
 * person (family, their network): they have no password, and come back with their link or code.
 * `signedOut`: the session ended (signed out, here or elsewhere, or expired); `recordRemoved`: they
 * took the record off this device, which signs them out too; `takenOut`: they were taken out of
 * the conference, and its record was taken off this device.
 */
export type InvitedSessionEnd = 'signedOut' | 'recordRemoved' | 'takenOut'

let current: SessionState = { state: 'loading' }
/** The last person known to be signed in on this page was an invited person. */
let lastWasInvited = false
let loading: Promise<void> | null = null
/** Bumped on every change, so an answer that arrives after a newer one is dropped. */
let version = 0
const listeners = new Set<() => void>()

function set(next: SessionState): void {
  version++
  current = next
  // Signed out, the tab keeps what it had: an invited person coming back in replaces pages too.
  if (next.state === 'known' && next.session) keepOneHistoryEntry(next.session.kind === 'participant')
  for (const listener of listeners) listener()
}

/** Who the server says is signed in; when nobody, and an invited person was, why they are not. */
function setKnown(session: SessionInfo | null, why: InvitedSessionEnd = 'signedOut'): void {
  if (session) {
    lastWasInvited = session.kind === 'participant'
    set({ state: 'known', session, invitedEnded: null })
    return
  }
  // Asking again who is signed in (nobody) keeps the reason already given.
  const given = current.state === 'known' && current.session === null ? current.invitedEnded : null
  // Taken out is said even on a page just opened: the server knew who this device was.
  set({ state: 'known', session: null, invitedEnded: why === 'takenOut' ? why : lastWasInvited ? given ?? why : null })
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  if (current.state === 'loading' && !loading) void refreshSession()
  return () => { listeners.delete(listener) }
}

// Any API call answered "not signed in" (the session expired or was ended elsewhere).
api.onSignedOut(() => {
  if (current.state !== 'known' || current.session !== null) setKnown(null)
})

/** The session, loaded on first use. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => current)
}

/**
 * Set by "Leave quickly" before it asks the server to sign this device out, and cleared once the
 * server has answered: with no connection that request is lost, and someone who picks the phone
 * up later must not open the site onto the record. The next start signs out before anything else.
 */
const SIGN_OUT_OWED = 'safetymap.signOutOwed'

export function oweSignOut(): void {
  try {
    localStorage.setItem(SIGN_OUT_OWED, '1')
  } catch {
    // Storage refused (private mode, full): the sign-out request is still sent.
  }
}

function signOutOwed(): boolean {
  try {
    return localStorage.getItem(SIGN_OUT_OWED) !== null
  } catch {
    return false
  }
}

function signOutSettled(): void {
  try {
    localStorage.removeItem(SIGN_OUT_OWED)
  } catch {
    // Nothing was kept.
  }
}

/** A sign-out "Leave quickly" could not deliver; until the server has it, nobody is signed in here. */
async function settleOwedSignOut(): Promise<void> {
  if (!signOutOwed()) return
  try {
    await api.signOut()
  } catch (error) {
    // An answer from the server (401: already signed out) settles it; no answer, or a server
    // error, leaves it owed.
    if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) throw error
  }
  signOutSettled()
}

/**
 * Nobody is signed in here, so no record needs to stay on this device: a session that ended
 * (expired, or its person taken out of the conference) leaves nothing readable in the browser.
 * A taken-out person's copy goes whole: what it holds can never be saved. Other copies go once
 * saved; words the server never confirmed stay, to be sent after signing in again.
 */
async function clearCopiesOfEndedSession(takenOut: TakenOut | undefined): Promise<void> {
  if (takenOut) await clearDeviceCopy(takenOut.conferenceId, takenOut.participantId)
  await clearEveryDeviceCopyIfSaved()
}

/** Asks the server again who is signed in here. */
export function refreshSession(): Promise<void> {
  const asked = version
  const load = settleOwedSignOut().then(() => api.getSession()).then(async ({ session, takenOut }) => {
    if (!session) await clearCopiesOfEndedSession(takenOut).catch(() => undefined)
    return { session, takenOut }
  }).then(
    ({ session, takenOut }) => { if (version === asked) setKnown(session, takenOut ? 'takenOut' : 'signedOut') },
    (error: unknown) => {
      if (version !== asked) return
      set({ state: 'failed', message: error instanceof ApiError ? error.message : 'SafetyMap could not be reached. Please try again.' })
    },
  )
  loading = load.finally(() => { if (loading === load) loading = null })
  return load
}

/** Uses a session the server just gave (after signing in, setting up, choosing a password, joining). */
export function adoptSession(session: SessionInfo): void {
  // Signed in again since leaving quickly: that session is the one to keep.
  signOutSettled()
  setKnown(session)
}

export async function signIn(details: { email: string; password: string; code?: string }): Promise<void> {
  adoptSession(await api.signIn(details))
}

/** Ends the session on the server, then here. Rejects (still signed in) when the server cannot be reached. */
export async function signOut(): Promise<void> {
  await api.signOut()
  setKnown(null)
}

/**
 * An invited person took the record off this device (perhaps a phone the family shares): they are
 * signed out here at once, so that opening the site again does not open the record and keep it
 * again; the server is told as "Leave quickly" tells it. Owed first: with no connection the next
 * start sends it before anything else. Rejects when the server could not be reached (still owed).
 */
export function signOutAfterRemovingRecord(): Promise<void> {
  oweSignOut()
  setKnown(null, 'recordRemoved')
  return settleOwedSignOut()
}

/** The signed-in person's name, whoever they are. */
export function sessionName(session: SessionInfo): string {
  return session.kind === 'account' ? session.account.name : session.participant.name
}

export function isAdmin(session: SessionInfo | null): boolean {
  return session?.kind === 'account' && session.account.admin
}

/** Programme leads, and administrators (who make them), see the programme figures. */
export function seesProgramme(session: SessionInfo | null): boolean {
  return session?.kind === 'account' && (session.account.programmeLead || session.account.admin)
}
