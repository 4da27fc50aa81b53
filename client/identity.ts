import type { Membership } from '../shared/access'
import { caretColor } from '../shared/caretColors'

/**
 * Who is typing in one conference, from the server's answer to "what am I in it" (Membership).
 * The author id is the participant id: entries record who wrote them by it, and the server knows
 * whose it is, so nobody can write as someone else.
 */
export interface Identity {
  authorId: string
  name: string
  /** Caret colour, #rrggbb (the only form the caret extension accepts). */
  color: string
}


export function identityOf(you: Pick<Membership, 'participantId' | 'name'>): Identity {
  return { authorId: you.participantId, name: you.name, color: caretColor(you.participantId) }
}
