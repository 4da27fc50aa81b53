import { z } from 'zod'
import { ROLES } from '../../shared/roles'
import type { StorageHooks } from './durable'
import type { JsonFileFormat } from './jsonFile'
import { LowdbRecordFile } from './recordFile'
import type { AccessStore, RecordSet, StoredAccount, StoredParticipant, StoredPasswordLink, StoredSession } from './types'

export const ACCESS_VERSION = 1

const isoTime = z.iso.datetime()

const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  admin: z.boolean(),
  // Added without a version bump: accounts stored before programmes are not leads.
  programmeLead: z.boolean().optional(),
  passwordHash: z.string().nullable(),
  // `newSecret` added without a version bump: accounts stored before moving to a new phone have none.
  totp: z.object({ secret: z.string(), confirmed: z.boolean(), lastStep: z.number().int().nullable(), newSecret: z.string().optional() }).nullable(),
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

const accessFormat: JsonFileFormat<AccessFile> = { version: ACCESS_VERSION, schema: accessFileSchema, migrations: {}, syncTarget: 'access' }

/** Accounts, participants, sessions and password links in one lowdb JSON file (see LowdbRecordFile). */
export class LowdbAccessStore implements AccessStore {
  readonly accounts: RecordSet<StoredAccount>
  readonly participants: RecordSet<StoredParticipant>
  readonly sessions: RecordSet<StoredSession>
  readonly passwordLinks: RecordSet<StoredPasswordLink>

  private constructor(private readonly file: LowdbRecordFile<AccessFile>) {
    this.accounts = file.recordSet('accounts')
    this.participants = file.recordSet('participants')
    this.sessions = file.recordSet('sessions')
    this.passwordLinks = file.recordSet('passwordLinks')
  }

  static async open(path: string, hooks: StorageHooks): Promise<LowdbAccessStore> {
    const empty: AccessFile = { version: ACCESS_VERSION, accounts: [], participants: [], sessions: [], passwordLinks: [] }
    return new LowdbAccessStore(await LowdbRecordFile.open(path, accessFormat, empty, hooks))
  }

  close(): Promise<void> {
    return this.file.close()
  }
}
