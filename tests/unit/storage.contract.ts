import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { isStorageError, type StorageErrorReason } from '../../server/storage/errors'
import type {
  NewConference,
  SealedScore,
  Storage,
  StoredAccount,
  StoredAmendment,
  StoredChildOutcome,
  StoredFeedback,
  StoredParticipant,
  StoredPasswordLink,
  StoredReferral,
  StoredSentDocument,
  StoredSession,
  UpdateJournal,
} from '../../server/storage/types'
import type { ParentPartnerOffer } from '../../shared/programmes/parentPartner'
import { listTree, removeTempDirs, tempDir } from '../helpers/tempDir'

/** One person typing into a conference note: every keystroke is one real Yjs update. */
export class Typist {
  readonly doc = new Y.Doc()
  readonly updates: Uint8Array[] = []
  private readonly text = this.doc.getText('notes')

  constructor() {
    this.doc.on('update', (update: Uint8Array) => this.updates.push(update))
  }

  /** Types one character at a time; returns the updates it made. */
  type(words: string): Uint8Array[] {
    const from = this.updates.length
    for (const character of words) this.text.insert(this.text.length, character)
    return this.updates.slice(from)
  }

  get state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc)
  }

  get content(): string {
    return this.text.toJSON()
  }
}

/** The note as a fresh document rebuilt from what storage returned. */
export function replay(stored: Uint8Array[]): string {
  const doc = new Y.Doc()
  for (const update of stored) Y.applyUpdate(doc, update)
  return doc.getText('notes').toJSON()
}

export async function appendAll(journal: UpdateJournal, updates: Uint8Array[]): Promise<void> {
  await Promise.all(updates.map((update) => journal.append(update)))
}

export async function expectStorageError(promise: Promise<unknown>, reason: StorageErrorReason): Promise<void> {
  const error: unknown = await promise.then(() => undefined, (rejection: unknown) => rejection)
  expect(isStorageError(error, reason), `expected StorageError '${reason}', got ${String(error)}`).toBe(true)
}

export const initialConference: NewConference = { title: 'Initial conference: the Example family', kind: 'uk-initial', date: '2026-11-23' }

/**
 * What every Storage must do. `makeStorage(dir)` opens storage over `dir`; called again with the
 * same dir (after close) it must see the same data, which is how "survives a restart" is tested.
 */
