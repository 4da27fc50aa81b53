import type * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { PROTOCOL_VERSION, SYNC_PATH } from '../../shared/protocol'
import { withReconnectJitter } from './reconnect'

/**
 * Sends only this device's own presence (awareness) to the server, not everyone's.
 *
 * y-websocket sends every presence change it learns of, other people's included: in a room of
 * 15, each caret move came back to the server 14 times, and those echoes were most of what
 * clients sent (the server keeps only the sender's own state from them). The server already
 * passes each change to everyone, so nothing is lost without the echoes. Call once, right after
 * creating the provider; `destroy` removes the replacement as it did the original.
 */
export function sendOwnPresenceOnly<P extends WebsocketProvider>(provider: P): P {
  const awareness = provider.awareness
  const sendChanges = provider._awarenessUpdateHandler
  awareness.off('update', sendChanges)
  const own = (clients: readonly number[]): number[] => clients.filter((client) => client === awareness.clientID)
  provider._awarenessUpdateHandler = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const mine = { added: own(changes.added), updated: own(changes.updated), removed: own(changes.removed) }
    if (mine.added.length + mine.updated.length + mine.removed.length === 0) return
    sendChanges(mine, origin)
  }
  awareness.on('update', provider._awarenessUpdateHandler)
  return provider
}

/**
 * Brings presence back at once after a reconnect (y-websocket issue 122). When a connection
 * drops, y-websocket forgets everyone else's presence but not the clock each came with, and the
 * server forgets ours but not its clock. On reconnecting the same states come back at the same
 * clocks, and awareness ignores a state whose clock it has already seen: people showed as "not
 * connected" on both sides for up to 15 s, until each device next renewed its presence. So when
 * the connection drops: forget the others' clocks, and move our own on.
 */
export function restorePresenceOnReconnect<P extends WebsocketProvider>(provider: P): P {
  provider.on('status', ({ status }) => {
    if (status !== 'disconnected') return
    const { awareness } = provider
    for (const clientId of [...awareness.meta.keys()]) {
      if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId)
    }
    const own: unknown = awareness.getLocalState()
    // Not sent while offline; sent, with the new clock, as the connection opens.
    if (own !== null) awareness.setLocalState(own as Record<string, unknown>)
  })
  return provider
}

/** Our client's presence: its own state only, and back at once after a reconnect. */
export function withOurPresence<P extends WebsocketProvider>(provider: P): P {
  return restorePresenceOnReconnect(sendOwnPresenceOnly(provider))
}

/**
 * The browser's connection to one sync room (the record, or the professionals-only part):
 * our protocol version, reconnects with jitter, its own presence only. Created without
 * connecting when `connect` is false.
 */
export function openSyncProvider(roomName: string, doc: Y.Doc, connect = true): WebsocketProvider {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const provider = new WebsocketProvider(`${scheme}//${window.location.host}${SYNC_PATH}`, roomName, doc, {
    params: { v: String(PROTOCOL_VERSION) },
    // Tabs of one browser must each get their own save confirmation from the server.
    disableBc: true,
    connect,
  })
  // Jittered, so the people a server restart disconnects together do not all return together.
  return withOurPresence(withReconnectJitter(provider))
}
