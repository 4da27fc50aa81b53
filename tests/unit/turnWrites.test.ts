import { Writable } from 'node:stream'
import { setImmediate as endOfTurn } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { TurnWrites } from '../../server/sync/turnWrites'

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

describe('frames sent in one turn of the event loop', () => {
  test('leave a socket in one write at the end of the turn, not one write each', async () => {
    const turnWrites = new TurnWrites()
    const parent = new RecordingSocket()
    const socialWorker = new RecordingSocket()
    for (const frame of ['update', 'caret', 'saved']) {
      turnWrites.hold(parent)
      parent.write(frame)
      turnWrites.hold(socialWorker)
      socialWorker.write(frame)
    }
    expect(parent.writes).toEqual([])
    await endOfTurn()
    expect(parent.writes).toEqual([['update', 'caret', 'saved']])
    expect(socialWorker.writes).toEqual([['update', 'caret', 'saved']])
  })

  test('each turn is written on its own, and release sends what is held at once', async () => {
    const turnWrites = new TurnWrites()
    const parent = new RecordingSocket()
    turnWrites.hold(parent)
    parent.write('first turn')
    await endOfTurn()
    turnWrites.hold(parent)
    parent.write('second turn')
    turnWrites.release()
    expect(parent.writes).toEqual([['first turn'], ['second turn']])
    parent.write('not held')
    expect(parent.writes).toEqual([['first turn'], ['second turn'], ['not held']])
  })

  test('a socket that ends while held still sends what it was given', async () => {
    const turnWrites = new TurnWrites()
    const parent = new RecordingSocket()
    turnWrites.hold(parent)
    parent.write('last words')
    parent.end()
    await endOfTurn()
    expect(parent.writes).toEqual([['last words']])
    expect(() => { turnWrites.hold(parent) }).not.toThrow()
  })
})
