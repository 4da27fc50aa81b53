import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { AUDIT_ACTIONS, AuditLog, AuditLogTampered, verifyAuditLog, type AuditEntry, type AuditEvent, type AuditLogOptions } from '../../server/audit/auditLog'
import { createLogger, type Logger } from '../../server/log'
import type { SyncTarget } from '../../server/storage/durable'
import { isStorageError } from '../../server/storage/errors'
import { removeTempDirs, tempDir } from '../helpers/tempDir'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CHAIN_START = '0'.repeat(64)

interface LogLine {
  level: string
  event: string
  [field: string]: unknown
}

/** A fictional note-taker's actions, one per index, cycling through every action. */
function event(index: number, conferenceId?: string): AuditEvent {
  return {
    action: AUDIT_ACTIONS[index % AUDIT_ACTIONS.length]!,
    actor: { kind: 'account', id: `acc-${index}`, name: 'Alex Example' },
    conferenceId,
    from: '127.0.0.1',
    details: { role: 'note-taker', attempt: index, firstTime: index === 0 },
  }
}

async function fileLines(file: string): Promise<string[]> {
  return (await fs.readFile(file, 'utf8')).split('\n').slice(0, -1)
}

async function writeLines(file: string, lines: string[]): Promise<void> {
  await fs.writeFile(file, lines.map((line) => `${line}\n`).join(''))
}

