import { constants } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createLogger, type Logger } from '../../server/log'
import { openEmbeddedStorage, type CompactionStep, type EmbeddedStorageOptions, type SyncTarget } from '../../server/storage/embedded'
import { encodeRecord } from '../../server/storage/records'
import type { Storage, StoredFeedback, UpdateJournal } from '../../server/storage/types'
import { listTree, removeTempDirs, tempDir } from '../helpers/tempDir'
import { appendAll, expectStorageError, initialConference, replay, storageContract, Typist } from './storage.contract'

const quiet = createLogger('silent')

/** The flags this process opened `file` with, from Linux's /proc/self/fdinfo. */
async function openFlagsOf(file: string): Promise<number> {
  for (const fd of await fs.readdir('/proc/self/fd')) {
    const target = await fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')
    if (target !== file) continue
    const info = await fs.readFile(`/proc/self/fdinfo/${fd}`, 'utf8')
    const octal = /^flags:\s*([0-7]+)$/m.exec(info)?.[1]
    if (octal !== undefined) return parseInt(octal, 8)
  }
  throw new Error(`${file} is not open`)
}

const hasDsync = (flags: number): boolean => (flags & constants.O_DSYNC) !== 0

storageContract('embedded (lowdb + journal files)', (dir) => openEmbeddedStorage(dir, { log: quiet }))

interface LogLine {
  level: string
  event: string
  [field: string]: unknown
}

