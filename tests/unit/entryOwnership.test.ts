import { describe, expect, test } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { migrateConference } from '../../shared/conference/migrations'
import { CLIENT_WRITABLE_ROOT_NAMES, ENTRY_LIST_ROOT_NAMES } from '../../shared/conference/schema'
import { writeScoringRound } from '../../shared/conference/scores'
import { VIEWS_ROOT } from '../../shared/conference/views'
import type { Writer } from '../../server/documents/entryOwnership'
import { refusalOf, type UpdateRejection } from '../../server/documents/updateGuard'

const mum: Writer = { authorId: 'mum', role: 'parentOrCarer' }
const gran: Writer = { authorId: 'gran', role: 'familyNetwork' }
const socialWorker: Writer = { authorId: 'priya', role: 'socialWorker' }
const chair: Writer = { authorId: 'chair', role: 'chair' }
const noteTaker: Writer = { authorId: 'nadia', role: 'noteTaker' }

/**
 * A conference as the server holds it. `as(writer, change)` makes the change on a client that is
 * in sync, checks the update as the server would and, when it passes, applies it: the verdict.
 */
function conference() {
  const server = new Y.Doc()
  migrateConference(server)
  const updateOf = (change: (record: ReturnType<typeof conferenceRecord>, client: Y.Doc) => void, clientId?: number): Uint8Array => {
    const client = new Y.Doc()
    if (clientId !== undefined) client.clientID = clientId
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const updates: Uint8Array[] = []
    client.on('update', (update: Uint8Array) => updates.push(update))
    change(conferenceRecord(client), client)
    return Y.mergeUpdates(updates)
  }
  const check = (writer: Writer, update: Uint8Array): UpdateRejection | null => {
    const rejection = refusalOf(update, server, CLIENT_WRITABLE_ROOT_NAMES, writer)
    if (rejection === null) Y.applyUpdate(server, update)
    return rejection
  }
  return {
    server,
    record: conferenceRecord(server),
    updateOf,
    as: (writer: Writer, change: (record: ReturnType<typeof conferenceRecord>, client: Y.Doc) => void) => check(writer, updateOf(change)),
    check,
  }
}

/** The map's Past harm sub-section holds one worry from each of these writers; returns their ids. */
function withWorries(room: ReturnType<typeof conference>, ...writers: Writer[]): string[] {
  return writers.map((writer) => {
    let id = ''
    expect(room.as(writer, (record) => { id = record.map.section('pastHarm').add(writer.authorId, { text: { text: `${writer.authorId}'s worry` } }).id })).toBeNull()
    return id
  })
}

