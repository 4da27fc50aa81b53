import { useSyncExternalStore, type MouseEvent } from 'react'

/**
 * Tiny client routing on location.pathname:
 * - `/` lists conferences, `/conferences/:id` opens one, `/conferences/:id/present` shows it on
 *   the screen the room shares;
 * - `/sign-in`; `/welcome#<token>` sets up the first administrator; `/set-password#<token>` is a
 *   new professional's one-time link; `/join` (`#<token>`, or a typed code) is a family's way in;
 * - `/admin` for administrators, `/account` for a professional's own account;
 * - `/conferences/:id/feedback`: a parent's few questions on how the meeting went;
 *   `/programme`: the programme figures, for programme leads.
 */
export type Route =
  | { page: 'list' }
  | { page: 'conference'; conferenceId: string }
  | { page: 'present'; conferenceId: string }
  | { page: 'feedback'; conferenceId: string }
  | { page: 'sign-in' }
  | { page: 'welcome' }
  | { page: 'set-password' }
  | { page: 'join' }
  | { page: 'admin' }
  | { page: 'account' }
  | { page: 'programme' }
  | { page: 'not-found' }

const FIXED_PAGES: Readonly<Record<string, Route>> = {
  '/': { page: 'list' },
  '': { page: 'list' },
  '/sign-in': { page: 'sign-in' },
  '/welcome': { page: 'welcome' },
  '/set-password': { page: 'set-password' },
  '/join': { page: 'join' },
  '/admin': { page: 'admin' },
  '/account': { page: 'account' },
  '/programme': { page: 'programme' },
}

export function parseRoute(pathname: string): Route {
  const fixed = FIXED_PAGES[pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname]
  if (fixed) return fixed
  const match = /^\/conferences\/([^/]+)(?:\/(present|feedback))?\/?$/.exec(pathname)
  if (match?.[1]) {
    try {
      const conferenceId = decodeURIComponent(match[1])
      const page = match[2] === 'present' || match[2] === 'feedback' ? match[2] : 'conference'
      return { page, conferenceId }
    } catch {
      return { page: 'not-found' }
    }
  }
  return { page: 'not-found' }
}

export function conferencePath(conferenceId: string): string {
  return `/conferences/${encodeURIComponent(conferenceId)}`
}

/** The conference on the shared screen: the current step only, large, read only. */
export function presentPath(conferenceId: string): string {
  return `${conferencePath(conferenceId)}/present`
}

/** A parent's questions on how the meeting went, on their own phone. */
export function feedbackPath(conferenceId: string): string {
  return `${conferencePath(conferenceId)}/feedback`
}

export const PROGRAMME_PATH = '/programme'

/** `/sign-in`, coming back to `returnTo` (a path on this site) once signed in. */
export function signInPath(returnTo?: string): string {
  return returnTo ? `/sign-in?then=${encodeURIComponent(returnTo)}` : '/sign-in'
}

/** Where `/sign-in?then=` asked to go after signing in: only a path on this site, never another site. */
export function returnPathAfterSignIn(): string {
  const then = new URLSearchParams(window.location.search).get('then')
  const onThisSite = then?.startsWith('/') && !then.startsWith('//') && !then.startsWith('/\\')
  return then && onThisSite && parseRoute(new URL(then, window.location.origin).pathname).page !== 'sign-in' ? then : '/'
}

/** The secret after `#` in a link (`/join#<token>`); the fragment never reaches the server's logs. */
export function fragmentSecret(): string {
  return window.location.hash.replace(/^#/, '').trim()
}

const listeners = new Set<() => void>()

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname)
}

/**
 * An invited person's tab keeps one page of SafetyMap in its history: every page replaces the one
 * before, so "Leave quickly", which replaces that one, leaves none a Back press away (some live
 * with the person they are worried about). Set from the session (session.ts): on for an invited
 * person, off for a professional, and left as it was while nobody is signed in, so the way back
 * in through `/join` replaces too.
 */
let oneHistoryEntry = false

export function keepOneHistoryEntry(keep: boolean): void {
  oneHistoryEntry = keep
}

/**
 * Goes to `path` (which may carry `?query`). `replace`: instead of this page in the history
 * (redirects); always so for an invited person (keepOneHistoryEntry).
 */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  const { pathname, search, hash } = window.location
  if (path === pathname + search && !hash) return
  if (replace || oneHistoryEntry) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  window.scrollTo(0, 0)
  for (const listener of listeners) listener()
}

/** onClick for an <a href>: navigates in-page, but leaves new-tab / new-window clicks to the browser. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(event.currentTarget.pathname + event.currentTarget.search)
}
