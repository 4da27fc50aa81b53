import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { z } from 'zod'
import { jsonNestingDepth, MAX_VALUE_DEPTH } from '../documents/updateGuard'

/**
 * Limits that no honest client comes near. A stock y-websocket client sends back every state
 * that changed on its side, other people's included (joining a room of 20, it sends 20), so
 * the count allows any room; the message size limit (MAX_MESSAGE_BYTES) bounds the rest.
 */
const MAX_STATES_PER_MESSAGE = 1_000
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
    entries.push({ clientId, clock, state })
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness update')
  return entries
}

/** A state this connection may set, checked before it is parsed and passed on (others' are only dropped). */
function checkedState(state: string): unknown {
  // Parsed here, it would be stringified again for everyone: deep nesting runs out of stack there.
  if (jsonNestingDepth(state) > MAX_VALUE_DEPTH) throw new Error('awareness state nested too deeply')
  // The parser's own message can quote the state (a person's name): never pass it on.
  try {
    return JSON.parse(state)
  } catch {
    throw new Error('awareness state is not JSON')
  }
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
 * another name or role. Of the rest only a well-formed caret is kept. Throws on a malformed
 * update. Returns null when nothing is left to apply.
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
  return writeAwarenessUpdate(own.map((entry) => ({ ...entry, state: sanitized(entry.state, user) })))
}

const itemId = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() })
/** A Yjs relative position as JSON (Y.relativePositionToJSON), as carets carry them. */
const relativePosition = z.object({ type: itemId.nullish(), tname: z.string().max(200).nullish(), item: itemId.nullish(), assoc: z.number().int().optional() })
const caret = z.object({ anchor: relativePosition, head: relativePosition })

/**
 * A removed state (`null`) stays removed. Any other state keeps only what SafetyMap's clients put
 * there: the `user` (the server's, when it knows the person) and a well-formed caret, or none.
 * Every page draws every caret: one malformed caret (`{ cursor: {} }`) would throw in each of
 * them and blank everyone's board.
 */
function sanitized(state: string, user: AwarenessUser | null): string {
  const parsed = checkedState(state)
  if (parsed === null) return state
  const fields: Record<string, unknown> = typeof parsed === 'object' && !Array.isArray(parsed) ? { ...parsed } : {}
  const cursor = caret.safeParse(fields.cursor)
  return JSON.stringify({ user: user ?? fields.user, cursor: cursor.success ? cursor.data : null })
}
