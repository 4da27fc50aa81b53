import { constants } from 'node:fs'
import { open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { errorMessage, type Logger } from '../log'
import { isNotFound, replaceFileDurably, syncDirectory, syncFile, syncHandle, writeAll, type CompactionStep, type StorageHooks } from './durable'
import { StorageError } from './errors'
import { encodeRecord, MAX_RECORD_BYTES, scanRecords } from './records'
import type { UpdateJournal } from './types'

/*
 * One conference's directory holds one generation of files:
 *
 *   snapshot-<g>.bin   the whole document as one record (absent for generation 0)
 *   journal-<g>.log    the updates appended after that snapshot, one record each
 *
 * Compaction to generation g+1 writes snapshot-<g+1>.bin.tmp, fsyncs it, renames it into place,
 * fsyncs the directory, creates journal-<g+1>.log, fsyncs the directory, and only then deletes
 * generation g. The newest complete snapshot is the truth; at any crash point either generation
 * g (snapshot not yet renamed: its tmp file is ignored) or generation g+1 (renamed: it holds
 * everything generation g held, and its journal is empty or missing) is complete on disk.
 */

const snapshotFile = (generation: number): string => `snapshot-${generation}.bin`
const journalFile = (generation: number): string => `journal-${generation}.log`
const SNAPSHOT_NAME = /^snapshot-(\d{1,15})\.bin$/
const JOURNAL_NAME = /^journal-(\d{1,15})\.log$/
const SNAPSHOT_TMP_NAME = /^snapshot-\d{1,15}\.bin\.tmp$/

/**
 * The journal is opened with O_DSYNC where the system has it: each write returns only once its
 * bytes (and the file's new length) are on disk, as write + fdatasync would, in one system call
 * instead of two. At 200 busy conferences the journal made over 3,000 of those calls a second,
 * each a hand-off to a worker thread. Elsewhere each batch is followed by fdatasync.
 */
// Node's types promise O_DSYNC everywhere; Windows has no such flag.
const DSYNC = (constants as Partial<typeof constants>).O_DSYNC ?? 0
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | DSYNC
/** A new generation's journal: it must not exist yet. */
const CREATE_FLAGS = APPEND_FLAGS | constants.O_EXCL

/** A single write stays bounded even when a burst queues more. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((resolvePromise, rejectPromise) => {
    resolve = resolvePromise
    reject = rejectPromise
  })
  return { promise, resolve, reject }
}

interface Counters {
  records: number
  bytes: number
}

/** The writer's queue: everything runs in order, and consecutive appends share one write and one fsync. */
type Operation =
  | { kind: 'append'; record: Buffer; done: Deferred<undefined> }
  | { kind: 'compact'; snapshot: Buffer; covers: Counters; done: Deferred<undefined> }
  | { kind: 'barrier'; done: Deferred<undefined> }
  | { kind: 'load'; done: Deferred<Uint8Array[]> }

export interface JournalContext {
  directory: string
  conferenceId: string
  log: Logger
  hooks: StorageHooks
  /** Called once the journal's file is closed, so the conference can be opened again. */
  onClosed: () => void
}

function generationOf(name: string, pattern: RegExp): number | undefined {
  const digits = pattern.exec(name)?.[1]
  return digits === undefined ? undefined : Number(digits)
}

function closedError(): StorageError {
  return new StorageError('closed', 'the journal is closed')
}

async function readSnapshot(file: string): Promise<Uint8Array> {
  const scan = scanRecords(await readFile(file))
  const [state] = scan.records
  // Snapshots are synced before they get this name, so a damaged one is not a crash: refuse it.
  if (scan.torn !== undefined || scan.records.length !== 1 || state === undefined) {
    throw new StorageError('corrupt', `${path.basename(file)} is damaged (${scan.torn ?? 'wrong record count'})`)
  }
  return state
}

/**
 * Reads the current journal, cutting off a torn tail: the batch that was being written when the
 * process died, never acknowledged. The cut bytes are kept beside it (torn-<g>-<offset>.bin) for
 * anyone investigating, since nothing here is ever silently thrown away.
 */
async function recoverJournal(context: JournalContext, generation: number): Promise<{ records: Uint8Array[]; validBytes: number }> {
  const file = path.join(context.directory, journalFile(generation))
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    if (isNotFound(error)) return { records: [], validBytes: 0 }
    throw error
  }
  const scan = scanRecords(bytes)
  if (scan.torn === undefined) return scan
  const torn = bytes.subarray(scan.validBytes)
  await replaceFileDurably(path.join(context.directory, `torn-${generation}-${scan.validBytes}.bin`), torn, 'recovery', context.hooks)
  const handle = await open(file, 'r+')
  try {
    await handle.truncate(scan.validBytes)
    await syncHandle(handle, 'recovery', context.hooks)
  } finally {
    await handle.close()
  }
  context.log.warn('storage.journal-torn-tail-truncated', {
    conferenceId: context.conferenceId,
    generation,
    reason: scan.torn,
    keptRecords: scan.records.length,
    keptBytes: scan.validBytes,
    discardedBytes: torn.byteLength,
  })
  return scan
}

