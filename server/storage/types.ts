/**
 * What the server needs from storage, and nothing about how it is kept. The embedded store
 * (lowdb + journal files) implements it today; a database will later. Every implementation must
 * pass tests/unit/storage.contract.ts.
 */

import type { ConferenceKind } from '../../shared/conference/details'
import type { ConferenceSummary } from '../../shared/api'

export type { ConferenceKind, ConferenceSummary }


export interface NewConference {
  title: string
  kind: ConferenceKind
  date: string
  demo?: boolean
}

export interface ConferenceCatalog {
  /** Newest conference date first. */
  list(): Promise<ConferenceSummary[]>
  /** Any string in (it may come straight from a URL); never throws for odd ids. */
  get(id: string): Promise<ConferenceSummary | undefined>
  /** Durable before it resolves. The id is 16 random bytes (crypto) in base64url: unguessable. */
  create(input: NewConference): Promise<ConferenceSummary>
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

export interface Storage {
  readonly conferences: ConferenceCatalog
  /**
   * Opens the journal of an EXISTING conference (throws ConferenceNotFoundError otherwise, creating
   * nothing). One open journal per conference at a time (StorageError 'journal-busy').
   */
  openJournal(conferenceId: string): Promise<UpdateJournal>
  /** Closes every open journal (waiting for their writes) and the catalog. */
  close(): Promise<void>
}