export function storageContract(name: string, makeStorage: (dir: string) => Promise<Storage>): void {
  describe(`storage contract: ${name}`, () => {
    let dir: string
    const opened: Storage[] = []
    const open = async (): Promise<Storage> => {
      const storage = await makeStorage(dir)
      opened.push(storage)
      return storage
    }
    /** Closes and opens again on the same data, as a server restart does. */
    const restart = async (storage: Storage): Promise<Storage> => {
      await storage.close()
      return open()
    }

    beforeEach(async () => {
      dir = await tempDir()
    })

    afterEach(async () => {
      for (const storage of opened.splice(0)) await storage.close()
      await removeTempDirs()
    })

    describe('conference catalog', () => {
      test('creates a conference and gets it back by id', async () => {
        const storage = await open()
        const before = Date.now()
        const conference = await storage.conferences.create(initialConference)
        expect(conference).toMatchObject({ ...initialConference, demo: false })
        expect(Date.parse(conference.createdAt)).toBeGreaterThanOrEqual(before - 1000)
        expect(conference.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
        expect(await storage.conferences.get(conference.id)).toEqual(conference)
        const demo = await storage.conferences.create({ ...initialConference, demo: true })
        expect(demo.demo).toBe(true)
      })

      test('lists conferences newest date first', async () => {
        const storage = await open()
        for (const date of ['2026-01-05', '2026-03-01', '2025-12-31', '2026-02-14']) {
          await storage.conferences.create({ ...initialConference, date, title: `Meeting ${date}` })
        }
        expect((await storage.conferences.list()).map((conference) => conference.date)).toEqual(['2026-03-01', '2026-02-14', '2026-01-05', '2025-12-31'])
      })

      test('ids are 16 random bytes in base64url: unguessable and unique', async () => {
        const storage = await open()
        const conferences = await Promise.all(Array.from({ length: 40 }, () => storage.conferences.create(initialConference)))
        const ids = conferences.map((conference) => conference.id)
        expect(new Set(ids).size).toBe(ids.length)
        for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
        expect(Buffer.from(ids[0]!, 'base64url')).toHaveLength(16)
        expect((await storage.conferences.list()).length).toBe(40)
      })

      test('get returns undefined for unknown and odd ids, never throws', async () => {
        const storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const odd = ['', 'x', '..', '../../etc/passwd', '__proto__', 'constructor', 'AAAAAAAAAAAAAAAAAAAAAA', id.toLowerCase() === id ? id.toUpperCase() : id.toLowerCase(), `${id}/`, ` ${id}`, 'é'.repeat(22), 'a'.repeat(100_000)]
        for (const candidate of odd) expect(await storage.conferences.get(candidate)).toBeUndefined()
      })

      test('refuses invalid new conferences and stores none of them', async () => {
        const storage = await open()
        await expectStorageError(storage.conferences.create({ ...initialConference, title: '  ' }), 'invalid-conference')
        await expectStorageError(storage.conferences.create({ ...initialConference, date: '2026-02-30' }), 'invalid-conference')
        await expectStorageError(storage.conferences.create({ ...initialConference, date: '23/11/2026' }), 'invalid-conference')
        await expectStorageError(storage.conferences.create({ ...initialConference, kind: 'uk-unknown' as NewConference['kind'] }), 'invalid-conference')
        expect(await storage.conferences.list()).toEqual([])
      })

      test('changes a conference’s title and date, and the change survives a restart', async () => {
        let storage = await open()
        const moved = await storage.conferences.create(initialConference)
        const other = await storage.conferences.create({ ...initialConference, date: '2026-12-01', title: 'Another family' })
        const later = await storage.conferences.update(moved.id, { date: '2026-12-14' })
        expect(later).toEqual({ ...moved, date: '2026-12-14' })
        const renamed = await storage.conferences.update(moved.id, { title: 'Initial conference: the Sample family' })
        expect(renamed).toEqual({ ...later, title: 'Initial conference: the Sample family' })
        expect(await storage.conferences.list()).toEqual([renamed, other])
        storage = await restart(storage)
        expect(await storage.conferences.get(moved.id)).toEqual(renamed)
        expect(await storage.conferences.get(other.id)).toEqual(other)
      })

      test('refuses a change to an unknown conference, or to an invalid value, and changes nothing', async () => {
        const storage = await open()
        const conference = await storage.conferences.create(initialConference)
        await expectStorageError(storage.conferences.update('AAAAAAAAAAAAAAAAAAAAAA', { date: '2026-12-01' }), 'conference-not-found')
        await expectStorageError(storage.conferences.update('../../etc/passwd', { date: '2026-12-01' }), 'conference-not-found')
        await expectStorageError(storage.conferences.update(conference.id, { date: '2026-02-30' }), 'invalid-conference')
        await expectStorageError(storage.conferences.update(conference.id, { title: ' ' }), 'invalid-conference')
        expect(await storage.conferences.list()).toEqual([conference])
      })

      test('conferences survive close and reopen', async () => {
        let storage = await open()
        const created = await storage.conferences.create(initialConference)
        const review = await storage.conferences.create({ title: 'Review', kind: 'uk-review', date: '2027-01-10' })
        storage = await restart(storage)
        expect(await storage.conferences.get(created.id)).toEqual(created)
        expect(await storage.conferences.list()).toEqual([review, created])
      })
    })

    describe('access records', () => {
      const account: StoredAccount = {
        id: 'account-1',
        name: 'Sam Chair',
        email: 'sam@example.org',
        admin: false,
        passwordHash: null,
        totp: null,
        disabled: false,
        createdAt: '2026-11-23T10:00:00.000Z',
      }
      const session: StoredSession = {
        id: 'session-hash',
        kind: 'account',
        subjectId: account.id,
        createdAt: '2026-11-23T10:00:00.000Z',
        lastSeenAt: '2026-11-23T10:00:00.000Z',
      }

      test('puts, replaces, lists and deletes records by id', async () => {
        const storage = await open()
        await storage.access.accounts.put(account)
        expect(storage.access.accounts.get(account.id)).toEqual(account)
        await storage.access.accounts.put({ ...account, name: 'Sam Jones' })
        expect(storage.access.accounts.all()).toEqual([{ ...account, name: 'Sam Jones' }])
        await storage.access.accounts.delete(account.id)
        expect(storage.access.accounts.get(account.id)).toBeUndefined()
        expect(storage.access.accounts.all()).toEqual([])
      })

      test('what it hands out is a copy: changing it changes nothing stored', async () => {
        const storage = await open()
        await storage.access.accounts.put(account)
        const got = storage.access.accounts.get(account.id)!
        got.admin = true
        expect(storage.access.accounts.get(account.id)?.admin).toBe(false)
        const [listed] = storage.access.accounts.all((stored) => stored.id === account.id)
        const found = storage.access.accounts.find((stored) => stored.id === account.id)
        listed!.name = 'Changed'
        found!.name = 'Changed too'
        expect(storage.access.accounts.get(account.id)?.name).toBe(account.name)
      })

      test('finds records matching a condition, as copies', async () => {
        const storage = await open()
        const other = { ...account, id: 'account-2', email: 'robin@example.org', name: 'Robin Lee', admin: true }
        await storage.access.accounts.put(account)
        await storage.access.accounts.put(other)
        expect(storage.access.accounts.all((stored) => stored.admin)).toEqual([other])
        expect(storage.access.accounts.all((stored) => stored.email.endsWith('.net'))).toEqual([])
        expect(storage.access.accounts.find((stored) => stored.email === other.email)).toEqual(other)
        expect(storage.access.accounts.find((stored) => stored.email === 'nobody@example.org')).toBeUndefined()
        expect(storage.access.accounts.some((stored) => stored.admin)).toBe(true)
        expect(storage.access.accounts.some((stored) => stored.disabled)).toBe(false)
      })

      test('records of every kind (sealed scores, amendments, documents sent and the programmes’ too) survive close and reopen', async () => {
        let storage = await open()
        const participant: StoredParticipant = {
          id: 'participant-1',
          conferenceId: 'conference-1',
          name: 'Alex Parent',
          role: 'parentOrCarer',
          accountId: null,
          invitation: { id: 'invitation-1', tokenHash: 't', codeHash: 'c', expiresAt: '2026-12-01T00:00:00.000Z', maxDevices: 3, devices: [], revoked: false },
          removed: false,
          createdAt: '2026-11-23T10:00:00.000Z',
        }
        const link: StoredPasswordLink = { id: 'link-hash', accountId: null, expiresAt: '2026-11-24T10:00:00.000Z' }
        const sealed: SealedScore = {
          id: 'conference-1/round-1/participant-1',
          conferenceId: 'conference-1',
          roundId: 'round-1',
          scorer: { participantId: 'participant-1', name: 'Alex Parent', role: 'parentOrCarer', enteredBy: null },
          score: { value: 6, reason: 'Grandma there every late shift.', at: '2026-11-23T10:05:00.000Z' },
        }
        const amendment: StoredAmendment = {
          id: 'amendment-1',
          conferenceId: 'conference-1',
          participantId: 'participant-1',
          at: '2026-11-24T09:00:00.000Z',
          by: 'Alex Parent',
          role: 'parentOrCarer',
          section: 'plan',
          text: 'Grandma covers Tuesdays, not Mondays.',
        }
        const sent: StoredSentDocument = {
          id: 'sent-1',
          conferenceId: 'conference-1',
          document: 'family.pdf',
          to: 'Zoë Łukasiewicz, by email',
          at: '2026-11-23T17:00:00.000Z',
          recordedBy: 'Sam Chair',
          recordedById: 'participant-2',
          recordedAt: '2026-11-23T17:01:00.000Z',
        }
        const referral: StoredReferral = {
          id: 'conference-1',
          concernRaisedAt: '2026-11-23T09:30:00-06:00',
          timeZone: 'America/Chicago',
          family: 'The Łukasiewicz family',
          children: ['Zoë'],
          serviceArea: 'Eastern',
          afterRemoval: true,
          facilitator: { name: 'Frankie', organisation: 'Mediation Services', independent: true },
          recordedAt: '2026-11-23T15:31:00.000Z',
        }
        const offer: ParentPartnerOffer = {
          id: 'offer-1', conferenceId: 'conference-1', parentName: 'Alex Parent', serviceArea: 'Eastern', alreadySupported: false, childRemoved: 'no',
          status: 'accepted', parentPartnerName: 'Pat Partner', offeredAt: '2026-11-23T16:00:00.000Z', answeredAt: '2026-11-24T09:00:00.000Z',
        }
        const outcome: StoredChildOutcome = { id: 'conference-1/child-1', conferenceId: 'conference-1', childId: 'child-1', staying: { afterConference: 'at-home', atSixMonths: 'with-someone-they-know' }, participation: null, updatedAt: '2027-05-23T10:00:00.000Z' }
        const feedback: StoredFeedback = { id: 'feedback-1', conferenceId: 'conference-1', answers: { listenedTo: 'yes', madeDifference: 'partly' }, words: 'Kinder than I feared.', shareWords: true }
        await Promise.all([
          storage.programmes.referrals.put(referral),
          storage.programmes.parentPartnerOffers.put(offer),
          storage.programmes.childOutcomes.put(outcome),
          storage.programmes.feedback.put(feedback),
          storage.programmes.feedbackGiven.put({ id: 'given-hash' }),
          storage.access.accounts.put(account),
          storage.access.participants.put(participant),
          storage.access.sessions.put(session),
          storage.access.passwordLinks.put(link),
          storage.sealedScores.put(sealed),
          storage.amendments.put(amendment),
          storage.sentDocuments.put(sent),
        ])
        storage = await restart(storage)
        expect(storage.sealedScores.all()).toEqual([sealed])
        expect(storage.amendments.all()).toEqual([amendment])
        expect(storage.sentDocuments.all()).toEqual([sent])
        expect(storage.programmes.referrals.all()).toEqual([referral])
        expect(storage.programmes.parentPartnerOffers.all()).toEqual([offer])
        expect(storage.programmes.childOutcomes.all()).toEqual([outcome])
        expect(storage.programmes.feedback.all()).toEqual([feedback])
        expect(storage.programmes.feedbackGiven.all()).toEqual([{ id: 'given-hash' }])
        expect(storage.access.accounts.all()).toEqual([account])
        expect(storage.access.participants.all()).toEqual([participant])
        expect(storage.access.sessions.all()).toEqual([session])
        expect(storage.access.passwordLinks.all()).toEqual([link])
      })

      test('writes issued together all land, in order', async () => {
        const storage = await open()
        await Promise.all(Array.from({ length: 20 }, (_, index) => storage.access.sessions.put({ ...session, id: `session-${index}` })))
        await storage.access.sessions.put({ ...session, id: 'session-3', subjectId: 'someone-else' })
        expect(storage.access.sessions.all()).toHaveLength(20)
        expect(storage.access.sessions.get('session-3')?.subjectId).toBe('someone-else')
      })

      test('updates made at once each change the record as stored then: none is lost', async () => {
        const storage = await open()
        await storage.access.accounts.put(account)
        const [named, made] = await Promise.all([
          storage.access.accounts.update(account.id, (current) => ({ ...current, name: 'Sam Jones' })),
          storage.access.accounts.update(account.id, (current) => ({ ...current, admin: true })),
        ])
        expect(named).toEqual({ ...account, name: 'Sam Jones' })
        expect(made).toEqual({ ...account, name: 'Sam Jones', admin: true })
        expect(storage.access.accounts.get(account.id)).toEqual({ ...account, name: 'Sam Jones', admin: true })
      })

      test('an update of a record deleted meanwhile writes nothing; one that throws changes nothing', async () => {
        const storage = await open()
        await storage.access.sessions.put(session)
        const [, late] = await Promise.all([
          storage.access.sessions.delete(session.id),
          storage.access.sessions.update(session.id, (current) => ({ ...current, lastSeenAt: '2026-11-23T10:05:00.000Z' })),
        ])
        expect(late).toBeUndefined()
        expect(storage.access.sessions.all()).toEqual([])

        await storage.access.accounts.put(account)
        const refused = storage.access.accounts.update(account.id, (current) => {
          current.name = 'Half changed'
          throw new Error('not allowed')
        })
        await expect(refused).rejects.toThrow('not allowed')
        expect(storage.access.accounts.get(account.id)).toEqual(account)
      })

      test('refuses writes after close', async () => {
        const storage = await open()
        await storage.close()
        await expectStorageError(storage.access.accounts.put(account), 'closed')
      })
    })

    describe('update journal', () => {
      test('an unknown conference id is refused and creates nothing on disk', async () => {
        const storage = await open()
        await storage.conferences.create(initialConference)
        const before = await listTree(dir)
        for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', '../../escape', '..', '', 'conferences', '__proto__', '%2e%2e%2fx']) {
          await expectStorageError(storage.openJournal(id), 'conference-not-found')
        }
        expect(await listTree(dir)).toEqual(before)
      })

      test('a new conference loads empty', async () => {
        const storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const journal = await storage.openJournal(id)
        expect(await journal.load()).toEqual([])
        expect(journal.recordsSinceCompaction).toBe(0)
        expect(journal.bytesSinceCompaction).toBe(0)
      })

      test('appended updates come back in order after reopen and rebuild the same document', async () => {
        let storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typist = new Typist()
        const updates = typist.type('Grandma looks after Sam on late shifts.')
        let journal = await storage.openJournal(id)
        for (const update of updates) await journal.append(update)
        expect(journal.recordsSinceCompaction).toBe(updates.length)
        expect(journal.bytesSinceCompaction).toBeGreaterThanOrEqual(updates.reduce((sum, update) => sum + update.byteLength, 0))
        await journal.close()

        storage = await restart(storage)
        journal = await storage.openJournal(id)
        const stored = await journal.load()
        expect(stored.map((update) => [...update])).toEqual(updates.map((update) => [...update]))
        expect(replay(stored)).toBe(typist.content)
        expect(journal.recordsSinceCompaction).toBe(updates.length)
      })

      test('load sees what was appended since the journal was opened', async () => {
        const storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typist = new Typist()
        const journal = await storage.openJournal(id)
        await appendAll(journal, typist.type('Mum works late.'))
        expect(replay(await journal.load())).toBe('Mum works late.')
        await appendAll(journal, typist.type(' School is every day.'))
        expect(replay(await journal.load())).toBe(typist.content)
      })

      test('compact, then more appends, then reload gives the full content', async () => {
        let storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typist = new Typist()
        let journal = await storage.openJournal(id)
        await appendAll(journal, typist.type('Danger statement: Sam could be left alone. '))
        await journal.compact(typist.state)
        expect(journal.recordsSinceCompaction).toBe(0)
        expect(journal.bytesSinceCompaction).toBe(0)
        const after = typist.type('Safety goal: an agreed adult is always there.')
        await appendAll(journal, after)
        expect(journal.recordsSinceCompaction).toBe(after.length)
        await journal.close()

        storage = await restart(storage)
        journal = await storage.openJournal(id)
        const stored = await journal.load()
        expect(stored).toHaveLength(1 + after.length)
        expect(replay(stored)).toBe(typist.content)
      })

      test('compact is ordered with appends: earlier ones are covered, later ones go to the new journal', async () => {
        let storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typist = new Typist()
        let journal = await storage.openJournal(id)
        const before = typist.type('Existing strengths: ')
        const appendedBefore = before.map((update) => journal.append(update))
        const compacted = journal.compact(typist.state)
        const later = typist.type('warm with Mum.')
        const appendedAfter = later.map((update) => journal.append(update))
        await Promise.all([...appendedBefore, compacted, ...appendedAfter])
        expect(journal.recordsSinceCompaction).toBe(later.length)
        const stored = await journal.load()
        expect(stored).toHaveLength(1 + later.length)
        expect(replay(stored)).toBe(typist.content)
        await journal.close()

        storage = await restart(storage)
        journal = await storage.openJournal(id)
        expect(replay(await journal.load())).toBe('Existing strengths: warm with Mum.')
      })

      test('compacting again and again keeps everything', async () => {
        let storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typist = new Typist()
        let journal = await storage.openJournal(id)
        for (let round = 0; round < 5; round++) {
          await appendAll(journal, typist.type(`round ${round}; `))
          await journal.compact(typist.state)
        }
        await appendAll(journal, typist.type('end'))
        await journal.close()
        storage = await restart(storage)
        journal = await storage.openJournal(id)
        expect(replay(await journal.load())).toBe(typist.content)
      })

      test('many concurrent appends all resolve and all come back', async () => {
        let storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typists = [new Typist(), new Typist(), new Typist()]
        let journal = await storage.openJournal(id)
        const updates = typists.flatMap((typist, index) => typist.type(`typist ${index} `.repeat(40)))
        await appendAll(journal, updates)
        await journal.close()

        storage = await restart(storage)
        journal = await storage.openJournal(id)
        const stored = await journal.load()
        expect(stored).toHaveLength(updates.length)
        const rebuilt = new Y.Doc()
        for (const update of stored) Y.applyUpdate(rebuilt, update)
        const expected = new Y.Doc()
        for (const typist of typists) Y.applyUpdate(expected, typist.state)
        expect(rebuilt.getText('notes').toJSON()).toBe(expected.getText('notes').toJSON())
      })

      test('flushed() waits for every append made so far', async () => {
        const storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const journal = await storage.openJournal(id)
        let resolved = 0
        for (const update of new Typist().type('Next steps: agree a rota.')) {
          void journal.append(update).then(() => resolved++)
        }
        await journal.flushed()
        expect(resolved).toBe('Next steps: agree a rota.'.length)
        await journal.flushed()
      })

      test('close() waits for pending appends; later appends are refused', async () => {
        let storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typist = new Typist()
        let journal = await storage.openJournal(id)
        const pending = typist.type('Complicating factors: childminder stopped.').map((update) => journal.append(update))
        await journal.close()
        await Promise.all(pending)
        await expectStorageError(journal.append(typist.type('!')[0]!), 'closed')

        storage = await restart(storage)
        journal = await storage.openJournal(id)
        expect(replay(await journal.load())).toBe('Complicating factors: childminder stopped.')
      })

      test('storage.close() closes open journals after their writes', async () => {
        let storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const typist = new Typist()
        const journal = await storage.openJournal(id)
        const pending = typist.type('Family goal: Sam stays at home.').map((update) => journal.append(update))
        await storage.close()
        await Promise.all(pending)
        await expectStorageError(journal.append(typist.type('.')[0]!), 'closed')
        await expectStorageError(storage.openJournal(id), 'closed')

        storage = await open()
        expect(replay(await (await storage.openJournal(id)).load())).toBe('Family goal: Sam stays at home.')
      })

      test('one open journal per conference; it opens again once closed', async () => {
        const storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const other = await storage.conferences.create(initialConference)
        const journal = await storage.openJournal(id)
        await expectStorageError(storage.openJournal(id), 'journal-busy')
        const otherJournal = await storage.openJournal(other.id)
        await journal.append(new Typist().type('a')[0]!)
        await journal.close()
        const again = await storage.openJournal(id)
        expect(replay(await again.load())).toBe('a')
        expect(await otherJournal.load()).toEqual([])
      })

      test('conferences keep separate journals', async () => {
        let storage = await open()
        const first = await storage.conferences.create(initialConference)
        const second = await storage.conferences.create({ ...initialConference, kind: 'us-csc-initial' })
        const [firstTypist, secondTypist] = [new Typist(), new Typist()]
        const [firstJournal, secondJournal] = await Promise.all([storage.openJournal(first.id), storage.openJournal(second.id)])
        await Promise.all([appendAll(firstJournal, firstTypist.type('first family')), appendAll(secondJournal, secondTypist.type('second family'))])
        storage = await restart(storage)
        expect(replay(await (await storage.openJournal(first.id)).load())).toBe('first family')
        expect(replay(await (await storage.openJournal(second.id)).load())).toBe('second family')
      })

      test('refuses an empty update', async () => {
        const storage = await open()
        const { id } = await storage.conferences.create(initialConference)
        const journal = await storage.openJournal(id)
        await expectStorageError(journal.append(new Uint8Array()), 'invalid-update')
        expect(journal.recordsSinceCompaction).toBe(0)
      })
    })
  })
}
