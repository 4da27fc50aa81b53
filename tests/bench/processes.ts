/**
 * Child processes and temp dirs of the benchmark: started here, tracked, and always removed,
 * even when a run fails or is interrupted. Also reads a process's memory and CPU from /proc.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Preload } from '../helpers/serverProcess'
import type { LoopFigures } from './types'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const children = new Set<ChildProcess>()
const tempDirs = new Set<string>()

export function trackChild(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export async function makeBenchDir(prefix = 'safetymap-bench-'): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), prefix))
  tempDirs.add(directory)
  return directory
}

export function removeBenchDir(directory: string): void {
  fs.rmSync(directory, { recursive: true, force: true })
  tempDirs.delete(directory)
}

/** Synchronous, so it also works from an 'exit' handler: kills what we started, deletes what we made. */
export function cleanUpEverything(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  children.clear()
  for (const directory of tempDirs) fs.rmSync(directory, { recursive: true, force: true })
  tempDirs.clear()
}

/**
 * Runs a command's `main` (bench, soak, fuzz, storm): whatever happens, even Ctrl-C, no server,
 * generator or temp dir outlives it; a failure is printed and sets the exit code.
 */
export function runCommand(name: string, main: () => Promise<void>): void {
  process.on('exit', cleanUpEverything)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      cleanUpEverything()
      process.exit(130)
    })
  }
  main().catch((error: unknown) => {
    process.stderr.write(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 1
  })
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => { resolve({ code, signal }) })
  })
}

/**
 * SIGTERM (our server stores everything and exits), then SIGKILL if it takes too long. With
 * `graceMs`, first give a process that is exiting by itself that long to do so.
 */
export async function stopChild(child: ChildProcess, timeoutMs = 30_000, graceMs = 0): Promise<void> {
  const exited = exitOf(child)
  if (graceMs > 0) await Promise.race([exited, sleep(graceMs)])
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  await exited
  clearTimeout(timer)
}

export interface ProcStats {
  rssKb: number
  /** user + system CPU time, in clock ticks (USER_HZ, 100 on Linux). */
  cpuTicks: number
  /**
   * The same for the main thread alone, where the event loop runs. The rest went to worker
   * threads: libuv's pool (where our server's journal writes are done) and V8's garbage collector.
   */
  mainThreadCpuTicks: number
}

export const CLOCK_TICKS_PER_SECOND = 100

/** utime + stime of a /proc stat line: the 12th and 13th fields after the ")" that closes the command name. */
function cpuTicksOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

export async function procStats(pid: number): Promise<ProcStats | null> {
  try {
    const [status, stat, mainThreadStat] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
      // The main thread's task id is the process id.
      readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8'),
    ])
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]
    const cpuTicks = cpuTicksOf(stat)
    const mainThreadCpuTicks = cpuTicksOf(mainThreadStat)
    if (rss === undefined || !Number.isFinite(cpuTicks) || !Number.isFinite(mainThreadCpuTicks)) return null
    return { rssKb: Number(rss), cpuTicks, mainThreadCpuTicks }
  } catch {
    return null
  }
}

/** CPU ticks the whole machine spent busy (every core, every process) since boot. */
export async function machineBusyTicks(): Promise<number | null> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? ''
    // cpu user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, value) => sum + (value ?? 0), 0)
    return Number.isFinite(busy) ? busy : null
  } catch {
    return null
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => { resolve(port) })
    })
  })
}

function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(output())
      if (match) {
        done()
        resolve(match)
      }
    }
    const onExit = (): void => {
      done()
      reject(new Error(`process exited before it was ready: ${output().slice(-2000)}`))
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`process not ready within ${timeoutMs} ms: ${output().slice(-2000)}`))
    }, timeoutMs)
    const done = (): void => {
      clearTimeout(timer)
      child.stdout?.off('data', check)
      child.off('exit', onExit)
    }
    child.stdout?.on('data', check)
    child.once('exit', onExit)
    check()
  })
}

export interface StartedProcess {
  child: ChildProcess
  pid: number
  url: string
  syncUrl: string
  output: () => string
}

function spawnCollecting(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = trackChild(spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] }))
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  return { child, output: () => output }
}

