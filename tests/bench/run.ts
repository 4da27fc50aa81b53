/**
 * `npm run bench`: our sync server against the stock y-websocket server under the same load,
 * plus a cold-open benchmark. Servers and load generator each run in their own process; every
 * child process and temp dir is removed when this ends, however it ends. See docs/benchmarks.md.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createTestConference } from '../helpers/server'
import { authorIdIn, setUpFirstAdmin } from '../helpers/devices'
import { spawnServer } from '../helpers/serverProcess'
import { coldOpenBenchmark, type ColdOpenResult } from './coldOpen'
import {
  CLOCK_TICKS_PER_SECOND,
  runCommand,
  exitOf,
  logLines,
  machineBusyTicks,
  makeBenchDir,
  procStats,
  type ProcStats,
  projectRoot,
  removeBenchDir,
  serverLoopProbe,
  spawnStockServer,
  stopChild,
  trackChild,
} from './processes'
import { benchmarksDocument, resultsMarkdown, scenarioName, type BenchReport, type Machine, type Scenario, type ScenarioOutcome, type ServerFigures } from './report'
import { poolRounds, roundOrder } from './rounds'
import { separateSections } from '../soak/common'
import { hasType, mergeResults, type GeneratorConfig, type GeneratorMessage, type GeneratorResult, type RunnerMessage, type ServerKind } from './types'

const DEFAULT_SCENARIOS: Scenario[] = [
  { rooms: 1, participants: 2 },
  { rooms: 50, participants: 10 },
]
const FULL_SCENARIO: Scenario = { rooms: 200, participants: 15 }
const GENERATOR = path.join(projectRoot, 'tests/bench/loadGenerator.ts')
/** Let the server settle (JIT, GC after creating conferences) before its baseline RSS is read. */
const BASELINE_SETTLE_MS = 1_500
/** After typing stops and everything arrived: time for the server to go idle before idle RSS. */
const IDLE_SETTLE_MS = 2_000
/** After asking the server for a full garbage collection, before its memory is read. */
const GC_SETTLE_MS = 300

interface Options {
  scenarios: Scenario[]
  typingSeconds: number
  servers: ServerKind[]
  cold: boolean
  coldUpdates: number
  write: boolean
  echoPresence: boolean
  /** A directory for CPU profiles of each server while typing, or null. */
  profileDir: string | null
  /** Server on core 0, generators on core 1. */
  pin: boolean
  rounds: number
  /** A control: the stock server also burns this % of one core while typing (0: off). */
  stockExtraCpuPercent: number
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      duration: { type: 'string', default: '25' },
      server: { type: 'string', default: 'both' },
      'skip-cold': { type: 'boolean', default: false },
      'cold-updates': { type: 'string', default: '60000' },
      'no-write': { type: 'boolean', default: false },
      'echo-presence': { type: 'boolean', default: false },
      profile: { type: 'string' },
      pin: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '1' },
      'stock-extra-cpu': { type: 'string', default: '0' },
    },
    strict: true,
  })
  const scenarios = values.scenario
    ? values.scenario.map((text) => {
        const match = /^(\d+)x(\d+)$/.exec(text)
        if (!match) throw new Error(`--scenario must look like 50x10, not "${text}"`)
        return { rooms: Number(match[1]), participants: Number(match[2]) }
      })
    : [...DEFAULT_SCENARIOS, ...(values.full ? [FULL_SCENARIO] : [])]
  for (const scenario of scenarios) {
    if (scenario.rooms < 1 || scenario.participants < 2) throw new Error('a scenario needs at least 1 conference of 2 participants')
  }
  const typingSeconds = Number(values.duration)
  if (!Number.isFinite(typingSeconds) || typingSeconds < 1 || typingSeconds > 600) throw new Error('--duration is seconds, 1 to 600')
  const servers: ServerKind[] = values.server === 'both' ? ['ours', 'stock'] : values.server === 'ours' || values.server === 'stock' ? [values.server] : []
  if (servers.length === 0) throw new Error('--server is ours, stock or both')
  const coldUpdates = Number(values['cold-updates'])
  if (!Number.isInteger(coldUpdates) || coldUpdates < 1 || coldUpdates > 1_000_000) throw new Error('--cold-updates is 1 to 1000000')
  const rounds = Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('--rounds is 1 to 20')
  const stockExtraCpuPercent = Number(values['stock-extra-cpu'])
  if (!Number.isInteger(stockExtraCpuPercent) || stockExtraCpuPercent < 0 || stockExtraCpuPercent > 90) throw new Error('--stock-extra-cpu is a % of one core, 0 to 90')
  if (values.pin && os.availableParallelism() < 2) throw new Error('--pin needs two cores: the server gets one, the generators the other')
  const profileDir = values.profile ? path.resolve(values.profile) : null
  // The servers write their profiles there when they stop typing, long after this could be reported.
  if (profileDir) mkdirSync(profileDir, { recursive: true })
  return { scenarios, typingSeconds, servers, cold: !values['skip-cold'], coldUpdates, write: !values['no-write'], echoPresence: values['echo-presence'], profileDir, pin: values.pin, rounds, stockExtraCpuPercent }
}

