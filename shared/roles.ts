/**
 * Who may do what in a conference: the one table the server enforces on every HTTP route and
 * websocket message, and the client reads only to hide what a role cannot do.
 *
 * Sources: ../shared/DOMAIN.md ("Chairs, advocates and note-takers do not score"; the US CSC's
 * facilitator and decision-maker; Parent Partners and advocates stand with the family).
 */

export const ROLES = [
  'chair',
  'noteTaker',
  'socialWorker',
  'otherProfessional',
  'decisionMaker',
  'parentOrCarer',
  'child',
  'familyNetwork',
  'parentPartner',
  'advocate',
  'observer',
] as const

export type Role = (typeof ROLES)[number]

export const PERMISSIONS = [
  'seeRecord',
  'editEntries',
  'removeOthersEntries',
  'removeDangerStatements',
  'addViews',
  'score',
  'scoreForSomeoneElse',
  'moveAgenda',
  'revealScores',
  'recordDecision',
  'finalize',
  'reviseCarriedForward',
  'invite',
  'changeTitleOrDate',
  'seeProfessionalsOnly',
  'recordOutcomes',
  'giveFeedback',
] as const

export type Permission = (typeof PERMISSIONS)[number]

const everyone = ROLES
const professionals = ['chair', 'noteTaker', 'socialWorker', 'otherProfessional', 'decisionMaker'] as const

/** The table itself: for each permission, the roles that have it. */
const ROLES_WITH: Record<Permission, readonly Role[]> = {
  seeRecord: everyone,
  // Families correct the record as it is written; observers only watch.
  editEntries: everyone.filter((role) => role !== 'observer'),
  // Everyone who writes may take out what they wrote; only professionals take out someone else's
  // words, so a family's entry never disappears by another family member's hand, nor the reverse.
  removeOthersEntries: professionals,
  // A danger statement is agreed by the meeting and scored: the chair, or the note-taker at their
  // word, takes one out. The person who added one may remove it until it has been scored.
  removeDangerStatements: ['chair', 'noteTaker'],
  addViews: everyone.filter((role) => role !== 'observer'),
  // DOMAIN.md: everybody scores, family included; chairs, advocates and note-takers do not.
  score: ['socialWorker', 'otherProfessional', 'decisionMaker', 'parentOrCarer', 'child', 'familyNetwork', 'parentPartner'],
  // Types in the number of someone in the room who has no device; the record says who typed it.
  scoreForSomeoneElse: ['noteTaker'],
  moveAgenda: ['chair', 'noteTaker'],
  revealScores: ['chair'],
  // The chair decides (UK); in a US CSC the decision-maker approves the plan.
  recordDecision: ['chair', 'decisionMaker'],
  finalize: ['chair'],
  // The chair (the US facilitator) runs the review; a decision-maker approves plans, not danger statements.
  reviseCarriedForward: ['chair'],
  invite: ['chair', 'noteTaker', 'socialWorker'],
  // Conferences are often moved to another day. The people who may arrange one (CREATOR_ROLES in
  // server/http/conferences.ts) may move it, or correct a title or date typed wrong.
  changeTitleOrDate: ['chair', 'noteTaker', 'socialWorker'],
  // The UK "private session" and third-party information: never on a family-side device.
  seeProfessionalsOnly: professionals,
  // Where each child is staying afterwards, and how their views reached the meeting: the people who organise and follow up the conference.
  recordOutcomes: ['chair', 'noteTaker', 'socialWorker', 'decisionMaker'],
  // Parents are asked how the meeting treated them (shared/programmes/feedback.ts).
  giveFeedback: ['parentOrCarer'],
}

const permissionsByRole = new Map<Role, ReadonlySet<Permission>>(
  ROLES.map((role) => [role, new Set(PERMISSIONS.filter((permission) => ROLES_WITH[permission].includes(role)))]),
)

/**
 * Permissions that give authority over the meeting or its people. Nobody can give a role, or
 * change or remove a person, whose authority goes beyond their own: a note-taker cannot make
 * someone chair, nor remove the chair.
 */
export const AUTHORITY_PERMISSIONS: readonly Permission[] = ['removeOthersEntries', 'removeDangerStatements', 'moveAgenda', 'revealScores', 'recordDecision', 'finalize', 'reviseCarriedForward', 'invite', 'changeTitleOrDate', 'seeProfessionalsOnly']

/** True when `manager` has every authority that `role` has. */
export function mayManage(manager: Role, role: Role): boolean {
  return AUTHORITY_PERMISSIONS.every((permission) => !can(role, permission) || can(manager, permission))
}

export function can(role: Role, permission: Permission): boolean {
  return permissionsByRole.get(role)?.has(permission) ?? false
}

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return permissionsByRole.get(role) ?? new Set()
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** Professionals sign in with an account; everyone else is invited to one conference by a link. */
export function isProfessionalRole(role: Role): boolean {
  return (professionals as readonly Role[]).includes(role)
}

/** Roles an organiser may give a family member or other invited person (no account needed). */
export const INVITED_ROLES = ['parentOrCarer', 'child', 'familyNetwork', 'parentPartner', 'advocate', 'observer'] as const satisfies readonly Role[]

/** Roles given to professionals with accounts. */
export const PROFESSIONAL_ROLES = professionals

/** Plain words for each role, as a parent would read them. */
export const ROLE_LABELS: Record<Role, string> = {
  chair: 'Chair',
  noteTaker: 'Note-taker',
  socialWorker: 'Social worker',
  otherProfessional: 'Professional',
  decisionMaker: 'Decision-maker',
  parentOrCarer: 'Parent or carer',
  child: 'Child or young person',
  familyNetwork: 'Family and friends',
  parentPartner: 'Parent Partner',
  advocate: 'Advocate',
  observer: 'Observer',
}

/** What each permission means, in plain words (docs and the "what you can do here" panel). */
export const PERMISSION_LABELS: Record<Permission, string> = {
  seeRecord: 'See the record',
  editEntries: 'Write and correct entries',
  removeOthersEntries: 'Remove what someone else wrote',
  removeDangerStatements: 'Remove a danger statement, even one already scored',
  addViews: 'Add their view to an entry',
  score: 'Give safety scores',
  scoreForSomeoneElse: 'Type in a score for someone without a device',
  moveAgenda: 'Move the meeting to the next step',
  revealScores: 'Show everyone’s scores',
  recordDecision: 'Record the decision',
  finalize: 'Close the record',
  reviseCarriedForward: 'Change a danger statement from the last meeting, after new harm',
  invite: 'Invite people',
  changeTitleOrDate: 'Change the conference’s title or date',
  seeProfessionalsOnly: 'See the professionals-only section',
  recordOutcomes: 'Record where each child is staying and how their views were heard',
  giveFeedback: 'Say how the meeting went (anonymously)',
}
