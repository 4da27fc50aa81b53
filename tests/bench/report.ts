/** Turns benchmark outcomes into the markdown printed by `npm run bench` and kept in docs/benchmarks.md. */
import type { ColdOpenResult } from './coldOpen'
import { COMPACT_AFTER_RECORDS } from '../../server/documents/room'
import type { GeneratorResult, LoopFigures, ServerKind } from './types'

export interface Scenario {
  rooms: number
  participants: number
}

export interface ServerFigures {
  rssStartKb: number
  rssConnectedKb: number
  rssPeakKb: number
  rssIdleKb: number
  cpuPercent: number
  /** Of `cpuPercent`, the main thread's (the event loop); the rest is worker threads. */
  mainThreadCpuPercent: number
  /** CPU used by every other process on the machine while typing (% of one core): noise. */
  otherCpuPercent: number
  /** The whole machine's busy CPU while typing (% of one core; the cores × 100 is all of it). */
  machineCpuPercent: number
  /** The server's own event loop while typing (tests/bench/loopProbe.ts). */
  loop: LoopFigures | null
  /** Our server's warning/error log lines during the run, by event (the stock server has no such log). */
  warnings: Record<string, number> | null
}

export interface ScenarioOutcome {
  kind: ServerKind
  scenario: Scenario
  seconds: number
  generator?: GeneratorResult
  server?: ServerFigures
  error?: string
  /** With `--rounds`: each round's keystroke → remote p99, in the order they ran. */
  roundKeystrokeP99Ms?: number[]
}

export interface Machine {
  cpu: string
  cores: number
  node: string
  os: string
  memoryGb: number
}

export interface BenchReport {
  machine: Machine
  command: string
  date: string
  runSeconds: number
  typingSeconds: number
  /** `--stock-extra-cpu`: a control run, in which the stock server also burned this % of one core. */
  stockExtraCpuPercent: number
  scenarios: Scenario[]
  outcomes: ScenarioOutcome[]
  cold?: ColdOpenResult | { error: string }
}

export const scenarioName = (scenario: Scenario): string => `${scenario.rooms}×${scenario.participants}`

function formatNumber(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  const places = digits ?? (Math.abs(value) < 10 ? 1 : 0)
  return value.toLocaleString('en-GB', { minimumFractionDigits: places, maximumFractionDigits: places })
}

function formatRatio(ours: number | null | undefined, stock: number | null | undefined): string {
  if (ours === null || ours === undefined || stock === null || stock === undefined) return '–'
  if (!Number.isFinite(ours) || !Number.isFinite(stock) || stock <= 0) return '–'
  return (ours / stock).toFixed(2)
}

interface Row {
  label: string
  value: (outcome: ScenarioOutcome) => number | null | undefined
  digits?: number
  /** False for counts where a ratio says nothing. */
  ratio?: boolean
}

const perSecond = (count: number | undefined, seconds: number | undefined): number | undefined =>
  count === undefined || seconds === undefined || seconds <= 0 ? undefined : count / seconds

const mb = (kb: number | undefined): number | undefined => (kb === undefined ? undefined : kb / 1024)
const kb = (bytes: number | undefined): number | undefined => (bytes === undefined ? undefined : bytes / 1024)