/**
 * Opens a conference's journal, recovering whatever a crash left: picks the newest snapshot,
 * truncates a torn journal tail, and deletes generations the snapshot replaces.
 */
export async function openFileJournal(context: JournalContext): Promise<FileJournal> {
  const { directory, hooks } = context
  const names = await readdir(directory)
  const snapshots = names.map((name) => generationOf(name, SNAPSHOT_NAME)).filter((generation) => generation !== undefined)
  const journals = names.map((name) => generationOf(name, JOURNAL_NAME)).filter((generation) => generation !== undefined)
  const generation = Math.max(0, ...snapshots)
  const orphan = journals.find((journal) => journal > generation)
  if (orphan !== undefined) {
    throw new StorageError('corrupt', `${journalFile(orphan)} has no snapshot to apply to`)
  }

  const snapshotPath = path.join(directory, snapshotFile(generation))
  const snapshot = generation > 0 ? await readSnapshot(snapshotPath) : undefined
  const journal = await recoverJournal(context, generation)

  const stale = names.filter((name) => {
    const older = generationOf(name, SNAPSHOT_NAME) ?? generationOf(name, JOURNAL_NAME)
    return SNAPSHOT_TMP_NAME.test(name) || (older !== undefined && older < generation)
  })
  if (stale.length > 0) {
    // A crashed process may have left the snapshot and its rename in the page cache only:
    // make them durable before deleting what they replace.
    if (snapshot) await syncFile(snapshotPath, hooks)
    await syncDirectory(directory, hooks)
    for (const name of stale) await rm(path.join(directory, name), { force: true })
    await syncDirectory(directory, hooks)
    context.log.info('storage.stale-generation-removed', { conferenceId: context.conferenceId, generation, files: stale.length })
  }

  const handle = await open(path.join(directory, journalFile(generation)), APPEND_FLAGS)
  try {
    if (!journals.includes(generation)) await syncDirectory(directory, hooks)
  } catch (error) {
    await handle.close()
    throw error
  }
  const stored = snapshot ? [snapshot, ...journal.records] : journal.records
  return new FileJournal(context, generation, handle, { records: journal.records.length, bytes: journal.validBytes }, stored)
}

/** A conference's updates in append-only files, group-committed and compacted on request. */
export class FileJournal implements UpdateJournal {
  private readonly queue: Operation[] = []
  private draining = false
  /** Set by the first failed write: from then on nothing is promised, so everything is refused. */
  private failure: StorageError | null = null
  private accepting = true
  private closing: Promise<void> | null = null
  /** What opening read, handed to load() as long as nothing has changed since. */
  private opened: Uint8Array[] | undefined

  constructor(
    private readonly context: JournalContext,
    private generation: number,
    private handle: FileHandle,
    private counters: Counters,
    opened: Uint8Array[],
  ) {
    this.opened = opened
  }

  get bytesSinceCompaction(): number {
    return this.counters.bytes
  }

  get recordsSinceCompaction(): number {
    return this.counters.records
  }

