import { createContext, useContext } from 'react'
import type { Permission } from '../../../shared/roles'

/**
 * Given by the board once the chair has closed the record; null while it is open, and on the
 * shared screen. A form someone was still filling in when the record closed reads it to keep their
 * words on screen rather than vanish with them.
 */
export interface RecordClosed {
  /** What this person's role let them do while the record was open (e.g. 'score'). */
  openPermissions: readonly Permission[]
  /**
   * Puts words into the correction box of the step on screen and takes the person to it; null
   * when their role adds no corrections.
   */
  putInCorrection: ((words: string) => void) | null
}

/** Words put into a correction box: a new object each time, so the same words twice are two offers. */
export interface CorrectionOffer {
  readonly words: string
}

export const RecordClosedContext = createContext<RecordClosed | null>(null)

export function useRecordClosed(): RecordClosed | null {
  return useContext(RecordClosedContext)
}

/**
 * Whether this person may add corrections once the record is closed: whoever may correct entries
 * (the server's rule, server/http/amendments.ts), so the family too.
 */
export function mayAddCorrections(openPermissions: readonly Permission[]): boolean {
  return openPermissions.includes('editEntries')
}
