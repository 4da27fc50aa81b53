import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { ObservableV2 } from 'lib0/observable'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { CloseCode, MessageType, closeCodeName, isPermanentClose, type CloseCodeName } from '../../shared/protocol'

/**
 * What the person typing should be told about their changes.
 * - saved: everything typed here is on the server's disk.
 * - saving: connected, some changes not yet confirmed on disk.
 * - offline: not connected; `unsaved` says whether changes are waiting here to be sent.
 * - stopped: the server refused this connection for good (`reason` says why); changes stay here.
 */
export type SaveStatus =
  | { state: 'connecting' }
  | { state: 'saved' }
  | { state: 'saving' }
  | { state: 'offline'; unsaved: boolean }
  | { state: 'stopped'; reason: CloseCodeName | 'unknown'; unsaved: boolean }

/**
 * How long a "saved" question may go unanswered before the line counts as dead though the socket
 * still looks open (a phone that lost its signal mid-sentence): y-websocket alone notices only
 * after 30 s without a message, all that time showing "Saving…". The server answers within
 * milliseconds, or a few seconds when its disk is slow; a false alarm costs only a reconnect.
 */
export const SAVED_ANSWER_TIMEOUT_MS = 8_000

interface SaveTrackerEvents {
  status: (status: SaveStatus) => void
}

/**
 * Tracks whether local changes are durably saved, using the "saved" message of
 * shared/protocol.ts: after a local change is sent, ask the server to answer once everything
 * sent before the question is on disk. One question is in flight at a time, so a fast typist
 * costs at most one small message per disk write, not one per keystroke.
 */
export class SaveTracker extends ObservableV2<SaveTrackerEvents> {
  /** Counts local changes; `confirmedVersion` is the highest one known to be on disk. */
  private localVersion = 0
  private confirmedVersion = 0
  private nextSeq = 1
  private inFlight: { seq: number; version: number } | null = null
  /** Runs out when the question in flight has waited SAVED_ANSWER_TIMEOUT_MS. */
  private answerDue: ReturnType<typeof setTimeout> | null = null
  /** The question went unanswered: shown as offline at once, while the socket is closed and reopened. */
  private lineSilent = false
  private stoppedReason: CloseCodeName | 'unknown' | null = null
  /** The first connection attempt has ended (opened or failed). */
  private triedToConnect = false
  private current: SaveStatus = { state: 'connecting' }

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: WebsocketProvider,
    /** Origins that are not local typing (e.g. the offline store replaying old changes). */
    private readonly remoteOrigins: readonly unknown[] = [],
  ) {
    super()
    provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
      this.onSavedAnswer(decoding.readVarUint(decoder))
    }
    // Registered after the provider's own update listener, so the change has been sent
    // (when connected) before the check that follows it.
    doc.on('update', this.onDocUpdate)
    provider.on('sync', this.onSync)
    provider.on('status', this.onConnectionStatus)
    provider.on('connection-close', this.onConnectionClose)
    this.refresh()
  }

  get status(): SaveStatus {
    return this.current
  }

  /** How many local changes (transactions) were made here, and how many of the first are on disk. */
  get changes(): { made: number; confirmed: number } {
    return { made: this.localVersion, confirmed: this.confirmedVersion }
  }

  /** True when every local change is confirmed on disk. */
  get allSaved(): boolean {
    return this.confirmedVersion === this.localVersion
  }

  /**
   * Counts changes loaded from this device's offline copy that the server never confirmed (typed
   * offline, then the page was reloaded) as one local change. Replaying the copy is not typing
   * (its origin is in `remoteOrigins`), so after a reload the counters start at 0: without this the
   * status would say "Offline" without "your changes are kept", and once reconnected would show
   * "Saved" as soon as the sync completed, before the server said they are on disk (with nothing
   * unconfirmed, no question is asked). Counted, the tracker asks after the sync as for any change;
   * the sync step 2 reply carrying the loaded changes goes out before that question.
   */
  countUnconfirmedChange(): void {
    this.localVersion++
    this.askIfSaved()
    this.refresh()
  }

  override destroy(): void {
    this.stopWaiting()
    this.doc.off('update', this.onDocUpdate)
    this.provider.off('sync', this.onSync)
    this.provider.off('status', this.onConnectionStatus)
    this.provider.off('connection-close', this.onConnectionClose)
    super.destroy()
  }

  private readonly onDocUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider || this.remoteOrigins.includes(origin)) return
    this.localVersion++
    this.askIfSaved()
    this.refresh()
  }

  private readonly onSync = (synced: boolean): void => {
    // On (re)connect the provider has already sent our missing changes as its sync step 2
    // reply, before the server's step 2 made us "synced": a check sent now covers them.
    if (synced) this.askIfSaved()
    this.refresh()
  }

  private readonly onConnectionStatus = (): void => {
    if (this.provider.wsconnected) this.triedToConnect = true
    else this.forgetQuestion()
    this.refresh()
  }

  private readonly onConnectionClose = (event: CloseEvent | null): void => {
    this.triedToConnect = true
    this.forgetQuestion()
    if (event && isPermanentClose(event.code)) {
      this.stoppedReason = closeCodeName(event.code) ?? 'unknown'
    }
    // A change bigger than the server takes (a very long paste) goes out again in one message on
    // every reconnect and is refused again: retrying for ever would only show "Offline".
    if (event?.code === CloseCode.messageTooBig) {
      this.stoppedReason = 'messageTooBig'
      this.provider.disconnect()
    }
    this.refresh()
  }

  private askIfSaved(): void {
    const ws = this.provider.ws
    if (this.inFlight || this.allSaved || !this.provider.synced || !ws || ws.readyState !== ws.OPEN) return
    const seq = this.nextSeq++
    this.inFlight = { seq, version: this.localVersion }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.saved)
    encoding.writeVarUint(encoder, seq)
    ws.send(encoding.toUint8Array(encoder))
    this.answerDue = setTimeout(() => {
      this.answerDue = null
      this.lineSilent = true
      this.refresh()
      // y-websocket reconnects once it hears the socket closed; until then the status says offline.
      ws.close()
    }, SAVED_ANSWER_TIMEOUT_MS)
  }

  private stopWaiting(): void {
    if (this.answerDue !== null) clearTimeout(this.answerDue)
    this.answerDue = null
  }

  /** The connection ended: a question in flight on it will never be answered. */
  private forgetQuestion(): void {
    this.inFlight = null
    this.lineSilent = false
    this.stopWaiting()
  }

  private onSavedAnswer(seq: number): void {
    if (this.inFlight?.seq !== seq) return // an answer from an earlier connection
    this.confirmedVersion = Math.max(this.confirmedVersion, this.inFlight.version)
    this.inFlight = null
    this.stopWaiting()
    this.askIfSaved()
    this.refresh()
  }

  private refresh(): void {
    const next = this.computeStatus()
    if (JSON.stringify(next) === JSON.stringify(this.current)) return
    this.current = next
    this.emit('status', [next])
  }

  private computeStatus(): SaveStatus {
    const unsaved = !this.allSaved
    if (this.stoppedReason) return { state: 'stopped', reason: this.stoppedReason, unsaved }
    if (!this.provider.wsconnected || this.lineSilent) {
      // "Connecting…" during the first attempt only; after it, retries stay "Offline" (steady),
      // also for a page opened offline from the device copy.
      return !this.triedToConnect && this.provider.wsconnecting
        ? { state: 'connecting' }
        : { state: 'offline', unsaved }
    }
    if (!this.provider.synced) return { state: 'connecting' }
    return unsaved ? { state: 'saving' } : { state: 'saved' }
  }
}
