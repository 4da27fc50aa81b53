import { mkdir, open, rename, type FileHandle } from 'node:fs/promises'
import path from 'node:path'

/** What an fsync made durable; tests count them to prove that appends share one. */
export type SyncTarget = 'journal' | 'snapshot' | 'directory' | 'catalog' | 'access' | 'scores' | 'amendments' | 'sent-documents' | 'programmes' | 'audit' | 'recovery'

/**
 * Test hooks of the embedded storage. Production code passes none.
 * - `beforeSync` runs before every fsync/fdatasync (and before each durable journal write, which
 *   is one): count them, or throw to simulate a failing disk.
 * - `onCompactionStep` runs after each step of a compaction: return a promise that never settles to
 *   freeze the writer there, which is what the disk sees when the process dies at that point.
 */
export interface StorageHooks {
  beforeSync?: (target: SyncTarget) => void
  onCompactionStep?: (step: CompactionStep, conferenceId: string) => void | Promise<void>
}

/** The durable points of a compaction, in order. */
export type CompactionStep = 'snapshot-tmp-synced' | 'snapshot-installed' | 'journal-created' | 'old-generation-removed'

export async function syncHandle(handle: FileHandle, target: SyncTarget, hooks: StorageHooks, dataOnly = false): Promise<void> {
  hooks.beforeSync?.(target)
  if (dataOnly) await handle.datasync()
  else await handle.sync()
}

/** A rename or a new file is only durable once its directory is synced. */
export async function syncDirectory(directory: string, hooks: StorageHooks): Promise<void> {
  const handle = await open(directory, 'r')
  try {
    await syncHandle(handle, 'directory', hooks)
  } finally {
    await handle.close()
  }
}

/** Flushes a file someone else wrote (a crashed process may have left it in the page cache only). */
export async function syncFile(file: string, hooks: StorageHooks): Promise<void> {
  const handle = await open(file, 'r')
  try {
    await syncHandle(handle, 'recovery', hooks)
  } finally {
    await handle.close()
  }
}

/** Writes every byte: a single write may be short. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset)
    offset += bytesWritten
  }
}

/** Creates the directory (and parents), syncing each parent that gained an entry. */
export async function ensureDirectory(directory: string, hooks: StorageHooks): Promise<void> {
  const firstCreated = await mkdir(directory, { recursive: true })
  if (firstCreated === undefined) return
  for (let created = path.resolve(directory); ; created = path.dirname(created)) {
    await syncDirectory(path.dirname(created), hooks)
    if (created === path.resolve(firstCreated) || created === path.dirname(created)) break
  }
}

/**
 * Replaces `file` atomically and durably: tmp file, fsync, rename, fsync the directory. A crash
 * leaves either the old file or the new one, never a mix.
 */
export async function replaceFileDurably(file: string, contents: string | Uint8Array, target: SyncTarget, hooks: StorageHooks): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`)
  const handle = await open(tmp, 'w')
  try {
    await handle.writeFile(contents)
    await syncHandle(handle, target, hooks)
  } finally {
    await handle.close()
  }
  await rename(tmp, file)
  await syncDirectory(path.dirname(file), hooks)
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT'
}
