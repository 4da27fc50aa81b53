/**
 * The sync protocol between SafetyMap clients and the server, in one place.
 *
 * We speak the y-websocket protocol (y-protocols sync + awareness) so a stock
 * y-websocket `WebsocketProvider` works unchanged. On top of it we add one message
 * type, "saved", that stock clients never send and ignore when received.
 */

/** Bumped when client and server can no longer talk to each other. Sent as `?v=` on connect. */
export const PROTOCOL_VERSION = 1

/** Path prefix of the websocket endpoint: a conference syncs at `/sync/<conferenceId>`. */
export const SYNC_PATH = '/sync'

/** Largest websocket message the server accepts (bytes). A bigger one closes that connection. */
export const MAX_MESSAGE_BYTES = 1024 * 1024

/** Message types: the first varUint of every websocket message. */
export const MessageType = {
  /** y-protocols sync: step 1, step 2, update. */
  sync: 0,
  /** y-protocols awareness update (who is here, carets). */
  awareness: 1,
  /** y-protocols auth (permission denied). */
  auth: 2,
  /** Ask the other side to send its awareness states. */
  queryAwareness: 3,
  /**
   * Saved-on-disk check. Client → server: `[saved, seq]` asks "tell me when everything I sent
   * before this message is on disk". Server → client: `[saved, seq]` answers it. The client
   * shows "Saved" only when its latest local change was sent before an answered check.
   */
  saved: 8,
} as const

/**
 * Close codes, named. y-websocket 3 stops reconnecting on 4400-4499 (the request itself is
 * wrong and retrying cannot fix it) and retries on everything else.
 */
export const CloseCode = {
  /** Server shutting down or restarting: reconnect. */
  goingAway: 1001,
  /** The message was bigger than MAX_MESSAGE_BYTES (set by the ws library itself). */
  messageTooBig: 1009,
  /** Something failed on the server while handling this connection: reconnect. */
  internalError: 1011,
  /** A message could not be read (bad bytes, unknown type, invalid update). */
  malformedMessage: 4400,
  /** Not signed in, or the session expired or was ended: sign in again. */
  unauthorized: 4401,
  /** Removed from the conference, or the invitation was withdrawn. */
  forbidden: 4403,
  /** No such conference, or not one this person is in (the two are never told apart). Never created on demand. */
  conferenceNotFound: 4404,
  /** The stored record cannot be opened by this server (newer schema, damaged files): an administrator must act. */
  recordUnavailable: 4410,
  /** An update too costly to apply (too many structures, implausible lengths). */
  updateRejected: 4422,
  /** The chair has finalized the record: it can no longer be changed (the client keeps its own changes). */
  recordFinal: 4409,
  /** This person's role only lets them read, and they sent a change (typed before the role changed): it was not added. */
  readOnly: 4423,
  /** Client speaks another protocol version: reload the page. */
  protocolMismatch: 4426,
  /**
   * An update built on changes the server does not have. Not permanent: on reconnect the
   * client's sync step 2 brings everything the update needs.
   */
  resyncNeeded: 4500,
  /** This person's role changed: reconnect, and the new role applies. */
  roleChanged: 4501,
  /**
   * The chair is closing the record at this moment, and a change came in. Not permanent: if the
   * close fails the record stays open, and the change goes in on reconnect; if it succeeds the
   * reconnect is told `recordFinal`.
   */
  recordClosing: 4503,
} as const

export type CloseCodeName = keyof typeof CloseCode

const closeCodeNames = new Map<number, CloseCodeName>(
  Object.entries(CloseCode).map(([name, code]) => [code, name as CloseCodeName]),
)

/** The name of a close code, or undefined for codes we did not send. */
export function closeCodeName(code: number): CloseCodeName | undefined {
  return closeCodeNames.get(code)
}

/** True when reconnecting cannot help (matches y-websocket 3's default `shouldReconnect`). */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500
}
