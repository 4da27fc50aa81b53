import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'

/** The `prev` of the first entry: there is nothing before it. */
export const CHAIN_START = '0'.repeat(64)

const HASH = /^[0-9a-f]{64}$/
const NEWLINE = 0x0a
const CHUNK_BYTES = 64 * 1024

/**
 * JSON with every object's keys sorted (UTF-16 code unit order, JavaScript's default sort) and
 * undefined fields left out, so the hash depends on the values only, never on key order.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const fields = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    return `{${fields.join(',')}}`
  }
  return JSON.stringify(value)
}

/** SHA-256 hex of `prev` + '\n' + the canonical JSON of the entry without its `hash`. */
export function chainHash(prev: string, unsigned: object): string {
  return createHash('sha256').update(`${prev}\n${canonicalJson(unsigned)}`).digest('hex')
}

/** Fills `buffer` from `position`: a single read may be short. */
export async function readAt(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let filled = 0; filled < buffer.byteLength; ) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, position + filled)
    if (bytesRead === 0) throw new Error('the audit log is shorter than expected')
    filled += bytesRead
  }
}

/**
 * The newline-terminated lines of the first `end` bytes, oldest first, each with the offset just
 * after its newline. Bytes after the last newline are not a line yet and are not yielded.
 */
export async function* linesOldestFirst(handle: FileHandle, end: number): AsyncGenerator<{ text: string; end: number }> {
  let carry = Buffer.alloc(0)
  // `position` is the file offset of carry[0].
  for (let position = 0; position + carry.byteLength < end; ) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, end - position - carry.byteLength))
    await readAt(handle, chunk, position + carry.byteLength)
    const bytes = carry.byteLength > 0 ? Buffer.concat([carry, chunk]) : chunk
    let start = 0
    for (let newline = bytes.indexOf(NEWLINE); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      yield { text: bytes.toString('utf8', start, newline), end: position + newline + 1 }
      start = newline + 1
    }
    carry = bytes.subarray(start)
    position += start
  }
}

/** The whole lines of the first `end` bytes, newest first. `end` must be just after a newline. */
export async function* linesNewestFirst(handle: FileHandle, end: number): AsyncGenerator<string> {
  // `carry` holds the bytes after `position` not yielded yet: the end of a line that began earlier.
  let carry = Buffer.alloc(0)
  for (let position = end; position > 0; ) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, position))
    position -= chunk.byteLength
    await readAt(handle, chunk, position)
    const bytes = Buffer.concat([chunk, carry])
    let lineEnd = bytes.byteLength
    for (;;) {
      // lastIndexOf counts a negative offset from the end, so never hand it one.
      const newline = lineEnd >= 2 ? bytes.lastIndexOf(NEWLINE, lineEnd - 2) : -1
      if (newline === -1) break
      yield bytes.toString('utf8', newline + 1, lineEnd - 1)
      lineEnd = newline + 1
    }
    carry = bytes.subarray(0, lineEnd)
  }
  if (carry.byteLength > 0) yield carry.toString('utf8', 0, carry.byteLength - 1)
}

export type ChainScan =
  | {
      ok: true
      entries: number
      /** The last entry's hash (CHAIN_START for an empty log): what the next entry links to. */
      head: string
      /** Bytes up to and including the last whole line. */
      validBytes: number
      /** A last line without its newline: a crash while writing it, never acknowledged. */
      torn?: { line: number; bytes: number }
      /** The last line is a whole entry that continues the chain; only its newline is missing. */
      newlineMissing?: true
    }
  | { ok: false; line: number; problem: string }

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Checks that a whole line continues the chain after `prev`: its hash, or why it does not. */
function checkLine(text: string, line: number, prev: string): { hash: string } | { problem: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { problem: 'not valid JSON' }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: 'not a JSON object' }
  const { hash, ...unsigned } = parsed as Record<string, unknown>
  if (typeof unsigned.seq !== 'number') return { problem: 'seq is missing or not a number' }
  if (unsigned.seq !== line) return { problem: `seq is ${unsigned.seq}, expected ${line}` }
  if (typeof unsigned.prev !== 'string' || !HASH.test(unsigned.prev)) return { problem: 'prev is not a SHA-256 hex hash' }
  if (unsigned.prev !== prev) return { problem: line === 1 ? 'prev is not the chain start (64 zeros)' : `prev does not match the hash of line ${line - 1}` }
  if (typeof hash !== 'string' || !HASH.test(hash)) return { problem: 'hash is not a SHA-256 hex hash' }
  if (hash !== chainHash(prev, unsigned)) return { problem: 'hash does not match the entry' }
  return { hash }
}

/** Reads the whole file once, checking every line; stops at the first that breaks the chain. */
export async function scanChain(file: string): Promise<ChainScan> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    let entries = 0
    let head = CHAIN_START
    let validBytes = 0
    for await (const { text, end } of linesOldestFirst(handle, size)) {
      const line = entries + 1
      const checked = checkLine(text, line, head)
      if ('problem' in checked) return { ok: false, line, problem: checked.problem }
      head = checked.hash
      entries = line
      validBytes = end
    }
    const tailBytes = size - validBytes
    if (tailBytes === 0) return { ok: true, entries, head, validBytes }
    const tail = Buffer.alloc(tailBytes)
    await readAt(handle, tail, validBytes)
    const text = tail.toString('utf8')
    const line = entries + 1
    // A crash cuts a line short, and part of a JSON object never parses: a tail that does parse
    // was written whole (or edited), so it is checked like any other line.
    if (!parsesAsJson(text)) return { ok: true, entries, head, validBytes, torn: { line, bytes: tailBytes } }
    const checked = checkLine(text, line, head)
    if ('problem' in checked) return { ok: false, line, problem: checked.problem }
    return { ok: true, entries: line, head: checked.hash, validBytes: size, newlineMissing: true }
  } finally {
    await handle.close()
  }
}

export type AuditLogVerdict =
  | {
      ok: true
      entries: number
      head: string
      /** A last line cut short by a crash; the server cuts it off (and keeps it beside the log) at its next start. */
      torn?: { line: number; bytes: number }
      /** The last entry is whole but lacks its newline; the server adds it at its next start. */
      newlineMissing?: true
    }
  | { ok: false; line: number; problem: string }

/**
 * Checks an audit log without changing it: every line is JSON, seqs run 1, 2, 3…, each `prev` is
 * the previous line's hash and each hash matches its entry. Throws ENOENT when the file is missing.
 */
export async function verifyAuditLog(file: string): Promise<AuditLogVerdict> {
  const scan = await scanChain(file)
  if (!scan.ok) return scan
  const { entries, head, torn, newlineMissing } = scan
  return { ok: true, entries, head, ...(torn ? { torn } : {}), ...(newlineMissing ? { newlineMissing } : {}) }
}
