import type { Membership } from '../../api'
import type { Permission } from '../../../shared/roles'

/** What a role may do that changes the record: none of it is possible once the record is closed. */
const CHANGES_THE_RECORD: ReadonlySet<Permission> = new Set<Permission>([
  'editEntries',
  'removeOthersEntries',
  'removeDangerStatements',
  'addViews',
  'score',
  'scoreForSomeoneElse',
  'moveAgenda',
  'revealScores',
  'recordDecision',
  'reviseCarriedForward',
  'changeTitleOrDate',
  'finalize',
])

/**
 * This person as the screens of a closed record should treat them: their role still decides what
 * they see, but no control that would change the record is offered (the server would refuse it,
 * and what they typed would be lost).
 */
export function readingOnly(you: Membership): Membership {
  return { ...you, permissions: you.permissions.filter((permission) => !CHANGES_THE_RECORD.has(permission)) }
}
