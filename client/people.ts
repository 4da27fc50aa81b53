import { useCallback, useEffect, useState } from 'react'
import { listPeople, type ParticipantSummary } from './api'
import { problemOf, type Problem } from './components/forms'

export interface PeopleState {
  /** Null until the first answer. */
  people: ParticipantSummary[] | null
  problem: Problem | null
  /** Asks the server again (after an invitation, a removal, or opening the panel). */
  reload: () => void
}

/** Everyone in a conference (GET /api/conferences/:id/people), kept until asked again. */
export function usePeople(conferenceId: string): PeopleState {
  const [people, setPeople] = useState<ParticipantSummary[] | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const abort = new AbortController()
    listPeople(conferenceId, abort.signal).then(
      (loaded) => { setPeople(loaded); setProblem(null) },
      (error: unknown) => { if (!abort.signal.aborted) setProblem(problemOf(error)) },
    )
    return () => { abort.abort() }
  }, [conferenceId, attempt])

  const reload = useCallback(() => { setAttempt((n) => n + 1) }, [])
  return { people, problem, reload }
}
