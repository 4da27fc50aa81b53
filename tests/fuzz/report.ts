import { formatNumber, machineDescription, table } from '../soak/common'
import { FRAME_KINDS } from './frames'
import type { FuzzResult } from './fuzzer'

/** The targets of the issue: 0 crashes, 0 hangs over 1 s, 0 stored documents changed (plus no guard gaps). */
export function fuzzProblems(result: FuzzResult): string[] {
  const problems: string[] = []
  if (result.crashes > 0) problems.push(`${result.crashes} crashes`)
  if (result.stoppedEarly) problems.push('the run stopped early: sockets could no longer connect')
  if (result.stall.overOneSecond > 0) problems.push(`${result.stall.overOneSecond} pings unanswered for over 1 s`)
  if (result.stall.health.maxMs > 1_000) problems.push(`a health request took ${Math.round(result.stall.health.maxMs)} ms`)
  if (result.unanswered > 0) problems.push(`${result.unanswered} frames neither answered nor refused within 10 s`)
  if (result.documents.changed.length > 0) problems.push(`stored documents changed: ${result.documents.changed.join(', ')}`)
  if (result.pendingAfterValid > 0) problems.push(`${result.pendingAfterValid} accepted updates left Yjs with pending content`)
  if (result.acceptedAgainstGuard > 0) problems.push(`${result.acceptedAgainstGuard} refused updates kept their connection open`)
  if (result.valid.refusedByServer > 0) problems.push(`${result.valid.refusedByServer} valid updates refused by the server`)
  const errors = Object.entries(result.serverErrorLines)
  if (errors.length > 0) problems.push(`server error lines: ${errors.map(([event, count]) => `${event} ×${count}`).join(', ')}`)
  return problems
}

export function fuzzTargetsMet(result: FuzzResult): boolean {
  return fuzzProblems(result).length === 0
}