  load(): Promise<Uint8Array[]> {
    if (!this.accepting) return Promise.reject(closedError())
    const done = deferred<Uint8Array[]>()
    this.enqueue({ kind: 'load', done })
    return done.promise
  }

  append(update: Uint8Array): Promise<void> {
    if (!this.accepting) return Promise.reject(closedError())
    if (this.failure) return Promise.reject(this.failure)
    if (update.byteLength === 0 || update.byteLength > MAX_RECORD_BYTES) {
      return Promise.reject(new StorageError('invalid-update', `an update of ${update.byteLength} bytes cannot be stored`))
    }
    // Framing copies the bytes now, so a caller reusing its buffer cannot change what is written.
    const record = encodeRecord(update)
    this.counters.records++
    this.counters.bytes += record.byteLength
    this.opened = undefined
    const done = deferred<undefined>()
    this.enqueue({ kind: 'append', record, done })
    return done.promise
  }

  flushed(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    const done = deferred<undefined>()
    this.enqueue({ kind: 'barrier', done })
    return done.promise
  }

  compact(state: Uint8Array): Promise<void> {
    if (!this.accepting) return Promise.reject(closedError())
    if (this.failure) return Promise.reject(this.failure)
    if (state.byteLength === 0 || state.byteLength > MAX_RECORD_BYTES) {
      return Promise.reject(new StorageError('invalid-update', `a snapshot of ${state.byteLength} bytes cannot be stored`))
    }
    this.opened = undefined
    const done = deferred<undefined>()
    this.enqueue({ kind: 'compact', snapshot: encodeRecord(state), covers: { ...this.counters }, done })
    return done.promise
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown()
    return this.closing
  }

  private async shutDown(): Promise<void> {
    const drained = deferred<undefined>()
    this.enqueue({ kind: 'barrier', done: drained })
    this.accepting = false
    // A failed write was already reported to its appends; closing still has to release the file.
    await drained.promise.catch(() => undefined)
    try {
      await this.handle.close()
    } catch (error) {
      this.context.log.warn('storage.journal-close-failed', { conferenceId: this.context.conferenceId, error: errorMessage(error) })
    } finally {
      this.context.onClosed()
    }
  }

  private enqueue(operation: Operation): void {
    this.queue.push(operation)
    if (this.draining) return
    this.draining = true
    // Start on the next microtask, so every append issued in this tick joins the first batch.
    queueMicrotask(() => {
      this.drain().catch((error: unknown) => {
        // Only a bug gets here; stop rather than leave callers waiting for ever.
        const failure = this.fail(error, 'the journal writer stopped')
        for (const operation of this.queue.splice(0)) operation.done.reject(failure)
        this.draining = false
      })
    })
  }

