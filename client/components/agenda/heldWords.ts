import { createContext, useContext, useEffect } from 'react'
import { holdsUnsavedWork } from '../../unsavedWork'

/**
 * Words typed on a step that are not in the record yet (a view, a score, a correction, or words a
 * closing cut short). Leaving the step would take its forms off the screen, and the words with
 * them: the board asks first. Leaving the page asks too.
 */
export interface HeldWords {
  /** Says this step holds words; returns how to say it no longer does. */
  hold: () => () => void
}

export const HeldWordsContext = createContext<HeldWords | null>(null)

/** Call in a form: `holding` is true while it has words not yet in the record. */
export function useHoldsWords(holding: boolean): void {
  const step = useContext(HeldWordsContext)
  useEffect(() => {
    if (!holding) return
    const releaseStep = step?.hold()
    const releasePage = holdsUnsavedWork({ notSaved: () => true, lostOnLeaving: () => true })
    return () => {
      releaseStep?.()
      releasePage()
    }
  }, [holding, step])
}
