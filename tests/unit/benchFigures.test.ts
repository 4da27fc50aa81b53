import { describe, expect, it } from 'vitest'
import { resultsMarkdown, type BenchReport, type ScenarioOutcome, type ServerFigures } from '../bench/report'
import { poolRounds, roundOrder } from '../bench/rounds'
import { summarize, type GeneratorResult, type ServerKind } from '../bench/types'

const scenario = { rooms: 50, participants: 10 }

function generator(latencies: number[], extra: Partial<GeneratorResult> = {}): GeneratorResult {
  return {
    participants: 500,
    firstSyncMs: summarize([40, 50]),
    connectAllMs: 1000,
    keystrokesTyped: latencies.length,
    keystrokeLatencyMs: summarize([...latencies]),
    keystrokesMissing: 0,
    savedAckMs: summarize([2]),
    savedUnconfirmed: 0,
    generator: { eventLoopDelayP50Ms: 0.1, eventLoopDelayP99Ms: 3, eventLoopDelayMaxMs: 20, eventLoopUtilization: 0.4, cpuPercent: 40 },
    wire: { seconds: 25, sent: { messages: 25_000, bytes: 1_000_000 }, received: { messages: 150_000, bytes: 9_000_000 } },
    unexpectedCloses: 0,
    samples: { firstSyncMs: [40, 50], keystrokeLatencyMs: latencies, savedAckMs: [2] },
    ...extra,
  }
}

function server(rssStartKb: number, rssIdleKb: number, cpuPercent: number, warnings: Record<string, number> | null = {}): ServerFigures {
  return { rssStartKb, rssConnectedKb: rssStartKb, rssPeakKb: rssIdleKb, rssIdleKb, cpuPercent, mainThreadCpuPercent: cpuPercent / 2, otherCpuPercent: 0, machineCpuPercent: 70, loop: null, warnings }
}

function round(kind: ServerKind, latencies: number[], figures: ServerFigures, extra: Partial<GeneratorResult> = {}): ScenarioOutcome {
  return { kind, scenario, seconds: 60, generator: generator(latencies, extra), server: figures }
}

/** 100 samples: 99 fast ones and one of `slow` ms. */
const withTail = (slow: number): number[] => [...Array.from({ length: 99 }, () => 1), slow]

describe('pooling benchmark rounds', () => {
  it('takes turns: the server that went second goes first in the next round', () => {
    expect(roundOrder(['ours', 'stock'], 0)).toEqual(['ours', 'stock'])
    expect(roundOrder(['ours', 'stock'], 1)).toEqual(['stock', 'ours'])
    expect(roundOrder(['ours', 'stock'], 2)).toEqual(['ours', 'stock'])
    expect(roundOrder(['ours'], 1)).toEqual(['ours'])
  })

  it('computes percentiles from every round’s samples, not from each round’s percentile', () => {
    const [ours] = poolRounds([round('ours', withTail(30), server(100, 110, 30)), round('ours', withTail(1), server(100, 110, 30))])
    // Each round's own p99 is 1 ms; pooled, the one 30 ms sample is 1 in 200: above the p99.
    expect(ours?.generator?.keystrokeLatencyMs.count).toBe(200)
    expect(ours?.generator?.keystrokeLatencyMs.p99).toBe(1)
    expect(ours?.generator?.keystrokeLatencyMs.max).toBe(30)
    expect(ours?.roundKeystrokeP99Ms).toEqual([1, 1])

    const [slower] = poolRounds([round('ours', [...withTail(30), 30], server(100, 110, 30)), round('ours', withTail(30), server(100, 110, 30))])
    expect(slower?.generator?.keystrokeLatencyMs.p99).toBe(30)
  })

  it('adds up counts, keeps rates per second, and takes the median round for the rest', () => {
    const pooled = poolRounds([
      round('ours', withTail(5), server(100_000, 103_000, 30, { 'sync.slow-reader': 2 }), { keystrokesMissing: 1 }),
      round('stock', withTail(5), server(90_000, 120_000, 20, null)),
      round('ours', withTail(5), server(104_000, 105_000, 50, { 'sync.slow-reader': 1, 'sync.message-refused': 4 })),
      round('ours', withTail(5), server(98_000, 106_000, 35), { unexpectedCloses: 2 }),
    ])
    const ours = pooled.find((outcome) => outcome.kind === 'ours')
    expect(ours?.generator?.keystrokesTyped).toBe(300)
    expect(ours?.generator?.keystrokesMissing).toBe(1)
    expect(ours?.generator?.unexpectedCloses).toBe(2)
    expect(ours?.generator?.participants).toBe(500)
    // Three rounds of 25 s: messages per second stay what one round sends.
    expect(ours?.generator?.wire.seconds).toBe(75)
    expect(ours?.generator?.wire.sent.messages).toBe(75_000)
    expect(ours?.server?.cpuPercent).toBe(35)
    expect(ours?.server?.mainThreadCpuPercent).toBe(17.5)
    // Growth is the median of each round's own growth (3,000, 1,000 and 8,000 KB), not of mixed rounds.
    expect((ours?.server?.rssIdleKb ?? 0) - (ours?.server?.rssStartKb ?? 0)).toBe(3_000)
    expect(ours?.seconds).toBe(180)
    expect(ours?.server?.warnings).toEqual({ 'sync.slow-reader': 3, 'sync.message-refused': 4 })
    // A single round is reported as it is.
    const stock = pooled.find((outcome) => outcome.kind === 'stock')
    expect(stock?.roundKeystrokeP99Ms).toBeUndefined()
    expect(stock?.server?.cpuPercent).toBe(20)
    expect(stock?.server?.warnings).toBeNull()
  })

  it('names a failed round and pools the rest', () => {
    const [ours] = poolRounds([
      round('ours', withTail(5), server(100, 110, 30)),
      { kind: 'ours', scenario, seconds: Number.NaN, error: 'a load generator exited (1) without a result' },
    ])
    expect(ours?.error).toBe('round 2: a load generator exited (1) without a result')
    expect(ours?.generator?.keystrokeLatencyMs.count).toBe(100)
    expect(ours?.seconds).toBe(60)
    expect(ours?.roundKeystrokeP99Ms).toEqual([1, Number.NaN])
  })
})

