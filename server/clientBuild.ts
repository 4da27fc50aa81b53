import fs from 'node:fs'
import path from 'node:path'
import type { Logger } from './log'

/** Sources of the client bundle: if any is newer than the build, the build is stale. */
const clientSources = ['client', 'shared', 'vite.config.ts', 'package.json', 'package-lock.json']

function newestChange(target: string): number {
  if (!fs.existsSync(target)) return 0
  const stats = fs.statSync(target)
  if (!stats.isDirectory()) return stats.mtimeMs
  let newest = stats.mtimeMs
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestChange(path.join(target, entry)))
  return newest
}

/** Builds the client with Vite when dist/client is missing or older than its sources. */
export async function ensureClientBuilt(projectRoot: string, clientDir: string, log: Logger): Promise<void> {
  const builtIndex = path.join(clientDir, 'index.html')
  const builtAt = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0
  const sourcesAt = Math.max(...clientSources.map((source) => newestChange(path.join(projectRoot, source))))
  if (builtAt >= sourcesAt) return
  log.info('client.building', { reason: builtAt === 0 ? 'missing' : 'stale' })
  const startedAt = performance.now()
  // Vite is only needed when a build is needed, so a built deployment can omit dev tools.
  const { build } = await import('vite')
  // Always the production bundle, even when started from a test run: vitest sets NODE_ENV=test,
  // and Vite's React transform would then emit development JSX (jsxDEV) that the production
  // React build lacks. NODE_ENV is what both read, so it is set for the build and put back.
  const previous = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({ configFile: path.join(projectRoot, 'vite.config.ts'), logLevel: 'warn', mode: 'production' })
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = previous
  }
  log.info('client.built', { ms: Math.round(performance.now() - startedAt) })
}
