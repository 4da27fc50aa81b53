/**
 * `npm run fuzz`: at least `--frames=N` (default 1,000,000) malformed frames against a real
 * server process; prints the figures and writes the "Fuzz" section of docs/benchmarks.md.
 * Flags: `--frames=N`, `--seed=N` (printed, to repeat a run), `--lanes=N` (sockets at once,
 * default 16), `--no-write`. Exit code 1 when a target is missed.
 */
import { parseArgs } from 'node:util'
import { runCommand } from '../bench/processes'
import { seedFrom, writeBenchmarkSection } from '../soak/common'
import { runFuzz } from './fuzzer'
import { fuzzMarkdown, fuzzTargetsMet } from './report'

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const { values } = parseArgs({
    args: argv,
    options: {
      frames: { type: 'string', default: '1000000' },
      seed: { type: 'string' },
      lanes: { type: 'string', default: '16' },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const frames = Number(values.frames)
  const lanes = Number(values.lanes)
  if (!Number.isInteger(frames) || frames < 1) throw new Error('--frames is a positive integer')
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > 256) throw new Error('--lanes is 1 to 256')
  const seed = seedFrom(values.seed)
  process.stderr.write(`[fuzz] seed ${seed}: ${frames.toLocaleString('en-GB')} frames over ${lanes} sockets\n`)
  const startedAt = new Date()
  const result = await runFuzz({ frames, seed, lanes, log: (line) => process.stderr.write(`[fuzz] ${line}\n`) })
  const command = `npm run fuzz -- ${[`--frames=${frames}`, `--seed=${seed}`, `--lanes=${lanes}`].join(' ')}`
  const markdown = fuzzMarkdown(result, command, startedAt)
  process.stdout.write(`${markdown}\n`)
  if (!values['no-write']) {
    await writeBenchmarkSection('Fuzz', markdown)
    process.stderr.write('[fuzz] wrote the "Fuzz" section of docs/benchmarks.md\n')
  }
  if (!fuzzTargetsMet(result)) process.exitCode = 1
}

runCommand('fuzz', main)
