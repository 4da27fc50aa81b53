/**
 * `npm run soak`: people type while the server is killed with SIGKILL at random moments and
 * restarted, `--cycles=N` times (default 100); prints the figures and writes the "Crash soak"
 * section of docs/benchmarks.md. Flags: `--cycles=N`, `--seed=N` (printed, to repeat a run),
 * `--no-write`. Exit code 1 when an acknowledged edit was lost.
 */
import { parseArgs } from 'node:util'
import { runCommand } from '../bench/processes'
import { seedFrom, utcNow, writeBenchmarkSection } from './common'
import { crashSoakMarkdown, runCrashSoak } from './crash'

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      cycles: { type: 'string', default: '100' },
      seed: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const cycles = Number(values.cycles)
  if (!Number.isInteger(cycles) || cycles < 1) throw new Error('--cycles is a positive integer')
  const seed = seedFrom(values.seed)
  process.stderr.write(`[soak] seed ${seed}: ${cycles} kill/restart cycles\n`)
  const date = utcNow()
  const result = await runCrashSoak({ cycles, seed, log: (line) => process.stderr.write(`[soak] ${line}\n`) })
  const markdown = crashSoakMarkdown(result, `npm run soak -- --cycles=${cycles} --seed=${seed}`, date)
  process.stdout.write(`${markdown}\n`)
  if (!values['no-write']) {
    await writeBenchmarkSection('Crash soak', markdown)
    process.stderr.write('[soak] wrote the "Crash soak" section of docs/benchmarks.md\n')
  }
  if (result.lost > 0 || Object.keys(result.serverErrors).length > 0) process.exitCode = 1
}

runCommand('soak', main)
