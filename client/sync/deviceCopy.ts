import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb'

/**
 * This device's copy of one conference record, in IndexedDB (y-indexeddb): what is typed offline
 * survives a reload or a closed tab, and is sent when the connection is back.
 *
 * Beside the record, the copy keeps one more value, `confirmed`: a Yjs snapshot (state vector and
 * delete set) of a moment when the server had everything in this document on disk. When the copy is
 * loaded, anything in it that is not inside that snapshot (text typed or removed offline before a
 * reload) is a change the server never confirmed. A stale or missing snapshot only errs on the safe
 * side: the changes count as unsaved until the server confirms them again.
 */

const CONFIRMED_KEY = 'confirmed'
/** At most one write of the confirmed snapshot per this many milliseconds. */
const CONFIRMED_WRITE_DELAY_MS = 500

export function deviceCopyName(conferenceId: string): string {
  return `safetymap-conference-${conferenceId}`
}

/** What the loaded copy holds. */
export interface DeviceCopyContents {
  /** The record was received from the server on an earlier visit: it can be shown and edited offline. */
  hasRecord: boolean
  /** It holds changes the server has not confirmed on disk (typed offline before a reload). */
  unconfirmed: boolean
}

interface DeviceCopyEvents {
  /** `available` changed. */
  change: () => void
}

const openCopies = new Map<string, Set<DeviceCopy>>()

/**
 * Removes this device's copy of a conference record. Closes the copy if this tab has it open
 * (other tabs close theirs when asked by the browser), so nothing is written to it afterwards.
 * Call it only when the server has everything, or when keeping the record here is the greater risk.
 */
export async function clearDeviceCopy(conferenceId: string): Promise<void> {
  for (const copy of openCopies.get(conferenceId) ?? []) copy.close()
  await clearDocument(deviceCopyName(conferenceId))
}

/**
 * Removes this device's copy of a conference record unless it holds changes the server never
 * confirmed, which exist nowhere else. For pages with no connection of their own to ask whether
 * everything is saved: the copy's own record of what the server confirmed answers instead.
 */
export async function clearDeviceCopyIfSaved(conferenceId: string): Promise<void> {
  try {
    // Opening a copy that is not there would make one: look first.
    const name = deviceCopyName(conferenceId)
    if (!(await indexedDB.databases()).some((database) => database.name === name)) return
  } catch {
    // Cannot list them: opening an empty copy, finding nothing unconfirmed, removes it again.
  }
  const doc = new Y.Doc()
  const copy = new DeviceCopy(conferenceId, doc)
  try {
    const contents = await copy.loaded
    if (contents && !contents.unconfirmed) await clearDeviceCopy(conferenceId)
  } finally {
    copy.destroy()
    doc.destroy()
  }
}

export class DeviceCopy extends ObservableV2<DeviceCopyEvents> {
  readonly persistence: IndexeddbPersistence
  /** Resolves once the copy is loaded into the doc; null when IndexedDB cannot be used here. */
  readonly loaded: Promise<DeviceCopyContents | null>
  private closed = false
  /** Doc updates seen, and how many of the first are known to be committed to IndexedDB. */
  private changes = 0
  private stored = 0
  private checkingStored = false
  private confirmedWrite: ReturnType<typeof setTimeout> | null = null

  constructor(readonly conferenceId: string, private readonly doc: Y.Doc) {
    super()
    this.persistence = new IndexeddbPersistence(deviceCopyName(conferenceId), doc)
    // After the persistence's own listener, so each change's write is queued before the check.
    doc.on('update', this.onUpdate)
    let copies = openCopies.get(conferenceId)
    if (!copies) openCopies.set(conferenceId, (copies = new Set()))
    copies.add(this)

    this.loaded = new Promise((resolve) => {
      this.persistence._db.then(
        // lib0 already closes the database when another tab deletes it; stop writing to it too.
        (db) => { db.addEventListener('versionchange', () => { this.close() }) },
        () => { this.close(); resolve(null) },
      )
      void this.persistence.whenSynced.then(async () => {
        this.checkStored()
        resolve(await this.readContents())
        this.emit('change', [])
      })
    })
  }

  /** The copy is loaded and still kept: changes made here are written to it. */
  get available(): boolean {
    return !this.closed && this.persistence.synced
  }

