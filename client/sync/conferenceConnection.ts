import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { conferenceRecord, type ConferenceRecord } from '../../shared/conference'
import { PROTOCOL_VERSION, SYNC_PATH } from '../../shared/protocol'
import type { Identity } from '../identity'
import { SaveTracker, type SaveStatus } from './saveTracker'

/** What the board renders from: the save status, and whether the record has arrived once. */
export interface ConnectionState {
  status: SaveStatus
  /** True once the first sync completed. Stays true offline: the record here is still good to edit. */
  synced: boolean
}

/** What each person announces to the others in the room (awareness `user` field). */
export interface PresentPerson {
  name: string
  color: string
  authorId: string
}

function syncUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${window.location.host}${SYNC_PATH}`
}

/**
 * One open conference: its Y.Doc, the websocket provider and the save tracker, created together
 * and destroyed together.
 */
export class ConferenceConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly tracker: SaveTracker
  readonly record: ConferenceRecord
  private state: ConnectionState
  private readonly listeners = new Set<() => void>()

  constructor(readonly conferenceId: string, identity: Identity) {
    this.provider = new WebsocketProvider(syncUrl(), conferenceId, this.doc, {
      params: { v: String(PROTOCOL_VERSION) },
      // Tabs of one browser must each get their own save confirmation from the server.
      disableBc: true,
    })
    this.announce(identity)
    this.tracker = new SaveTracker(this.doc, this.provider)
    this.record = conferenceRecord(this.doc)
    this.state = { status: this.tracker.status, synced: this.provider.synced }
    this.tracker.on('status', this.update)
    this.provider.on('sync', this.update)
    window.addEventListener('beforeunload', this.warnIfUnsaved)
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
    window.removeEventListener('beforeunload', this.warnIfUnsaved)
    this.tracker.off('status', this.update)
    this.provider.off('sync', this.update)
    this.tracker.destroy()
    this.provider.destroy()
    this.doc.destroy()
    this.listeners.clear()
  }

  private readonly update = (): void => {
    const next = { status: this.tracker.status, synced: this.state.synced || this.provider.synced }
    if (next.status === this.state.status && next.synced === this.state.synced) return
    this.state = next
    for (const listener of this.listeners) listener()
  }

  /** Unsaved changes live only in this tab's memory: leaving now would lose them. */
  private readonly warnIfUnsaved = (event: BeforeUnloadEvent): void => {
    if (!this.tracker.allSaved) event.preventDefault()
  }
}
