/**
 * Who made a change, as the `origin` of a Yjs transaction. Side effects (persist, audit,
 * broadcast, undo) decide by `kind`, so every `doc.transact` in the record passes one.
 */
export type ConferenceOrigin =
  | { kind: 'local-edit' }
  | { kind: 'migration'; name: string }
  | { kind: 'seed' }
  | { kind: 'server' }

/** A person editing on this device: the default of every accessor method. */
export const localEdit = Object.freeze({ kind: 'local-edit' } as const)

/** The fictional demo content and test fixtures. */
export const seedOrigin = Object.freeze({ kind: 'seed' } as const)

/** The server writing on its own account (e.g. the details of a new conference). */
export const serverOrigin = Object.freeze({ kind: 'server' } as const)

export function migrationOrigin(name: string): ConferenceOrigin {
  return Object.freeze({ kind: 'migration', name })
}

const originKinds: ReadonlySet<string> = new Set<ConferenceOrigin['kind']>(['local-edit', 'migration', 'seed', 'server'])

/** Transactions also arrive with foreign origins (a provider, y-prosemirror): tell ours apart. */
export function isConferenceOrigin(origin: unknown): origin is ConferenceOrigin {
  if (typeof origin !== 'object' || origin === null || !('kind' in origin)) return false
  const { kind } = origin
  if (typeof kind !== 'string' || !originKinds.has(kind)) return false
  return kind !== 'migration' || ('name' in origin && typeof origin.name === 'string')
}
