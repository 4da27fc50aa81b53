import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureClientBuilt } from '../../server/clientBuild'
import { createLogger } from '../../server/log'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The browser tests run against the built client: build it once, and only when stale. */
export default async function setup(): Promise<void> {
  await ensureClientBuilt(projectRoot, path.join(projectRoot, 'dist', 'client'), createLogger('silent'))
}
