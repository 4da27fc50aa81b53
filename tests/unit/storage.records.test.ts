import { describe, expect, test } from 'vitest'
import { crc32 } from 'node:zlib'
import { encodeRecord, MAX_RECORD_BYTES, scanRecords } from '../../server/storage/records'

describe('crc32', () => {
  // Journals written before Node had zlib.crc32 used our own CRC-32: the same IEEE check values.
  test('is the IEEE CRC-32 our journals were always written with', () => {
    expect(crc32(new Uint8Array())).toBe(0)
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339)
  })
})

describe('record framing', () => {
  const payloads = [new Uint8Array([1]), new Uint8Array([2, 3, 4]), new Uint8Array(300).fill(9)]
  const framed = Buffer.concat(payloads.map((payload) => encodeRecord(payload)))

  test('reads back every record, in order, as plain Uint8Arrays', () => {
    const scan = scanRecords(framed)
    expect(scan.torn).toBeUndefined()
    expect(scan.validBytes).toBe(framed.length)
    expect(scan.records).toEqual(payloads)
    for (const record of scan.records) expect(Buffer.isBuffer(record)).toBe(false)
  })

  test.each([
    ['short-header', Buffer.from([1, 0])],
    ['short-payload', encodeRecord(new Uint8Array([5, 6, 7])).subarray(0, 10)],
    ['bad-checksum', Buffer.from([...encodeRecord(new Uint8Array([5, 6, 7])).subarray(0, 10), 0])],
    ['bad-length', Buffer.alloc(16)],
  ] as const)('stops at a %s tail and reports where the intact part ends', (reason, tail) => {
    const scan = scanRecords(Buffer.concat([framed, tail]))
    expect(scan.torn).toBe(reason)
    expect(scan.validBytes).toBe(framed.length)
    expect(scan.records).toHaveLength(payloads.length)
  })

  test('a length over 64 MiB is torn, not an allocation', () => {
    const header = Buffer.alloc(8)
    header.writeUInt32LE(MAX_RECORD_BYTES + 1, 0)
    expect(scanRecords(header).torn).toBe('bad-length')
  })
})
