/**
 * `npm run storm`: `--clients=N` (default 500) real y-websocket clients with our reconnect
 * behaviour reconnect after a server restart; prints the figures and writes the "Reconnect
 * storm" section of docs/benchmarks.md. Flags: `--clients=N`, `--per-conference=N` (10),
 * `--denied=N` (10 clients whose sessions end while the server is down), `--signal=SIGTERM|SIGKILL`,
 * `--compare` (a second run without our jitter, y-websocket's plain backoff, for comparison),
 * `--seed=N`, `--no-write`. Exit code 1 when a target is missed.
 */
import { parseArgs } from 'node:util'
import { runCommand } from '../bench/processes'
import { seedFrom, utcNow, writeBenchmarkSection } from './common'
import { runStorm, stormMarkdown, stormProblems } from './storm'

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      clients: { type: 'string', default: '500' },
      'per-conference': { type: 'string', default: '10' },
      denied: { type: 'string', default: '10' },
      signal: { type: 'string', default: 'SIGTERM' },
      compare: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const clients = Number(values.clients)
  const perConference = Number(values['per-conference'])
  const denied = Number(values.denied)
  if (!Number.isInteger(clients) || clients < 1) throw new Error('--clients is a positive integer')
  if (!Number.isInteger(perConference) || perConference < 1) throw new Error('--per-conference is a positive integer')
  if (!Number.isInteger(denied) || denied < 0) throw new Error('--denied is 0 or more')
  if (values.signal !== 'SIGTERM' && values.signal !== 'SIGKILL') throw new Error('--signal is SIGTERM or SIGKILL')
  const signal = values.signal
  const seed = seedFrom(values.seed)
  const log = (line: string): void => { process.stderr.write(`[storm] ${line}\n`) }
  log(`seed ${seed}: ${clients} clients`)
  const date = utcNow()
  // Denied clients are watched for twice y-websocket's longest backoff after their refusal.
  const watchDeniedMs = 5_000
  const runs = [await runStorm({ clients, perConference, denied, signal, seed, watchDeniedMs, log })]
  if (values.compare) {
    log('again without jitter, for comparison')
    runs.push(await runStorm({ clients, perConference, denied, signal, seed, jitter: false, watchDeniedMs, log }))
  }
  const flags = [`--clients=${clients}`, `--per-conference=${perConference}`, `--denied=${denied}`, `--signal=${signal}`, ...(values.compare ? ['--compare'] : []), `--seed=${seed}`]
  const markdown = stormMarkdown(runs, `npm run storm -- ${flags.join(' ')}`, date)
  process.stdout.write(`${markdown}\n`)
  if (!values['no-write']) {
    await writeBenchmarkSection('Reconnect storm', markdown)
    log('wrote the "Reconnect storm" section of docs/benchmarks.md')
  }
  if (stormProblems(runs[0]!).length > 0) process.exitCode = 1
}

runCommand('storm', main)
