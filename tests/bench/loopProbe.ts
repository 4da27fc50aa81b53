/**
 * Loaded into a server under test (`node --import tsx --import tests/bench/loopProbe.ts`), ours
 * or stock alike: its event loop's delay and utilization between two SIGUSR2 signals (typing
 * starts, typing ends), written as JSON to $BENCH_LOOP_FILE at the second. A message waits at
 * most about this long in the server before it is handled, whatever the clients are doing.
 * With $BENCH_PROFILE_FILE it also records a V8 CPU profile of the same window (`--profile`):
 * a profile of the whole process would be mostly start-up and connecting.
 * SIGWINCH runs a full garbage collection, before the runner reads the server's memory: what it
 * keeps, not garbage V8 has not collected yet (which it would, given idle time).
 * With $BENCH_EXTRA_CPU_PERCENT (`--stock-extra-cpu`, a control), a spare thread of the server
 * burns that share of one core while typing, in slices of a few hundred microseconds: what the
 * same CPU use does to a server's latency, whatever the server does with it.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Worker } from 'node:worker_threads'
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks'
import { EVENT_LOOP_RESOLUTION_MS, loopDelayMs, type LoopFigures } from './types'

const file = process.env.BENCH_LOOP_FILE
const profileFile = process.env.BENCH_PROFILE_FILE
const profiler = profileFile ? new Session() : null
profiler?.connect()
const extraCpuShare = Number(process.env.BENCH_EXTRA_CPU_PERCENT ?? 0) / 100

/** Spins for `share` of every 2 ms and sleeps the rest, until terminated. */
function startBurning(share: number): Worker {
  const periodMs = 2
  const source = `
    const sleeper = new Int32Array(new SharedArrayBuffer(4))
    for (;;) {
      const started = performance.now()
      while (performance.now() - started < ${share * periodMs}) {}
      Atomics.wait(sleeper, 0, 0, ${(1 - share) * periodMs})
    }`
  return new Worker(source, { eval: true })
}

if (file) {
  setFlagsFromString('--expose-gc')
  const collectGarbage = runInNewContext('gc') as () => void
  process.on('SIGWINCH', () => {
    // Twice: the first pass can leave objects that only the second finds unreachable.
    collectGarbage()
    collectGarbage()
  })
  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS })
  let since: EventLoopUtilization | null = null
  let burner: Worker | null = null
  process.on('SIGUSR2', () => {
    if (since === null) {
      if (extraCpuShare > 0) burner = startBurning(extraCpuShare)
      delay.reset()
      delay.enable()
      since = performance.eventLoopUtilization()
      profiler?.post('Profiler.enable', () => { profiler.post('Profiler.start') })
      return
    }
    delay.disable()
    void burner?.terminate()
    burner = null
    const figures: LoopFigures = {
      delayP50Ms: loopDelayMs(delay.percentile(50)),
      delayP99Ms: loopDelayMs(delay.percentile(99)),
      delayMaxMs: loopDelayMs(delay.max),
      utilization: performance.eventLoopUtilization(since).utilization,
    }
    since = null
    writeFileSync(file, JSON.stringify(figures))
    profiler?.post('Profiler.stop', (error, result) => {
      if (!error && profileFile) writeFileSync(profileFile, JSON.stringify(result.profile))
    })
  })
}
