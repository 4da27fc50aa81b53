import { useEffect, useSyncExternalStore } from 'react'
import { flushSync } from 'react-dom'
import { NEUTRAL_PAGE_PATH } from '../shared/leaveQuickly'
import { oweSignOut } from './session'

/**
 * "Leave quickly": for a family member who may be overlooked or overheard. The board goes off the
 * screen at once, and the page becomes a neutral one (client/public/weather.html) that says nothing
 * about SafetyMap or the meeting, in place of the board in the history: Back does not bring it back.
 */

/** At most this long for the device copy to be removed (or written) before the neutral page loads. */
const WAIT_AT_MOST_MS = 1000

let left = false
const listeners = new Set<() => void>()

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => { listeners.delete(listener) }
}

/** True once "Leave quickly" was pressed: the app shows only the neutral page from then on. */
export function useLeftQuickly(): boolean {
  return useSyncExternalStore(subscribe, () => left)
}

/**
 * Call from the click itself. Synchronously, before anything that waits on the network or the
 * disk: the whole app is replaced by the neutral page's words (unmounting the board closes its
 * connection and its "Leave site?" warning), and the address becomes the neutral page's. Then the
 * real neutral page is loaded with `location.replace`, once `finishing` (removing the record from
 * this device, or writing the last changes to it) has settled, or after WAIT_AT_MOST_MS.
 */
export function leaveQuickly(finishing: Promise<unknown> | null): void {
  flushSync(() => {
    left = true
    for (const listener of listeners) listener()
  })
  document.title = NEUTRAL_TITLE
  window.history.replaceState(null, '', NEUTRAL_PAGE_PATH)
  // Signed out too, so someone picking the phone up cannot open the site straight onto the
  // record. Nothing waits for it (keepalive outlives the page); the link or code signs them back
  // in on this device, and anything kept on the device is sent then. Owed first: with no
  // connection the request is lost, and the next start sends it again before anything else.
  oweSignOut()
  void fetch('/api/session', { method: 'DELETE', keepalive: true }).catch(() => undefined)
  let gone = false
  const go = (): void => {
    if (gone) return
    gone = true
    window.location.replace(NEUTRAL_PAGE_PATH)
  }
  if (!finishing) {
    go()
    return
  }
  const timer = setTimeout(go, WAIT_AT_MOST_MS)
  void finishing.catch(() => undefined).then(() => {
    clearTimeout(timer)
    go()
  })
}

const NEUTRAL_TITLE = 'Weather'

/** What the screen shows between the press and the neutral page's load: the same words. */
export function NeutralPage() {
  useEffect(() => { document.title = NEUTRAL_TITLE }, [])
  return (
    <main className="neutral-page">
      <h1>Weather</h1>
      <p>There is no forecast to show right now. Please try again later.</p>
    </main>
  )
}
