import type * as Y from 'yjs'

/**
 * Facts about the record itself: its schema version (written by migrations) and, once the chair
 * has finalized it, when, by whom and the hash of the copy kept (written by the server).
 */

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

/** The record was finalized: read-only from then on; corrections are amendments. */
export interface Finalization {
  at: string
  /** The chair's name. */
  by: string
  /** SHA-256 (hex) of the copy of the record kept at that moment. */
  hash: string
}

export function readFinalization(doc: Y.Doc): Finalization | null {
  const value = doc.getMap<unknown>(META_ROOT).get('finalized')
  if (typeof value !== 'object' || value === null) return null
  const { at, by, hash } = value as Record<string, unknown>
  return typeof at === 'string' && typeof by === 'string' && typeof hash === 'string' ? { at, by, hash } : null
}

/** For the server only: clients cannot write this part. */
export function writeFinalization(doc: Y.Doc, finalization: Finalization): void {
  doc.getMap<unknown>(META_ROOT).set('finalized', { ...finalization })
}

export interface MetaPart {
  schemaVersion(): number
  finalization(): Finalization | null
  /** Calls back on every change to these facts: the board learns live that the chair closed the record. */
  observe(callback: () => void): () => void
}

export function metaPart(doc: Y.Doc): MetaPart {
  const meta = doc.getMap<unknown>(META_ROOT)
  return {
    schemaVersion: () => readSchemaVersion(doc),
    finalization: () => readFinalization(doc),
    observe: (callback) => {
      const listener = (): void => { callback() }
      meta.observe(listener)
      return () => { meta.unobserve(listener) }
    },
  }
}