  /** Every change made so far is committed to IndexedDB: closing the page now loses nothing. */
  get holdsEverything(): boolean {
    return this.available && this.stored === this.changes
  }

  /**
   * Resolves once every change made so far is committed to IndexedDB (at once when the copy is not
   * kept): a read-only transaction completes only after the read/write ones created before it.
   */
  committed(): Promise<void> {
    const db = this.persistence.db
    if (this.closed || db === null) return Promise.resolve()
    return new Promise((resolve) => {
      try {
        const transaction = db.transaction('updates', 'readonly')
        transaction.objectStore('updates').count()
        transaction.oncomplete = () => { resolve() }
        transaction.onabort = () => { resolve() }
      } catch {
        resolve() // the database was closed (deleted by another tab)
      }
    })
  }

  /**
   * Call when the server has confirmed on disk everything this document holds (the status turned
   * "Saved"): the moment is remembered in the copy, for the next time it is loaded.
   */
  serverHasEverything(): void {
    if (this.confirmedWrite !== null) clearTimeout(this.confirmedWrite)
    this.confirmedWrite = null
    if (!this.available) return
    const snapshot = Y.encodeSnapshot(Y.snapshot(this.doc))
    this.persistence.set(CONFIRMED_KEY, snapshot.slice().buffer).catch(() => undefined)
  }

  /**
   * Like `serverHasEverything`, for changes from the others received while all is saved: they
   * came from the server. At most one write per CONFIRMED_WRITE_DELAY_MS; `stillTrue` is asked
   * again just before writing.
   */
  serverHasEverythingSoon(stillTrue: () => boolean): void {
    if (this.confirmedWrite !== null || this.closed) return
    this.confirmedWrite = setTimeout(() => {
      this.confirmedWrite = null
      if (stillTrue()) this.serverHasEverything()
    }, CONFIRMED_WRITE_DELAY_MS)
  }

  /** Stops writing to the copy; the copy itself stays on the device. */
  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.confirmedWrite !== null) clearTimeout(this.confirmedWrite)
    this.confirmedWrite = null
    this.doc.off('update', this.onUpdate)
    void this.persistence.destroy().catch(() => undefined)
    openCopies.get(this.conferenceId)?.delete(this)
    if (openCopies.get(this.conferenceId)?.size === 0) openCopies.delete(this.conferenceId)
    this.emit('change', [])
  }

  override destroy(): void {
    this.close()
    super.destroy()
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.persistence) return // loaded from the copy: already in it
    this.changes++
    this.checkStored()
  }

  /**
   * y-indexeddb writes each change in its own read/write transaction as it happens, and says
   * nothing when the write is committed (its `_storeTimeout` only delays compaction). A read-only
   * transaction on the same store starts only after the read/write ones created before it have
   * finished, so when it completes, the changes counted before it are on the device.
   */
  private checkStored(): void {
    const db = this.persistence.db
    if (this.checkingStored || this.closed || db === null || this.stored === this.changes) return
    const upTo = this.changes
    let transaction: IDBTransaction
    try {
      transaction = db.transaction('updates', 'readonly')
      transaction.objectStore('updates').count()
    } catch {
      return // the database was closed (deleted by another tab)
    }
    this.checkingStored = true
    transaction.oncomplete = () => {
      this.checkingStored = false
      this.stored = upTo
      this.checkStored()
    }
    transaction.onabort = () => { this.checkingStored = false }
  }

  private async readContents(): Promise<DeviceCopyContents> {
    const hasRecord = Y.decodeStateVector(Y.encodeStateVector(this.doc)).size > 0
    if (!hasRecord) return { hasRecord, unconfirmed: false }
    let confirmed: Y.Snapshot | null = null
    try {
      const stored: unknown = await this.persistence.get(CONFIRMED_KEY)
      if (stored instanceof ArrayBuffer) confirmed = Y.decodeSnapshot(new Uint8Array(stored))
    } catch {
      confirmed = null
    }
    const unconfirmed = confirmed === null || !Y.snapshotContainsUpdate(confirmed, Y.encodeStateAsUpdate(this.doc))
    return { hasRecord, unconfirmed }
  }
}
