import { useSyncExternalStore, type MouseEvent } from 'react'

/** Tiny client routing on location.pathname: `/` lists conferences, `/conferences/:id` opens one. */
export type Route = { page: 'list' } | { page: 'conference'; conferenceId: string } | { page: 'not-found' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'list' }
  const match = /^\/conferences\/([^/]+)\/?$/.exec(pathname)
  if (match?.[1]) {
    try {
      return { page: 'conference', conferenceId: decodeURIComponent(match[1]) }
    } catch {
      return { page: 'not-found' }
    }
  }
  return { page: 'not-found' }
}

export function conferencePath(conferenceId: string): string {
  return `/conferences/${encodeURIComponent(conferenceId)}`
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

export function navigate(path: string): void {
  if (path === window.location.pathname) return
  window.history.pushState(null, '', path)
  window.scrollTo(0, 0)
  for (const listener of listeners) listener()
}

/** onClick for an <a href>: navigates in-page, but leaves new-tab / new-window clicks to the browser. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(event.currentTarget.pathname)
}