  private async drain(): Promise<void> {
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      if (this.failure) {
        const failure = this.failure
        for (const operation of this.queue.splice(0)) operation.done.reject(failure)
        break
      }
      if (head.kind === 'append') {
        await this.commit(this.takeBatch())
      } else {
        this.queue.shift()
        await this.run(head)
      }
    }
    this.draining = false
  }

  private takeBatch(): Extract<Operation, { kind: 'append' }>[] {
    const batch: Extract<Operation, { kind: 'append' }>[] = []
    let bytes = 0
    for (const operation of this.queue) {
      if (operation.kind !== 'append') break
      if (batch.length > 0 && bytes + operation.record.byteLength > MAX_BATCH_BYTES) break
      batch.push(operation)
      bytes += operation.record.byteLength
    }
    this.queue.splice(0, batch.length)
    return batch
  }

  /** One durable write for the whole batch (APPEND_FLAGS), then every append in it resolves. */
  private async commit(batch: Extract<Operation, { kind: 'append' }>[]): Promise<void> {
    try {
      const [only] = batch
      const bytes = batch.length === 1 && only ? only.record : Buffer.concat(batch.map((append) => append.record))
      if (DSYNC !== 0) {
        this.context.hooks.beforeSync?.('journal')
        await writeAll(this.handle, bytes)
      } else {
        await writeAll(this.handle, bytes)
        await syncHandle(this.handle, 'journal', this.context.hooks, true)
      }
    } catch (error) {
      const failure = this.fail(error, 'writing the journal failed')
      for (const append of batch) append.done.reject(failure)
      return
    }
    for (const append of batch) append.done.resolve(undefined)
  }

  private async run(operation: Exclude<Operation, { kind: 'append' }>): Promise<void> {
    switch (operation.kind) {
      case 'barrier':
        operation.done.resolve(undefined)
        return
      case 'load':
        try {
          operation.done.resolve(await this.readStored())
        } catch (error) {
          operation.done.reject(error instanceof StorageError ? error : new StorageError('corrupt', 'reading the journal failed', { cause: error }))
        }
        return
      case 'compact':
        await this.compactNow(operation)
        return
    }
  }

  private async readStored(): Promise<Uint8Array[]> {
    if (this.opened) return [...this.opened]
    const { directory } = this.context
    const snapshot = this.generation > 0 ? await readSnapshot(path.join(directory, snapshotFile(this.generation))) : undefined
    const scan = scanRecords(await readFile(path.join(directory, journalFile(this.generation))))
    // We wrote and synced every byte of this file ourselves: damage here is not a crash.
    if (scan.torn !== undefined) throw new StorageError('corrupt', `${journalFile(this.generation)} is damaged (${scan.torn})`)
    return snapshot ? [snapshot, ...scan.records] : scan.records
  }

  private async compactNow(operation: Extract<Operation, { kind: 'compact' }>): Promise<void> {
    const { directory, hooks, conferenceId } = this.context
    const step = async (name: CompactionStep): Promise<void> => {
      await hooks.onCompactionStep?.(name, conferenceId)
    }
    const previous = this.generation
    const next = previous + 1
    const snapshotPath = path.join(directory, snapshotFile(next))
    const tmpPath = `${snapshotPath}.tmp`

    // Until the rename, generation `previous` is still the truth: a failure only fails this compaction.
    try {
      const tmp = await open(tmpPath, 'w')
      try {
        await writeAll(tmp, operation.snapshot)
        await syncHandle(tmp, 'snapshot', hooks)
      } finally {
        await tmp.close()
      }
      await step('snapshot-tmp-synced')
    } catch (error) {
      await rm(tmpPath, { force: true }).catch(() => undefined)
      operation.done.reject(new StorageError('write-failed', 'writing the snapshot failed', { cause: error }))
      return
    }

    // From the rename on, the old journal may already be superseded on disk: appending to it
    // could be lost, so any failure here stops the journal until it is reopened and recovered.
    try {
      await rename(tmpPath, snapshotPath)
      await syncDirectory(directory, hooks)
      await step('snapshot-installed')
      const nextHandle = await open(path.join(directory, journalFile(next)), CREATE_FLAGS)
      try {
        await syncDirectory(directory, hooks)
        await step('journal-created')
      } catch (error) {
        await nextHandle.close()
        throw error
      }
      const previousHandle = this.handle
      this.handle = nextHandle
      this.generation = next
      this.counters = {
        records: this.counters.records - operation.covers.records,
        bytes: this.counters.bytes - operation.covers.bytes,
      }
      await previousHandle.close().catch(() => undefined)
    } catch (error) {
      operation.done.reject(this.fail(error, 'installing the snapshot failed'))
      return
    }

    // The new generation is durable: failing to delete the old one only wastes space (the next
    // open deletes it), so it does not fail the compaction.
    try {
      await rm(path.join(directory, journalFile(previous)), { force: true })
      if (previous > 0) await rm(path.join(directory, snapshotFile(previous)), { force: true })
      await syncDirectory(directory, hooks)
      await step('old-generation-removed')
    } catch (error) {
      this.context.log.warn('storage.old-generation-not-removed', { conferenceId, generation: previous, error: errorMessage(error) })
    }
    operation.done.resolve(undefined)
  }

  private fail(error: unknown, message: string): StorageError {
    if (!this.failure) {
      this.failure = new StorageError('write-failed', message, { cause: error })
      this.context.log.error('storage.journal-failed', { conferenceId: this.context.conferenceId, generation: this.generation, error: errorMessage(error) })
    }
    return this.failure
  }
}
