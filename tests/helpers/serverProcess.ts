import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface ServerProcess {
  child: ChildProcess
  url: string
  syncUrl: string
  /** The first-start set-up link, when this start printed one. */
  setupLink: string | null
  output: () => string
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** A module loaded into a server process before it starts (`node --import`), with its environment. */
export interface Preload {
  module: string
  env: Record<string, string>
}

/**
 * Runs `server/main.ts` as its own process (as `npm start` does), on a free port unless `port`
 * is given (a restart on the same address), logging at `logLevel` (default warn), with `env` added
 * to its environment.
 */
export async function spawnServer(dataDir: string, options: { port?: number; logLevel?: 'debug' | 'info' | 'warn' | 'error'; preload?: Preload; env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const env = { ...process.env, PORT: String(options.port ?? 0), HOST: '127.0.0.1', DATA_DIR: dataDir, SAFETYMAP_BUILD_CLIENT: 'never', LOG_LEVEL: options.logLevel ?? 'warn', NODE_ENV: 'production', ...options.preload?.env, ...options.env }
  const preload = options.preload ? ['--import', options.preload.module] : []
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload, path.join(projectRoot, 'server/main.ts')], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => { resolve({ code, signal }) })
  })
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const match = /SafetyMap is running at (http:\/\/\S+)[\s\S]*\n\n$/.exec(output)
      if (match?.[1]) {
        child.stdout.off('data', onData)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    void exited.then(({ code }) => { reject(new Error(`server exited early (${code}): ${output}`)) })
  })
  const setupLink = /(\/welcome#\S+)/.exec(output)?.[1] ?? null
  return { child, url, syncUrl: url.replace(/^http/, 'ws') + '/sync', setupLink, output: () => output, exited }
}
