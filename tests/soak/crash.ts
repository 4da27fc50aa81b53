/**
 * The crash soak: people type while the server is killed with SIGKILL at random moments and
 * started again, cycle after cycle, on the same data. As in tests/integration/crash.test.ts each
 * keystroke is a unique token, and each typist remembers what it had typed at each of its
 * SaveTracker's change counts; when the server dies, whatever the tracker had confirmed as saved
 * must be in the document the restarted server loads, before anyone sends it again.
 */
import { MessageType } from '../../shared/protocol'
import { plainText } from '../../shared/conference/richText'
import { authorIdIn, setUpFirstAdmin, type Device } from '../helpers/devices'
import { createTestConference } from '../helpers/server'
import { spawnServer, type ServerProcess } from '../helpers/serverProcess'
import { typeCharacter } from '../helpers/typing'
import { logLines, makeBenchDir, removeBenchDir, stopChild, trackChild } from '../bench/processes'
import { conferenceRecord } from '../../shared/conference'
import { connectClient, createRandom, deviceAt, formatNumber, machineDescription, percentile, pollUntil, table, type Client } from './common'

export interface CrashSoakOptions {
  cycles: number
  seed: number
  /** People typing at once (default 2). */
  typists?: number
  /** The kill comes this long after typing starts, uniformly at random (default 20-1500 ms). */
  killAfterMs?: readonly [number, number]
  log?: (line: string) => void
}

export interface CrashCycle {
  /** `after N ms` or `at saved answer N`. */
  moment: string
  typed: number
  acknowledged: number
  lost: number
  /** Restart spawn → the server printed its address. */
  readyMs: number
  /** Restart spawn → a client that connected then had synced. */
  recoveryMs: number
}

export interface CrashSoakResult {
  seed: number
  typists: number
  cycles: CrashCycle[]
  typed: number
  acknowledged: number
  lost: number
  lostExamples: string[]
  /** Journals whose torn last record the restarted server cut off. */
  tornTails: number
  serverErrors: Record<string, number>
  seconds: number
}

/** Each keystroke is one token, so the text says exactly which keystrokes arrived. */
const token = (cycle: number, typist: number, keystroke: number): string => `[${cycle}:${typist}:${keystroke}]`

interface Typist {
  client: Client
  entryId: string
  typed: number
  /** [local change count, keystrokes typed by then], in order. */
  typedAt: [number, number][]
}

function keystrokesAt(typist: Typist, changes: number): number {
  let found = 0
  for (const [made, keystrokes] of typist.typedAt) {
    if (made > changes) break
    found = keystrokes
  }
  return found
}

export async function runCrashSoak(options: CrashSoakOptions): Promise<CrashSoakResult> {
  const log = options.log ?? (() => undefined)
  const random = createRandom(options.seed)
  const typistCount = options.typists ?? 2
  const [killMin, killMax] = options.killAfterMs ?? [20, 1_500]
  const startedAt = performance.now()
  const dataDir = await makeBenchDir('safetymap-soak-')
  const outputs: string[] = []
  const spawn = async (): Promise<ServerProcess> => {
    const started = await spawnServer(dataDir)
    trackChild(started.child)
    return started
  }
  let server = await spawn()
  const result: CrashSoakResult = { seed: options.seed, typists: typistCount, cycles: [], typed: 0, acknowledged: 0, lost: 0, lostExamples: [], tornTails: 0, serverErrors: {}, seconds: 0 }
  const clients = new Set<Client>()
  const connect = (device: Device, conferenceId: string): Client => {
    const client = connectClient(device, server.syncUrl, conferenceId)
    clients.add(client)
    return client
  }
  const leave = (client: Client): void => {
    client.destroy()
    clients.delete(client)
  }
  try {
    if (!server.setupLink) throw new Error('a fresh data dir prints a set-up link')
    let admin = await setUpFirstAdmin(server.url, server.setupLink)
    const conference = await createTestConference(admin, { title: 'Crash soak' })
    const authorId = await authorIdIn(admin, conference.id)

    for (let cycle = 0; cycle < options.cycles; cycle++) {
      const typists: Typist[] = Array.from({ length: typistCount }, () => ({ client: connect(admin, conference.id), entryId: '', typed: 0, typedAt: [] }))
      await pollUntil(() => typists.every((typist) => typist.client.provider.synced), 'typists synced', 30_000)
      const fields = typists.map((typist) => {
        const entry = typist.client.record.map.section('pastHarm').add(authorId)
        typist.entryId = entry.id
        return entry.richText('text')
      })

      // The kill: after a random time, or the moment a "saved" answer arrives (the worst moment
      // for a server that answers early).
      const onSavedAnswer = random.chance(0.25)
      const killAt = random.int(killMin, killMax)
      const answersBeforeKill = random.int(1, 20)
      const moment = onSavedAnswer ? `at saved answer ${answersBeforeKill}` : `after ${killAt} ms`
      const dying = server
      let answers = 0
      const killed = new Promise<void>((resolve) => {
        const kill = (): void => {
          dying.child.kill('SIGKILL')
          resolve()
        }
        if (!onSavedAnswer) setTimeout(kill, killAt)
        else {
          for (const typist of typists) {
            const answer = typist.client.provider.messageHandlers[MessageType.saved]!
            typist.client.provider.messageHandlers[MessageType.saved] = (...args) => {
              answer(...args)
              if (++answers === answersBeforeKill) kill()
            }
          }
          // A server that never answers still dies.
          setTimeout(kill, killMax * 4)
        }
      })
      const typing = setInterval(() => {
        typists.forEach((typist, index) => {
          typeCharacter(fields[index]!, token(cycle, index, typist.typed))
          typist.typed++
          typist.typedAt.push([typist.client.tracker.changes.made, typist.typed])
        })
      }, 3)
      await killed
      await dying.exited
      outputs.push(dying.output())
      // What reached a typist before the connection dropped counts; nothing can arrive after.
      await pollUntil(() => typists.every((typist) => !typist.client.provider.wsconnected), 'typists saw the server go', 10_000)
      clearInterval(typing)
      const confirmed = typists.map((typist) => keystrokesAt(typist, typist.client.tracker.changes.confirmed))
      for (const typist of typists) leave(typist.client)

      const spawnedAt = performance.now()
      server = await spawn()
      const readyMs = performance.now() - spawnedAt
      admin = deviceAt(admin, server.url)
      // The document as the restarted server loaded it, before any typist sends anything again.
      const reader = connect(admin, conference.id)
      await pollUntil(() => reader.provider.synced, 'the reader synced after the restart', 30_000)
      const readerRecoveryMs = performance.now() - spawnedAt
      let lost = 0
      typists.forEach((typist, index) => {
        const entry = conferenceRecord(reader.doc).map.section('pastHarm').get(typist.entryId)
        const text = entry ? plainText(entry.richText('text')) : ''
        for (let keystroke = 0; keystroke < confirmed[index]!; keystroke++) {
          if (text.includes(token(cycle, index, keystroke))) continue
          lost++
          if (result.lostExamples.length < 20) result.lostExamples.push(`cycle ${cycle}, typist ${index}: ${token(cycle, index, keystroke)} (confirmed ${confirmed[index]!}, killed ${moment})`)
        }
      })
      leave(reader)
      const typed = typists.reduce((sum, typist) => sum + typist.typed, 0)
      const acknowledged = confirmed.reduce((sum, count) => sum + count, 0)
      result.cycles.push({ moment, typed, acknowledged, lost, readyMs, recoveryMs: readerRecoveryMs })
      result.typed += typed
      result.acknowledged += acknowledged
      result.lost += lost
      log(`cycle ${cycle + 1}/${options.cycles}: killed ${moment}; typed ${typed}, acknowledged ${acknowledged}, lost ${lost}; back in ${Math.round(readerRecoveryMs)} ms`)
    }
    await stopChild(server.child)
    outputs.push(server.output())
    for (const line of logLines(outputs.join('\n'))) {
      if (line.event === 'storage.journal-torn-tail-truncated') result.tornTails++
      if (line.level === 'error') result.serverErrors[line.event] = (result.serverErrors[line.event] ?? 0) + 1
    }
    result.seconds = (performance.now() - startedAt) / 1000
    return result
  } finally {
    for (const client of clients) client.destroy()
    await stopChild(server.child, 5_000)
    removeBenchDir(dataDir)
  }
}

