import { Writable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { WriteBatcher } from '../../server/sync/writeBatcher'

/** A real stream that records each write it is asked to make, as a socket makes system calls. */
class RecordingSocket extends Writable {
  readonly writes: string[][] = []

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.writes.push([chunk.toString()])
    done()
  }

  override _writev(chunks: { chunk: Buffer }[], done: () => void): void {
    this.writes.push(chunks.map(({ chunk }) => chunk.toString()))
    done()
  }
}

/** The end of the current piece of work: the microtasks queued so far have run. */
const workDone = (): Promise<void> => Promise.resolve()

describe('frames sent while one piece of work is handled', () => {
  test('leave each socket in one write once the work is done, not one write each', async () => {
    const batcher = new WriteBatcher()
    const parent = new RecordingSocket()
    const socialWorker = new RecordingSocket()
    for (const frame of ['update', 'caret', 'saved']) {
      batcher.hold(parent)
      parent.write(frame)
      batcher.hold(socialWorker)
      socialWorker.write(frame)
    }
    expect(parent.writes).toEqual([])
    await workDone()
    expect(parent.writes).toEqual([['update', 'caret', 'saved']])
    expect(socialWorker.writes).toEqual([['update', 'caret', 'saved']])
  })

  test('later work is written on its own, and a socket not held writes at once', async () => {
    const batcher = new WriteBatcher()
    const parent = new RecordingSocket()
    batcher.hold(parent)
    parent.write('first read')
    await workDone()
    batcher.hold(parent)
    parent.write('second read')
    await workDone()
    expect(parent.writes).toEqual([['first read'], ['second read']])
    parent.write('not held')
    expect(parent.writes).toEqual([['first read'], ['second read'], ['not held']])
  })

  test('a socket that ends while held still sends what it was given', async () => {
    const batcher = new WriteBatcher()
    const parent = new RecordingSocket()
    batcher.hold(parent)
    parent.write('last words')
    parent.end()
    await workDone()
    expect(parent.writes).toEqual([['last words']])
    expect(() => { batcher.hold(parent) }).not.toThrow()
  })
})
