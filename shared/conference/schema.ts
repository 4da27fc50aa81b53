import { ACTIONS_ROOT, ACTIONS_ROOT_NAMES } from './actions'
import { CHILDS_VOICE_ROOT_NAMES } from './childsVoice'
import { CONTINGENCY_ROOT_NAMES } from './contingency'
import { CORE_GROUP_MEMBERS_ROOT, CORE_GROUP_ROOT_NAMES, NEXT_MEETINGS_ROOT } from './coreGroup'
import { CARRIED_FORWARD_ROOT_NAMES, DANGER_STATEMENT_PAIRS_ROOT, DANGER_STATEMENTS_ROOT_NAMES } from './dangerStatements'
import { DECISION_ROOT_NAMES, RECOMMENDATIONS_ROOT } from './decision'
import { CHILDREN_ROOT, DETAILS_ROOT, DETAILS_ROOT_NAMES } from './details'
import { INVOLVEMENT_ROOT_NAMES } from './involvement'
import { MAP_ROOT_NAMES } from './map'
import { MEETING_ROOT_NAMES } from './meeting'
import { META_ROOT_NAMES } from './meta'
import { NETWORK_ROOT_NAMES, PEOPLE_ROOT } from './network'
import { OVERALL_SCALE_ROOT_NAMES } from './overallScale'
import { PLAN_ROOT_NAMES, PLAN_RULES_ROOT, TIMELINE_ROOT } from './plan'
import { SCORES_ROOT_NAMES } from './scores'
import { VIEWS_ROOT_NAMES } from './views'

/**
 * The version of the conference record's shape. Bump it only together with a new entry in
 * migrations.ts, and keep the old fixture in tests/fixtures loading.
 */
export const SCHEMA_VERSION = 1

/**
 * Every root type of a conference doc. The server refuses an update that creates any other
 * root: a typo or a faulty client must not grow the record with parts nobody can see.
 */
export const ROOT_NAMES: ReadonlySet<string> = new Set<string>([
  ...META_ROOT_NAMES,
  ...MEETING_ROOT_NAMES,
  ...DETAILS_ROOT_NAMES,
  ...NETWORK_ROOT_NAMES,
  ...MAP_ROOT_NAMES,
  ...VIEWS_ROOT_NAMES,
  ...CHILDS_VOICE_ROOT_NAMES,
  ...INVOLVEMENT_ROOT_NAMES,
  ...DANGER_STATEMENTS_ROOT_NAMES,
  ...OVERALL_SCALE_ROOT_NAMES,
  ...SCORES_ROOT_NAMES,
  ...CONTINGENCY_ROOT_NAMES,
  ...DECISION_ROOT_NAMES,
  ...PLAN_ROOT_NAMES,
  ...ACTIONS_ROOT_NAMES,
  ...CORE_GROUP_ROOT_NAMES,
])

/**
 * Roots only the server writes: the schema version (a client raising it would lock everyone
 * out of the record), the scores (who gave a score must be true) and the danger statements carried
 * forward from an earlier conference (changed only by the chair, for new harm, over HTTP), and
 * the conference's kind, date, title and area (set when it is made: its deadlines, the 72-hour
 * target and the programme figures follow from them). The children listed in the details stay
 * open to editors. A client's update that touches them should be refused.
 */
export const SERVER_ONLY_ROOT_NAMES: ReadonlySet<string> = new Set<string>([...META_ROOT_NAMES, ...SCORES_ROOT_NAMES, ...CARRIED_FORWARD_ROOT_NAMES, DETAILS_ROOT])

/** The roots a client's update may touch. */
export const CLIENT_WRITABLE_ROOT_NAMES: ReadonlySet<string> = new Set([...ROOT_NAMES].filter((name) => !SERVER_ONLY_ROOT_NAMES.has(name)))

/**
 * Roots holding lists of entries, each entry saying who wrote it (shared/conference/entryList.ts).
 * The server checks who adds, stamps and removes entries here (server/documents/entryOwnership.ts).
 * Views are entries too, but have a stricter rule of their own: only the person whose view it is
 * changes it (server/documents/viewOwnership.ts).
 */
export const ENTRY_LIST_ROOT_NAMES: ReadonlySet<string> = new Set<string>([
  CHILDREN_ROOT,
  PEOPLE_ROOT,
  ...MAP_ROOT_NAMES,
  DANGER_STATEMENT_PAIRS_ROOT,
  RECOMMENDATIONS_ROOT,
  TIMELINE_ROOT,
  PLAN_RULES_ROOT,
  ACTIONS_ROOT,
  CORE_GROUP_MEMBERS_ROOT,
  NEXT_MEETINGS_ROOT,
])