describe('the report', () => {
  const steady = (ms: number): number[] => Array.from({ length: 100 }, () => ms)
  const report = (stockExtraCpuPercent: number, ourP99: number, stockP99: number, ourWarnings: Record<string, number> = {}): BenchReport => ({
    machine: { cpu: 'test CPU', cores: 2, node: 'v20', os: 'Linux', memoryGb: 4 },
    command: 'npm run bench',
    date: '2026-11-24T00:00:00Z',
    runSeconds: 60,
    typingSeconds: 25,
    stockExtraCpuPercent,
    scenarios: [scenario],
    outcomes: [round('ours', steady(ourP99), server(100, 110, 36, ourWarnings)), round('stock', steady(stockP99), server(100, 110, 18, null))],
  })
  const targetRow = (markdown: string): string | undefined => markdown.split('\n').find((line) => line.startsWith('| p99 keystroke latency no worse'))

  it('judges our p99 against the stock server’s', () => {
    expect(targetRow(resultsMarkdown(report(0, 5, 20)))).toMatch(/\| met \|$/)
    expect(targetRow(resultsMarkdown(report(0, 20, 5)))).toMatch(/\| not met \|$/)
  })

  it('does not judge the target in a control run, where the stock server was given extra CPU', () => {
    const markdown = resultsMarkdown(report(15, 5, 20))
    expect(targetRow(markdown)).toMatch(/\(stock \+ 15% CPU\) \| control run: not judged \|$/)
    expect(markdown).toContain('| figure | ours | stock + 15% CPU | ours/stock |')
    expect(markdown).toContain('**Control run** (`--stock-extra-cpu=15`)')
  })

  it('splits the server’s CPU into its main thread and the rest', () => {
    const markdown = resultsMarkdown(report(0, 5, 5))
    expect(markdown).toContain('| … of which the main thread (event loop) | 18 | 9.0 | 2.00 |')
    expect(markdown).toContain('| … of which other threads (disk writes, garbage collection) | 18 | 9.0 | 2.00 |')
  })

  it('counts our server’s warnings and names them, the commonest first', () => {
    const markdown = resultsMarkdown(report(0, 5, 5, { 'sync.message-refused': 1, 'sync.slow-reader': 209 }))
    expect(markdown).toContain('| server warning/error log lines | 210 | – |  |')
    expect(markdown).toContain("Our server's warnings and errors, by log event: `sync.slow-reader` 209, `sync.message-refused` 1.")
    expect(resultsMarkdown(report(0, 5, 5))).not.toContain("Our server's warnings")
  })
})
