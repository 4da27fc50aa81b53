/**
 * The conference record: one Y.Doc per conference, one module per part. Client and server
 * import from here; nothing outside shared/conference reaches into the doc by string keys.
 */
export { conferenceRecord, type ConferenceRecord } from './record'
export { recordSnapshot, type RecordSnapshot, type EntrySnapshot } from './snapshot'
export { Entry, EntryList, type EntryListSpec, type NewEntry, type EntryRemoval } from './entryList'
export type { FieldsPart } from './fieldMap'
export type { FieldValue, FieldValues } from './fields'
export { RecordValidationError, NewerSchemaVersionError, type RecordValidationReason } from './errors'
export { localEdit, seedOrigin, serverOrigin, migrationOrigin, isConferenceOrigin, type ConferenceOrigin } from './origins'
export { plainText, setPlainText } from './richText'
export { SCHEMA_VERSION, ROOT_NAMES, SERVER_ONLY_ROOT_NAMES, CLIENT_WRITABLE_ROOT_NAMES } from './schema'
export { MIGRATIONS, migrateConference, type ConferenceMigration, type MigrationResult } from './migrations'

export { CONFERENCE_KINDS, CONFERENCE_KIND_LABELS, type ConferenceKind, type ConferenceDetails, type ChildFields, type DetailsPart } from './details'
export { MEETING_ROLES, MEETING_ROLE_LABELS, type MeetingRole, type PersonFields, type NetworkPart } from './network'
export {
  MAP_COLUMNS,
  MAP_SECTION_IDS,
  PARKING_SECTION,
  type MapColumn,
  type MapColumnId,
  type MapSection,
  type MapSectionId,
  type MapEntryFields,
  type MapEntryList,
  type MapPart,
} from './map'
export { VIEW_STANCES, VIEW_STANCE_LABELS, MAX_VIEW_WORDS, type ViewStance, type ViewFields, type View, type ViewsPart } from './views'
export { THREE_HOUSES, HOW_SHARED, HOW_SHARED_LABELS, type HouseId, type HowShared, type ChildsVoicePart } from './childsVoice'
export type { InvolvementPart } from './involvement'
export { MAX_DANGER_STATEMENT_PAIRS, type DangerStatementPairFields, type DangerStatementPairs } from './dangerStatements'
export type { OverallScaleFields, OverallScalePart } from './overallScale'
export type { ScoresPart } from './scores'
export type { ContingencyPart } from './contingency'
export {
  DECISIONS,
  DECISION_LABELS,
  PLAN_CATEGORIES,
  PLAN_CATEGORY_LABELS,
  type ConferenceDecision,
  type PlanCategory,
  type DecisionFields,
  type RecommendationFields,
  type DecisionPart,
} from './decision'
export { PLAN_RULE_PARTS, PLAN_RULE_PART_TITLES, type PlanRulePart, type TimelineStepFields, type PlanPart } from './plan'
export { ACTION_STATUSES, ACTION_STATUS_LABELS, ACTION_OWNERS, type ActionStatus, type ActionOwner, type ActionFields, type ActionList } from './actions'
export {
  NEXT_MEETING_KINDS,
  NEXT_MEETING_KIND_LABELS,
  type NextMeetingKind,
  type CoreGroupMemberFields,
  type NextMeetingFields,
  type CoreGroupPart,
} from './coreGroup'
export type { MetaPart } from './meta'
export { AGENDA_STEP_IDS, agendaFor, kindTerms, isAgendaStepId, isUsConference, type AgendaStep, type AgendaStepId, type KindTerms } from './agenda'
export { DEFAULT_MEETING_STATE, type MeetingPart, type MeetingState } from './meeting'
