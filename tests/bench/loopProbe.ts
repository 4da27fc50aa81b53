/**
 * Loaded into a server under test (`node --import tsx --import tests/bench/loopProbe.ts`), ours
 * or stock alike: its event loop's delay and utilization between two SIGUSR2 signals (typing
 * starts, typing ends), written as JSON to $BENCH_LOOP_FILE at the second. A message waits at
 * most about this long in the server before it is handled, whatever the clients are doing.
 */
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks'
import { EVENT_LOOP_RESOLUTION_MS, loopDelayMs, type LoopFigures } from './types'

const file = process.env.BENCH_LOOP_FILE
if (file) {
  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS })
  let since: EventLoopUtilization | null = null
  process.on('SIGUSR2', () => {
    if (since === null) {
      delay.reset()
      delay.enable()
      since = performance.eventLoopUtilization()
      return
    }
    delay.disable()
    const figures: LoopFigures = {
      delayP50Ms: loopDelayMs(delay.percentile(50)),
      delayP99Ms: loopDelayMs(delay.percentile(99)),
      delayMaxMs: loopDelayMs(delay.max),
      utilization: performance.eventLoopUtilization(since).utilization,
    }
    since = null
    writeFileSync(file, JSON.stringify(figures))
  })
}