describe('who may remove an entry', () => {
  test('everyone who writes removes what they wrote; only professionals remove what someone else wrote', () => {
    const room = conference()
    const [mumsWorry, gransWorry, priyasWorry] = withWorries(room, mum, gran, socialWorker)
    const pastHarm = room.record.map.section('pastHarm')

    expect(room.as(mum, (record) => record.map.section('pastHarm').remove(priyasWorry!))).toBe('not-yours')
    expect(room.as(mum, (record) => record.map.section('pastHarm').remove(gransWorry!))).toBe('not-yours')
    expect(pastHarm.entries().map((entry) => entry.authorId)).toEqual(['mum', 'gran', 'priya'])

    expect(room.as(mum, (record) => record.map.section('pastHarm').remove(mumsWorry!))).toBeNull()
    expect(room.as(socialWorker, (record) => record.map.section('pastHarm').remove(gransWorry!))).toBeNull()
    expect(pastHarm.entries().map((entry) => entry.authorId)).toEqual(['priya'])

    // Every list of entries keeps to the same rule: the children, the network, the plan, the actions...
    let action = ''
    expect(room.as(noteTaker, (record) => { action = record.actions.add('nadia', { text: { what: 'Call the school' } }).id })).toBeNull()
    expect(room.as(mum, (record) => record.actions.remove(action))).toBe('not-yours')
    expect(room.as(gran, (record) => { record.network.people.add('gran', { fields: { name: 'Auntie Jo' } }) })).toBeNull()
    expect(room.as(gran, (record) => record.network.people.remove(record.network.people.entries()[0]!.id))).toBeNull()
  })

  test('a danger statement goes by the chair’s or note-taker’s hand, or its author’s until it has been scored', () => {
    const room = conference()
    const pairOf = (writer: Writer): string => {
      let id = ''
      expect(room.as(writer, (record) => { id = record.dangerStatements.add(writer.authorId, { text: { dangerStatement: 'Worry', safetyGoal: 'Goal' } }).id })).toBeNull()
      return id
    }
    const removing = (id: string) => (record: ReturnType<typeof conferenceRecord>) => record.dangerStatements.remove(id)

    const mumsPair = pairOf(mum)
    expect(room.as(socialWorker, removing(mumsPair))).toBe('not-yours')
    expect(room.as(mum, removing(mumsPair))).toBeNull()

    const priyasPair = pairOf(socialWorker)
    expect(room.as(mum, removing(priyasPair))).toBe('not-yours')
    writeScoringRound(room.server, { id: 'round-1', scale: { kind: 'dangerStatement', pairId: priyasPair }, openedAt: new Date().toISOString(), scored: [], revealedAt: new Date().toISOString(), scores: [] })
    // Scored, it is the meeting's: not even the person who wrote it takes it out alone.
    expect(room.as(socialWorker, removing(priyasPair))).toBe('not-yours')
    expect(room.as(noteTaker, removing(priyasPair))).toBeNull()
    expect(room.as(chair, removing(pairOf(mum)))).toBeNull()
    expect(room.record.dangerStatements.size).toBe(0)
  })

  test('nobody removes a danger statement while its scale is being scored: its panel holds the only Show and Stop buttons of the round', () => {
    const room = conference()
    let pairId = ''
    expect(room.as(chair, (record) => { pairId = record.dangerStatements.add('chair', { text: { dangerStatement: 'Worry', safetyGoal: 'Goal' } }).id })).toBeNull()
    const round = { id: 'round-1', scale: { kind: 'dangerStatement' as const, pairId }, openedAt: new Date().toISOString(), scored: [], revealedAt: null, scores: [] }
    writeScoringRound(room.server, round)
    const removing = (record: ReturnType<typeof conferenceRecord>) => record.dangerStatements.remove(pairId)
    expect(room.as(chair, removing)).toBe('not-yours')
    expect(room.as(noteTaker, removing)).toBe('not-yours')
    expect(room.record.dangerStatements.size).toBe(1)
    // Once the round is stopped (or shown), the chair may.
    writeScoringRound(room.server, { ...round, cancelledAt: new Date().toISOString() })
    expect(room.as(chair, removing)).toBeNull()
    expect(room.record.dangerStatements.size).toBe(0)
  })

  test('moving an entry between sub-sections of the map is not removing it, whoever wrote it; two people moving it at once both pass', () => {
    const room = conference()
    const [priyasWorry] = withWorries(room, socialWorker)
    const firstMove = room.updateOf((record) => { record.map.moveEntry(priyasWorry!, 'pastHarm', 'complicatingFactors', 'mum') })
    const secondMove = room.updateOf((record) => { record.map.park(priyasWorry!, 'pastHarm', 'gran') })
    expect(room.check(mum, firstMove)).toBeNull()
    expect(room.check(gran, secondMove)).toBeNull()
    const [moved] = room.record.map.section('complicatingFactors').entries()
    expect(moved).toMatchObject({ id: priyasWorry, authorId: 'priya', updatedBy: 'mum' })
    expect(room.record.map.section('nextSteps').entries()[0]).toMatchObject({ id: priyasWorry, authorId: 'priya', updatedBy: 'gran' })
  })

  test('a removal undone brings the same entry back, by whoever removed it', () => {
    const room = conference()
    const [mumsWorry] = withWorries(room, mum)
    expect(room.as(socialWorker, (record) => { record.map.section('pastHarm').get(mumsWorry!)!.touch('priya') })).toBeNull()
    for (const writer of [socialWorker, mum]) {
      // The device that removed it still has the entry to restore, the server no longer does.
      const device = new Y.Doc()
      Y.applyUpdate(device, Y.encodeStateAsUpdate(room.server))
      const sent: Uint8Array[] = []
      device.on('update', (update: Uint8Array) => sent.push(update))
      const removal = conferenceRecord(device).map.section('pastHarm').removeUndoably(mumsWorry!)!
      expect(room.check(writer, sent.pop()!)).toBeNull()
      expect(room.record.map.section('pastHarm').size).toBe(0)
      expect(removal.undo()).toBe(true)
      expect(room.check(writer, sent.pop()!)).toBeNull()
      expect(room.record.map.section('pastHarm').get(mumsWorry!)).toMatchObject({ authorId: 'mum', updatedBy: 'priya' })
    }
  })

  test('a reconnecting device sends its offline changes as one update, stamps it overwrote included', () => {
    const room = conference()
    const [mumsWorry] = withWorries(room, mum)
    const device = new Y.Doc()
    Y.applyUpdate(device, Y.encodeStateAsUpdate(room.server))
    const offline = conferenceRecord(device).map.section('pastHarm')
    const added = offline.add('mum', { text: { text: 'Typed on the bus' } })
    for (const entry of [added, offline.get(mumsWorry!)!]) {
      entry.touch('mum')
      entry.touch('mum')
    }
    // What the server lacks, as sync step 2 sends it: values overwritten meanwhile arrive emptied.
    expect(room.check(mum, Y.encodeStateAsUpdate(device, Y.encodeStateVector(room.server)))).toBeNull()
    expect(room.record.map.section('pastHarm').size).toBe(2)
  })

  test('an entry added and removed on a device while offline reaches the server as nothing to check', () => {
    const room = conference()
    expect(room.as(mum, (record) => {
      const list = record.map.section('existingStrengths')
      const kept = list.add('mum', { text: { text: 'We walk to school together' } })
      list.remove(list.add('mum').id)
      kept.touch('mum')
    })).toBeNull()
    expect(room.record.map.section('existingStrengths').entries().map((entry) => entry.updatedBy)).toEqual(['mum'])
  })
})