function outcomes(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name}: ${formatNumber(count)}`)
    .join(', ')
}

export function fuzzMarkdown(result: FuzzResult, command: string, startedAt: Date): string {
  const met = (ok: boolean): string => (ok ? 'met' : '**not met**')
  const lines: string[] = []
  lines.push(
    `Run on ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}: \`${command}\` (took ${formatNumber(result.seconds / 60, 1)} min).`,
    '',
    `Machine: ${machineDescription()}. The server, this harness and its stall monitor share these cores.`,
    '',
    'A real server process (server/main.ts, log level error) and one conference seeded with a paragraph two people typed in turn ' +
      `(a list of unmerged items, the worst case for Yjs's conflict scans). ${result.lanes} signed-in websockets send frames from ` +
      'tests/fuzz/frames.ts, one frame or one awareness burst at a time each, then a "saved" probe: its answer means the frame was ' +
      'handled and the connection survived; otherwise the close code says how it was refused, and the socket is replaced. ' +
      'A worker thread pings the server every 25 ms over another conference\'s websocket and asks `/api/health` every second: a ' +
      'stall of the server\'s event loop shows there, whatever the harness is doing.',
    '',
    'Valid updates: the server\'s own guard (`refusalOf`: `inspectUpdate` with the fuzzing person\'s writable roots, then that any view it changes is theirs), run here against an exact ' +
      'copy of the server\'s document (built from the stored files the way the server loads them), says which frames are real ' +
      'changes (a mutation that only changed typed text, a crafted update within every bound). Those are sent while every other ' +
      'socket waits, and applied to the copy too once the server answered. At the end the server is restarted and each ' +
      'conference read by a fresh client: the fuzzed one must equal the copy, every other one must be unchanged (hash of state ' +
      'vector, delete set and record). So a refused frame that changed anything, or a valid one stored differently, shows up.',
    '',
    '### Against the targets',
    '',
    table(['target (from the issue)', 'measured', ''], [
      ['at least 1,000,000 malformed frames', formatNumber(result.frames), met(result.frames >= 1_000_000)],
      ['0 crashes', formatNumber(result.crashes), met(result.crashes === 0)],
      ['0 hangs over 1 s (ping or health unanswered > 1 s; frames unanswered in 10 s)', `${formatNumber(result.stall.overOneSecond)} / ${formatNumber(result.unanswered)}; longest ping ${formatNumber(result.stall.maxMs)} ms`, met(result.stall.overOneSecond === 0 && result.unanswered === 0 && result.stall.health.maxMs <= 1_000)],
      ['0 stored documents changed', `${formatNumber(result.documents.changed.length)} of ${formatNumber(result.documents.checked)}`, met(result.documents.changed.length === 0)],
    ]),
    '',
    '### Figures',
    '',
    table(['figure', 'value'], [
      ['frames sent (handled by the sync layer)', formatNumber(result.frames)],
      ['batches (a frame, or an awareness burst, then a probe)', formatNumber(result.batches)],
      ['frames/s', formatNumber(result.framesPerSecond)],
      ['websocket connections opened', formatNumber(result.connections)],
      ['connections that failed to open', formatNumber(result.connectFailures)],
      ['ping round trip, p99 / max (ms)', `${formatNumber(result.stall.p99Ms, 1)} / ${formatNumber(result.stall.maxMs)}`],
      ['pings sent / unanswered over 1 s', `${formatNumber(result.stall.pings)} / ${formatNumber(result.stall.overOneSecond)}`],
      ['health requests / slowest (ms) / failed', `${formatNumber(result.stall.health.requests)} / ${formatNumber(result.stall.health.maxMs)} / ${formatNumber(result.stall.health.failures)}`],
      ['frames neither answered nor refused within 10 s', formatNumber(result.unanswered)],
      ['valid updates applied / withheld (cap) / refused by the server / lost with a dropped connection', `${formatNumber(result.valid.applied)} / ${formatNumber(result.valid.withheld)} / ${formatNumber(result.valid.refusedByServer)} / ${formatNumber(result.valid.dropped)}`],
      ['valid update bytes applied', formatNumber(result.valid.bytes)],
      ['slowest valid update applied to the copy here (ms)', formatNumber(result.valid.maxLocalApplyMs)],
      ['refused updates on which the connection stayed open', formatNumber(result.acceptedAgainstGuard)],
      ['accepted updates that left Yjs with pending content', formatNumber(result.pendingAfterValid)],
      ['server crashes', formatNumber(result.crashes)],
      ['server error log lines', Object.keys(result.serverErrorLines).length === 0 ? '0' : outcomes(result.serverErrorLines)],
      ['server RSS, peak (MB)', formatNumber(result.rssPeakKb / 1024)],
      ['CPU while fuzzing, server / this harness (% of one core)', `${formatNumber(result.serverCpuPercent)} / ${formatNumber(result.harnessCpuPercent)}`],
      ['documents checked / changed', `${formatNumber(result.documents.checked)} / ${formatNumber(result.documents.changed.length)}`],
    ]),
    '',
    '### Close codes',
    '',
    table(['how a batch ended', 'batches'], Object.entries(result.closeCodes).sort((a, b) => b[1] - a[1]).map(([name, count]) => [name, formatNumber(count)])),
    '',
    'Batches that ended with the connection still open are counted per kind below.',
    '',
    '### Per kind',
    '',
    table(['kind', 'frames', 'batches', 'outcomes'], FRAME_KINDS.map((kind) => {
      const figures = result.perKind[kind]
      return [kind, formatNumber(figures.frames), formatNumber(figures.batches), outcomes(figures.outcomes)]
    })),
    '',
    '### Crafted updates',
    '',
    table(['variant', 'batches', 'outcomes'], Object.entries(result.perVariant)
      .filter(([name]) => name.startsWith('crafted-update:'))
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([name, figures]) => [name.slice('crafted-update:'.length), formatNumber(figures.batches), outcomes(figures.outcomes)])),
  )
  if (result.stall.worst.length > 0) {
    lines.push('', '### Longest stalls seen by the monitor', '', table(['ping (ms)', 'sent in the 1.5 s before'], result.stall.worst.map((stall) => [formatNumber(stall.ms), stall.suspects.join('; ') || '–'])))
  }
  if (result.serverErrorExamples.length > 0) {
    lines.push('', '### Server error lines (first of each kind)', '', ...result.serverErrorExamples.map((line) => `    ${line}`))
  }
  if (result.crashOutput.length > 0) {
    lines.push('', '### Server output before each crash (last lines)', '', ...result.crashOutput.flatMap((output) => output.trim().split('\n').slice(-15).map((line) => `    ${line}`)))
  }
  if (result.findings.length > 0) lines.push('', `Frames kept for replay: ${result.findings.map((file) => `\`${file}\``).join(', ')}.`)
  const problems = fuzzProblems(result)
  lines.push('', problems.length === 0 ? 'Every target met.' : `Problems: ${problems.join('; ')}.`)
  return lines.join('\n')
}