function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu
  } catch {
    // not Linux: os.cpus() has it
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    memoryGb: os.totalmem() / 1024 ** 3,
  }
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`)
}

/** CPU ticks so far of the server (and its main thread), the generator, this runner and the whole machine. */
interface CpuSnapshot {
  at: number
  server: number
  serverMainThread: number
  generator: number
  runner: number
  machine: number
}

interface UnderTest {
  pid: number
  syncUrl: string
  device?: GeneratorConfig['device']
  rooms: string[]
  warnings: () => Record<string, number> | null
  loop: ReturnType<typeof serverLoopProbe>
  stop: () => Promise<void>
}

async function startUnderTest(kind: ServerKind, rooms: number, options: Options, profileFile?: string): Promise<UnderTest> {
  if (kind === 'stock') {
    const loop = serverLoopProbe(profileFile, options.stockExtraCpuPercent)
    const stock = await spawnStockServer(loop.preload)
    // Any name opens a room on the stock server.
    const names = Array.from({ length: rooms }, (_, index) => `bench-room-${index}`)
    return { pid: stock.pid, syncUrl: stock.syncUrl, rooms: names, warnings: () => null, loop, stop: () => stopChild(stock.child) }
  }
  const loop = serverLoopProbe(profileFile)
  const dataDir = await makeBenchDir()
  const server = await spawnServer(dataDir, { preload: loop.preload })
  trackChild(server.child)
  const stop = async (): Promise<void> => {
    await stopChild(server.child)
    removeBenchDir(dataDir)
  }
  try {
    if (server.child.pid === undefined) throw new Error('our server has no pid')
    if (!server.setupLink) throw new Error('a fresh data dir prints a set-up link')
    const admin = await setUpFirstAdmin(server.url, server.setupLink)
    const ids: string[] = []
    // A few at a time, as people would create them; each is durable before the answer.
    for (let start = 0; start < rooms; start += 4) {
      const batch = Array.from({ length: Math.min(4, rooms - start) }, (_, offset) =>
        createTestConference(admin, { title: `Benchmark conference ${start + offset + 1}` }),
      )
      ids.push(...(await Promise.all(batch)).map((conference) => conference.id))
    }
    const authorIds: Record<string, string> = {}
    for (const id of ids) authorIds[id] = await authorIdIn(admin, id)
    const warnings = (): Record<string, number> => {
      const byEvent: Record<string, number> = {}
      for (const line of logLines(server.output())) {
        if (line.level === 'warn' || line.level === 'error') byEvent[line.event] = (byEvent[line.event] ?? 0) + 1
      }
      return byEvent
    }
    return { pid: server.child.pid, syncUrl: server.syncUrl, device: { origin: server.url, cookie: admin.cookie, authorIds }, rooms: ids, warnings, loop, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * How many load-generator processes drive a scenario: one process cannot keep up with 3,000
 * providers (at 200×15 it used a whole core and its event loop lagged by over a second, so the
 * latency measured the generator), so the large scenario's conferences are shared by two.
 */
function generatorsFor(scenario: Scenario): number {
  return scenario.rooms * scenario.participants >= 2_000 ? 2 : 1
}

/** Runs one scenario against one server: starts the server and the generators, drives, samples, stops them. */
async function runScenario(kind: ServerKind, scenario: Scenario, options: Options): Promise<ScenarioOutcome> {
  const { typingSeconds, echoPresence } = options
  const startedAt = performance.now()
  const profileFile = options.profileDir ? path.join(options.profileDir, `${kind}-${scenario.rooms}x${scenario.participants}.cpuprofile`) : undefined
  const server = await startUnderTest(kind, scenario.rooms, options, profileFile)
  const count = generatorsFor(scenario)
  const generators = Array.from({ length: count }, () =>
    trackChild(
      spawn(process.execPath, ['--import', 'tsx', GENERATOR], {
        cwd: projectRoot,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    ),
  )
  let sampler: NodeJS.Timeout | undefined
  let deadline: NodeJS.Timeout | undefined
  try {
    if (options.pin) {
      execFileSync('taskset', ['-a', '-p', '-c', '0', String(server.pid)], { stdio: 'ignore' })
      for (const generator of generators) execFileSync('taskset', ['-a', '-p', '-c', '1', String(generator.pid)], { stdio: 'ignore' })
    }
    await sleep(BASELINE_SETTLE_MS)
    server.loop.collectGarbage(server.pid)
    await sleep(GC_SETTLE_MS)
    const start = await procStats(server.pid)
    if (!start) throw new Error('cannot read the server process in /proc')
    const figures: ServerFigures = { rssStartKb: start.rssKb, rssConnectedKb: Number.NaN, rssPeakKb: start.rssKb, rssIdleKb: Number.NaN, cpuPercent: Number.NaN, mainThreadCpuPercent: Number.NaN, otherCpuPercent: Number.NaN, machineCpuPercent: Number.NaN, loop: null, warnings: null }
    let typing = false
    let cpuAtTypingStart: CpuSnapshot | null = null
    const cpuSnapshot = async (): Promise<CpuSnapshot | null> => {
      const [serverStats, machine, ...generatorStats] = await Promise.all([procStats(server.pid), machineBusyTicks(), ...generators.map((generator) => procStats(generator.pid ?? -1))])
      if (!serverStats || machine === null || generatorStats.some((stats) => !stats)) return null
      const runner = process.cpuUsage()
      return {
        at: performance.now(),
        server: serverStats.cpuTicks,
        serverMainThread: serverStats.mainThreadCpuTicks,
        generator: generatorStats.reduce((sum, stats) => sum + (stats?.cpuTicks ?? 0), 0),
        runner: ((runner.user + runner.system) / 1e6) * CLOCK_TICKS_PER_SECOND,
        machine,
      }
    }
    sampler = setInterval(() => {
      void procStats(server.pid).then((stats) => {
        if (stats && typing) figures.rssPeakKb = Math.max(figures.rssPeakKb, stats.rssKb)
      })
    }, 250)

    // Each generator drives its own share of the conferences.
    const configFor = (index: number): GeneratorConfig => ({
      server: kind,
      syncUrl: server.syncUrl,
      rooms: server.rooms.filter((_, room) => room % count === index),
      participantsPerRoom: scenario.participants,
      typingMs: typingSeconds * 1000,
      connectConcurrency: Math.max(1, Math.round(25 / count)),
      echoPresence,
      ...(server.device ? { device: server.device } : {}),
    })
    const results = await new Promise<GeneratorResult[]>((resolve, reject) => {
      // Generous but finite: connecting, typing, grace and reporting all have their own limits.
      const limitMs = typingSeconds * 1000 + 240_000 + scenario.rooms * scenario.participants * 50
      deadline = setTimeout(() => { reject(new Error(`no result within ${Math.round(limitMs / 1000)} s`)) }, limitMs)
      // How many generators have reached each step: the runner acts when the first starts typing
      // and when the last has connected, stopped typing, gone idle or answered.
      const reached = { connected: 0, typingStarted: 0, typingEnded: 0, idle: 0 }
      const answers: GeneratorResult[] = []
      generators.forEach((generator, index) => {
        let answered = false
        void exitOf(generator).then(({ code, signal }) => {
          if (!answered) reject(new Error(`a load generator exited (${code ?? signal}) without a result`))
        })
        generator.on('message', (message: unknown) => {
          if (!hasType(message)) return
          const event = message as GeneratorMessage
          const onStats = (use: (stats: ProcStats) => void): void => {
            void procStats(server.pid).then((stats) => { if (stats) use(stats) })
          }
          switch (event.type) {
            case 'connected':
              if (++reached.connected < count) break
              log(`${kind} ${scenarioName(scenario)}: everyone synced`)
              onStats((stats) => { figures.rssConnectedKb = stats.rssKb })
              for (const each of generators) each.send({ type: 'go' } satisfies RunnerMessage)
              break
            case 'typing-started':
              if (++reached.typingStarted > 1) break
              typing = true
              server.loop.start(server.pid)
              void cpuSnapshot().then((snapshot) => { cpuAtTypingStart = snapshot })
              break
            case 'typing-ended':
              if (++reached.typingEnded < count) break
              typing = false
              void server.loop.finish(server.pid).then((loop) => { figures.loop = loop })
              void cpuSnapshot().then((end) => {
                const begin = cpuAtTypingStart
                if (!begin || !end) return
                const seconds = (end.at - begin.at) / 1000
                const percent = (ticks: number): number => (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100
                figures.cpuPercent = percent(end.server - begin.server)
                figures.mainThreadCpuPercent = percent(end.serverMainThread - begin.serverMainThread)
                // Everything else on the machine: other people's processes make latency noisy.
                const ours = end.server - begin.server + (end.generator - begin.generator) + (end.runner - begin.runner)
                figures.otherCpuPercent = Math.max(0, percent(end.machine - begin.machine - ours))
                figures.machineCpuPercent = percent(end.machine - begin.machine)
              })
              break
            case 'idle':
              if (++reached.idle < count) break
              void sleep(IDLE_SETTLE_MS).then(async () => {
                server.loop.collectGarbage(server.pid)
                await sleep(GC_SETTLE_MS)
                const stats = await procStats(server.pid)
                if (stats) figures.rssIdleKb = stats.rssKb
                for (const each of generators) each.send({ type: 'finish' } satisfies RunnerMessage)
              })
              break
            case 'result':
              answered = true
              answers.push(event.result)
              if (answers.length === count) resolve(answers)
              break
            case 'failed':
              reject(new Error(`load generator: ${event.error}`))
              break
          }
        })
        generator.send({ type: 'start', config: configFor(index) } satisfies RunnerMessage)
      })
    })
    const result = mergeResults(results)
    figures.warnings = server.warnings()
    return { kind, scenario, seconds: (performance.now() - startedAt) / 1000, generator: result, server: figures }
  } finally {
    clearInterval(sampler)
    clearTimeout(deadline)
    // The generators exit by themselves after their result; only a stuck one is signalled.
    await Promise.all(generators.map((generator) => stopChild(generator, 5_000, 5_000)))
    await server.stop()
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const options = readOptions(argv)
  const runStart = performance.now()
  const outcomes: ScenarioOutcome[] = []
  for (const scenario of options.scenarios) {
    const rounds: ScenarioOutcome[] = []
    // Ours and stock one after the other per scenario, so both see the same machine state.
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of roundOrder(options.servers, round)) {
        const name = `${kind} ${scenarioName(scenario)}${options.rounds > 1 ? ` round ${round + 1}/${options.rounds}` : ''}`
        log(`${name}: starting (${options.typingSeconds} s of typing)`)
        try {
          rounds.push(await runScenario(kind, scenario, options))
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          log(`${name}: FAILED: ${message}`)
          rounds.push({ kind, scenario, seconds: Number.NaN, error: message })
        }
      }
    }
    outcomes.push(...poolRounds(rounds))
  }
  let cold: ColdOpenResult | { error: string } | undefined
  if (options.cold) {
    log(`cold open: writing ${options.coldUpdates} updates`)
    try {
      cold = await coldOpenBenchmark(options.coldUpdates)
    } catch (error) {
      cold = { error: error instanceof Error ? error.message : String(error) }
      log(`cold open FAILED: ${cold.error}`)
    }
  }
  const report: BenchReport = {
    machine: machine(),
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    runSeconds: (performance.now() - runStart) / 1000,
    typingSeconds: options.typingSeconds,
    stockExtraCpuPercent: options.stockExtraCpuPercent,
    scenarios: options.scenarios,
    outcomes,
    ...(cold ? { cold } : {}),
  }
  process.stdout.write(resultsMarkdown(report) + '\n')
  if (options.write) {
    const file = path.join(projectRoot, 'docs/benchmarks.md')
    // The sections other commands write (bench:page, soak, fuzz, storm) are theirs: keep them.
    const kept = separateSections(await readFile(file, 'utf8').catch(() => ''))
    await writeFile(file, benchmarksDocument(report) + kept)
    log('wrote docs/benchmarks.md')
  }
  if (outcomes.some((outcome) => outcome.error) || (cold && 'error' in cold)) process.exitCode = 1
}

runCommand('bench', main)