const ROWS: Row[] = [
  { label: 'keystroke → remote, p50 (ms)', value: (o) => o.generator?.keystrokeLatencyMs.p50 },
  { label: 'keystroke → remote, p95 (ms)', value: (o) => o.generator?.keystrokeLatencyMs.p95 },
  { label: 'keystroke → remote, p99 (ms)', value: (o) => o.generator?.keystrokeLatencyMs.p99 },
  { label: 'keystroke → remote, max (ms)', value: (o) => o.generator?.keystrokeLatencyMs.max },
  { label: 'keystroke arrivals timed', value: (o) => o.generator?.keystrokeLatencyMs.count, digits: 0, ratio: false },
  { label: 'keystroke arrivals missing at the end', value: (o) => o.generator?.keystrokesMissing, digits: 0, ratio: false },
  { label: 'time to first sync, p50 (ms)', value: (o) => o.generator?.firstSyncMs.p50 },
  { label: 'time to first sync, p95 (ms)', value: (o) => o.generator?.firstSyncMs.p95 },
  { label: 'time to first sync, p99 (ms)', value: (o) => o.generator?.firstSyncMs.p99 },
  { label: 'everyone connected and synced (s)', value: (o) => (o.generator ? o.generator.connectAllMs / 1000 : undefined) },
  { label: 'saved acknowledgement, p50 (ms)', value: (o) => o.generator?.savedAckMs?.p50 },
  { label: 'saved acknowledgement, p95 (ms)', value: (o) => o.generator?.savedAckMs?.p95 },
  { label: 'saved acknowledgement, p99 (ms)', value: (o) => o.generator?.savedAckMs?.p99 },
  { label: 'local changes never confirmed saved', value: (o) => (o.kind === 'ours' ? o.generator?.savedUnconfirmed : undefined), digits: 0, ratio: false },
  { label: 'server RSS at start (MB)', value: (o) => mb(o.server?.rssStartKb) },
  { label: 'server RSS, everyone connected (MB)', value: (o) => mb(o.server?.rssConnectedKb) },
  { label: 'server RSS, peak while typing (MB)', value: (o) => mb(o.server?.rssPeakKb) },
  { label: 'server RSS, idle, everyone still connected (MB)', value: (o) => mb(o.server?.rssIdleKb) },
  {
    label: 'server RSS growth per loaded idle conference (KB)',
    // Below 10 conferences GC noise is larger than what is measured.
    value: (o) => (o.server && o.scenario.rooms >= 10 ? (o.server.rssIdleKb - o.server.rssStartKb) / o.scenario.rooms : undefined),
    digits: 0,
  },
  { label: 'server CPU while typing (% of one core)', value: (o) => o.server?.cpuPercent },
  { label: '… of which the main thread (event loop)', value: (o) => o.server?.mainThreadCpuPercent },
  { label: '… of which other threads (disk writes, garbage collection)', value: (o) => (o.server ? o.server.cpuPercent - o.server.mainThreadCpuPercent : undefined) },
  { label: 'server event-loop delay, p50 (ms)', value: (o) => o.server?.loop?.delayP50Ms },
  { label: 'server event-loop delay, p99 (ms)', value: (o) => o.server?.loop?.delayP99Ms },
  { label: 'server event-loop delay, max (ms)', value: (o) => o.server?.loop?.delayMaxMs },
  { label: 'server event-loop utilization (%)', value: (o) => (o.server?.loop ? o.server.loop.utilization * 100 : undefined) },
  { label: 'whole machine busy while typing (% of one core; all cores: 100 × cores)', value: (o) => o.server?.machineCpuPercent },
  { label: 'other processes on the machine while typing (% of one core)', value: (o) => o.server?.otherCpuPercent, ratio: false },
  { label: 'generator event-loop delay, p50 (ms)', value: (o) => o.generator?.generator.eventLoopDelayP50Ms },
  { label: 'generator event-loop delay, p99 (ms)', value: (o) => o.generator?.generator.eventLoopDelayP99Ms },
  { label: 'generator event-loop delay, max (ms)', value: (o) => o.generator?.generator.eventLoopDelayMaxMs },
  { label: 'generator event-loop utilization (%)', value: (o) => (o.generator ? o.generator.generator.eventLoopUtilization * 100 : undefined) },
  { label: 'generator CPU (% of one core)', value: (o) => o.generator?.generator.cpuPercent },
  { label: 'messages/s client → server', value: (o) => perSecond(o.generator?.wire.sent.messages, o.generator?.wire.seconds), digits: 0 },
  { label: 'messages/s server → clients', value: (o) => perSecond(o.generator?.wire.received.messages, o.generator?.wire.seconds), digits: 0 },
  { label: 'KB/s client → server', value: (o) => kb(perSecond(o.generator?.wire.sent.bytes, o.generator?.wire.seconds)) },
  { label: 'KB/s server → clients', value: (o) => kb(perSecond(o.generator?.wire.received.bytes, o.generator?.wire.seconds)) },
  { label: 'unexpected connection closes', value: (o) => o.generator?.unexpectedCloses, digits: 0, ratio: false },
  { label: 'server warning/error log lines', value: (o) => (o.server?.warnings ? warningCount(o.server.warnings) : undefined), digits: 0, ratio: false },
]