/** The same JSON with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).reverse().map(([key, field]) => [key, reverseKeys(field)]))
}

function runVerifyCommand(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/audit/verifyCommand.ts', file], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.once('error', reject)
    child.once('close', (code) => { resolve({ code, stdout, stderr }) })
  })
}

describe('audit log', () => {
  let dir: string
  let file: string
  let logLines: LogLine[]
  let log: Logger
  let clock: number
  const opened: AuditLog[] = []

  const now = (): Date => new Date(Date.UTC(2025, 2, 14, 9, 30) + 1000 * clock++)

  const openLog = async (options: Partial<AuditLogOptions> = {}): Promise<AuditLog> => {
    const audit = await AuditLog.open(file, { log, now, ...options })
    opened.push(audit)
    return audit
  }

  /** A closed log of `count` entries; returns them in order. */
  const logOf = async (count: number, conferenceOf: (index: number) => string | undefined = () => 'conf-1'): Promise<AuditEntry[]> => {
    const audit = await openLog()
    const entries = await Promise.all(Array.from({ length: count }, (_, index) => audit.record(event(index, conferenceOf(index)))))
    await audit.close()
    return entries
  }

  beforeEach(async () => {
    dir = await tempDir('safetymap-audit-')
    file = path.join(dir, 'audit.log')
    logLines = []
    log = createLogger('debug', (line) => logLines.push(JSON.parse(line) as LogLine))
    clock = 0
  })

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((audit) => audit.close()))
    await removeTempDirs()
  })

  test('a new log starts the chain at 64 zeros, creating its directory', async () => {
    file = path.join(dir, 'data', 'audit.log')
    const audit = await openLog()
    const first = await audit.record(event(0))
    expect(first).toMatchObject({ seq: 1, prev: CHAIN_START, at: '2025-03-14T09:30:00.000Z' })
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await verifyAuditLog(file)).toEqual({ ok: true, entries: 1, head: first.hash })
  })

  test('reopening continues the chain from the last seq and hash, and logs the head', async () => {
    const before = await logOf(3)
    const audit = await openLog()
    const next = await audit.record(event(3))
    expect(next).toMatchObject({ seq: 4, prev: before[2]!.hash })
    expect(await audit.entries()).toEqual([next, ...before.toReversed()])
    expect(logLines.filter((line) => line.event === 'audit.opened').map(({ entries, head }) => ({ entries, head }))).toEqual([
      { entries: 0, head: CHAIN_START },
      { entries: 3, head: before[2]!.hash },
    ])
    await audit.close()
    expect(await verifyAuditLog(file)).toEqual({ ok: true, entries: 4, head: next.hash })
  })

  test('entries filter by conference, limit and before, newest first', async () => {
    await logOf(7, (index) => (index === 6 ? undefined : index % 2 === 0 ? 'conf-a' : 'conf-b'))
    const audit = await openLog()
    const seqs = async (filter?: Parameters<AuditLog['entries']>[0]): Promise<number[]> => (await audit.entries(filter)).map((entry) => entry.seq)
    expect(await seqs()).toEqual([7, 6, 5, 4, 3, 2, 1])
    expect(await seqs({ conferenceId: 'conf-a' })).toEqual([5, 3, 1])
    expect(await seqs({ conferenceId: 'conf-b', limit: 2 })).toEqual([6, 4])
    expect(await seqs({ conferenceId: 'conf-a', before: 5 })).toEqual([3, 1])
    expect(await seqs({ limit: 3, before: 3 })).toEqual([2, 1])
    expect(await seqs({ limit: 0 })).toEqual([])
  })

  test('concurrent records keep call order and seq; those of one tick share one write and fsync', async () => {
    const syncs: SyncTarget[] = []
    const audit = await openLog({ hooks: { beforeSync: (target) => syncs.push(target) } })
    syncs.length = 0
    const recorded = await Promise.all(Array.from({ length: 100 }, (_, index) => audit.record(event(index))))
    expect(recorded.map((entry) => entry.seq)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1))
    expect(recorded.map((entry) => entry.details?.attempt)).toEqual(Array.from({ length: 100 }, (_, index) => index))
    expect(syncs).toEqual(['audit'])
    await audit.close()

    // Records arriving while a batch is being synced wait, then share the next fsync.
    syncs.length = 0
    const during: Promise<AuditEntry>[] = []
    const hooked = await openLog({ hooks: { beforeSync: (target) => { syncs.push(target); if (during.length === 0) for (let index = 0; index < 10; index++) during.push(hooked.record(event(index))) } } })
    await hooked.record(event(0))
    expect((await Promise.all(during)).map((entry) => entry.seq)).toEqual([102, 103, 104, 105, 106, 107, 108, 109, 110, 111])
    expect(syncs).toEqual(['audit', 'audit'])
  })

  test('reads and exports across many chunks of the file', async () => {
    const recorded = await logOf(600)
    const audit = await openLog()
    expect(await audit.entries()).toEqual(recorded.toReversed())
    expect((await audit.entries({ before: 300, limit: 2 })).map((entry) => entry.seq)).toEqual([299, 298])
    let exported = ''
    for await (const line of audit.exportLines()) exported += line
    expect(exported).toBe(await fs.readFile(file, 'utf8'))
    const copy = path.join(dir, 'export.jsonl')
    await fs.writeFile(copy, exported)
    expect(await verifyAuditLog(copy)).toEqual({ ok: true, entries: 600, head: recorded[599]!.hash })
  })

  test('keeps only the fields of an event, and refuses values long enough to be record content', async () => {
    const audit = await openLog()
    const smuggled = { ...event(0), note: 'Mum said the boyfriend moved back in', actor: { kind: 'participant', id: 'p-1', text: 'private' } } as AuditEvent
    const entry = await audit.record(smuggled)
    expect(Object.keys(entry).sort()).toEqual(['action', 'actor', 'at', 'details', 'from', 'hash', 'prev', 'seq'])
    const written = await fs.readFile(file, 'utf8')
    expect(written).not.toContain('boyfriend')
    expect(written).not.toContain('private')

    await expect(audit.record({ ...event(1), details: { summary: 'x'.repeat(201) } })).rejects.toThrow(/never record content/)
    await expect(audit.record({ ...event(1), details: { attempt: Number.NaN } })).rejects.toThrow(/finite/)
    expect(await fileLines(file)).toHaveLength(1)
  })

  test('a failed fsync rejects the batch; while the disk fails so does every later record, and once it works the log goes on from its last acknowledged entry', async () => {
    let failing = false
    const audit = await openLog({ hooks: { beforeSync: () => { if (failing) throw new Error('disk full') } } })
    await audit.record(event(0))
    failing = true
    // Written but never synced: this line is in the file, unacknowledged.
    const error: unknown = await audit.record(event(1)).catch((failure: unknown) => failure)
    expect(isStorageError(error, 'write-failed')).toBe(true)
    await expect(audit.ready()).rejects.toBe(error)
    await expect(audit.record(event(2))).rejects.toBe(error)
    failing = false
    await audit.ready()
    const next = await audit.record(event(3))
    expect(next.seq).toBe(2)
    await audit.close()
    expect(await fileLines(file)).toHaveLength(2)
    expect(await verifyAuditLog(file)).toEqual({ ok: true, entries: 2, head: next.hash })
    expect(logLines.filter((line) => line.level === 'error').map((line) => line.event)).toEqual(['audit.write-failed', 'audit.still-failing', 'audit.still-failing'])
    expect(logLines.some((line) => line.event === 'audit.recovered' && line.entries === 1)).toBe(true)
  })

  test('an owed entry is appended by the next recovery, marked late, before anything recorded after it; one the disk refuses again stays owed', async () => {
    // Each fsync takes the next answer: true fails it (a full disk), and an empty plan works.
    const plan: boolean[] = []
    const audit = await openLog({ hooks: { beforeSync: () => { if (plan.shift() === true) throw new Error('disk full') } } })
    plan.push(true)
    await expect(audit.record(event(0))).rejects.toSatisfy((error) => isStorageError(error, 'write-failed'))
    audit.owe(event(0))
    // The recovery's probe is synced twice and works; the late entry's own write fails, with what was queued behind it.
    plan.push(false, false, true)
    await audit.ready()
    await expect(audit.record(event(1))).rejects.toSatisfy((error) => isStorageError(error, 'write-failed'))
    const after = await audit.record(event(2))
    await audit.close()
    const entries = (await fileLines(file)).map((line) => JSON.parse(line) as AuditEntry)
    expect(entries.map((entry) => [entry.action, entry.details])).toEqual([
      [event(0).action, { ...event(0).details, recordedLate: true, happenedAt: expect.any(String) as unknown }],
      [event(2).action, event(2).details],
    ])
    expect(Date.parse(String(entries[0]?.details?.happenedAt))).toBeLessThan(Date.parse(entries[0]?.at ?? ''))
    expect(await verifyAuditLog(file)).toEqual({ ok: true, entries: 2, head: after.hash })
  })

  test('a closed log refuses records, reads and exports', async () => {
    const audit = await openLog()
    await audit.close()
    const closed = (error: unknown): boolean => isStorageError(error, 'closed')
    expect(closed(await audit.record(event(0)).catch((error: unknown) => error))).toBe(true)
    expect(closed(await audit.entries().catch((error: unknown) => error))).toBe(true)
    expect(closed(await audit.exportLines().next().catch((error: unknown) => error))).toBe(true)
  })

  test('key order does not change the hash', async () => {
    const recorded = await logOf(3)
    await writeLines(file, (await fileLines(file)).map((line) => JSON.stringify(reverseKeys(JSON.parse(line)))))
    expect((await fileLines(file))[0]).toMatch(/^\{"hash":/)
    expect(await verifyAuditLog(file)).toEqual({ ok: true, entries: 3, head: recorded[2]!.hash })
    const audit = await openLog()
    expect(await audit.record(event(3))).toMatchObject({ seq: 4, prev: recorded[2]!.hash })
  })

  describe('tampering', () => {
    const withLine = (lines: string[], index: number, change: (entry: AuditEntry) => void): string[] =>
      lines.map((line, at) => {
        if (at !== index) return line
        const entry = JSON.parse(line) as AuditEntry
        change(entry)
        return JSON.stringify(entry)
      })

    test.each([
      { tampering: 'a changed field', line: 3, problem: 'hash does not match the entry', tamper: (lines: string[]) => withLine(lines, 2, (entry) => { entry.actor.name = 'Sam Sample' }) },
      { tampering: 'a deleted middle line', line: 3, problem: 'seq is 4, expected 3', tamper: (lines: string[]) => lines.filter((_, at) => at !== 2) },
      { tampering: 'a reordered pair', line: 2, problem: 'seq is 3, expected 2', tamper: (lines: string[]) => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)] },
      { tampering: 'an edited hash', line: 3, problem: 'hash does not match the entry', tamper: (lines: string[]) => withLine(lines, 2, (entry) => { entry.hash = entry.hash.replace(/^./, (digit) => (digit === '0' ? '1' : '0')) }) },
      { tampering: 'a renumbered chain', line: 4, problem: 'prev does not match the hash of line 3', tamper: (lines: string[]) => withLine(lines.filter((_, at) => at !== 3), 3, (entry) => { entry.seq = 4 }) },
    ])('$tampering fails verification at line $line and stops open()', async ({ line, problem, tamper }) => {
      await logOf(5)
      await writeLines(file, tamper(await fileLines(file)))
      const tampered = await fs.readFile(file)
      expect(await verifyAuditLog(file)).toEqual({ ok: false, line, problem })

      const error: unknown = await AuditLog.open(file, { log, now }).catch((failure: unknown) => failure)
      expect(error).toBeInstanceOf(AuditLogTampered)
      expect(error).toMatchObject({ line, problem, reason: 'corrupt' })
      expect(await fs.readFile(file)).toEqual(tampered)
      expect(await fs.readdir(dir)).toEqual(['audit.log'])
    })

    test('a damaged line before a torn last line is still tampering', async () => {
      await logOf(3)
      const lines = withLine(await fileLines(file), 1, (entry) => { entry.from = '10.0.0.9' })
      await fs.writeFile(file, `${lines.join('\n')}\n{"seq":4,"at":"2025-`)
      await expect(AuditLog.open(file, { log, now })).rejects.toMatchObject({ name: 'AuditLogTampered', line: 2 })
    })

    test('an edited last entry without its newline is tampering, not a torn line', async () => {
      await logOf(3)
      const lines = withLine(await fileLines(file), 2, (entry) => { entry.action = 'account-enabled' })
      await fs.writeFile(file, lines.join('\n'))
      expect(await verifyAuditLog(file)).toEqual({ ok: false, line: 3, problem: 'hash does not match the entry' })
      await expect(AuditLog.open(file, { log, now })).rejects.toMatchObject({ name: 'AuditLogTampered', line: 3 })
    })
  })

  test('a torn last line is cut off on open and kept beside the log', async () => {
    const recorded = await logOf(3)
    const whole = await fs.readFile(file, 'utf8')
    const torn = '{"seq":4,"at":"2025-03-14T09:31'
    await fs.appendFile(file, torn)
    expect(await verifyAuditLog(file)).toEqual({ ok: true, entries: 3, head: recorded[2]!.hash, torn: { line: 4, bytes: torn.length } })

    const audit = await openLog()
    expect(await fs.readFile(file, 'utf8')).toBe(whole)
    const kept = (await fs.readdir(dir)).filter((name) => name.startsWith('audit.log.torn-'))
    expect(kept).toEqual(['audit.log.torn-2025-03-14T09-30-03.000Z'])
    expect(await fs.readFile(path.join(dir, kept[0]!), 'utf8')).toBe(torn)
    expect(logLines.find((line) => line.event === 'audit.torn-tail-truncated')).toMatchObject({ level: 'warn', line: 4, discardedBytes: torn.length })

    expect(await audit.record(event(3))).toMatchObject({ seq: 4, prev: recorded[2]!.hash })
    await audit.close()
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, entries: 4 })
  })

  test('a whole last entry that only lost its newline is kept, and the next entry goes on a line of its own', async () => {
    const recorded = await logOf(3)
    const whole = await fs.readFile(file, 'utf8')
    await fs.writeFile(file, whole.slice(0, -1))
    expect(await verifyAuditLog(file)).toEqual({ ok: true, entries: 3, head: recorded[2]!.hash, newlineMissing: true })

    const audit = await openLog()
    expect(await fs.readFile(file, 'utf8')).toBe(whole)
    expect(logLines.find((line) => line.event === 'audit.newline-restored')).toMatchObject({ level: 'warn', line: 3 })
    expect(await audit.record(event(3))).toMatchObject({ seq: 4, prev: recorded[2]!.hash })
    await audit.close()
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, entries: 4 })
    expect(await fs.readdir(dir)).toEqual(['audit.log'])
  })

  test('the verify command exits 0 on a good log, 1 on a tampered one and 2 on a missing one', async () => {
    const recorded = await logOf(3)
    const tamperedFile = path.join(dir, 'tampered.log')
    await writeLines(tamperedFile, (await fileLines(file)).filter((_, at) => at !== 1))

    const [good, tampered, missing] = await Promise.all([file, tamperedFile, path.join(dir, 'missing.log')].map(runVerifyCommand))
    expect(good).toEqual({ code: 0, stdout: `Audit log OK: 3 entries, head ${recorded[2]!.hash}\n`, stderr: '' })
    expect(tampered).toEqual({ code: 1, stdout: 'Audit log TAMPERED at line 2: seq is 3, expected 2\n', stderr: '' })
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('Audit log not found') as unknown })
  }, 30_000)
})