describe('who wrote an entry cannot be forged', () => {
  test('a new entry is written by whoever sends it, and each change is stamped by them', () => {
    const room = conference()
    expect(room.as(mum, (record) => { record.map.section('pastHarm').add('priya', { text: { text: 'Words put in her mouth' } }) })).toBe('not-yours')
    const [mumsWorry] = withWorries(room, mum)
    expect(room.as(mum, (record) => { record.map.section('pastHarm').get(mumsWorry!)!.touch('priya') })).toBe('not-yours')
    expect(room.as(mum, (record) => { record.map.section('pastHarm').get(mumsWorry!)!.touch('mum') })).toBeNull()
    // A professional's change is stamped with their name too: nobody writes under anyone else's.
    expect(room.as(socialWorker, (record) => { record.map.section('pastHarm').get(mumsWorry!)!.touch('mum') })).toBe('not-yours')
  })

  test('who wrote an entry, when, and its id never change, nor disappear', () => {
    const room = conference()
    const [priyasWorry] = withWorries(room, socialWorker)
    const raw = (client: Y.Doc): Y.Map<unknown> => client.getArray<Y.Map<unknown>>('map.pastHarm').get(0)
    for (const key of ['authorId', 'createdAt', 'id']) {
      expect(room.as(chair, (_record, client) => { raw(client).set(key, 'chair') }), key).toBe('not-yours')
      expect(room.as(chair, (_record, client) => { raw(client).delete(key) }), key).toBe('not-yours')
    }
    expect(room.as(mum, (_record, client) => { raw(client).delete('updatedBy') })).toBe('not-yours')
    // A value sent already deleted, placed after the key's value, would empty the key just the same.
    for (const key of ['authorId', 'updatedBy']) {
      const current = (raw(room.server)._map.get(key) as Y.Item).id
      const emptying = encoding.encode((encoder) => {
        encoding.writeVarUint(encoder, 1) // one client
        encoding.writeVarUint(encoder, 1) // one struct
        encoding.writeVarUint(encoder, 999) // a client id of its own
        encoding.writeVarUint(encoder, 0) // from clock 0
        encoding.writeUint8(encoder, 1 | 128) // deleted content, with a left origin
        encoding.writeVarUint(encoder, current.client)
        encoding.writeVarUint(encoder, current.clock)
        encoding.writeVarUint(encoder, 1) // its length
        encoding.writeVarUint(encoder, 0) // no deletions
      })
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.server))
      Y.applyUpdate(copy, emptying)
      expect(raw(copy).get(key), key).toBeUndefined()
      expect(room.check(chair, emptying), key).toBe('not-yours')
    }
    expect(room.record.map.section('pastHarm').get(priyasWorry!)).toMatchObject({ authorId: 'priya', updatedBy: 'priya' })
  })

  test('an entry under the id of an existing one must be a true copy of it, not a stand-in', () => {
    const room = conference()
    const [priyasWorry] = withWorries(room, socialWorker)
    const original = room.record.map.section('pastHarm').get(priyasWorry!)!
    // A low client id would make the stand-in the copy everyone is shown.
    const standIn = (authorId: string, createdAt: string) => room.updateOf((_record, client) => {
      const entry = new Y.Map<unknown>()
      client.getArray('map.pastHarm').push([entry])
      for (const [key, value] of Object.entries({ id: priyasWorry, authorId, createdAt, updatedBy: 'mum', position: 0 })) entry.set(key, value)
      entry.set('text', new Y.XmlFragment())
    }, 1)
    expect(room.check(mum, standIn('mum', original.createdAt))).toBe('not-yours')
    expect(room.check(mum, standIn('priya', '2020-01-01T00:00:00.000Z'))).toBe('not-yours')
    expect(room.record.map.section('pastHarm').entries()).toHaveLength(1)
  })
})

test('every list of entries in the record is checked for who wrote what', () => {
  const doc = new Y.Doc()
  conferenceRecord(doc)
  const lists = [...doc.share].filter(([, type]) => type instanceof Y.Array).map(([name]) => name)
  expect(new Set(lists)).toEqual(new Set([...ENTRY_LIST_ROOT_NAMES, VIEWS_ROOT]))
})
