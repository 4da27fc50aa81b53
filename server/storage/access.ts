import { Low } from 'lowdb'
import { z } from 'zod'
import { ROLES } from '../../shared/roles'
import type { StorageHooks } from './durable'
import { StorageError } from './errors'
import { DurableJsonFile, type JsonFileFormat } from './jsonFile'
import type { AccessStore, RecordSet, StoredAccount, StoredParticipant, StoredPasswordLink, StoredSession } from './types'

export const ACCESS_VERSION = 1

const isoTime = z.iso.datetime()

const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  admin: z.boolean(),
  passwordHash: z.string().nullable(),
  totp: z.object({ secret: z.string(), confirmed: z.boolean(), lastStep: z.number().int().nullable() }).nullable(),
  disabled: z.boolean(),
  createdAt: isoTime,
}) satisfies z.ZodType<StoredAccount>

const participantSchema = z.object({
  id: z.string(),
  conferenceId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  accountId: z.string().nullable(),
  invitation: z
    .object({
      id: z.string(),
      tokenHash: z.string(),
      codeHash: z.string(),
      expiresAt: isoTime,
      maxDevices: z.number().int().positive(),
      devices: z.array(z.string()),
      revoked: z.boolean(),
    })
    .nullable(),
  removed: z.boolean(),
  createdAt: isoTime,
}) satisfies z.ZodType<StoredParticipant>

const sessionSchema = z.object({
  id: z.string(),
  kind: z.enum(['account', 'participant']),
  subjectId: z.string(),
  createdAt: isoTime,
  lastSeenAt: isoTime,
}) satisfies z.ZodType<StoredSession>

const passwordLinkSchema = z.object({
  id: z.string(),
  accountId: z.string().nullable(),
  expiresAt: isoTime,
}) satisfies z.ZodType<StoredPasswordLink>

const accessFileSchema = z.object({
  version: z.literal(ACCESS_VERSION),
  accounts: z.array(accountSchema),
  participants: z.array(participantSchema),
  sessions: z.array(sessionSchema),
  passwordLinks: z.array(passwordLinkSchema),
})

type AccessFile = z.infer<typeof accessFileSchema>
type Collection = Exclude<keyof AccessFile, 'version'>

const accessFormat: JsonFileFormat<AccessFile> = { version: ACCESS_VERSION, schema: accessFileSchema, migrations: {}, syncTarget: 'access' }

/**
 * Accounts, participants, sessions and password links in one lowdb JSON file. Reads come from
 * memory; each write rewrites the file durably, one at a time, and is taken back out of memory if
 * it fails. Access changes are rare (sign-ins, invitations), so one small file is enough.
 */
export class LowdbAccessStore implements AccessStore {
  readonly accounts: RecordSet<StoredAccount>
  readonly participants: RecordSet<StoredParticipant>
  readonly sessions: RecordSet<StoredSession>
  readonly passwordLinks: RecordSet<StoredPasswordLink>
  private writes: Promise<unknown> = Promise.resolve()
  private closed = false

  private constructor(private readonly db: Low<AccessFile>) {
    this.accounts = this.recordSet('accounts')
    this.participants = this.recordSet('participants')
    this.sessions = this.recordSet('sessions')
    this.passwordLinks = this.recordSet('passwordLinks')
  }

  static async open(file: string, hooks: StorageHooks): Promise<LowdbAccessStore> {
    const empty: AccessFile = { version: ACCESS_VERSION, accounts: [], participants: [], sessions: [], passwordLinks: [] }
    const db = new Low<AccessFile>(new DurableJsonFile(file, accessFormat, hooks), empty)
    const existing = await db.adapter.read()
    if (existing) db.data = existing
    else await db.write()
    return new LowdbAccessStore(db)
  }

  /** Waits for writes in progress; later writes reject. */
  async close(): Promise<void> {
    this.closed = true
    await this.writes.catch(() => undefined)
  }

  private recordSet<K extends Collection>(key: K): RecordSet<AccessFile[K][number]> {
    type Stored = AccessFile[K][number]
    const records = (): Stored[] => this.db.data[key]
    const replace = (next: Stored[]): void => {
      ;(this.db.data[key] as Stored[]) = next
    }
    const write = (change: (current: Stored[]) => Stored[]): Promise<void> => {
      if (this.closed) return Promise.reject(new StorageError('closed', 'storage is closed'))
      const written = this.writes.catch(() => undefined).then(async () => {
        const before = records()
        replace(change(before))
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
      all: () => records().map((record) => structuredClone(record)),
      get: (id) => {
        const found = records().find((record) => record.id === id)
        return found ? structuredClone(found) : undefined
      },
      put: (record) => {
        const copy = structuredClone(record)
        return write((current) => {
          const index = current.findIndex((stored) => stored.id === record.id)
          return index === -1 ? [...current, copy] : current.map((stored, at) => (at === index ? copy : stored))
        })
      },
      delete: (id) => write((current) => current.filter((stored) => stored.id !== id)),
    }
  }
}
