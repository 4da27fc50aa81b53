import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { MIGRATIONS, NewerSchemaVersionError, SCHEMA_VERSION, conferenceRecord, migrateConference, recordSnapshot } from '../../shared/conference'
import { META_ROOT } from '../../shared/conference/meta'

function updatesOf(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  return updates
}

describe('migrations', () => {
  test('are ordered, uniquely named, and end at SCHEMA_VERSION', () => {
    const versions = MIGRATIONS.map((migration) => migration.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(new Set(versions).size).toBe(versions.length)
    expect(new Set(MIGRATIONS.map((migration) => migration.name)).size).toBe(MIGRATIONS.length)
    expect(versions.at(-1)).toBe(SCHEMA_VERSION)
    expect(MIGRATIONS[0]).toMatchObject({ version: 1, name: 'v1-initial-structure' })
  })

  test('a fresh doc migrates to SCHEMA_VERSION, each migration in its own transaction', () => {
    const doc = new Y.Doc()
    const origins: unknown[] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin))
    expect(migrateConference(doc)).toEqual({ from: 0, to: SCHEMA_VERSION, applied: MIGRATIONS.map((migration) => migration.name) })
    expect(origins).toEqual(MIGRATIONS.map((migration) => ({ kind: 'migration', name: migration.name })))
    expect(conferenceRecord(doc).meta.schemaVersion()).toBe(SCHEMA_VERSION)
  })

  test('v1 stores the defaults of the singleton parts, so every client reads the same values', () => {
    const doc = new Y.Doc()
    migrateConference(doc)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    expect(copy.getMap('details').toJSON()).toEqual({ kind: 'uk-initial', title: '', date: '', area: '' })
    expect(copy.getMap('childsVoice').toJSON()).toEqual({ howShared: 'not-yet-recorded' })
    expect(copy.getMap('decision').toJSON()).toEqual({ decision: 'not-yet-decided', category: null, whereChildrenStay: 'not-yet-recorded' })
    expect(copy.getMap('overallScale').get('question')).toBe(conferenceRecord(copy).overallScale.get().question)
    expect(recordSnapshot(copy)).toEqual(recordSnapshot(doc))
  })

  test('v1 keeps values already there', () => {
    const doc = new Y.Doc()
    conferenceRecord(doc).details.update({ title: 'Already titled', kind: 'us-csc-initial' })
    migrateConference(doc)
    expect(conferenceRecord(doc).details.get()).toMatchObject({ title: 'Already titled', kind: 'us-csc-initial', area: '' })
  })

  test('running twice is a no-op', () => {
    const doc = new Y.Doc()
    migrateConference(doc)
    const updates = updatesOf(doc)
    expect(migrateConference(doc)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] })
    expect(updates).toEqual([])
  })

  test('a record from a newer SafetyMap is refused, untouched', () => {
    const doc = new Y.Doc()
    doc.getMap(META_ROOT).set('schemaVersion', SCHEMA_VERSION + 1)
    const updates = updatesOf(doc)
    let thrown: unknown
    try {
      migrateConference(doc)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(NewerSchemaVersionError)
    expect(thrown).toMatchObject({ reason: 'newer-schema-version', found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION })
    expect(updates).toEqual([])
  })

  test('an invalid stored version reads as never migrated', () => {
    const doc = new Y.Doc()
    doc.getMap(META_ROOT).set('schemaVersion', 'one')
    expect(migrateConference(doc).from).toBe(0)
    expect(conferenceRecord(doc).meta.schemaVersion()).toBe(SCHEMA_VERSION)
  })
})