export function crashSoakMarkdown(result: CrashSoakResult, command: string, date: string): string {
  const recovery = result.cycles.map((cycle) => cycle.recoveryMs)
  const ready = result.cycles.map((cycle) => cycle.readyMs)
  const onAnswer = result.cycles.filter((cycle) => cycle.moment.startsWith('at saved')).length
  const errors = Object.entries(result.serverErrors)
  return [
    `Run on ${date}: \`${command}\` (took ${formatNumber(result.seconds / 60, 1)} min).`,
    '',
    `Machine: ${machineDescription()}. Server and clients share these cores.`,
    '',
    `Each cycle, ${result.typists} people (real y-websocket clients with our SaveTracker) each add an entry and type into it, one ` +
      'unique token per keystroke every 3 ms. The server process (server/main.ts, as `npm start` runs it) is killed with SIGKILL ' +
      `at a random moment: a random 20-1500 ms after typing starts, or (${onAnswer} of ${result.cycles.length} cycles) the moment ` +
      'the n-th "saved" answer arrives. The typists remember what they had typed at each change count their SaveTracker had ' +
      'confirmed as saved; they are dropped, the server is started again on the same data, and a fresh client checks that every ' +
      'confirmed keystroke is in the document the server loaded. Recovery: restart spawn until that client has synced ' +
      '(Node start-up with tsx included).',
    '',
    table(['figure', 'value'], [
      ['kill/restart cycles', formatNumber(result.cycles.length)],
      ['keystrokes typed', formatNumber(result.typed)],
      ['edits acknowledged as saved', formatNumber(result.acknowledged)],
      ['acknowledged edits lost (target 0)', formatNumber(result.lost)],
      ['recovery: restart → a client synced, p50 / p95 / max (ms)', `${formatNumber(percentile(recovery, 50))} / ${formatNumber(percentile(recovery, 95))} / ${formatNumber(Math.max(...recovery))}`],
      ['of which: restart → server listening, p50 / p95 / max (ms)', `${formatNumber(percentile(ready, 50))} / ${formatNumber(percentile(ready, 95))} / ${formatNumber(Math.max(...ready))}`],
      ['journals with a torn last record, cut on restart', formatNumber(result.tornTails)],
      ['server error log lines', errors.length === 0 ? '0' : errors.map(([event, count]) => `${event} ×${count}`).join(', ')],
      ['seed', String(result.seed)],
    ]),
    ...(result.lostExamples.length > 0 ? ['', 'Lost:', '', ...result.lostExamples.map((line) => `- ${line}`)] : []),
    '',
    result.lost === 0 ? 'Target met: no acknowledged edit lost.' : '**Target not met: acknowledged edits were lost.**',
  ].join('\n')
}
