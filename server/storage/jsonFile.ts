import { readFile } from 'node:fs/promises'
import type { Adapter } from 'lowdb'
import { z } from 'zod'
import { isNotFound, replaceFileDurably, type StorageHooks, type SyncTarget } from './durable'
import { StorageError } from './errors'

/** How one versioned JSON file is read: its current shape and the upgrades of older versions. */
export interface JsonFileFormat<T> {
  version: number
  schema: z.ZodType<T>
  /** Ordered upgrades of older files. Each takes version n and returns version n + 1. */
  migrations: Record<number, (file: Record<string, unknown>) => Record<string, unknown>>
  syncTarget: SyncTarget
}

function migrate<T>(raw: unknown, file: string, format: JsonFileFormat<T>): T {
  const versioned = z.looseObject({ version: z.number().int().positive() }).safeParse(raw)
  if (!versioned.success) throw new StorageError('corrupt', `${file} has no valid version`)
  if (versioned.data.version > format.version) {
    throw new StorageError('unsupported-version', `${file} was written by a newer SafetyMap (version ${versioned.data.version})`)
  }
  let current: Record<string, unknown> = versioned.data
  for (let version = versioned.data.version; version < format.version; version++) {
    const upgrade = format.migrations[version]
    if (!upgrade) throw new StorageError('corrupt', `${file} has version ${version}, which no migration reads`)
    current = upgrade(current)
  }
  const parsed = format.schema.safeParse(current)
  if (!parsed.success) throw new StorageError('corrupt', `${file} is not valid: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

/**
 * lowdb adapter that reads with validation and writes durably. lowdb's own JSONFile renames a temp
 * file without any fsync, so a power cut could lose what the caller was told is stored. Real JSON
 * on disk either way, and never JSONFilePreset (it swaps to memory under NODE_ENV=test).
 */
export class DurableJsonFile<T> implements Adapter<T> {
  /** The last read upgraded an older file: what is on disk is still the old shape until written. */
  upgraded = false

  constructor(
    private readonly file: string,
    private readonly format: JsonFileFormat<T>,
    private readonly hooks: StorageHooks,
  ) {}

  async read(): Promise<T | null> {
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
      // Never overwrite a file we cannot read: it may be the only copy.
      throw new StorageError('corrupt', `${this.file} is not valid JSON`, { cause: error })
    }
    const read = migrate(raw, this.file, this.format)
    this.upgraded = (raw as { version: number }).version < this.format.version
    return read
  }

  async write(data: T): Promise<void> {
    await replaceFileDurably(this.file, JSON.stringify(data, null, 2) + '\n', this.format.syncTarget, this.hooks)
  }
}
