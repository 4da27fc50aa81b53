import { useEffect, useState } from 'react'

/**
 * Corrections to a closed record come by the API, not the record, so nothing tells a screen left
 * open that one was added: it asks again this often.
 */
export const CORRECTIONS_ASKED_EVERY_MS = 60_000

/**
 * A number that goes up every `everyMs` while `active`, and whenever the page is shown again (a
 * phone taken out of a pocket, a tab come back to). Put it in the dependencies of the effect that
 * asks the server, and it asks again.
 */
export function useAskedAgain(active: boolean, everyMs = CORRECTIONS_ASKED_EVERY_MS): number {
  const [asked, setAsked] = useState(0)
  useEffect(() => {
    if (!active) return
    const again = (): void => { setAsked((n) => n + 1) }
    const shownAgain = (): void => { if (document.visibilityState === 'visible') again() }
    const timer = setInterval(again, everyMs)
    document.addEventListener('visibilitychange', shownAgain)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', shownAgain)
    }
  }, [active, everyMs])
  return asked
}