describe('embedded storage', () => {
  let dir: string
  let logLines: LogLine[]
  let log: Logger
  const opened: Storage[] = []
  /** Storages frozen mid-compaction, like a dead process, and how to let them go once the test is over. */
  const frozen: (() => void)[] = []

  const open = async (options: EmbeddedStorageOptions = {}): Promise<Storage> => {
    const storage = await openEmbeddedStorage(dir, { log, ...options })
    opened.push(storage)
    return storage
  }

  /** Storage whose syncs of one file fail while `disk.full` is true. */
  const openWithFailingSyncs = async (failing: SyncTarget): Promise<{ storage: Storage; disk: { full: boolean } }> => {
    const disk = { full: false }
    const storage = await open({
      hooks: {
        beforeSync: (target) => {
          if (target === failing && disk.full) throw new Error('disk full')
        },
      },
    })
    return { storage, disk }
  }

  /** A conference with an open journal and a typist whose keystrokes are stored. */
  const conferenceWithJournal = async (storage: Storage): Promise<{ id: string; journal: UpdateJournal; conferenceDir: string; typist: Typist }> => {
    const { id } = await storage.conferences.create(initialConference)
    const journal = await storage.openJournal(id)
    return { id, journal, conferenceDir: path.join(dir, 'conferences', id), typist: new Typist() }
  }

  beforeEach(async () => {
    dir = await tempDir()
    logLines = []
    log = createLogger('debug', (line) => logLines.push(JSON.parse(line) as LogLine))
  })

  afterEach(async () => {
    // A frozen storage finishes its compaction now, in a directory about to be removed, and closes
    // its files: left to the garbage collector they would be closed with a warning.
    for (const thaw of frozen.splice(0)) thaw()
    await Promise.all(opened.splice(0).map((storage) => storage.close()))
    await removeTempDirs()
  })

  describe('group commit', () => {
    test('200 appends issued in one tick share one fsync', async () => {
      const syncs: SyncTarget[] = []
      const storage = await open({ hooks: { beforeSync: (target) => syncs.push(target) } })
      const { journal, typist } = await conferenceWithJournal(storage)
      const updates = typist.type('x'.repeat(200))
      syncs.length = 0
      await appendAll(journal, updates)
      // The writer starts on the next microtask, so the whole tick is one batch.
      expect(syncs.filter((target) => target === 'journal')).toHaveLength(1)
      expect(replay(await journal.load())).toBe(typist.content)
    })

    test('the journal file is open for durable writes (O_DSYNC), before and after compaction', async () => {
      const storage = await open()
      const { journal, typist, conferenceDir } = await conferenceWithJournal(storage)
      await appendAll(journal, typist.type('before'))
      expect(await openFlagsOf(path.join(conferenceDir, 'journal-0.log'))).toSatisfy(hasDsync)
      await journal.compact(typist.state)
      await appendAll(journal, typist.type(' after'))
      expect(await openFlagsOf(path.join(conferenceDir, 'journal-1.log'))).toSatisfy(hasDsync)
      expect(replay(await journal.load())).toBe(typist.content)
    })

    test('appends arriving while an fsync runs form the next batch', async () => {
      let journalSyncs = 0
      let during: Promise<void>[] = []
      const live: { journal?: UpdateJournal } = {}
      const typist = new Typist()
      const storage = await open({
        hooks: {
          beforeSync: (target) => {
            if (target !== 'journal') return
            journalSyncs++
            const { journal } = live
            if (journalSyncs === 1 && journal) during = typist.type('y'.repeat(100)).map((update) => journal.append(update))
          },
        },
      })
      const { journal } = await conferenceWithJournal(storage)
      live.journal = journal
      await journal.append(typist.type('x')[0]!)
      await Promise.all(during)
      expect(during).toHaveLength(100)
      expect(journalSyncs).toBe(2)
      expect(replay(await journal.load())).toBe(typist.content)
    })

    test('a failed fsync rejects its whole batch and everything after; reopening keeps what was acknowledged', async () => {
      let failJournalSync = false
      const storage = await open({
        hooks: {
          beforeSync: (target) => {
            if (failJournalSync && target === 'journal') throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
          },
        },
      })
      const { id, journal, typist } = await conferenceWithJournal(storage)
      await appendAll(journal, typist.type('acknowledged. '))
      failJournalSync = true
      const failed = typist.type('lost?').map((update) => journal.append(update))
      for (const append of failed) await expectStorageError(append, 'write-failed')
      await expectStorageError(journal.append(typist.type('!')[0]!), 'write-failed')
      await expectStorageError(journal.flushed(), 'write-failed')
      await expectStorageError(journal.compact(typist.state), 'write-failed')
      expect(logLines.filter((line) => line.event === 'storage.journal-failed')).toHaveLength(1)
      await journal.close()

      const reopened = await (await open()).openJournal(id)
      expect(replay(await reopened.load()).startsWith('acknowledged. ')).toBe(true)
    })
  })

  describe('torn final record (crash mid-write)', () => {
    const typed = 'Past harm: Sam was left alone for two hours.'
    const validUpdate = new Typist().type('z')[0]!
    const damagedRecord = Buffer.from(encodeRecord(validUpdate))
    damagedRecord[damagedRecord.length - 1]! ^= 0xff
    const absurdLength = Buffer.alloc(24)
    absurdLength.writeUInt32LE(0xfffffff0, 0)
    const promisesMore = Buffer.alloc(18)
    promisesMore.writeUInt32LE(100, 0)

    test.each([
      ['a partial header', Buffer.from([7, 0, 0])],
      ['a header promising more payload than is there', promisesMore],
      ['a final record cut short mid-payload', encodeRecord(validUpdate).subarray(0, encodeRecord(validUpdate).length - 2)],
      ['a bad CRC on a whole final record', damagedRecord],
      ['an absurd length (> 64 MiB)', absurdLength],
      ['a zero-filled tail', Buffer.alloc(4096)],
      ['a valid record after garbage (one unsynced batch, pages landed out of order)', Buffer.concat([Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), encodeRecord(validUpdate)])],
    ])('%s is cut off with one warning, keeping every record before it', async (_name, garbage) => {
      const storage = await open()
      const { id, journal, conferenceDir, typist } = await conferenceWithJournal(storage)
      const updates = typist.type(typed)
      await appendAll(journal, updates)
      await journal.close()
      await storage.close()
      const journalFile = path.join(conferenceDir, 'journal-0.log')
      const intactBytes = (await fs.stat(journalFile)).size
      await fs.appendFile(journalFile, garbage)

      const reopened = await open()
      const recovered = await reopened.openJournal(id)
      const stored = await recovered.load()
      expect(stored).toHaveLength(updates.length)
      expect(replay(stored)).toBe(typed)
      expect((await fs.stat(journalFile)).size).toBe(intactBytes)
      const warnings = logLines.filter((line) => line.level === 'warn')
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatchObject({ event: 'storage.journal-torn-tail-truncated', conferenceId: id, keptRecords: updates.length, discardedBytes: garbage.length })
      // The cut bytes are kept aside, not destroyed.
      expect(await fs.readFile(path.join(conferenceDir, `torn-0-${intactBytes}.bin`))).toEqual(Buffer.from(garbage))

      // Appending after recovery lands after the last good record, and the next open is clean.
      await appendAll(recovered, typist.type(' Now recorded.'))
      await reopened.close()
      const again = await (await open()).openJournal(id)
      expect(replay(await again.load())).toBe(`${typed} Now recorded.`)
      expect(logLines.filter((line) => line.level === 'warn')).toHaveLength(1)
    })
  })

  describe('crash during compaction', () => {
    const steps: CompactionStep[] = ['snapshot-tmp-synced', 'snapshot-installed', 'journal-created', 'old-generation-removed']

    test.each(steps)('a process that dies after %s loses nothing', async (crashAfter) => {
      let reached: () => void = () => undefined
      const crashed = new Promise<void>((resolve) => (reached = resolve))
      let armed = false
      const dying = await open({
        hooks: {
          onCompactionStep: (step) => {
            if (!armed || step !== crashAfter) return
            reached()
            // The writer stops here until the test is over: the disk stays exactly as the crash left it.
            return new Promise<void>((resolve) => frozen.push(resolve))
          },
        },
      })
      const { id, journal, conferenceDir, typist } = await conferenceWithJournal(dying)
      // Two generations deep, so an older snapshot is also in play.
      await appendAll(journal, typist.type('First compaction. '))
      await journal.compact(typist.state)
      await appendAll(journal, typist.type('Acknowledged before the crash.'))
      const acknowledged = typist.content
      armed = true
      // Both fail once the test is over and the frozen writer goes on where another process has since written.
      journal.compact(typist.state).catch(() => undefined)
      let neverAcknowledged = false
      // Another person's keystroke, queued behind the compaction: never acknowledged, so never promised.
      journal.append(new Typist().type('?')[0]!).then(() => (neverAcknowledged = true), () => undefined)
      await crashed
      expect(neverAcknowledged).toBe(false)

      // A new process opens the same directory.
      const restarted = await open()
      const recovered = await restarted.openJournal(id)
      expect(replay(await recovered.load())).toBe(acknowledged)
      const files = (await fs.readdir(conferenceDir)).sort()
      expect(files).toEqual(crashAfter === 'snapshot-tmp-synced' ? ['journal-1.log', 'snapshot-1.bin'] : ['journal-2.log', 'snapshot-2.bin'])

      await appendAll(recovered, typist.type(' And after.'))
      await restarted.close()
      const again = await (await open()).openJournal(id)
      expect(replay(await again.load())).toBe(`${acknowledged} And after.`)
    })

    test('a half-written snapshot tmp file is never picked, and is removed', async () => {
      const storage = await open()
      const { id, journal, conferenceDir, typist } = await conferenceWithJournal(storage)
      await appendAll(journal, typist.type('Only in the journal.'))
      await storage.close()
      await fs.writeFile(path.join(conferenceDir, 'snapshot-1.bin.tmp'), encodeRecord(typist.state).subarray(0, 10))

      const recovered = await (await open()).openJournal(id)
      expect(replay(await recovered.load())).toBe('Only in the journal.')
      expect(await fs.readdir(conferenceDir)).toEqual(['journal-0.log'])
    })

    test('a failed snapshot write fails only that compaction; the journal keeps working', async () => {
      let failSnapshot = true
      const storage = await open({
        hooks: {
          beforeSync: (target) => {
            if (failSnapshot && target === 'snapshot') throw new Error('ENOSPC: no space left on device')
          },
        },
      })
      const { id, journal, conferenceDir, typist } = await conferenceWithJournal(storage)
      await appendAll(journal, typist.type('Before. '))
      await expectStorageError(journal.compact(typist.state), 'write-failed')
      expect(await fs.readdir(conferenceDir)).toEqual(['journal-0.log'])
      await appendAll(journal, typist.type('After.'))
      failSnapshot = false
      await journal.compact(typist.state)
      await storage.close()
      expect(replay(await (await (await open()).openJournal(id)).load())).toBe('Before. After.')
    })

    test('a damaged installed snapshot is refused rather than loaded partly', async () => {
      const storage = await open()
      const { id, journal, conferenceDir, typist } = await conferenceWithJournal(storage)
      await appendAll(journal, typist.type('Compacted.'))
      await journal.compact(typist.state)
      await storage.close()
      const snapshot = path.join(conferenceDir, 'snapshot-1.bin')
      const bytes = await fs.readFile(snapshot)
      bytes[bytes.length - 1]! ^= 0x01
      await fs.writeFile(snapshot, bytes)
      await expectStorageError((await open()).openJournal(id), 'corrupt')
    })

    test('a journal newer than every snapshot is refused rather than guessed at', async () => {
      const storage = await open()
      const { id, journal, conferenceDir, typist } = await conferenceWithJournal(storage)
      await appendAll(journal, typist.type('Text.'))
      await storage.close()
      await fs.writeFile(path.join(conferenceDir, 'journal-3.log'), '')
      await expectStorageError((await open()).openJournal(id), 'corrupt')
    })
  })

  describe('catalog (lowdb)', () => {
    test('is real JSON on disk, with a version, synced before create resolves', async () => {
      const syncs: SyncTarget[] = []
      const storage = await open({ hooks: { beforeSync: (target) => syncs.push(target) } })
      syncs.length = 0
      const conference = await storage.conferences.create(initialConference)
      expect(syncs.filter((target) => target === 'catalog')).toHaveLength(1)
      const onDisk = JSON.parse(await fs.readFile(path.join(dir, 'safetymap.json'), 'utf8')) as unknown
      expect(onDisk).toEqual({ version: 1, conferences: [conference] })
    })

    test('a change that could not be written is refused and taken back: the old date stays, in memory and on disk', async () => {
      const { storage, disk } = await openWithFailingSyncs('catalog')
      const conference = await storage.conferences.create(initialConference)
      disk.full = true
      await expectStorageError(storage.conferences.update(conference.id, { date: '2026-12-14' }), 'write-failed')
      await expectStorageError(storage.conferences.create({ ...initialConference, title: 'Never stored' }), 'write-failed')
      expect(await storage.conferences.list()).toEqual([conference])
      disk.full = false
      expect(await storage.conferences.update(conference.id, { title: 'Renamed' })).toEqual({ ...conference, title: 'Renamed' })
      await storage.close()
      expect(await (await open()).conferences.list()).toEqual([{ ...conference, title: 'Renamed' }])
    })

    test('metadata survives reopen', async () => {
      const storage = await open()
      const conference = await storage.conferences.create({ ...initialConference, demo: true })
      await storage.close()
      expect(await (await open()).conferences.list()).toEqual([conference])
    })

    test('an unreadable catalog is refused and left exactly as it was', async () => {
      const damaged = '{"version":1,"conferences":[{"id":'
      await fs.writeFile(path.join(dir, 'safetymap.json'), damaged)
      await expectStorageError(openEmbeddedStorage(dir, { log }), 'corrupt')
      expect(await fs.readFile(path.join(dir, 'safetymap.json'), 'utf8')).toBe(damaged)
    })

    test('a catalog with an invalid entry is refused', async () => {
      await fs.writeFile(path.join(dir, 'safetymap.json'), JSON.stringify({ version: 1, conferences: [{ id: '../escape', title: 't', kind: 'uk-initial', date: '2026-01-01', createdAt: '2026-01-01T00:00:00.000Z', demo: false }] }))
      await expectStorageError(openEmbeddedStorage(dir, { log }), 'corrupt')
    })

    test('a catalog from a newer version is refused', async () => {
      await fs.writeFile(path.join(dir, 'safetymap.json'), JSON.stringify({ version: 2, conferences: [] }))
      await expectStorageError(openEmbeddedStorage(dir, { log }), 'unsupported-version')
    })

    test('programmes stored by version 1 are read, without the name or day of a parent’s feedback, and no longer in the order given', async () => {
      const answer = (id: string): StoredFeedback => ({ id, conferenceId: 'conference-1', answers: { listenedTo: 'yes' }, words: 'Kind.', shareWords: true })
      const versionOne = {
        version: 1, referrals: [], parentPartnerOffers: [], childOutcomes: [],
        feedback: [{ ...answer('feedback-b'), day: '2026-11-23', name: 'Maria Diaz' }, { ...answer('feedback-a'), day: '2026-11-24', name: null }],
        feedbackGiven: [{ id: 'given-z' }, { id: 'given-y' }],
      }
      await fs.writeFile(path.join(dir, 'programmes.json'), JSON.stringify(versionOne))
      const storage = await open()
      expect(storage.programmes.feedback.all()).toEqual([answer('feedback-a'), answer('feedback-b')])
      expect(storage.programmes.feedbackGiven.all()).toEqual([{ id: 'given-y' }, { id: 'given-z' }])
      // On disk at once, not only at the next change: the names are gone from the file itself.
      const onDisk = await fs.readFile(path.join(dir, 'programmes.json'), 'utf8')
      expect(JSON.parse(onDisk)).toMatchObject({ version: 2, feedback: [answer('feedback-a'), answer('feedback-b')] })
      expect(onDisk).not.toContain('Maria Diaz')
      // New ones go in id order too, not at the end: an answer's place never matches its mark's.
      await storage.programmes.feedbackGiven.put({ id: 'given-a' })
      await storage.programmes.feedback.put(answer('feedback-0'))
      expect(storage.programmes.feedbackGiven.all().map((mark) => mark.id)).toEqual(['given-a', 'given-y', 'given-z'])
      expect(storage.programmes.feedback.all().map((stored) => stored.id)).toEqual(['feedback-0', 'feedback-a', 'feedback-b'])
    })

    test('creating a data dir that does not exist yet', async () => {
      const nested = path.join(dir, 'not', 'yet')
      const storage = await openEmbeddedStorage(nested, { log })
      opened.push(storage)
      await storage.conferences.create(initialConference)
      expect(await listTree(nested)).toContain('safetymap.json')
    })
  })

  describe('access file (lowdb)', () => {
    const account = {
      id: 'account-1',
      name: 'Sam Chair',
      email: 'sam@example.org',
      admin: true,
      passwordHash: null,
      totp: null,
      disabled: false,
      createdAt: '2026-11-23T10:00:00.000Z',
    }

    test('a failed write is refused and taken back: memory and disk still agree', async () => {
      const { storage, disk } = await openWithFailingSyncs('access')
      await storage.access.accounts.put(account)
      disk.full = true
      await expectStorageError(storage.access.accounts.put({ ...account, id: 'account-2' }), 'write-failed')
      expect(storage.access.accounts.all()).toEqual([account])
      disk.full = false
      await storage.close()
      expect((await open()).access.accounts.all()).toEqual([account])
    })

    test('an unreadable access file is refused and left exactly as it was', async () => {
      const damaged = '{"version":1,"accounts":['
      await fs.writeFile(path.join(dir, 'access.json'), damaged)
      await expectStorageError(openEmbeddedStorage(dir, { log }), 'corrupt')
      expect(await fs.readFile(path.join(dir, 'access.json'), 'utf8')).toBe(damaged)
    })
  })

  describe('conference directories', () => {
    test('made by create; reads and refused opens make none', async () => {
      const storage = await open()
      const conference = await storage.conferences.create(initialConference)
      expect(await fs.readdir(path.join(dir, 'conferences'))).toEqual([conference.id])
      await storage.conferences.get('AAAAAAAAAAAAAAAAAAAAAA')
      await expectStorageError(storage.openJournal('AAAAAAAAAAAAAAAAAAAAAA'), 'conference-not-found')
      expect(await fs.readdir(path.join(dir, 'conferences'))).toEqual([conference.id])
    })

    test('made on first open if an existing conference lost it', async () => {
      const storage = await open()
      const { id } = await storage.conferences.create(initialConference)
      await fs.rm(path.join(dir, 'conferences', id), { recursive: true })
      const journal = await storage.openJournal(id)
      await appendAll(journal, new Typist().type('ok'))
      expect(await fs.readdir(path.join(dir, 'conferences', id))).toEqual(['journal-0.log'])
    })
  })
})
