/**
 * What the server needs from storage, and nothing about how it is kept. The embedded store
 * (lowdb + journal files) implements it today; a database will later. Every implementation must
 * pass tests/unit/storage.contract.ts.
 */

import type { ConferenceKind } from '../../shared/conference/details'
import type { Amendment, ConferenceSummary } from '../../shared/api'
import type { Role } from '../../shared/roles'
import type { ConferenceDocument } from '../../shared/conference/documents'
import type { GivenScore, Scorer } from '../../shared/conference/scores'
import type { ExportDocument } from '../../shared/exports'
import type { ReferralInput } from '../../shared/programmes/referral'
import type { ParentPartnerOffer } from '../../shared/programmes/parentPartner'
import type { OutcomePoint, Participation, WhereStaying } from '../../shared/programmes/outcomes'
import type { FeedbackAnswer, FeedbackQuestionId } from '../../shared/programmes/feedback'

export type { ConferenceKind, ConferenceSummary }


export interface NewConference {
  title: string
  kind: ConferenceKind
  date: string
  demo?: boolean
  /** The earlier conference this one follows, and that conference's case (shared/cases.ts). */
  follows?: string
  caseId?: string
}

export interface ConferenceCatalog {
  /** Newest conference date first. */
  list(): Promise<ConferenceSummary[]>
  /** Any string in (it may come straight from a URL); never throws for odd ids. */
  get(id: string): Promise<ConferenceSummary | undefined>
  /** Durable before it resolves. The id is 16 random bytes (crypto) in base64url: unguessable. */
  create(input: NewConference): Promise<ConferenceSummary>
  /**
   * Changes a conference's title or date (it was moved to another day, or typed wrong). Durable
   * before it resolves; `conference-not-found` for an unknown id, `invalid-conference` for a bad value.
   */
  update(id: string, change: ConferenceChange): Promise<ConferenceSummary>
}

/** What may change about a conference after it is made: its kind and case never do. */
export interface ConferenceChange {
  title?: string
  date?: string
}

export interface UpdateJournal {
  /** Everything stored for the conference, oldest first: the snapshot (if any) then journal records. Recovers a torn tail. */
  load(): Promise<Uint8Array[]>
  /** Queue one Yjs update; resolves once it is durably on disk (fsync). Many appends share one fsync (group commit). */
  append(update: Uint8Array): Promise<void>
  /** Resolves once every update appended so far is durable; rejects if any of them failed. */
  flushed(): Promise<void>
  /**
   * Replace what is stored with `state` (a full Y.encodeStateAsUpdate of the doc that contains every
   * update appended so far). Serialized with appends: appends queued before it are covered, appends
   * after it go into the new journal. Crash-safe at every step.
   */
  compact(state: Uint8Array): Promise<void>
  /** Bytes / records appended since the last compaction (the caller decides when to compact). */
  readonly bytesSinceCompaction: number
  readonly recordsSinceCompaction: number
  /** Waits for pending writes, closes files. Further appends reject. */
  close(): Promise<void>
}

/** A professional's account. Emails are stored lower-case. */
export interface StoredAccount {
  id: string
  name: string
  email: string
  admin: boolean
  /** Sees the programme figures (aggregates only, server/http/programmes.ts); absent means no. */
  programmeLead?: boolean
  /** scrypt hash (server/auth/passwords.ts); null until the person sets a password. */
  passwordHash: string | null
  /**
   * TOTP second factor; `confirmed` once the person proved their app works. `newSecret`: the app
   * on a new phone being set up, which replaces `secret` only once a code from it is confirmed.
   */
  totp: { secret: string; confirmed: boolean; lastStep: number | null; newSecret?: string } | null
  disabled: boolean
  createdAt: string
}

/** An invitation to one conference. Only hashes of the link token and the code are kept. */
export interface StoredInvitation {
  id: string
  tokenHash: string
  codeHash: string
  expiresAt: string
  maxDevices: number
  /** Hashes of the device ids that signed in with it (a device signing in again is not counted twice). */
  devices: string[]
  revoked: boolean
}

/** Someone taking part in one conference. */
export interface StoredParticipant {
  id: string
  conferenceId: string
  name: string
  role: Role
  accountId: string | null
  invitation: StoredInvitation | null
  /** Removed people are kept (the record names them as authors) but can no longer get in. */
  removed: boolean
  createdAt: string
}

/** A signed-in device. `id` is the hash of the cookie's token. */
export interface StoredSession {
  id: string
  kind: 'account' | 'participant'
  /** The account id or participant id. */
  subjectId: string
  createdAt: string
  lastSeenAt: string
}

/** A one-time link to choose a password. `id` is the hash of its token; `accountId` null sets up the first administrator. */
export interface StoredPasswordLink {
  id: string
  accountId: string | null
  expiresAt: string
}

