import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { conferenceRecord, type ConferenceRecord } from '../../shared/conference'
import type { Identity } from '../identity'
import { DeviceCopy, type DeviceCopyContents } from './deviceCopy'
import { SaveTracker, type SaveStatus } from './saveTracker'
import { openSyncProvider } from './syncProvider'
import { holdsUnsavedWork } from '../unsavedWork'

/** What the board renders from: the save status, and whether the record has arrived once. */
export interface ConnectionState {
  /**
   * The save status as the board shows it: the tracker's, except that "Saved" after "Saving…" is
   * shown only once it has held for SAVED_SETTLE_MS. Never "Saved" when something is not.
   */
  status: SaveStatus
  /**
   * True once the record is here to edit: the first sync completed, or this device's copy holds
   * the record from an earlier visit. Stays true offline: the record here is still good to edit.
   */
  synced: boolean
  /** This device keeps a copy of the record: changes not yet sent survive closing the page. */
  keptOnDevice: boolean
}

/** What each person announces to the others in the room (awareness `user` field). */
export interface PresentPerson {
  name: string
  color: string
  authorId: string
}

/**
 * While someone types, the server confirms each keystroke within milliseconds, so "Saving…" and
 * "Saved" would swap twice a keystroke: a flicker nobody can read, announced by screen readers
 * each time, and the status line, the buttons that wait for "Saved" and the device copy's record
 * of what the server has (a snapshot of the whole document) all redone each time. Typing shows
 * "Saving…" until the words have been saved for this long.
 */
const SAVED_SETTLE_MS = 400

/** Connect anyway if the device copy has not loaded by then (IndexedDB can hang, e.g. while blocked). */
const DEVICE_COPY_WAIT_MS = 3000

/**
 * One open conference: its Y.Doc, this device's copy of it, the websocket provider and the save
 * tracker, created together and destroyed together.
 *
 * The provider connects only once the device copy is loaded: changes typed offline before a reload
 * are then in the doc before the sync, and the tracker knows they still need the server's
 * confirmation (see `SaveTracker.countUnconfirmedChange`).
 */
export class ConferenceConnection {
  readonly doc = new Y.Doc()
  readonly deviceCopy: DeviceCopy
  readonly provider: WebsocketProvider
  readonly tracker: SaveTracker
  readonly record: ConferenceRecord
  private state: ConnectionState = { status: { state: 'connecting' }, synced: false, keptOnDevice: false }
  private readonly listeners = new Set<() => void>()
  private deviceHasRecord = false
  /** The provider was told to connect (it is created without connecting). */
  private started = false
  private connectTimer: ReturnType<typeof setTimeout> | null = null
  /** When the tracker last turned "saved" (null while it is not), and the wait before showing it. */
  private savedSince: number | null = null
  private settling: ReturnType<typeof setTimeout> | null = null
  private destroyed = false
  private readonly releaseUnsavedWork: () => void

  constructor(readonly conferenceId: string, identity: Identity) {
    this.deviceCopy = new DeviceCopy(conferenceId, identity.authorId, this.doc)
    this.provider = openSyncProvider(conferenceId, this.doc, false)
    this.announce(identity)
    // Loading the device copy replays old changes: not typing (see countUnconfirmedChange).
    this.tracker = new SaveTracker(this.doc, this.provider, [this.deviceCopy.persistence])
    this.record = conferenceRecord(this.doc)
    this.state = this.readState()
    this.tracker.on('status', this.update)
    this.provider.on('sync', this.update)
    this.deviceCopy.on('change', this.update)
    this.doc.on('update', this.rememberIfAllSaved)
    this.releaseUnsavedWork = holdsUnsavedWork({
      notSaved: () => !this.tracker.allSaved,
      // Changes neither confirmed by the server nor committed to the device copy.
      lostOnLeaving: () => !this.tracker.allSaved && !this.deviceCopy.holdsEverything,
    })
    void this.deviceCopy.loaded.then(this.onDeviceCopyLoaded)
    this.connectTimer = setTimeout(this.connect, DEVICE_COPY_WAIT_MS)
  }

  /** Sets who this person is for the others (caret label, author names). */
  announce(identity: Identity): void {
    const person: PresentPerson = { name: identity.name, color: identity.color, authorId: identity.authorId }
    this.provider.awareness.setLocalStateField('user', person)
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  readonly getState = (): ConnectionState => this.state

  destroy(): void {
    this.destroyed = true
    if (this.connectTimer !== null) clearTimeout(this.connectTimer)
    if (this.settling !== null) clearTimeout(this.settling)
    this.releaseUnsavedWork()
    this.tracker.off('status', this.update)
    this.provider.off('sync', this.update)
    this.deviceCopy.off('change', this.update)
    this.doc.off('update', this.rememberIfAllSaved)
    // First, while the tracker can still say whether all is saved (see DeviceCopy.close).
    this.deviceCopy.destroy()
    this.tracker.destroy()
    this.provider.destroy()
    this.doc.destroy()
    this.listeners.clear()
  }

  private readonly onDeviceCopyLoaded = (contents: DeviceCopyContents | null): void => {
    if (this.destroyed) return
    if (contents?.unconfirmed) this.tracker.countUnconfirmedChange()
    this.deviceHasRecord = contents?.hasRecord ?? false
    this.connect()
  }

  private readonly connect = (): void => {
    if (this.destroyed || this.started) return
    if (this.connectTimer !== null) clearTimeout(this.connectTimer)
    this.connectTimer = null
    this.started = true
    this.provider.connect()
    this.update()
  }

  private readState(): ConnectionState {
    return {
      // Until the provider starts, it reports neither connecting nor connected.
      status: this.shown(this.started ? this.tracker.status : { state: 'connecting' }),
      synced: this.state.synced || this.provider.synced || this.deviceHasRecord,
      keptOnDevice: this.deviceCopy.available,
    }
  }

  /** The status to show for the tracker's `actual` one: see SAVED_SETTLE_MS. */
  private shown(actual: SaveStatus): SaveStatus {
    if (actual.state !== 'saved') {
      this.savedSince = null
      if (this.settling !== null) clearTimeout(this.settling)
      this.settling = null
      return actual
    }
    this.savedSince ??= performance.now()
    const wait = this.savedSince + SAVED_SETTLE_MS - performance.now()
    if (this.state.status.state !== 'saving' || wait <= 0) return actual
    this.settling ??= setTimeout(() => {
      this.settling = null
      this.update()
    }, wait)
    return this.state.status
  }

  private readonly update = (): void => {
    const next = this.readState()
    if (next.status.state === 'saved' && this.state.status.state !== 'saved') this.deviceCopy.serverHasEverything()
    if (next.status === this.state.status && next.synced === this.state.synced && next.keptOnDevice === this.state.keptOnDevice) return
    this.state = next
    for (const listener of this.listeners) listener()
  }

  private readonly allOnServer = (): boolean => this.tracker.status.state === 'saved'

  /** Changes from the others, received while everything here is saved, are on the server too. */
  private readonly rememberIfAllSaved = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider && this.allOnServer()) this.deviceCopy.serverHasEverythingSoon(this.allOnServer)
  }
}