function warningCount(byEvent: Record<string, number>): number {
  return Object.values(byEvent).reduce((total, count) => total + count, 0)
}

/** The stock server's column: named for what it ran with. */
function stockName(report: BenchReport): string {
  return report.stockExtraCpuPercent > 0 ? `stock + ${report.stockExtraCpuPercent}% CPU` : 'stock'
}

function scenarioTable(scenario: Scenario, outcomes: ScenarioOutcome[], stockLabel: string): string {
  const ours = outcomes.find((o) => o.kind === 'ours')
  const stock = outcomes.find((o) => o.kind === 'stock')
  const lines = [
    `### ${scenarioName(scenario)}: ${scenario.rooms} conference${scenario.rooms === 1 ? '' : 's'} × ${scenario.participants} participants`,
    '',
  ]
  for (const failed of [ours, stock]) {
    if (failed?.error) lines.push(`**${failed.kind} failed:** ${failed.error}`, '')
  }
  lines.push(`| figure | ours | ${stockLabel} | ours/stock |`, '|---|---:|---:|---:|')
  for (const row of ROWS) {
    const a = ours ? row.value(ours) : undefined
    const b = stock ? row.value(stock) : undefined
    const ratio = row.ratio === false ? '' : formatRatio(a, b)
    lines.push(`| ${row.label} | ${formatNumber(a, row.digits)} | ${formatNumber(b, row.digits)} | ${ratio} |`)
  }
  const typed = [ours, stock].map((o) => o?.generator?.keystrokesTyped)
  lines.push('', `Keystrokes typed: ours ${formatNumber(typed[0], 0)}, stock ${formatNumber(typed[1], 0)}. Scenario wall time: ours ${formatNumber(ours?.seconds, 0)} s, stock ${formatNumber(stock?.seconds, 0)} s.`)
  const warnings = Object.entries(ours?.server?.warnings ?? {}).sort((a, b) => b[1] - a[1])
  if (warnings.length > 0) {
    lines.push('', `Our server's warnings and errors, by log event: ${warnings.map(([event, count]) => `\`${event}\` ${formatNumber(count, 0)}`).join(', ')}.`)
  }
  const perRound = [ours, stock].flatMap((o) => (o?.roundKeystrokeP99Ms ? [`${o.kind} ${o.roundKeystrokeP99Ms.map((p99) => formatNumber(p99)).join(', ')}`] : []))
  if (perRound.length > 0) {
    lines.push(
      '',
      `Pooled from ${ours?.roundKeystrokeP99Ms?.length ?? stock?.roundKeystrokeP99Ms?.length ?? 0} rounds per server, the servers taking turns to go first: ` +
        'latency, first sync and saved figures from every round\'s samples, rates over all rounds, everything else the median round. ' +
        `Keystroke → remote p99 of each round (ms): ${perRound.join('; ')}.`,
    )
  }
  return lines.join('\n')
}

function coldTable(cold: ColdOpenResult | { error: string } | undefined): string {
  if (!cold) return 'Not run (`--skip-cold`).'
  if ('error' in cold) return `**Failed:** ${cold.error}`
  const lines = [
    `A conference whose journal holds ${cold.updates.toLocaleString('en-GB')} small updates (one per keystroke, three writers, ` +
      `${formatNumber(cold.journalBytes / 1024, 0)} KB on disk), written straight into the embedded store without compaction. ` +
      `Its map step holds ${cold.mapEntries.toLocaleString('en-GB')} entries in Past harm and Existing safety.`,
    '',
    'Each row is measured twice, on copies of the same files. The server\'s load time is read when one sync client opens it with ' +
      'nothing else running. Then the chair opens the copy in Chromium (1366×768, nothing of the conference stored on the ' +
      'device, the app already built), against a server process of its own started the same way; the page\'s own clock times ' +
      'it from starting to load until the board shows the record (its meeting steps appear once the record has arrived), then ' +
      'from the click on the map step until the last entry of both columns is in the page. (The server\'s time is not read ' +
      'from the browser\'s open: here the browser shares the server\'s two cores and slows it, as it would not from a laptop.)',
    '',
    '| open | server `conference.loaded` (ms) | browser: page starts loading → board shown (ms) | then map step clicked → every entry shown (ms) |',
    '|---|---:|---:|---:|',
    ...cold.measures.map((m) => `| ${m.label} | ${formatNumber(m.serverLoadMs, 0)} | ${formatNumber(m.boardShownMs, 0)} | ${formatNumber(m.mapShownMs, 0)} |`),
    '',
    `When the sync client left, the server compacted and unloaded the conference in ${formatNumber(cold.leaveToUnloadedMs, 0)} ms; ` +
      `the directory then held ${cold.compactedFiles.join(', ')} (${formatNumber(cold.compactedBytes / 1024, 1)} KB).`,
    '',
    `A journal of ${cold.updates.toLocaleString('en-GB')} uncompacted updates is the worst case, not one our server leaves: a room compacts ` +
      `every ${COMPACT_AFTER_RECORDS.toLocaleString('en-GB')} records while people type (a failed compaction fails the room). The last row is ` +
      `a meeting typed the same way but written as our server writes it, and never closed, as after a SIGKILL at the worst moment near its end: a snapshot plus ` +
      `${cold.crashed.tailRecords.toLocaleString('en-GB')} records (${cold.crashed.files.join(', ')}; ${formatNumber(cold.crashed.bytes / 1024, 1)} KB; ` +
      `${cold.crashed.mapEntries.toLocaleString('en-GB')} entries in the map step).`,
  ]
  return lines.join('\n')
}

type Verdict = 'met' | 'not met' | 'not measured' | 'control run: not judged'

function targets(report: BenchReport): string {
  const find = (kind: ServerKind, rooms: number, participants: number): ScenarioOutcome | undefined =>
    report.outcomes.find((o) => o.kind === kind && o.scenario.rooms === rooms && o.scenario.participants === participants && o.generator)
  const verdict = (value: number | undefined, limit: number | undefined): Verdict =>
    value === undefined || limit === undefined || !Number.isFinite(value) ? 'not measured' : value <= limit ? 'met' : 'not met'
  const rows: [string, string, Verdict][] = []

  const ours50 = find('ours', 50, 10)
  const stock50 = find('stock', 50, 10)
  const ourP99 = ours50?.generator?.keystrokeLatencyMs.p99
  const stockP99 = stock50?.generator?.keystrokeLatencyMs.p99
  rows.push([
    'p99 keystroke latency no worse than the stock server (50×10)',
    `${formatNumber(ourP99)} ms vs ${formatNumber(stockP99)} ms (${stockName(report)})`,
    // The stock server was given extra work: beating it then says nothing about the target.
    report.stockExtraCpuPercent > 0 ? 'control run: not judged' : verdict(ourP99, stockP99),
  ])
  const ack = ours50?.generator?.savedAckMs?.p95
  rows.push(['saved acknowledgement p95 ≤ 50 ms (50×10)', `${formatNumber(ack)} ms`, verdict(ack, 50)])
  const perConference = ours50?.server ? (ours50.server.rssIdleKb - ours50.server.rssStartKb) / 50 : undefined
  rows.push([
    '≤ 200 KB server memory per loaded idle conference (50×10, RSS growth incl. its 10 connections)',
    `${formatNumber(perConference, 0)} KB`,
    verdict(perConference, 200),
  ])
  const full = find('ours', 200, 15)?.generator?.keystrokeLatencyMs.p99
  rows.push(['200 conferences × 15 participants, p99 latency < 100 ms', full === undefined ? 'run with `--full`' : `${formatNumber(full)} ms`, verdict(full, 100)])
  const coldLoad = report.cold && !('error' in report.cold) ? report.cold.measures[0]?.serverLoadMs : undefined
  const compactedLoad = report.cold && !('error' in report.cold) ? report.cold.measures[2]?.serverLoadMs : undefined
  const crashedLoad = report.cold && !('error' in report.cold) ? report.cold.measures[3]?.serverLoadMs : undefined
  rows.push(['cold open ≤ 100 ms server-side (after a crash late in a two-hour meeting, as our server leaves the journal)', `${formatNumber(crashedLoad, 0)} ms`, verdict(crashedLoad, 100)])
  rows.push(['cold open ≤ 100 ms server-side (after compaction, fresh process)', `${formatNumber(compactedLoad, 0)} ms`, verdict(compactedLoad, 100)])
  const coldUpdates = report.cold && !('error' in report.cold) ? report.cold.updates.toLocaleString('en-GB') : '60,000'
  rows.push([`cold open ≤ 100 ms server-side (worst case: ${coldUpdates} updates never compacted)`, `${formatNumber(coldLoad, 0)} ms`, verdict(coldLoad, 100)])

  return ['| target (from the issue) | measured | |', '|---|---:|---|', ...rows.map(([target, measured, v]) => `| ${target} | ${measured} | ${v} |`)].join('\n')
}

/** Other processes sharing the 2 cores make tails meaningless: say so where the figures are. */
function noiseWarning(report: BenchReport): string[] {
  const busiest = Math.max(0, ...report.outcomes.map((o) => o.server?.otherCpuPercent ?? 0).filter((value) => Number.isFinite(value)))
  if (busiest < 20) return []
  return [
    `**Noisy run:** other processes on this machine used up to ${formatNumber(busiest, 0)}% of one core while a scenario was typing ` +
      '(row "other processes on the machine"). p95/p99/max figures of such a scenario measure that contention as much as the server.',
    '',
  ]
}

/** The results part: printed after a run, and the body of docs/benchmarks.md. */
export function resultsMarkdown(report: BenchReport): string {
  const { machine } = report
  return [
    `Run on ${report.date}: \`${report.command}\` (took ${formatNumber(report.runSeconds / 60, 1)} min, each scenario typing for ${report.typingSeconds} s).`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${formatNumber(machine.memoryGb, 1)} GB RAM, ${machine.os}, Node ${machine.node}. ` +
      'Server and load generator share these cores.',
    '',
    ...noiseWarning(report),
    ...(report.stockExtraCpuPercent > 0
      ? [
          `**Control run** (\`--stock-extra-cpu=${report.stockExtraCpuPercent}\`): while typing, a spare thread of the stock server burned ` +
            `${report.stockExtraCpuPercent}% of one core. Its figures show what that much CPU does to a server's latency on this machine; ` +
            'they are not the stock server\'s.',
          '',
        ]
      : []),
    '### Against the targets',
    '',
    targets(report),
    '',
    ...report.scenarios.flatMap((scenario) => [
      scenarioTable(
        scenario,
        report.outcomes.filter((o) => o.scenario.rooms === scenario.rooms && o.scenario.participants === scenario.participants),
        stockName(report),
      ),
      '',
    ]),
    '### Cold open',
    '',
    coldTable(report.cold),
  ].join('\n')
}