/** One kind of access record, all in memory, each write durable before it resolves. */
export interface RecordSet<T extends { id: string }> {
  /** Fresh copies of every record, or of those `matching` (which reads the stored record and must not change it). */
  all(matching?: (record: Readonly<T>) => boolean): T[]
  /** A copy of the first record `matching`: only that one is copied. */
  find(matching: (record: Readonly<T>) => boolean): T | undefined
  some(matching: (record: Readonly<T>) => boolean): boolean
  get(id: string): T | undefined
  /** Inserts or replaces the record with this id. */
  put(record: T): Promise<void>
  /**
   * Changes the record with this id as it is when the write's turn comes, not as it was read:
   * two changes to one record, made at once, both stay. Resolves to the record as stored, or
   * undefined (and writes nothing) when there is no such record by then. When `change` throws,
   * nothing is written and the promise rejects with its error.
   */
  update(id: string, change: (current: T) => T): Promise<T | undefined>
  delete(id: string): Promise<void>
}

/** Who may get in: accounts, conference participants, sessions and password links. */
export interface AccessStore {
  readonly accounts: RecordSet<StoredAccount>
  readonly participants: RecordSet<StoredParticipant>
  readonly sessions: RecordSet<StoredSession>
  readonly passwordLinks: RecordSet<StoredPasswordLink>
}

/** A score given before the reveal: kept by the server only, never in the shared record. */
export interface SealedScore {
  /** `<conferenceId>/<roundId>/<scorer key>`: one per person per round. */
  id: string
  conferenceId: string
  roundId: string
  scorer: Scorer
  score: GivenScore
}

/** A correction to a finalized record (server/storage/amendments.ts), with whose it is. */
export interface StoredAmendment extends Amendment {
  conferenceId: string
  participantId: string
}

/** A document of a conference sent to someone (server/storage/sentDocuments.ts). */
export interface StoredSentDocument {
  id: string
  conferenceId: string
  document: ExportDocument
  /** Who it went to, in words. */
  to: string
  at: string
  /** The name and participant id of who recorded it. */
  recordedBy: string
  recordedById: string
  recordedAt: string
  /**
   * Which version went out, as the record stood when the sending was recorded: a draft (the
   * record was open, or the document was sent before the chair closed it), or the final record
   * with the hash of the copy kept at closing. Absent in sendings stored before this was kept:
   * unknown, never counted as final.
   */
  status?: StoredSentStatus
}

export type StoredSentStatus = { state: 'draft' } | { state: 'final'; hash: string }

/** The referral a CSC started from; `id` is the conference's id. */
export interface StoredReferral extends ReferralInput {
  id: string
  recordedAt: string
}

/** Where one child is staying at each point, and how their views reached a UK conference. `id` is `<conferenceId>/<childId>`. */
export interface StoredChildOutcome {
  id: string
  conferenceId: string
  childId: string
  staying: Partial<Record<OutcomePoint, WhereStaying>>
  participation: Participation | null
  updatedAt: string
}

/**
 * One parent's feedback. No participant id, name or time (the figures go by the conference's
 * date): it cannot be traced to the parent through the people of the conference, the audit trail
 * or when it was given. Stored in the order of its random id, not the order given.
 */
export interface StoredFeedback {
  id: string
  conferenceId: string
  answers: Partial<Record<FeedbackQuestionId, FeedbackAnswer>>
  words: string
  shareWords: boolean
}

/** That someone gave feedback, kept apart from what they said. `id` is a keyed hash of the conference and the person's name (server/programmes/feedback.ts). */
export interface StoredFeedbackGiven {
  id: string
}

/** What the programmes keep beside the records (server/programmes/). */
export interface ProgrammeRecords {
  readonly referrals: RecordSet<StoredReferral>
  readonly parentPartnerOffers: RecordSet<ParentPartnerOffer>
  readonly childOutcomes: RecordSet<StoredChildOutcome>
  readonly feedback: RecordSet<StoredFeedback>
  readonly feedbackGiven: RecordSet<StoredFeedbackGiven>
}

export interface Storage {
  readonly conferences: ConferenceCatalog
  readonly access: AccessStore
  /** Scores waiting for their round's reveal. */
  readonly sealedScores: RecordSet<SealedScore>
  /** Corrections made after a record was finalized. */
  readonly amendments: RecordSet<StoredAmendment>
  /** Who each document was sent to, and when. */
  readonly sentDocuments: RecordSet<StoredSentDocument>
  /** Referrals, Parent Partner offers, children's outcomes and parents' feedback. */
  readonly programmes: ProgrammeRecords
  /**
   * Opens the journal of one document of an EXISTING conference (throws ConferenceNotFoundError
   * otherwise, creating nothing): its record (the default) or its professionals-only section.
   * One open journal per document at a time (StorageError 'journal-busy').
   */
  openJournal(conferenceId: string, document?: ConferenceDocument): Promise<UpdateJournal>
  /**
   * Keeps a finalized record's copy, never changed afterwards (the file is named by its SHA-256,
   * written durably). Returns the hash. The conference must exist.
   */
  keepFinalCopy(conferenceId: string, state: Uint8Array): Promise<string>
  /** A copy kept by keepFinalCopy, or undefined. */
  readFinalCopy(conferenceId: string, hash: string): Promise<Uint8Array | undefined>
  /** Closes every open journal (waiting for their writes) and the catalog. */
  close(): Promise<void>
}
