/**
 * `npm run bench:programme`: what the programme page costs the server. The figures are worked out
 * from every record (server/programmes/programmeFacts.ts), so the first request after a restart
 * opens every conference's record that is not open (8 at a time), reads it and closes it again,
 * and finds nothing in the operating system's file cache; later requests open only the records
 * changed since (server/documents/recordReader.ts). Our server in its own
 * process, `--conferences=N` conferences (300 by default) made through the API: a third UK initial
 * conferences, a third reviews, a third child safety conferences from a referral (two children
 * each). Writes its section of docs/benchmarks.md (`--no-write` only prints it).
 */
import { performance } from 'node:perf_hooks'
import type { ProgrammeFigures } from '../../shared/programmes/figures'
import { addDays } from '../../shared/timescales'
import { api, expectJson, setUpFirstAdmin, type Device } from '../helpers/devices'
import { spawnServer } from '../helpers/serverProcess'
import { formatNumber, machineDescription, table, utcNow, writeBenchmarkSection } from '../soak/common'
import { makeBenchDir, procStats, removeBenchDir, runCommand, stopChild, trackChild } from './processes'

const CONFERENCES = Number(/^--conferences=(\d+)$/.exec(process.argv.find((arg) => arg.startsWith('--conferences=')) ?? '')?.[1] ?? 300)
const REQUESTS = 5
const HEADING = 'Programme figures'

interface Timed {
  ms: number
  rssKb: number
}

async function createConferences(admin: Device): Promise<void> {
  for (let index = 0; index < CONFERENCES; index++) {
    const date = addDays('2026-01-01', index % 330)
    const kind = (['uk-initial', 'uk-review', 'us-csc-initial'] as const)[index % 3] ?? 'uk-initial'
    const referral = kind === 'us-csc-initial'
      ? { referral: { concernRaisedAt: `${addDays(date, -1)}T09:30:00-06:00`, timeZone: 'America/Chicago', family: `Family ${index}`, children: ['First child', 'Second child'], serviceArea: 'Eastern', afterRemoval: false, facilitator: { name: 'Facilitator', organisation: 'Mediation', independent: true } } }
      : {}
    await expectJson(await api(admin, '/api/conferences', { method: 'POST', body: { title: `Conference ${index}`, kind, date, role: 'chair', ...referral } }), 201)
  }
}

async function timedFigures(admin: Device, pid: number): Promise<Timed> {
  const started = performance.now()
  const figures = await expectJson<ProgrammeFigures>(await api(admin, '/api/programme/figures?from=2026-01-01&to=2026-12-31'), 200)
  const ms = performance.now() - started
  if (figures.periods.length !== 4) throw new Error('expected four quarters')
  return { ms, rssKb: (await procStats(pid))?.rssKb ?? 0 }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const started = performance.now()
  const dataDir = await makeBenchDir()
  const server = await spawnServer(dataDir)
  trackChild(server.child)
  try {
    if (!server.setupLink) throw new Error('a fresh server prints its set-up link')
    const admin = await setUpFirstAdmin(server.url, server.setupLink)
    process.stderr.write(`[bench:programme] creating ${CONFERENCES} conferences\n`)
    await createConferences(admin)
    await stopChild(server.child)
    // A fresh process: the first request reads every record from disk.
    const fresh = await spawnServer(dataDir)
    trackChild(fresh.child)
    try {
      if (fresh.child.pid === undefined) throw new Error('no server process')
      // The administrator's session is stored: it still works after the restart.
      const lead = { ...admin, baseUrl: fresh.url }
      const before = (await procStats(fresh.child.pid))?.rssKb ?? 0
      const cold = await timedFigures(lead, fresh.child.pid)
      const warm: Timed[] = []
      for (let request = 0; request < REQUESTS; request++) warm.push(await timedFigures(lead, fresh.child.pid))
      const warmMs = warm.map((timed) => timed.ms).sort((a, b) => a - b)
      const body = [
        `Run on ${utcNow()}: \`npm run bench:programme${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\` (took ${formatNumber((performance.now() - started) / 60_000, 1)} min). ${machineDescription()}`,
        '',
        `\`GET /api/programme/figures\` for a year, by quarter, over ${CONFERENCES} conferences (a third each: UK initial, UK review, ` +
          'child safety conference from a referral with two children). The first request after a restart opens every record ' +
          'not open, 8 at a time, reads it and closes it; later ones open only the records changed since. The records are short (made through the API, not typed in): whole meetings cost more to ' +
          'open (see the cold open above).',
        '',
        table(['figure', 'measured'], [
          ['first request after a restart (ms)', formatNumber(cold.ms, 0)],
          [`next ${REQUESTS} requests: median / slowest (ms)`, `${formatNumber(warmMs[Math.floor(REQUESTS / 2)] ?? 0, 0)} / ${formatNumber(warmMs.at(-1) ?? 0, 0)}`],
          ['server memory before the first request / after it (MB)', `${formatNumber(before / 1024, 0)} / ${formatNumber(cold.rssKb / 1024, 0)}`],
        ]),
      ].join('\n')
      process.stdout.write(`## ${HEADING}\n\n${body}\n`)
      if (!argv.includes('--no-write')) await writeBenchmarkSection(HEADING, body)
    } finally {
      await stopChild(fresh.child)
    }
  } finally {
    removeBenchDir(dataDir)
  }
}

runCommand('bench:programme', main)
