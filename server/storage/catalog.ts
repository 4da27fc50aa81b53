import { Low } from 'lowdb'
import { z } from 'zod'
import type { StorageHooks } from './durable'
import { DurableJsonFile, type JsonFileFormat } from './jsonFile'
import { ConferenceNotFoundError, StorageError } from './errors'
import { isConferenceId, newConferenceId } from './ids'
import type { ConferenceCatalog, ConferenceChange, ConferenceSummary, NewConference } from './types'
import { CONFERENCE_KINDS } from '../../shared/conference/details'

/** Bumped with a migration in `catalogFormat` whenever the file's shape changes. */
export const CATALOG_VERSION = 1

export const newConferenceSchema = z.object({
  title: z.string().trim().min(1).max(200),
  kind: z.enum(CONFERENCE_KINDS),
  date: z.iso.date(),
  demo: z.boolean().optional(),
  /** The earlier conference this one follows, and the case they share (both or neither). */
  follows: z.string().refine(isConferenceId, 'not a conference id').optional(),
  caseId: z.string().refine(isConferenceId, 'not a conference id').optional(),
})

const conferenceChangeSchema = newConferenceSchema.pick({ title: true, date: true }).partial()

const conferenceSummarySchema = z.object({
  id: z.string().refine(isConferenceId, 'not a conference id'),
  title: z.string(),
  kind: z.enum(CONFERENCE_KINDS),
  date: z.iso.date(),
  createdAt: z.iso.datetime(),
  demo: z.boolean(),
  // Added without a version bump: a conference stored before cases has neither, and is a case of its own.
  follows: z.string().refine(isConferenceId, 'not a conference id').optional(),
  caseId: z.string().refine(isConferenceId, 'not a conference id').optional(),
})

const catalogFileSchema = z.object({
  version: z.literal(CATALOG_VERSION),
  conferences: z.array(conferenceSummarySchema),
})

export type CatalogFile = z.infer<typeof catalogFileSchema>

const catalogFormat: JsonFileFormat<CatalogFile> = {
  version: CATALOG_VERSION,
  schema: catalogFileSchema,
  // None yet.
  migrations: {},
  syncTarget: 'catalog',
}

export interface CatalogOptions {
  hooks: StorageHooks
  /** Runs after a new conference is durable (the embedded store makes its journal directory). */
  afterCreate: (conference: ConferenceSummary) => Promise<void>
}

/** The conference catalogue in one lowdb JSON file. Small, rarely written: one durable rewrite per change is fine. */
export class LowdbConferenceCatalog implements ConferenceCatalog {
  /** Only what is on disk: a conference is visible once its write has been synced. */
  private readonly committed = new Map<string, ConferenceSummary>()
  /** Writes run one at a time, so a failed one can be taken back out of `db.data` cleanly. */
  private writes: Promise<unknown> = Promise.resolve()
  private closed = false

  private constructor(
    private readonly db: Low<CatalogFile>,
    private readonly options: CatalogOptions,
  ) {
    for (const conference of db.data.conferences) this.committed.set(conference.id, conference)
  }

  static async open(file: string, options: CatalogOptions): Promise<LowdbConferenceCatalog> {
    const db = new Low<CatalogFile>(new DurableJsonFile(file, catalogFormat, options.hooks), { version: CATALOG_VERSION, conferences: [] })
    const existing = await db.adapter.read()
    if (existing) db.data = existing
    // Write the version now, so the file on disk always says what shape it is.
    else await db.write()
    return new LowdbConferenceCatalog(db, options)
  }

  list(): Promise<ConferenceSummary[]> {
    if (this.closed) return Promise.reject(closedError())
    const conferences = [...this.committed.values()].sort(
      (a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id),
    )
    return Promise.resolve(conferences.map((conference) => ({ ...conference })))
  }

  get(id: string): Promise<ConferenceSummary | undefined> {
    if (this.closed) return Promise.reject(closedError())
    const conference = this.committed.get(id)
    return Promise.resolve(conference ? { ...conference } : undefined)
  }

  create(input: NewConference): Promise<ConferenceSummary> {
    if (this.closed) return Promise.reject(closedError())
    const parsed = newConferenceSchema.safeParse(input)
    if (!parsed.success) return Promise.reject(invalidConference(parsed.error))
    return this.write(async () => {
      let id = newConferenceId()
      while (this.committed.has(id)) id = newConferenceId()
      const conference: ConferenceSummary = {
        id,
        title: parsed.data.title,
        kind: parsed.data.kind,
        date: parsed.data.date,
        createdAt: new Date().toISOString(),
        demo: parsed.data.demo ?? false,
        ...(parsed.data.follows && parsed.data.caseId ? { follows: parsed.data.follows, caseId: parsed.data.caseId } : {}),
      }
      await this.store(conference, 'could not store the new conference')
      await this.options.afterCreate(conference)
      return { ...conference }
    })
  }

  update(id: string, change: ConferenceChange): Promise<ConferenceSummary> {
    if (this.closed) return Promise.reject(closedError())
    const parsed = conferenceChangeSchema.safeParse(change)
    if (!parsed.success) return Promise.reject(invalidConference(parsed.error))
    return this.write(async () => {
      const before = this.committed.get(id)
      if (!before) throw new ConferenceNotFoundError(id)
      const conference: ConferenceSummary = { ...before, ...parsed.data }
      await this.store(conference, 'could not store the changed conference')
      return { ...conference }
    })
  }

  /** Runs one write after the ones before it, whether they failed or not. */
  private write<T>(work: () => Promise<T>): Promise<T> {
    const done = this.writes.catch(() => undefined).then(work)
    this.writes = done
    return done
  }

  /** Puts a new or changed conference in the file; visible to `get` and `list` once synced, and taken back out of `db.data` if the write fails. */
  private async store(conference: ConferenceSummary, failure: string): Promise<void> {
    const before = this.db.data.conferences
    const changed = before.some((stored) => stored.id === conference.id)
    this.db.data.conferences = changed ? before.map((stored) => (stored.id === conference.id ? conference : stored)) : [...before, conference]
    try {
      await this.db.write()
    } catch (error) {
      this.db.data.conferences = before
      throw new StorageError('write-failed', failure, { cause: error })
    }
    this.committed.set(conference.id, conference)
  }

  /** Waits for writes in progress; later calls reject. */
  async close(): Promise<void> {
    this.closed = true
    await this.writes.catch(() => undefined)
  }
}

function invalidConference(error: z.ZodError): StorageError {
  return new StorageError('invalid-conference', `invalid conference: ${error.issues.map((issue) => issue.path.join('.')).join(', ')}`)
}

function closedError(): StorageError {
  return new StorageError('closed', 'storage is closed')
}
