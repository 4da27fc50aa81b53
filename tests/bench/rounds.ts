/**
 * `--rounds=N`: one scenario run N times against each server, ours and stock alternating, and
 * the rounds pooled into one outcome per server. A single 25-second run's p99 at 50×10 rests on
 * a few hundred samples, and it moved between 7 and 30 ms from run to run for either server
 * (docs/performance.md): one pair of runs cannot say which server has the longer tail.
 */
import type { ScenarioOutcome, ServerFigures } from './report'
import { summarize, type GeneratorResult, type ServerKind } from './types'

/** The order of the servers in round `round` (0-based): ABBA, so neither always runs first. */
export function roundOrder(servers: readonly ServerKind[], round: number): ServerKind[] {
  return round % 2 === 0 ? [...servers] : [...servers].reverse()
}

function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (finite.length === 0) return Number.NaN
  const middle = finite.length >> 1
  return finite.length % 2 === 1 ? (finite[middle] ?? Number.NaN) : ((finite[middle - 1] ?? 0) + (finite[middle] ?? 0)) / 2
}

/**
 * Percentiles from every round's samples; counts summed; rates over the rounds' summed seconds;
 * the generators' health as the median round.
 */
function poolGenerators(rounds: readonly GeneratorResult[]): GeneratorResult {
  const [first] = rounds
  if (!first) throw new Error('no rounds to pool')
  const sum = (pick: (round: GeneratorResult) => number): number => rounds.reduce((total, round) => total + pick(round), 0)
  const middle = (pick: (round: GeneratorResult) => number): number => median(rounds.map(pick))
  const samples = {
    firstSyncMs: rounds.flatMap((round) => round.samples.firstSyncMs),
    keystrokeLatencyMs: rounds.flatMap((round) => round.samples.keystrokeLatencyMs),
    savedAckMs: rounds.flatMap((round) => round.samples.savedAckMs),
  }
  return {
    participants: first.participants,
    firstSyncMs: summarize([...samples.firstSyncMs]),
    connectAllMs: middle((round) => round.connectAllMs),
    keystrokesTyped: sum((round) => round.keystrokesTyped),
    keystrokeLatencyMs: summarize([...samples.keystrokeLatencyMs]),
    keystrokesMissing: sum((round) => round.keystrokesMissing),
    savedAckMs: first.savedAckMs === null ? null : summarize([...samples.savedAckMs]),
    savedUnconfirmed: sum((round) => round.savedUnconfirmed),
    generator: {
      eventLoopDelayP50Ms: middle((round) => round.generator.eventLoopDelayP50Ms),
      eventLoopDelayP99Ms: middle((round) => round.generator.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: middle((round) => round.generator.eventLoopDelayMaxMs),
      eventLoopUtilization: middle((round) => round.generator.eventLoopUtilization),
      cpuPercent: middle((round) => round.generator.cpuPercent),
    },
    wire: {
      seconds: sum((round) => round.wire.seconds),
      sent: { messages: sum((round) => round.wire.sent.messages), bytes: sum((round) => round.wire.sent.bytes) },
      received: { messages: sum((round) => round.wire.received.messages), bytes: sum((round) => round.wire.received.bytes) },
    },
    unexpectedCloses: sum((round) => round.unexpectedCloses),
    samples,
  }
}

/** The median round of each figure; memory growth as the median of each round's own growth. */
function poolServers(rounds: readonly ServerFigures[]): ServerFigures {
  const middle = (pick: (round: ServerFigures) => number): number => median(rounds.map(pick))
  const loops = rounds.flatMap((round) => (round.loop ? [round.loop] : []))
  const warnings = rounds.flatMap((round) => (round.warnings === null ? [] : [round.warnings]))
  const warningsByEvent: Record<string, number> = {}
  for (const round of warnings) for (const [event, count] of Object.entries(round)) warningsByEvent[event] = (warningsByEvent[event] ?? 0) + count
  const rssStartKb = middle((round) => round.rssStartKb)
  return {
    rssStartKb,
    rssConnectedKb: middle((round) => round.rssConnectedKb),
    rssPeakKb: middle((round) => round.rssPeakKb),
    // Start and idle from different rounds would not make a growth figure.
    rssIdleKb: rssStartKb + middle((round) => round.rssIdleKb - round.rssStartKb),
    cpuPercent: middle((round) => round.cpuPercent),
    mainThreadCpuPercent: middle((round) => round.mainThreadCpuPercent),
    otherCpuPercent: Math.max(0, ...rounds.map((round) => round.otherCpuPercent).filter((value) => Number.isFinite(value))),
    machineCpuPercent: middle((round) => round.machineCpuPercent),
    loop:
      loops.length === 0
        ? null
        : {
            delayP50Ms: median(loops.map((loop) => loop.delayP50Ms)),
            delayP99Ms: median(loops.map((loop) => loop.delayP99Ms)),
            delayMaxMs: median(loops.map((loop) => loop.delayMaxMs)),
            utilization: median(loops.map((loop) => loop.utilization)),
          },
    warnings: warnings.length === 0 ? null : warningsByEvent,
  }
}

/**
 * One outcome per server from the rounds of one scenario. A failed round is named in `error` and
 * left out of the figures; the others still count.
 */
export function poolRounds(rounds: readonly ScenarioOutcome[]): ScenarioOutcome[] {
  const pooled: ScenarioOutcome[] = []
  for (const kind of new Set(rounds.map((round) => round.kind))) {
    const mine = rounds.filter((round) => round.kind === kind)
    const [first] = mine
    if (!first) continue
    if (mine.length === 1) {
      pooled.push(first)
      continue
    }
    const failures = mine.flatMap((round, index) => (round.error ? [`round ${index + 1}: ${round.error}`] : []))
    const generators = mine.flatMap((round) => (round.generator ? [round.generator] : []))
    const servers = mine.flatMap((round) => (round.server ? [round.server] : []))
    pooled.push({
      kind,
      scenario: first.scenario,
      seconds: mine.reduce((total, round) => total + (Number.isFinite(round.seconds) ? round.seconds : 0), 0),
      ...(generators.length > 0 ? { generator: poolGenerators(generators) } : {}),
      ...(servers.length > 0 ? { server: poolServers(servers) } : {}),
      ...(failures.length > 0 ? { error: failures.join('; ') } : {}),
      roundKeystrokeP99Ms: mine.map((round) => round.generator?.keystrokeLatencyMs.p99 ?? Number.NaN),
    })
  }
  return pooled
}
