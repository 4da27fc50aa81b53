import { Low } from 'lowdb'
import type { StorageHooks } from './durable'
import { StorageError } from './errors'
import { DurableJsonFile, type JsonFileFormat } from './jsonFile'
import type { RecordSet } from './types'

/** A versioned file of named collections, each an array of records with an id. */
export type RecordFileData = { version: number } & Record<string, unknown>

/**
 * Small record collections in one lowdb JSON file. Reads come from memory; each write rewrites
 * the file durably, one at a time, and is taken back out of memory if it fails. For data that
 * changes rarely (sign-ins, invitations, sealed scores): one small file is enough.
 */
export class LowdbRecordFile<T extends RecordFileData> {
  private writes: Promise<unknown> = Promise.resolve()
  private closed = false

  private constructor(private readonly db: Low<T>) {}

  static async open<T extends RecordFileData>(file: string, format: JsonFileFormat<T>, empty: T, hooks: StorageHooks): Promise<LowdbRecordFile<T>> {
    const adapter = new DurableJsonFile(file, format, hooks)
    const db = new Low<T>(adapter, empty)
    const existing = await db.adapter.read()
    if (existing) db.data = existing
    // Written now, so the file on disk always says what shape it is: new, or upgraded (an upgrade
    // may drop what must not be kept, which stays on disk until the file is written).
    if (!existing || adapter.upgraded) await db.write()
    return new LowdbRecordFile(db)
  }

  /** Waits for writes in progress; later writes reject. */
  async close(): Promise<void> {
    this.closed = true
    await this.writes.catch(() => undefined)
  }

  /** `inIdOrder`: new records go in the order of their ids, not at the end (see `inIdOrder`). */
  recordSet<R extends { id: string }>(key: keyof T & string, { inIdOrder: sorted = false } = {}): RecordSet<R> {
    const records = (): R[] => this.db.data[key] as R[]
    const replace = (next: R[]): void => {
      ;(this.db.data as Record<string, unknown>)[key] = next
    }
    /** `change` returns the next records, or null to write nothing. */
    const write = (change: (current: R[]) => R[] | null): Promise<void> => {
      if (this.closed) return Promise.reject(new StorageError('closed', 'storage is closed'))
      const written = this.writes.catch(() => undefined).then(async () => {
        const before = records()
        const next = change(before)
        if (next === null) return
        replace(next)
        try {
          await this.db.write()
        } catch (error) {
          replace(before)
          throw new StorageError('write-failed', `could not store ${key}`, { cause: error })
        }
      })
      this.writes = written
      return written
    }
    return {
      // Filtered before copying: a sign-in looks for one person among every conference's.
      all: (matching) => (matching ? records().filter(matching) : records()).map((record) => structuredClone(record)),
      find: (matching) => {
        const found = records().find(matching)
        return found ? structuredClone(found) : undefined
      },
      some: (matching) => records().some(matching),
      get: (id) => {
        const found = records().find((record) => record.id === id)
        return found ? structuredClone(found) : undefined
      },
      put: (record) => {
        const copy = structuredClone(record)
        return write((current) => {
          const index = current.findIndex((stored) => stored.id === record.id)
          if (index !== -1) return current.map((stored, at) => (at === index ? copy : stored))
          return sorted ? inIdOrder([...current, copy]) : [...current, copy]
        })
      },
      update: async (id, change) => {
        let stored: R | undefined
        await write((current) => {
          const index = current.findIndex((record) => record.id === id)
          const found = current[index]
          if (!found) return null
          // The change gets a copy: if it throws halfway, memory still holds the record as stored.
          const changed = structuredClone(change(structuredClone(found)))
          stored = changed
          return current.map((record, at) => (at === index ? changed : record))
        })
        return stored && structuredClone(stored)
      },
      delete: (id) => write((current) => current.filter((stored) => stored.id !== id)),
    }
  }
}

/** Records in the order of their ids: for random ids, an order that says nothing of when each was stored. */
export function inIdOrder<R extends { id: string }>(records: readonly R[]): R[] {
  return [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
