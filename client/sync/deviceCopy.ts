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
 *
 * Each person has their own copy of a conference on a device (a family tablet, an office
 * computer): words one person typed and could not send wait for them, and are never shown to, or
 * sent under the name of, whoever signs in next.
 */

const CONFIRMED_KEY = 'confirmed'
/** At most one write of the confirmed snapshot per this many milliseconds. */
const CONFIRMED_WRITE_DELAY_MS = 500

/** Before copies were kept per person, one per conference: adopted by the next person to open it. */
function sharedCopyName(conferenceId: string): string {
  return `safetymap-conference-${conferenceId}`
}

export function deviceCopyName(conferenceId: string, personId: string): string {
  return `${sharedCopyName(conferenceId)}/${personId}`
}

/** The names of the copies of a conference on this device; null when the browser cannot list them. */
async function copiesOnDevice(conferenceId: string): Promise<string[] | null> {
  try {
    const shared = sharedCopyName(conferenceId)
    return (await indexedDB.databases()).flatMap(({ name }) => (name === shared || name?.startsWith(`${shared}/`) ? [name] : []))
  } catch {
    return null
  }
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

/** Open copies by name. */
const openCopies = new Map<string, Set<DeviceCopy>>()

/**
 * Removes this person's copy of a conference record from this device. Closes the copy if this tab
 * has it open (other tabs close theirs when asked by the browser), so nothing is written to it
 * afterwards. Call it only when the server has everything, or when keeping the record here is the
 * greater risk.
 */
export async function clearDeviceCopy(conferenceId: string, personId: string): Promise<void> {
  const name = deviceCopyName(conferenceId, personId)
  for (const copy of openCopies.get(name) ?? []) copy.close()
  await clearDocument(name)
}

/**
 * Removes every person's copy of a conference record from this device, except those holding
 * changes the server never confirmed, which exist nowhere else. For pages with no connection of
 * their own to ask whether everything is saved: each copy's own record of what the server
 * confirmed answers instead.
 */
export async function clearDeviceCopiesIfSaved(conferenceId: string): Promise<void> {
  // Opening a copy that is not there would make one: only those listed are opened.
  const names = (await copiesOnDevice(conferenceId)) ?? []
  const prefix = `${sharedCopyName(conferenceId)}/`
  for (const name of names) {
    // A copy from before copies were per person is left for the board to adopt.
    if (!name.startsWith(prefix)) continue
    const personId = name.slice(prefix.length)
    const doc = new Y.Doc()
    const copy = new DeviceCopy(conferenceId, personId, doc, { adoptShared: false })
    try {
      const contents = await copy.loaded
      if (contents && !contents.unconfirmed) await clearDeviceCopy(conferenceId, personId)
    } finally {
      copy.destroy()
      doc.destroy()
    }
  }
}

/**
 * On signing out: every conference's copies on this device go, except those holding changes the
 * server never confirmed. A record left in a shared tablet's browser could be read from its tools.
 */
export async function clearEveryDeviceCopyIfSaved(): Promise<void> {
  let names: string[]
  try {
    names = (await indexedDB.databases()).flatMap(({ name }) => (name ? [name] : []))
  } catch {
    return
  }
  const conferenceIds = new Set(names.flatMap((name) => /^safetymap-conference-([^/]+)\//.exec(name)?.[1] ?? []))
  for (const conferenceId of conferenceIds) await clearDeviceCopiesIfSaved(conferenceId)
}

/**
 * Moves a copy made before copies were per person (one per conference) into `doc`, and removes
 * it: true if there was one. Whoever opens the conference first after the update gets it, as they
 * would have before; its changes count as not yet confirmed.
 */
async function adoptSharedCopy(conferenceId: string, doc: Y.Doc): Promise<boolean> {
  const shared = sharedCopyName(conferenceId)
  if (!(await copiesOnDevice(conferenceId))?.includes(shared)) return false
  const old = new IndexeddbPersistence(shared, doc)
  await old.whenSynced
  await old.destroy()
  await clearDocument(shared)
  return true
}

export class DeviceCopy extends ObservableV2<DeviceCopyEvents> {
  readonly persistence: IndexeddbPersistence
  /** Resolves once the copy is loaded into the doc; null when IndexedDB cannot be used here. */
  readonly loaded: Promise<DeviceCopyContents | null>
  private closed = false
  /**
   * A write to the copy failed (the device is out of space, or the browser refused): from then
   * on the copy cannot be trusted to hold what is typed, and the page says so.
   */
  private failed = false
  /** Doc updates seen, and how many of the first are known to be committed to IndexedDB. */
  private changes = 0
  private stored = 0
  private checkingStored = false
  private confirmedWrite: ReturnType<typeof setTimeout> | null = null
  /** Asked before the waiting write of the confirmed snapshot is made. */
  private stillConfirmed: () => boolean = () => false

  private readonly name: string

  constructor(readonly conferenceId: string, readonly personId: string, private readonly doc: Y.Doc, options: { adoptShared?: boolean } = {}) {
    super()
    this.name = deviceCopyName(conferenceId, personId)
    this.persistence = new IndexeddbPersistence(this.name, doc)
    // After the persistence's own listener, so each change's write is queued before the check.
    doc.on('update', this.onUpdate)
    let copies = openCopies.get(this.name)
    if (!copies) openCopies.set(this.name, (copies = new Set()))
    copies.add(this)

    this.loaded = new Promise((resolve) => {
      this.persistence._db.then(
        // lib0 already closes the database when another tab deletes it; stop writing to it too.
        (db) => {
          db.addEventListener('versionchange', () => { this.close() })
          // y-indexeddb does not look at its writes' outcome; an aborted one reaches the database here.
          db.addEventListener('abort', this.onAborted)
        },
        () => { this.close(); resolve(null) },
      )
      void this.persistence.whenSynced.then(async () => {
        const adopted = options.adoptShared !== false && (await adoptSharedCopy(conferenceId, doc).catch(() => false))
        this.checkStored()
        const contents = await this.readContents()
        resolve(adopted ? { hasRecord: contents.hasRecord, unconfirmed: contents.hasRecord } : contents)
        this.emit('change', [])
      })
    })
  }

  /** The copy is loaded and still kept: changes made here are written to it. */
  get available(): boolean {
    return !this.closed && !this.failed && this.persistence.synced
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
    this.stillConfirmed = stillTrue
    this.confirmedWrite = setTimeout(() => {
      this.confirmedWrite = null
      if (stillTrue()) this.serverHasEverything()
    }, CONFIRMED_WRITE_DELAY_MS)
  }

  /** Removes this copy from the device (see `clearDeviceCopy`). */
  remove(): Promise<void> {
    return clearDeviceCopy(this.conferenceId, this.personId)
  }

  /** Stops writing to the copy; the copy itself stays on the device. */
  close(): void {
    if (this.closed) return
    // A write still waiting is made now: leaving the board just after the others' last change
    // must not make the copy look unsaved later (it would then stay on the device).
    if (this.confirmedWrite !== null && this.stillConfirmed()) this.serverHasEverything()
    this.closed = true
    if (this.confirmedWrite !== null) clearTimeout(this.confirmedWrite)
    this.confirmedWrite = null
    this.doc.off('update', this.onUpdate)
    void this.persistence.destroy().catch(() => undefined)
    openCopies.get(this.name)?.delete(this)
    if (openCopies.get(this.name)?.size === 0) openCopies.delete(this.name)
    this.emit('change', [])
  }

  override destroy(): void {
    this.close()
    super.destroy()
  }

  private readonly onAborted = (event: Event): void => {
    if (!(event.target instanceof IDBTransaction) || event.target.mode === 'readonly' || this.failed) return
    this.failed = true
    this.emit('change', [])
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
