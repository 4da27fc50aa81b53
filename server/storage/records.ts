import { crc32 } from 'node:zlib'

/**
 * One stored record: payload length (u32 LE), CRC-32 of the payload (u32 LE), payload.
 * The same framing holds journal records and the single record of a snapshot file.
 */
export const RECORD_HEADER_BYTES = 8

/** Nothing we store is near this; a length beyond it is a torn or damaged header, not data. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024

export function encodeRecord(payload: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.byteLength)
  record.writeUInt32LE(payload.byteLength, 0)
  record.writeUInt32LE(crc32(payload), 4)
  record.set(payload, RECORD_HEADER_BYTES)
  return record
}

/** Why the bytes from `validBytes` on are not a record. */
export type TornReason = 'short-header' | 'bad-length' | 'short-payload' | 'bad-checksum'

export interface RecordScan {
  /** Payloads of the valid records, as views into the scanned bytes. */
  records: Uint8Array[]
  /** Bytes taken by the valid records, from the start. */
  validBytes: number
  /** Set when bytes follow the last valid record. */
  torn?: TornReason
}

/**
 * Reads records until the first one that is not whole and intact. A crash mid-write leaves such a
 * tail: the pages of one unsynced batch can reach the disk in any order, so everything from the
 * first bad record on is the unacknowledged batch and is reported, never guessed at.
 */
export function scanRecords(bytes: Uint8Array): RecordScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: Uint8Array[] = []
  let offset = 0
  while (offset < bytes.byteLength) {
    const torn = tornAt(bytes, view, offset)
    if (torn) return { records, validBytes: offset, torn }
    const length = view.getUint32(offset, true)
    // A plain Uint8Array view, not a Buffer: what callers get does not depend on how we read it.
    records.push(new Uint8Array(bytes.buffer, bytes.byteOffset + offset + RECORD_HEADER_BYTES, length))
    offset += RECORD_HEADER_BYTES + length
  }
  return { records, validBytes: offset }
}

function tornAt(bytes: Uint8Array, view: DataView, offset: number): TornReason | undefined {
  if (bytes.byteLength - offset < RECORD_HEADER_BYTES) return 'short-header'
  const length = view.getUint32(offset, true)
  // Zero length is refused too: a crash can leave a zero-filled tail, and crc32 of nothing is 0.
  if (length === 0 || length > MAX_RECORD_BYTES) return 'bad-length'
  const start = offset + RECORD_HEADER_BYTES
  if (bytes.byteLength - start < length) return 'short-payload'
  if (crc32(bytes.subarray(start, start + length)) !== view.getUint32(offset + 4, true)) return 'bad-checksum'
  return undefined
}
