import { createContext, useContext } from 'react'
import { mayRemoveEntry, type EntryToRemove, type Remover } from '../shared/conference/removingEntries'

/** The person on this device as someone who may remove entries; null when they cannot change the record. */
export const RemoverContext = createContext<Remover | null>(null)

/**
 * Whether to offer Remove on an entry: only where the server would accept it (an entry of their
 * own, or anyone's for a professional), so nobody is offered a button that would lose their work.
 */
export function useMayRemove(): (entry: EntryToRemove) => boolean {
  const remover = useContext(RemoverContext)
  return (entry) => remover !== null && mayRemoveEntry(remover, entry)
}