const METHOD = `# Benchmarks

Produced by \`npm run bench\` (tests/bench/run.ts), which rewrites this file except the
sections at the end that commands of their own write: the note-taker's page in a browser
(\`npm run bench:page\`, tests/bench/pageCost.ts), and the fault harnesses (\`npm run soak\`,
\`npm run fuzz\`, \`npm run storm\`). Nothing here is part of \`npm test\` (bounded versions of
the fault harnesses are: tests/integration/faults.test.ts).

## What is measured, and how

- **The server under test** runs in its own process on 127.0.0.1: ours is \`server/main.ts\`
  started as \`npm start\` would (tests/helpers/serverProcess.ts, fresh temp data dir, log
  level warn); the stock one is \`@y/websocket-server@0.1.1\` started through its own \`bin\`
  (which uses its bundled ws 6), no persistence. Both with \`NODE_ENV=production\`.
- **The load generator** (tests/bench/loadGenerator.ts) is a second process with real
  y-websocket 3 \`WebsocketProvider\`s over \`ws\`. M conferences × N participants; at most 25
  connections are opening at any moment. From 2,000 participants (200×15) two generator
  processes share the conferences (one could not keep up with 3,000 providers: its event loop
  lagged by over a second); they start typing together once both have connected, and their
  samples are merged. Conferences are created through \`POST
  /api/conferences\`; the stock server takes any room name.
- **In each conference** one note-taker types ~8 characters/s (one Yjs transaction per
  character, jittered 62-188 ms apart) into the rich text of a map entry; two others type
  bursts of 4-12 characters into their own entry every 3-9 s; everyone has awareness on (a
  user field, and a fake caret moved every 1-4 s). Each client sends its own presence only, as
  our client does (client/sync/syncProvider.ts), to both servers; stock y-websocket clients
  also send back every change they hear, one echo per listener (\`--echo-presence\`).
- **Keystroke → remote** is timed on one clock: the generator remembers when the note-taker
  typed character k, and each other participant of that conference records when character k
  first appears in its copy. Every (keystroke, receiver) pair is one sample.
- **Time to first sync**: provider created → \`synced\`.
- **Saved acknowledgement** (ours only): time from a local change to SaveTracker learning it is
  on disk (the \`saved\` message; the one-question-in-flight rule is part of what is measured).
- **Server RSS and CPU** are read from /proc of the server process; the main thread's CPU
  from /proc of its first thread (the rest is worker threads: libuv's pool, where our server's
  durable writes are done, and V8's garbage collector). "At start" is after the
  conferences were created (and unloaded again); the per-conference figure is (idle − start) /
  M, with everyone still connected, so it includes N connections per conference. Before both
  readings the server runs a full garbage collection (the preloaded probe, on SIGWINCH), as it
  would given idle time: without it, the idle reading included whatever garbage typing had
  left, and varied with how the server's writes happened to be batched. RSS still includes
  memory V8 and malloc keep for reuse, so it is an upper estimate.
- **Server event loop**: tests/bench/loopProbe.ts is preloaded into either server (\`node
  --import\`) and reports its event-loop delay and utilization while typing. A message waits in
  the server at most about that long before it is handled, so latency well above it was spent
  in the generators, not the server.
- **Other processes**: the whole machine's busy CPU (/proc/stat) minus server, generator and
  runner while typing. Anything above a few % means someone else was using the cores.
- **Generator health**: its event-loop delay, event-loop utilization and CPU while typing (with
  two generators: the worse delay and utilization, the total CPU). If these are high, latency
  figures measure the generator, not the server.
- **Wire**: messages and bytes of every websocket frame the generator sends and receives
  while typing. The stock server echoes each update and awareness change back to its sender;
  ours does not.
- **Cold open**: a conference with a long uncompacted journal is written straight into the
  embedded store; a fresh server process (log level info) loads it for one sync client, and we
  read the \`ms\` of its \`conference.loaded\` log line. When the client leaves the server
  compacts; the conference is then opened again, in the same process and in a fresh one. A copy
  of the same files is opened the same way by the chair in Chromium, and the page itself notes (a
  MutationObserver added before its scripts run) when the board first shows the record, and how
  long its map step takes to show every entry.

Flags: \`--full\` adds 200×15; \`--scenario=MxN\` (repeatable) replaces the scenarios;
\`--duration=S\` typing seconds per scenario (default 25); \`--server=ours|stock\`;
\`--skip-cold\`; \`--cold-updates=N\` (default 60000); \`--echo-presence\`; \`--profile=DIR\` writes a CPU
profile of each server while typing (\`<server>-<M>x<N>.cpuprofile\`, for Chrome DevTools; with
\`--rounds\`, the last round's);
\`--rounds=N\` runs each scenario N times per server, taking turns, and pools the rounds (a single run's
p99 is a few hundred samples); \`--pin\` runs the server on core 0 and the generators on core 1
(Linux \`taskset\`), so they stop taking each other's core; \`--stock-extra-cpu=P\` is a control: a
spare thread of the stock server burns P% of one core while typing (in 2 ms slices), to see what
our server's extra CPU alone does to latency on a shared machine; \`--no-write\` leaves this file alone.

## Latest results

`

export function benchmarksDocument(report: BenchReport): string {
  return METHOD + resultsMarkdown(report) + '\n'
}