/**
 * The stock y-websocket server, exactly as its `bin` runs it (its own bundled ws), in its own
 * process on loopback. It cannot listen on port 0 and report the port, so we pick a free one.
 */
export async function spawnStockServer(preload?: Preload): Promise<StartedProcess> {
  const require = createRequire(import.meta.url)
  const packageFile = require.resolve('@y/websocket-server/package.json')
  const { bin } = JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { bin: Record<string, string> }
  const script = path.join(path.dirname(packageFile), bin['y-websocket-server'] ?? 'src/server.js')
  const port = await freePort()
  // tsx only to load a TypeScript preload; it changes nothing once the server runs.
  const args = preload ? ['--import', 'tsx', '--import', preload.module, script] : [script]
  const { child, output } = spawnCollecting(args, { ...process.env, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production', ...preload?.env })
  await waitForOutput(child, output, /running at/, 30_000)
  if (child.pid === undefined) throw new Error('stock server has no pid')
  return { child, pid: child.pid, url: `http://127.0.0.1:${port}`, syncUrl: `ws://127.0.0.1:${port}`, output }
}

/**
 * Our server (server/main.ts) as tests/helpers/serverProcess.ts starts it, but with a chosen log
 * level: the cold-open benchmark reads the `conference.loaded` line, which is logged at info.
 */
export async function spawnOurServer(dataDir: string, logLevel: 'info' | 'warn'): Promise<StartedProcess> {
  const { child, output } = spawnCollecting(['--import', 'tsx', path.join(projectRoot, 'server/main.ts')], {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SAFETYMAP_BUILD_CLIENT: 'never',
    LOG_LEVEL: logLevel,
    NODE_ENV: 'production',
  })
  const match = await waitForOutput(child, output, /SafetyMap is running at (http:\/\/\S+)/, 60_000)
  const url = match[1] ?? ''
  if (child.pid === undefined) throw new Error('server has no pid')
  return { child, pid: child.pid, url, syncUrl: url.replace(/^http/, 'ws') + '/sync', output }
}

export interface LogLine {
  level: string
  event: string
  [field: string]: unknown
}

/** The JSON log lines a server process has written so far (other output is skipped). */
export function logLines(output: string): LogLine[] {
  const lines: LogLine[] = []
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const parsed: unknown = JSON.parse(line)
      if (typeof parsed === 'object' && parsed !== null && 'event' in parsed && 'level' in parsed) lines.push(parsed as LogLine)
    } catch {
      // not a log line
    }
  }
  return lines
}

/** Polls until `find()` returns something, or throws after the deadline (bounded). */
export async function pollFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/**
 * A server's own event-loop figures while typing (tests/bench/loopProbe.ts, preloaded into it):
 * `start` and `finish` signal it; `finish` reads what it wrote, or null if it wrote nothing. With
 * `profileFile`, a CPU profile of the same window is written there too; with `extraCpuPercent`,
 * a spare thread burns that much CPU in the same window. `collectGarbage` asks for
 * a full garbage collection, before memory is read.
 */
export function serverLoopProbe(profileFile?: string, extraCpuPercent = 0): { preload: Preload; start: (pid: number) => void; finish: (pid: number) => Promise<LoopFigures | null>; collectGarbage: (pid: number) => void } {
  const file = path.join(os.tmpdir(), `safetymap-loop-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`)
  const env: Record<string, string> = { BENCH_LOOP_FILE: file }
  if (profileFile) env.BENCH_PROFILE_FILE = profileFile
  if (extraCpuPercent > 0) env.BENCH_EXTRA_CPU_PERCENT = String(extraCpuPercent)
  return {
    preload: { module: path.join(projectRoot, 'tests/bench/loopProbe.ts'), env },
    start: (pid) => { process.kill(pid, 'SIGUSR2') },
    collectGarbage: (pid) => { process.kill(pid, 'SIGWINCH') },
    finish: async (pid) => {
      process.kill(pid, 'SIGUSR2')
      for (let waited = 0; waited < 5_000; waited += 50) {
        const text = await readFile(file, 'utf8').catch(() => null)
        if (text !== null) {
          fs.rmSync(file, { force: true })
          return JSON.parse(text) as LoopFigures
        }
        await sleep(50)
      }
      return null
    },
  }
}
