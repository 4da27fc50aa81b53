import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { jsonNestingDepth, MAX_VALUE_DEPTH } from '../documents/updateGuard'

/** Limits that no honest client comes near: one state per connection, a few KB each. */
const MAX_STATES_PER_MESSAGE = 16
const MAX_STATE_BYTES = 16 * 1024

/** What the server says about a person in awareness: set from their session, never from their client. */
export interface AwarenessUser {
  name: string
  role: string
  color: string
  authorId: string
}

interface AwarenessEntry {
  clientId: number
  clock: number
  state: string
}

function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > MAX_STATES_PER_MESSAGE) throw new Error(`awareness update with ${count} states`)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = decoding.readVarString(decoder)
    if (state.length > MAX_STATE_BYTES) throw new Error('awareness state too large')
    // Parsed here, it would be stringified again for everyone: deep nesting runs out of stack there.
    if (jsonNestingDepth(state) > MAX_VALUE_DEPTH) throw new Error('awareness state nested too deeply')
    // y-protocols parses this JSON itself; a parse failure there would be thrown mid-apply.
    // The parser's own message can quote the state (a person's name): never pass it on.
    try {
      JSON.parse(state)
    } catch {
      throw new Error('awareness state is not JSON')
    }
    entries.push({ clientId, clock, state })
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness update')
  return entries
}

function writeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * Keeps only the states a connection may set: its own client's. A connection owns the first
 * client id it announces; states it sends for any other id (someone else's name and caret)
 * are dropped. With `user`, the state's `user` field is replaced by it: a client cannot claim
 * another name or role. Throws on a malformed update. Returns null when nothing is left to apply.
 */
export function ownAwarenessOnly(
  update: Uint8Array,
  owner: { clientId: number | null },
  /** True when another live connection already owns this client id. */
  ownedByAnother: (clientId: number) => boolean,
  user: AwarenessUser | null = null,
): Uint8Array | null {
  const entries = readAwarenessUpdate(update)
  const first = entries[0]
  if (owner.clientId === null && first && !ownedByAnother(first.clientId)) owner.clientId = first.clientId
  const own = entries.filter((entry) => entry.clientId === owner.clientId)
  if (own.length === 0) return null
  if (user) return writeAwarenessUpdate(own.map((entry) => ({ ...entry, state: withUser(entry.state, user) })))
  return own.length === entries.length ? update : writeAwarenessUpdate(own)
}

/** A removed state (`null`) stays removed; any other state gets the server's `user`. */
function withUser(state: string, user: AwarenessUser): string {
  const parsed: unknown = JSON.parse(state)
  if (parsed === null) return state
  const fields = typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
  return JSON.stringify({ ...fields, user })
}
