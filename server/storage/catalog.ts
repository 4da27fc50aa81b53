import { readFile } from 'node:fs/promises'
import { Low, type Adapter } from 'lowdb'
import { z } from 'zod'
import { isNotFound, replaceFileDurably, type StorageHooks } from './durable'
import { StorageError } from './errors'
import { isConferenceId, newConferenceId } from './ids'
import type { ConferenceCatalog, ConferenceSummary, NewConference } from './types'

/** Bumped with a migration in `migrateCatalog` whenever the file's shape changes. */
export const CATALOG_VERSION = 1

import { CONFERENCE_KINDS } from '../../shared/conference/details'

export const newConferenceSchema = z.object({
  title: z.string().trim().min(1).max(200),
  kind: z.enum(CONFERENCE_KINDS),
  date: z.iso.date(),
  demo: z.boolean().optional(),
})

const conferenceSummarySchema = z.object({
  id: z.string().refine(isConferenceId, 'not a conference id'),
  title: z.string(),
  kind: z.enum(CONFERENCE_KINDS),
  date: z.iso.date(),
  createdAt: z.iso.datetime(),
  demo: z.boolean(),
})

const catalogFileSchema = z.object({
  version: z.literal(CATALOG_VERSION),
  conferences: z.array(conferenceSummarySchema),
})

export type CatalogFile = z.infer<typeof catalogFileSchema>

/** Ordered upgrades of older files; none yet. Each takes version n and returns version n + 1. */
const migrations: Record<number, (file: Record<string, unknown>) => Record<string, unknown>> = {}

function migrateCatalog(raw: unknown, file: string): CatalogFile {
  const versioned = z.looseObject({ version: z.number().int().positive() }).safeParse(raw)
  if (!versioned.success) throw new StorageError('corrupt', `${file} has no valid version`)
  let current: Record<string, unknown> = versioned.data
  for (let version = versioned.data.version; version < CATALOG_VERSION; version++) {
    const migrate = migrations[version]
    if (!migrate) throw new StorageError('corrupt', `${file} has version ${version}, which no migration reads`)
    current = migrate(current)
  }
  if (versioned.data.version > CATALOG_VERSION) {
    throw new StorageError('unsupported-version', `${file} was written by a newer SafetyMap (version ${versioned.data.version})`)
  }
  const parsed = catalogFileSchema.safeParse(current)
  if (!parsed.success) throw new StorageError('corrupt', `${file} is not a valid catalog: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

/**
 * lowdb adapter that reads with validation and writes durably. lowdb's own JSONFile renames a temp
 * file without any fsync, so a power cut could lose a conference that the caller was told exists.
 * Real JSON on disk either way, and never JSONFilePreset (it swaps to memory under NODE_ENV=test).
 */
class DurableCatalogFile implements Adapter<CatalogFile> {
  constructor(
    private readonly file: string,
    private readonly hooks: StorageHooks,
  ) {}

  async read(): Promise<CatalogFile | null> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (error) {
      if (isNotFound(error)) return null
      throw error
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      // Never overwrite a file we cannot read: it may be the only copy of the catalog.
      throw new StorageError('corrupt', `${this.file} is not valid JSON`, { cause: error })
    }
    return migrateCatalog(raw, this.file)
  }

  async write(data: CatalogFile): Promise<void> {
    await replaceFileDurably(this.file, JSON.stringify(data, null, 2) + '\n', 'catalog', this.hooks)
  }
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
    const db = new Low<CatalogFile>(new DurableCatalogFile(file, options.hooks), { version: CATALOG_VERSION, conferences: [] })
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
    if (!parsed.success) {
      return Promise.reject(new StorageError('invalid-conference', `invalid conference: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`))
    }
    const created = this.writes.catch(() => undefined).then(async () => {
      let id = newConferenceId()
      while (this.committed.has(id)) id = newConferenceId()
      const conference: ConferenceSummary = {
        id,
        title: parsed.data.title,
        kind: parsed.data.kind,
        date: parsed.data.date,
        createdAt: new Date().toISOString(),
        demo: parsed.data.demo ?? false,
      }
      this.db.data.conferences.push(conference)
      try {
        await this.db.write()
      } catch (error) {
        this.db.data.conferences = this.db.data.conferences.filter((stored) => stored.id !== id)
        throw new StorageError('write-failed', 'could not store the new conference', { cause: error })
      }
      this.committed.set(id, conference)
      await this.options.afterCreate(conference)
      return { ...conference }
    })
    this.writes = created
    return created
  }

  /** Waits for writes in progress; later calls reject. */
  async close(): Promise<void> {
    this.closed = true
    await this.writes.catch(() => undefined)
  }
}

function closedError(): StorageError {
  return new StorageError('closed', 'storage is closed')
}
