import type * as Y from 'yjs'
import { childsVoiceFields } from './childsVoice'
import { decisionFields } from './decision'
import { detailsFields } from './details'
import { NewerSchemaVersionError } from './errors'
import { readSchemaVersion, writeSchemaVersion } from './meta'
import { migrationOrigin } from './origins'
import { overallScaleFields } from './overallScale'
import { SCHEMA_VERSION } from './schema'

/**
 * Ordered, named migrations of the conference record. The server runs them when it loads a
 * record, before anyone syncs, so it is their only writer. Never edit a released migration:
 * add a new one, bump SCHEMA_VERSION, and keep tests/fixtures loading.
 */
export interface ConferenceMigration {
  readonly version: number
  readonly name: string
  migrate(doc: Y.Doc): void
}

export const MIGRATIONS: readonly ConferenceMigration[] = [
  {
    version: 1,
    name: 'v1-initial-structure',
    // Defaults written once by the server, so every client reads the same stored values
    // rather than each falling back on its own copy of the defaults.
    migrate(doc) {
      detailsFields(doc).writeMissingDefaults()
      overallScaleFields(doc).writeMissingDefaults()
      childsVoiceFields(doc).writeMissingDefaults()
      decisionFields(doc).writeMissingDefaults()
    },
  },
]

export interface MigrationResult {
  from: number
  to: number
  /** Names of the migrations run, in order; empty when the record was already current. */
  applied: string[]
}

/**
 * Brings a record up to SCHEMA_VERSION, each migration in its own transaction with a
 * `migration` origin. Throws NewerSchemaVersionError for a record from a newer SafetyMap.
 */
export function migrateConference(doc: Y.Doc): MigrationResult {
  const from = readSchemaVersion(doc)
  if (from > SCHEMA_VERSION) throw new NewerSchemaVersionError(from, SCHEMA_VERSION)
  const applied: string[] = []
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue
    doc.transact(() => {
      migration.migrate(doc)
      writeSchemaVersion(doc, migration.version)
    }, migrationOrigin(migration.name))
    applied.push(migration.name)
  }
  return { from, to: readSchemaVersion(doc), applied }
}
