import { open, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { errorMessage, type Logger } from '../log'
import { ensureDirectory, isNotFound, replaceFileDurably, syncDirectory, syncHandle, writeAll, type StorageHooks } from '../storage/durable'
import { StorageError } from '../storage/errors'
import { CHAIN_START, chainHash, linesNewestFirst, linesOldestFirst, readAt, scanChain, type ChainScan } from './verify'

export { verifyAuditLog, type AuditLogVerdict } from './verify'

/*
 * The audit log is one file of JSON lines, one entry per line, each linked to the one before by
 * a SHA-256 hash chain (README.md beside this file). It says who did what and when, never what
 * the record says: only ids, names of people, roles and actions.
 */

export const AUDIT_ACTIONS = [
  'admin-setup',
  'account-created',
  'account-disabled',
  'account-enabled',
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'second-factor-enabled',
  'second-factor-moved',
  'password-changed',
  'sign-in-reset',
  'conference-created',
  'conference-changed',
  'member-added',
  'role-changed',
  'participant-removed',
  'invitation-created',
  'invitation-revoked',
  'invitation-redeemed',
  'invitation-refused',
  'join',
  'leave',
  'record-viewed',
  'record-downloaded',
  'scores-revealed',
  'scoring-round-cancelled',
  'danger-statement-revised',
  'record-finalized',
  'amendment-added',
  'document-sent',
  'parent-partner-offered',
  'parent-partner-accepted',
  'parent-partner-declined',
  'parent-partner-ended',
  'outcome-recorded',
  'programme-figures-viewed',
  'audit-viewed',
  'audit-exported',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export interface AuditActor {
  kind: 'account' | 'participant' | 'system' | 'anonymous'
  id?: string
  name?: string
}

export interface AuditEvent {
  action: AuditAction
  actor: AuditActor
  conferenceId?: string
  /** The client's address. */
  from?: string
  details?: Record<string, string | number | boolean>
}

export interface AuditEntry extends AuditEvent {
  seq: number
  /** ISO 8601, UTC. */
  at: string
  /** The previous entry's hash; 64 zeros for the first entry. */
  prev: string
  /** SHA-256 hex of `prev` + '\n' + the canonical JSON (keys sorted) of this entry without `hash`. */
  hash: string
}

export interface AuditLogOptions {
  log: Logger
  /** The clock for `at` and for naming a cut-off torn tail; tests pass a fixed one. */
  now?: () => Date
  /** Test hooks of the durable-write helpers: count fsyncs, or throw to simulate a failing disk. */
  hooks?: StorageHooks
}

export interface AuditFilter {
  conferenceId?: string
  limit?: number
  /** Only entries with a smaller seq: the next page after an entry already shown. */
  before?: number
}

/** The log does not verify: extending it would hide the damage, so the server refuses to start. */
export class AuditLogTampered extends StorageError {
  override readonly name = 'AuditLogTampered'

  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super('corrupt', `The audit log ${file} is tampered at line ${line}: ${problem}. Refusing to extend it.`)
  }
}

/**
 * A tripwire against record content reaching the log: ids, names, roles and addresses are short.
 * Content is the most sensitive information a family has and the audit log is kept for years.
 */
const MAX_FIELD_CHARS = 200

/** A single write stays bounded even when a burst queues more. */
const MAX_BATCH_BYTES = 1024 * 1024

/** About one entry: what a recovery writes (and cuts again) to see the disk takes bytes. */
const PROBE_BYTES = 512

interface PendingAppend {
  entry: AuditEntry
  line: Buffer
  resolve: (entry: AuditEntry) => void
  reject: (error: unknown) => void
}

function closedError(): StorageError {
  return new StorageError('closed', 'the audit log is closed')
}

function eventProblem(event: AuditEvent): string | undefined {
  if (!AUDIT_ACTIONS.includes(event.action)) return 'unknown action'
  const details = Object.entries(event.details ?? {})
  const strings = [event.actor.id, event.actor.name, event.conferenceId, event.from, ...details.flat()]
  if (strings.some((value) => typeof value === 'string' && value.length > MAX_FIELD_CHARS)) {
    return `a value is longer than ${MAX_FIELD_CHARS} characters; the audit log holds ids, names and roles, never record content`
  }
  if (details.some(([, value]) => typeof value === 'number' && !Number.isFinite(value))) return 'a detail is not a finite number'
  return undefined
}

/**
 * Cuts off a last line that a crash left without its newline. It was never acknowledged, but it is
 * kept beside the log (`<file>.torn-<time>`) for anyone investigating: nothing is silently lost.
 */
async function cutTornTail(file: string, validBytes: number, torn: { line: number; bytes: number }, options: Required<AuditLogOptions>): Promise<void> {
  const handle = await open(file, 'r+')
  const keptIn = `${file}.torn-${options.now().toISOString().replaceAll(':', '-')}`
  try {
    const bytes = Buffer.alloc(torn.bytes)
    await readAt(handle, bytes, validBytes)
    await replaceFileDurably(keptIn, bytes, 'recovery', options.hooks)
    await handle.truncate(validBytes)
    await syncHandle(handle, 'recovery', options.hooks)
  } finally {
    await handle.close()
  }
  options.log.warn('audit.torn-tail-truncated', { line: torn.line, discardedBytes: torn.bytes, keptIn: path.basename(keptIn) })
}

/** The append-only audit log: hash-chained, group-committed, fsynced before any record() resolves. */
export class AuditLog {
  private readonly pending: PendingAppend[] = []
  /** The running writer, if any; it stops once `pending` is empty. */
  private writer: Promise<void> | null = null
  /** Set by a failed write: the file may end in part of a line, so nothing is appended until recover() cuts it. */
  private failure: StorageError | null = null
  /** The running recovery, if any: every record() waiting on it shares it. */
  private recovering: Promise<void> | null = null
  private closing: Promise<void> | null = null
  /** Things done whose entries could not be written: appended, marked late, once the disk takes writes again. */
  private readonly owed: { event: AuditEvent; happenedAt: string }[] = []

  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly options: Required<AuditLogOptions>,
    /** The seq and hash of the newest entry, queued or written. */
    private seq: number,
    private head: string,
    /** Bytes written and synced: readers stop here, so they never see a half-written line. */
    private durableBytes: number,
    /** The seq and hash of the newest entry on disk: a recovery chains on from here. */
    private durableSeq: number = seq,
    private durableHead: string = head,
  ) {}

  /**
   * Opens (or creates) the log, verifying the whole chain first. A torn last line from a crash is
   * cut off; any other break throws AuditLogTampered, since appending would extend a forged chain.
   */
  static async open(file: string, options: AuditLogOptions): Promise<AuditLog> {
    const settings: Required<AuditLogOptions> = { now: () => new Date(), hooks: {}, ...options }
    await ensureDirectory(path.dirname(file), settings.hooks)
    let scan: ChainScan | undefined
    try {
      scan = await scanChain(file)
    } catch (error) {
      if (!isNotFound(error)) throw error
    }
    if (scan && !scan.ok) throw new AuditLogTampered(file, scan.line, scan.problem)
    if (scan?.torn) await cutTornTail(file, scan.validBytes, scan.torn, settings)

    const handle = await open(file, 'a')
    let validBytes = scan?.validBytes ?? 0
    try {
      // A new file is only durable once its directory is synced.
      if (!scan) await syncDirectory(path.dirname(file), settings.hooks)
      if (scan?.newlineMissing) {
        // The last entry verified whole: only its newline went, so the next entry gets a line of its own.
        await writeAll(handle, Buffer.from('\n'))
        await syncHandle(handle, 'audit', settings.hooks, true)
        validBytes += 1
        settings.log.warn('audit.newline-restored', { line: scan.entries })
      }
    } catch (error) {
      await handle.close()
      throw error
    }
    const entries = scan?.entries ?? 0
    const head = scan?.head ?? CHAIN_START
    // Logged at every start so an operator can compare it with an earlier one: the chain alone cannot show that newest entries were cut off.
    settings.log.info('audit.opened', { entries, head })
    return new AuditLog(file, handle, settings, entries, head, validBytes)
  }

  /** Appends one entry; resolves once it is on disk. Entries are written in the order of the calls. */
  record(event: AuditEvent): Promise<AuditEntry> {
    if (this.closing) return Promise.reject(closedError())
    // Ordered still: every record() waiting here continues in the order of the calls.
    if (this.failure) return this.ready().then(() => this.record(event))
    const problem = eventProblem(event)
    if (problem !== undefined) return Promise.reject(new TypeError(`Audit event refused: ${problem}`))

    // Fields are picked one by one so nothing else a caller's object carries reaches the log; the
    // JSON round trip drops undefined fields and copies details, so the entry is exactly what reads back.
    const { action, actor, conferenceId, from, details } = event
    const unsigned = JSON.parse(
      JSON.stringify({
        seq: this.seq + 1,
        at: this.options.now().toISOString(),
        action,
        actor: { kind: actor.kind, id: actor.id, name: actor.name },
        conferenceId,
        from,
        details,
        prev: this.head,
      }),
    ) as Omit<AuditEntry, 'hash'>
    const entry: AuditEntry = { ...unsigned, hash: chainHash(this.head, unsigned) }
    this.seq = entry.seq
    this.head = entry.hash
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, line: Buffer.from(`${JSON.stringify(entry)}\n`), resolve, reject })
      this.writer ??= this.drain()
    })
  }

  /**
   * Keeps an entry whose record() failed for something that was done all the same (a change, a
   * sign-out): the next recovery appends it before anything else, with `recordedLate` and
   * `happenedAt` in its details, so the trail still shows it. Lost only if the server stops first
   * (its `audit.not-recorded` line in the server log is then the only trace).
   */
  owe(event: AuditEvent): void {
    this.owed.push({ event, happenedAt: this.options.now().toISOString() })
  }

  /**
   * Resolves when an entry can be appended: at once when the last write worked; after a failed
   * one, once the file is cut back to its last whole entry, so one full disk does not need a
   * restart. Rejects with the write failure while the disk still refuses.
   */
  ready(): Promise<void> {
    if (this.closing) return Promise.reject(closedError())
    if (!this.failure) return Promise.resolve()
    this.recovering ??= this.recover().finally(() => { this.recovering = null })
    return this.recovering
  }

  private async recover(): Promise<void> {
    if (this.writer) await this.writer
    if (!this.failure) return
    try {
      // A failed write may have left part of a line (or whole unacknowledged ones): an entry
      // appended after them would break the chain, so the file goes back to what was acknowledged.
      await this.handle.truncate(this.durableBytes)
      // A full disk still truncates: only a write shows it takes bytes again. The probe has no
      // newline, so a crash before it is cut leaves a torn tail that start-up cuts off.
      await writeAll(this.handle, Buffer.alloc(PROBE_BYTES, ' '))
      await syncHandle(this.handle, 'audit', this.options.hooks, true)
      await this.handle.truncate(this.durableBytes)
      await syncHandle(this.handle, 'audit', this.options.hooks, true)
    } catch (error) {
      this.options.log.error('audit.still-failing', { error: errorMessage(error) })
      throw this.failure
    }
    this.seq = this.durableSeq
    this.head = this.durableHead
    this.failure = null
    this.options.log.warn('audit.recovered', { entries: this.durableSeq, head: this.durableHead, owed: this.owed.length })
    // Queued before any record() waiting on this recovery, so the trail keeps the order things were done in.
    for (const late of this.owed.splice(0)) {
      this.record({ ...late.event, details: { ...late.event.details, recordedLate: true, happenedAt: late.happenedAt } })
        .catch(() => { this.owed.push(late) })
    }
  }

  /** Entries already on disk, newest first. */
  async entries(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    if (this.closing) throw closedError()
    const { conferenceId, before, limit = Infinity } = filter
    const found: AuditEntry[] = []
    if (limit <= 0) return found
    const handle = await open(this.file, 'r')
    try {
      for await (const text of linesNewestFirst(handle, this.durableBytes)) {
        const entry = JSON.parse(text) as AuditEntry
        if (before !== undefined && entry.seq >= before) continue
        if (conferenceId !== undefined && entry.conferenceId !== conferenceId) continue
        found.push(entry)
        if (found.length >= limit) break
      }
    } finally {
      await handle.close()
    }
    return found
  }

  /**
   * The log as JSON lines (each ending in '\n'), oldest first, as far as it was on disk when the
   * export began. Concatenated they are the file itself, so an export passes verifyAuditLog.
   */
  async *exportLines(): AsyncGenerator<string> {
    if (this.closing) throw closedError()
    const end = this.durableBytes
    const handle = await open(this.file, 'r')
    try {
      for await (const { text } of linesOldestFirst(handle, end)) yield `${text}\n`
    } finally {
      await handle.close()
    }
  }

  /** Waits for queued entries to be written (or to fail), then closes the file. */
  close(): Promise<void> {
    this.closing ??= this.shutDown()
    return this.closing
  }

  private async shutDown(): Promise<void> {
    if (this.writer) await this.writer
    await this.handle.close()
  }

  private async drain(): Promise<void> {
    // Start on the next microtask, so every record() issued in this tick joins the first batch.
    await Promise.resolve()
    while (this.pending.length > 0) await this.commit(this.takeBatch())
    // No await between the last check and this: a record() arriving later starts a new writer.
    this.writer = null
  }

  private takeBatch(): PendingAppend[] {
    let bytes = 0
    let count = 0
    for (const append of this.pending) {
      if (count > 0 && bytes + append.line.byteLength > MAX_BATCH_BYTES) break
      bytes += append.line.byteLength
      count++
    }
    return this.pending.splice(0, count)
  }

  /** One write and one fdatasync for the whole batch, then every record() in it resolves. */
  private async commit(batch: PendingAppend[]): Promise<void> {
    const bytes = Buffer.concat(batch.map((append) => append.line))
    try {
      await writeAll(this.handle, bytes)
      await syncHandle(this.handle, 'audit', this.options.hooks, true)
    } catch (error) {
      const failure = new StorageError('write-failed', 'writing the audit log failed', { cause: error })
      this.failure = failure
      this.options.log.error('audit.write-failed', { error: errorMessage(error) })
      // Entries queued behind the batch chain on from it: they fail with it, and are never written.
      for (const append of [...batch, ...this.pending.splice(0)]) append.reject(failure)
      return
    }
    this.durableBytes += bytes.byteLength
    for (const append of batch) {
      this.durableSeq = append.entry.seq
      this.durableHead = append.entry.hash
      append.resolve(append.entry)
    }
  }
}
