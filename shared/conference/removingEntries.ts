import type { Permission } from '../roles'
import { DANGER_STATEMENT_PAIRS_ROOT } from './dangerStatements'

/** The person taking an entry out of the record, as the server knows them. */
export interface Remover {
  /** The author id their entries carry (their participant id). */
  authorId: string
  may: (permission: Permission) => boolean
}

/**
 * The entry to be removed: its list's root, who wrote it, and (for a danger statement) whether its
 * scale was ever scored, and whether it is being scored now.
 */
export interface EntryToRemove {
  root: string
  authorId: string
  scored: boolean
  beingScored: boolean
}

/**
 * Whether this person may remove this entry for everyone. Everyone who writes may take out what
 * they wrote; only professionals take out someone else's words, so a worried parent never finds
 * what they said gone by another's hand. A danger statement is the meeting's: once it has been
 * scored only the chair (or the note-taker at their word) removes it; and nobody does while its
 * round is open, as its panel holds the only Show and Stop buttons for that round, and the record
 * cannot be closed until the round is over. The board offers Remove only where this says yes; the
 * server refuses the rest (server/documents/entryOwnership.ts).
 */
export function mayRemoveEntry(remover: Remover, entry: EntryToRemove): boolean {
  const own = entry.authorId === remover.authorId
  if (entry.root === DANGER_STATEMENT_PAIRS_ROOT) return !entry.beingScored && (remover.may('removeDangerStatements') || (own && !entry.scored))
  return remover.may('removeOthersEntries') || own
}
