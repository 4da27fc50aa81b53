import { useCallback, useEffect, useRef, useState } from 'react'
import { problemOf, type Problem } from './components/forms'

/** One server answer a component shows, kept until asked again. */
export interface Answer<T> {
  /** The answer for the current `key`, null until it arrives. */
  value: T | null
  problem: Problem | null
  /** Asked and not answered yet (an earlier answer for the same key stays shown meanwhile). */
  loading: boolean
  /** Asks the server again. */
  reload: () => void
  /** Changes the answer held here (with what a change request returned), without asking again. */
  update: (change: (value: T) => T) => void
}

interface Held<T> {
  key: string
  attempt: number
  value: T | null
  problem: Problem | null
}

/**
 * Asks the server with `load` whenever `key` changes (null: not yet, e.g. while a panel has never
 * been opened). An answer for an earlier key is never shown for a later one.
 */
export function useAnswer<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Answer<T> {
  const [held, setHeld] = useState<Held<T> | null>(null)
  const [attempt, setAttempt] = useState(0)
  const latestLoad = useRef(load)
  useEffect(() => { latestLoad.current = load })

  useEffect(() => {
    if (key === null) return
    const abort = new AbortController()
    latestLoad.current(abort.signal).then(
      (value) => { if (!abort.signal.aborted) setHeld({ key, attempt, value, problem: null }) },
      (error: unknown) => {
        if (abort.signal.aborted) return
        setHeld((current) => ({ key, attempt, value: current?.key === key ? current.value : null, problem: problemOf(error) }))
      },
    )
    return () => { abort.abort() }
  }, [key, attempt])

  const reload = useCallback(() => { setAttempt((n) => n + 1) }, [])
  const update = useCallback((change: (value: T) => T) => {
    setHeld((current) => (current && current.value !== null ? { ...current, value: change(current.value) } : current))
  }, [])
  const current = held !== null && held.key === key ? held : null
  return {
    value: current?.value ?? null,
    problem: current?.problem ?? null,
    loading: key !== null && current?.attempt !== attempt,
    reload,
    update,
  }
}
