import type * as Y from 'yjs'

/** Facts about the record itself: its schema version. Written by migrations only. */

export const META_ROOT = 'meta'
export const META_ROOT_NAMES = [META_ROOT] as const

/** The schema version the record was last migrated to; 0 for a record never migrated. */
export function readSchemaVersion(doc: Y.Doc): number {
  const version = doc.getMap<unknown>(META_ROOT).get('schemaVersion')
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 0 ? version : 0
}

/** Call only inside a migration's transaction. */
export function writeSchemaVersion(doc: Y.Doc, version: number): void {
  doc.getMap<unknown>(META_ROOT).set('schemaVersion', version)
}

export interface MetaPart {
  schemaVersion(): number
}

export function metaPart(doc: Y.Doc): MetaPart {
  return { schemaVersion: () => readSchemaVersion(doc) }
}
