import * as Y from 'yjs'
import { CLIENT_WRITABLE_ROOT_NAMES } from '../../shared/conference/schema'

/**
 * Checks a client's Yjs update before it is applied. Yjs cannot roll a transaction back, so
 * anything we would refuse must be refused here, before `applyUpdate`.
 *
 * y-websocket sends V1 updates, whose decoder reads at least one byte per structure, so a
 * decode is bounded by the message size (1 MiB). The run-length tricks of yjs issue 687 live
 * in the V2 format, which we never accept. What V1 still allows, and we refuse:
 * - bytes that do not decode (truncated, random, huge varints);
 * - a structure claiming an implausible length, which would push a client's clock so far
 *   ahead that its later real edits are taken as already seen and silently dropped;
 * - a root type the conference schema does not have, or one only the server writes (the schema
 *   version, the scores): unbounded new roots, typos, or a client writing where it may not.
 */

/** Longer than any real paste or merged deletion in a meeting record. */
export const MAX_STRUCT_LENGTH = 10_000_000
/** Far beyond a two-hour meeting of one client, far below where clocks lose precision. */
export const MAX_CLOCK = 2 ** 40

export type UpdateRejection =
  | { reason: 'undecodable'; detail: string }
  | { reason: 'implausible-length'; detail: string }
  | { reason: 'unknown-root'; detail: string }

/** Returns why the update must be refused, or null when it may be applied. */
export function inspectUpdate(update: Uint8Array, allowedRoots: ReadonlySet<string> = CLIENT_WRITABLE_ROOT_NAMES): UpdateRejection | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch (error) {
    return { reason: 'undecodable', detail: error instanceof Error ? error.message : 'decode failed' }
  }
  for (const struct of decoded.structs) {
    if (struct.length > MAX_STRUCT_LENGTH || struct.id.clock + struct.length > MAX_CLOCK) {
      return { reason: 'implausible-length', detail: `struct of length ${struct.length} at clock ${struct.id.clock}` }
    }
    // In a decoded (not yet integrated) update, a root parent is its name, a string.
    const parent: unknown = struct instanceof Y.Item ? struct.parent : null
    if (typeof parent === 'string' && !allowedRoots.has(parent)) {
      return { reason: 'unknown-root', detail: `root "${parent.slice(0, 60)}"` }
    }
  }
  for (const deletions of decoded.ds.clients.values()) {
    for (const deletion of deletions) {
      if (deletion.len > MAX_STRUCT_LENGTH || deletion.clock + deletion.len > MAX_CLOCK) {
        return { reason: 'implausible-length', detail: `deletion of length ${deletion.len}` }
      }
    }
  }
  return null
}
