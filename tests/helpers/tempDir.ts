import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

const created: string[] = []

/** A fresh real directory under the OS temp dir; removeTempDirs() deletes every one made so far. */
export async function tempDir(prefix = 'safetymap-storage-'): Promise<string> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), prefix))
  created.push(directory)
  return directory
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((directory) => fs.rm(directory, { recursive: true, force: true })))
}

/** Every path under `directory`, relative and sorted: to prove that something created nothing. */
export async function listTree(directory: string): Promise<string[]> {
  const entries = await fs.readdir(directory, { recursive: true })
  return entries.sort()
}
