import { useRef, type FocusEvent } from 'react'

/**
 * A stray tap on "Add" (a phone in a pocket, a thumb slipping) must not leave an empty entry in
 * the record under the person's name. An entry added on this page that is still empty when the
 * focus moves elsewhere on the page is taken out again: it never held anything to miss. Leaving
 * the app or tab (the page loses focus altogether) keeps it, for the person coming back to it.
 */
export function useStrayEntries(list: { get(entryId: string): unknown; remove(entryId: string): void }): {
  /** Call with the id of an entry this person just added here. */
  added: (entryId: string) => void
  /** The entry's blur handler (React's onBlur is focusout: it sees focus leave any part of it). */
  onBlur: (entryId: string, isEmpty: () => boolean) => (event: FocusEvent<HTMLElement>) => void
} {
  const addedHere = useRef(new Set<string>())
  return {
    added: (entryId) => { addedHere.current.add(entryId) },
    onBlur: (entryId, isEmpty) => (event) => {
      if (!addedHere.current.has(entryId)) return
      if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return
      if (!document.hasFocus()) return
      addedHere.current.delete(entryId)
      // Someone else may have removed it meanwhile.
      if (isEmpty() && list.get(entryId) !== undefined) list.remove(entryId)
    },
  }
}
