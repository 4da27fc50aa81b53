import { open, type FileHandle } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { plainText } from '../../shared/conference/richText'
import { recordSnapshot } from '../../shared/conference/snapshot'
import { CloseCode, MAX_MESSAGE_BYTES, MessageType } from '../../shared/protocol'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'
import { listTree } from '../helpers/tempDir'
import { connectParticipant, openRawSocket, typeInto, waitUntil, type Participant } from '../helpers/participants'
import { inviteAndJoin, type Device } from '../helpers/devices'
import { relayTo } from '../helpers/relay'
import { SAVED_ANSWER_TIMEOUT_MS } from '../../client/sync/saveTracker'

let server: TestServer | undefined
const participants: Participant[] = []

function join(conferenceId: string, name?: string, options: { stock?: boolean } = {}): Participant {
  if (!server) throw new Error('no server')
  return joinAs(server.admin, conferenceId, name, options)
}

function joinAs(device: Device, conferenceId: string, name?: string, options: { stock?: boolean } = {}): Participant {
  const participant = connectParticipant(device, conferenceId, { ...(name ? { name } : {}), ...options })
  participants.push(participant)
  return participant
}

function pastHarmTexts(participant: Participant): string[] {
  return participant.record.map.section('pastHarm').entries().map((entry) => plainText(entry.richText('text')))
}

afterAll(removeTempDirs)

afterEach(async () => {
  for (const participant of participants.splice(0)) participant.destroy()
  await server?.stop()
  server = undefined
})

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Each write the server makes to a socket, counted where Node hands it to the kernel, in call order. */
function spyOnServerSocketWrites(port: number): { written: () => { bytes: string; order: number }[]; restore: () => void } {
  const socket = net.Socket.prototype as net.Socket & Required<Pick<Writable, '_write' | '_writev'>>
  const spies = [vi.spyOn(socket, '_write'), vi.spyOn(socket, '_writev')]
  const written = (): { bytes: string; order: number }[] =>
    spies
      .flatMap((spy) => spy.mock.contexts.flatMap((context: unknown, index) => {
        if ((context as net.Socket).localPort !== port) return []
        const [data] = spy.mock.calls[index] ?? []
        // _writev gets the chunks themselves or {chunk, encoding} entries, depending on Node's path.
        const first: unknown = Array.isArray(data) ? data[0] : data
        const bytes = first !== null && typeof first === 'object' && 'chunk' in first ? first.chunk : first
        const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes as Uint8Array).toString('latin1')
        return [{ bytes: text, order: spy.mock.invocationCallOrder[index] ?? Number.NaN }]
      }))
      .sort((a, b) => a.order - b.order)
  return { written, restore: () => { for (const spy of spies) spy.mockRestore() } }
}

describe('live sync', () => {
  test('an edit converges across three clients, and each sees the others type', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const people = [join(conference.id, 'Note-taker'), join(conference.id, 'Parent'), join(conference.id, 'Social worker')]
    await Promise.all(people.map((person) => person.synced()))

    const [noteTaker, parent, socialWorker] = people as [Participant, Participant, Participant]
    const entry = noteTaker.record.map.section('pastHarm').add(noteTaker.authorId)
    typeInto(entry.richText('text'), 'Sam was left alone overnight.')
    await waitUntil(() => pastHarmTexts(parent)[0] === 'Sam was left alone overnight.', 'parent sees the entry')

    const parentsEntry = parent.record.map.section('pastHarm').get(entry.id)
    if (!parentsEntry) throw new Error('entry missing on the parent device')
    typeInto(parentsEntry.richText('text'), ' It happened once.')
    typeInto(socialWorker.record.map.section('existingStrengths').add(socialWorker.authorId).richText('text'), 'Mum asked for help.')

    const snapshots = (): string[] => people.map((person) => JSON.stringify(recordSnapshot(person.doc)))
    await waitUntil(() => new Set(snapshots()).size === 1 && pastHarmTexts(noteTaker).length === 1, 'all three converge')
    for (const person of people) {
      expect(pastHarmTexts(person)).toEqual(['Sam was left alone overnight. It happened once.'])
      expect(person.record.map.section('existingStrengths').entries().map((entry) => plainText(entry.richText('text')))).toEqual(['Mum asked for help.'])
    }
  })

  test('a stock y-websocket client (no SafetyMap extras) syncs with the server', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const ours = join(conference.id)
    const stock = join(conference.id, 'Stock client', { stock: true })
    await Promise.all([ours.synced(), stock.synced()])
    typeInto(stock.record.map.section('familyGoals').add(stock.authorId).richText('text'), 'Stay together')
    await waitUntil(() => ours.record.map.section('familyGoals').entries().length === 1, 'stock edit reaches our client')
    expect(plainText(ours.record.map.section('familyGoals').entries()[0]!.richText('text'))).toBe('Stay together')
  })

  test('"Saved" is shown only once the change is on disk, and a restarted server has it all', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin, { title: 'Restart test' })
    const noteTaker = join(conference.id)
    await noteTaker.synced()
    expect(noteTaker.tracker.status.state).toBe('saved')

    typeInto(noteTaker.record.map.section('pastHarm').add(noteTaker.authorId).richText('text'), 'Kept after a restart')
    expect(noteTaker.tracker.status.state).toBe('saving')
    await noteTaker.saved()

    const { dataDir, admin } = server
    noteTaker.destroy()
    await server.stop()
    server = await startTestServer({ dataDir, admin })
    const later = join(conference.id)
    // The stored document is loaded before the server answers, so the first sync carries it.
    await later.synced()
    expect(pastHarmTexts(later)).toEqual(['Kept after a restart'])
    expect(later.record.details.get().title).toBe('Restart test')
  })

  test('a change bigger than the server takes stops the connection with a reason, rather than reconnecting for ever', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const noteTaker = join(conference.id)
    const closes: number[] = []
    noteTaker.provider.on('connection-close', (event: CloseEvent | null) => { if (event) closes.push(event.code) })
    await noteTaker.synced()

    // A very long paste: one update over the limit, which every reconnect would send again.
    noteTaker.record.map.section('pastHarm').add(noteTaker.authorId, { text: { text: 'x'.repeat(MAX_MESSAGE_BYTES + 1) } })
    await waitUntil(() => noteTaker.tracker.status.state === 'stopped', 'the connection stops')
    expect(noteTaker.tracker.status).toEqual({ state: 'stopped', reason: 'messageTooBig', unsaved: true })
    expect(closes).toEqual([CloseCode.messageTooBig])
    expect(noteTaker.provider.shouldConnect).toBe(false)
    const reader = join(conference.id)
    await reader.synced()
    expect(pastHarmTexts(reader)).toEqual([])
  })

  test('a line that falls silent mid-sentence shows "Offline" long before y-websocket would notice, and loses nothing', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const relay = await relayTo(server.port)
    try {
      const typist = joinAs({ ...server.admin, baseUrl: relay.baseUrl }, conference.id)
      await typist.synced()
      const entry = typist.record.map.section('pastHarm').add(typist.authorId)
      await typist.saved()

      relay.fallSilent()
      typeInto(entry.richText('text'), 'Typed as the signal went.')
      expect(typist.tracker.status.state).toBe('saving')
      // y-websocket alone waits 30 s without a message; the unanswered "saved?" question is noticed first.
      await waitUntil(() => typist.tracker.status.state === 'offline', 'the status says offline', SAVED_ANSWER_TIMEOUT_MS + 5_000)
      expect(typist.tracker.status).toEqual({ state: 'offline', unsaved: true })

      relay.dropSilent()
      await typist.saved()
      const reader = join(conference.id)
      await reader.synced()
      expect(pastHarmTexts(reader)).toEqual(['Typed as the signal went.'])
    } finally {
      await relay.close()
    }
  })

  test('a keystroke sent as the line opens, building on words typed offline, waits for the catch-up instead of closing the line', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const typist = join(conference.id)
    await typist.synced()
    const text = typist.record.contingency.text
    typeInto(text, 'Online. ')
    await typist.saved()
    const closes: number[] = []
    typist.provider.on('connection-close', (event: CloseEvent | null) => { if (event) closes.push(event.code) })

    typist.provider.disconnect()
    typeInto(text, 'Typed offline. ')
    // The line is back and she carries on typing: y-websocket sends this keystroke at once (just
    // after its sync step 1), before the offline words, which go with its catch-up once the server
    // has said what it has.
    let typedOnOpen = false
    typist.provider.on('status', ({ status }) => {
      if (status !== 'connected' || typedOnOpen) return
      typedOnOpen = true
      queueMicrotask(() => { typeInto(text, 'X') })
    })
    typist.provider.connect()
    await waitUntil(() => typedOnOpen, 'typed as the line opened')
    await typist.saved()
    expect(closes).toEqual([])
    expect(server.logLines.filter((line) => line.event === 'sync.message-refused')).toEqual([])
    const reader = join(conference.id)
    await reader.synced()
    expect(plainText(reader.record.contingency.text)).toBe('Online. Typed offline. X')
  })

  test('a client that opens a sync, sends a change building on what the server lacks and never catches up, is refused after a wait, its "saved?" never answered', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const offline = new Y.Doc()
    const updates: Uint8Array[] = []
    offline.on('update', (update: Uint8Array) => { updates.push(update) })
    typeInto(conferenceRecord(offline).contingency.text, 'ab')
    const raw = openRawSocket(server.admin, `/${conference.id}`)
    await raw.opened
    raw.socket.send(syncMessage((encoder) => { syncProtocol.writeSyncStep1(encoder, offline) }))
    // The second keystroke only, as type "update": it builds on the first, which never comes.
    raw.socket.send(syncMessage((encoder) => { syncProtocol.writeUpdate(encoder, updates.at(-1) ?? new Uint8Array()) }))
    const question = encoding.createEncoder()
    encoding.writeVarUint(question, MessageType.saved)
    encoding.writeVarUint(question, 1)
    raw.socket.send(encoding.toUint8Array(question))
    expect((await raw.closed).code).toBe(CloseCode.resyncNeeded)
    expect(raw.received.filter((frame) => frame[0] === MessageType.saved)).toEqual([])
    const reader = join(conference.id)
    await reader.synced()
    expect(plainText(reader.record.contingency.text)).toBe('')
  })

  test('a typist who keeps typing while the conference is slow to load stays connected, and every keystroke is kept', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    // The disk is slow: the conference's journal opens only when the test says so.
    const { storage } = server
    const openJournal = storage.openJournal.bind(storage)
    let loadStarted!: () => void
    const loading = new Promise<void>((resolve) => { loadStarted = resolve })
    let finishLoad!: () => void
    const mayLoad = new Promise<void>((resolve) => { finishLoad = resolve })
    storage.openJournal = async (...args) => {
      loadStarted()
      await mayLoad
      return openJournal(...args)
    }
    const noteTaker = join(conference.id)
    const closes: number[] = []
    noteTaker.provider.on('connection-close', (event) => { if (event) closes.push(event.code) })
    await loading
    await waitUntil(() => noteTaker.provider.wsconnected, 'the socket is open')
    // Far more frames than the server takes in before it has answered: 300 keystrokes, each its
    // own update, and a caret move with each.
    const text = 'The note-taker carried on typing while the record opened. '.repeat(5)
    const contingency = noteTaker.record.contingency.text
    for (const character of text) {
      typeInto(contingency, character)
      noteTaker.provider.awareness.setLocalStateField('cursor', { at: contingency.length })
    }
    finishLoad()
    await noteTaker.synced()
    await noteTaker.saved()
    expect(closes).toEqual([])
    const reader = join(conference.id)
    await reader.synced()
    expect(plainText(reader.record.contingency.text)).toBe(text)
  })

  test('a conference with nobody connected is stored and unloaded from memory', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const person = join(conference.id)
    await person.synced()
    expect(server.rooms.loadedCount).toBe(1)
    person.destroy()
    await waitUntil(() => server?.rooms.loadedCount === 0, 'room unloaded')
    const again = join(conference.id)
    await again.synced()
    expect(again.record.details.get().title).toBe(conference.title)
  })
})

describe('refusing what must be refused', () => {
  test('an unknown conference id is refused with a close code and creates nothing on disk', async () => {
    server = await startTestServer()
    const before = await listTree(server.dataDir)
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'no-such-conference', '..%2F..%2Fetc', '%E0%A4%A']) {
      const raw = openRawSocket(server.admin, `/${id}`)
      expect((await raw.closed).code).toBe(CloseCode.conferenceNotFound)
    }
    expect(await listTree(server.dataDir)).toEqual(before)
    expect((await server.storage.conferences.list()).length).toBe(0)
  })

  test('a client of another protocol version is told to reload', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const raw = openRawSocket(server.admin, `/${conference.id}?v=999`)
    expect((await raw.closed).code).toBe(CloseCode.protocolMismatch)
  })

  const hugeVarint = new Uint8Array([MessageType.sync, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
  const validUpdate = (() => {
    const doc = new Y.Doc()
    doc.getArray('map.pastHarm').insert(0, ['x'])
    return Y.encodeStateAsUpdate(doc)
  })()
  const malformedFrames: { kind: string; frame: Uint8Array | string; code: number }[] = [
    { kind: 'random bytes', frame: new Uint8Array([0x07, 0x99, 0x13, 0x42, 0x00, 0xfe]), code: CloseCode.malformedMessage },
    { kind: 'unknown message type', frame: new Uint8Array([42, 1, 2, 3]), code: CloseCode.malformedMessage },
    { kind: 'unknown sync message', frame: new Uint8Array([MessageType.sync, 9, 0]), code: CloseCode.malformedMessage },
    { kind: 'huge varint length', frame: hugeVarint, code: CloseCode.malformedMessage },
    { kind: 'truncated update', frame: syncMessage((e) => { encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, validUpdate.slice(0, validUpdate.length - 3)) }), code: CloseCode.updateRejected },
    { kind: 'update to a part the record does not have', frame: syncMessage((e) => {
      const doc = new Y.Doc()
      doc.getMap('not-in-the-schema').set('x', 1)
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc))
    }), code: CloseCode.updateRejected },
    { kind: 'malformed awareness', frame: new Uint8Array([MessageType.awareness, 3, 1, 2, 3]), code: CloseCode.malformedMessage },
    // Refused as a whole: the valid update in front of the trailing bytes is not applied either.
    { kind: 'a valid update followed by trailing bytes', frame: syncMessage((e) => { encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, validUpdate); encoding.writeUint8(e, 0) }), code: CloseCode.malformedMessage },
    { kind: 'empty frame', frame: new Uint8Array([]), code: CloseCode.malformedMessage },
    { kind: 'text frame', frame: 'hello', code: CloseCode.malformedMessage },
    { kind: 'over the size limit', frame: new Uint8Array(MAX_MESSAGE_BYTES + 1), code: CloseCode.messageTooBig },
  ]

  test.each(malformedFrames)('$kind closes only that connection; other rooms keep syncing', async ({ frame, code }) => {
    server = await startTestServer()
    const target = await createTestConference(server.admin, { title: 'Target' })
    const other = await createTestConference(server.admin, { title: 'Other' })
    const bystander = join(target.id)
    const [a, b] = [join(other.id), join(other.id)]
    await Promise.all([bystander.synced(), a.synced(), b.synced()])
    const stateBefore = Y.encodeStateAsUpdate(bystander.doc)

    const raw = openRawSocket(server.admin, `/${target.id}`)
    await raw.opened
    raw.socket.send(frame)
    expect((await raw.closed).code).toBe(code)
    expect(server.logLines.filter((line) => line.level === 'warn').length).toBe(1)

    typeInto(a.record.map.section('nextSteps').add(a.authorId).richText('text'), 'still syncing')
    await waitUntil(() => b.record.map.section('nextSteps').entries().length === 1, 'other room still syncs')
    expect(bystander.provider.wsconnected).toBe(true)
    expect(Y.encodeStateAsUpdate(bystander.doc)).toEqual(stateBefore)
  })

  test('awareness: a connection sets only its own state, and its name and role come from the server', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const [parentDevice, observerDevice, cousinDevice, otherDevice] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Parent', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Observer', role: 'observer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Cousin', role: 'familyNetwork' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Neighbour', role: 'familyNetwork' }),
    ])
    const parent = joinAs(parentDevice, conference.id, 'I am the chair')
    const observer = joinAs(observerDevice, conference.id)
    await Promise.all([parent.synced(), observer.synced()])
    const parentId = parent.doc.clientID
    const userOf = (clientId: number): { name?: string; role?: string } | undefined =>
      observer.provider.awareness.getStates().get(clientId)?.user as { name?: string; role?: string } | undefined
    await waitUntil(() => userOf(parentId) !== undefined, 'observer sees parent')
    // The parent's client claimed another name: everyone sees the name she was invited with.
    expect(userOf(parentId)).toMatchObject({ name: 'Parent', role: 'parentOrCarer' })

    const raw = openRawSocket(cousinDevice, `/${conference.id}`)
    await raw.opened
    const spoof = (clientId: number, clock: number, state: Record<string, unknown>): Uint8Array => {
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint(inner, clientId)
      encoding.writeVarUint(inner, clock)
      encoding.writeVarString(inner, JSON.stringify(state))
      const outer = encoding.createEncoder()
      encoding.writeVarUint(outer, MessageType.awareness)
      encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
      return encoding.toUint8Array(outer)
    }
    // Its own state first (it owns id 123456), then a claim to be the parent.
    raw.socket.send(spoof(123456, 1, { user: { name: 'Social worker', role: 'chair' } }))
    raw.socket.send(spoof(parentId, 999, { user: { name: 'Mallory' } }))
    await waitUntil(() => userOf(123456) !== undefined, 'raw client own state arrives')
    expect(userOf(123456)).toMatchObject({ name: 'Cousin', role: 'familyNetwork' })
    expect(userOf(parentId)?.name).toBe('Parent')

    // A connection whose very first claim is the parent's id owns nothing.
    const hijacker = openRawSocket(otherDevice, `/${conference.id}`)
    await hijacker.opened
    hijacker.socket.send(spoof(parentId, 2 ** 30, { user: { name: 'Impostor' } }))
    const caret = { anchor: { type: { client: 1, clock: 2 }, tname: null, item: { client: 1, clock: 3 }, assoc: 0 }, head: { type: { client: 1, clock: 2 }, tname: null, item: { client: 1, clock: 3 }, assoc: 0 } }
    raw.socket.send(spoof(123456, 2, { cursor: caret, secret: 'dropped' }))
    await waitUntil(() => observer.provider.awareness.getStates().get(123456)?.cursor !== null, 'later awareness arrives')
    expect(observer.provider.awareness.getStates().get(123456)).toEqual({ user: expect.objectContaining({ name: 'Cousin' }) as unknown, cursor: caret })
    expect(userOf(parentId)?.name).toBe('Parent')
    hijacker.socket.close()
    await hijacker.closed
    expect(observer.provider.awareness.getStates().has(parentId)).toBe(true)
  })

  test('someone joining a room of 24 stays connected: a stock client sends back everyone’s presence at once', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const room = Array.from({ length: 24 }, (_, index) => join(conference.id, `Person ${index + 1}`, { stock: true }))
    await Promise.all(room.map((person) => person.synced()))
    const latecomer = join(conference.id, 'Latecomer', { stock: true })
    const closes: number[] = []
    latecomer.provider.on('connection-close', (event: CloseEvent | null) => { if (event) closes.push(event.code) })
    await latecomer.synced()
    // Everyone's presence has reached the latecomer (and so gone back out again, as y-websocket does).
    await waitUntil(() => latecomer.provider.awareness.getStates().size === 25, 'the latecomer sees all 25')
    typeInto(latecomer.record.map.section('pastHarm').add(latecomer.authorId).richText('text'), 'Still here.')
    await latecomer.saved()
    await waitUntil(() => pastHarmTexts(room[0]!).includes('Still here.'), 'the room hears the latecomer')
    expect(closes).toEqual([])
  })

  test('our client sends only its own presence: a caret move reaches everyone and nobody sends it back', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const mover = join(conference.id, 'Note-taker')
    const watchers = [join(conference.id, 'Parent'), join(conference.id, 'Social worker')]
    const stockWatcher = join(conference.id, 'Older client', { stock: true })
    const everyone = [mover, ...watchers, stockWatcher]
    await Promise.all(everyone.map((person) => person.synced()))
    await waitUntil(() => everyone.every((person) => person.provider.awareness.getStates().size === everyone.length), 'everyone sees everyone')
    const presenceSent = new Map(everyone.map((person) => [person, 0]))
    for (const person of everyone) {
      const socket = person.provider.ws
      if (!socket) throw new Error('not connected')
      const send = socket.send.bind(socket)
      socket.send = (data: Parameters<WebSocket['send']>[0]) => {
        if (data instanceof Uint8Array && data[0] === MessageType.awareness) presenceSent.set(person, (presenceSent.get(person) ?? 0) + 1)
        send(data)
      }
    }
    const position = { type: { client: 7, clock: 1 }, tname: null, item: { client: 7, clock: 4 }, assoc: 0 }
    const caret = { anchor: position, head: position }
    mover.provider.awareness.setLocalStateField('cursor', caret)
    // y-websocket sends its echo while handling the change, so once everyone has it, any echo is sent.
    const seesCaret = (person: Participant): boolean => JSON.stringify(person.provider.awareness.getStates().get(mover.doc.clientID)?.cursor) === JSON.stringify(caret)
    await waitUntil(() => everyone.every(seesCaret), 'everyone sees the caret')
    expect(presenceSent.get(mover)).toBe(1)
    for (const watcher of watchers) expect(presenceSent.get(watcher)).toBe(0)
    // What the test would see without sendOwnPresenceOnly: the stock client sends the caret back.
    expect(presenceSent.get(stockWatcher)).toBe(1)
  })

  test('after a dropped connection, who is here comes back with the sync, on both sides', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const noteTaker = join(conference.id, 'Note-taker')
    const parent = join(conference.id, 'Parent')
    await Promise.all([noteTaker.synced(), parent.synced()])
    await waitUntil(() => [noteTaker, parent].every((person) => person.provider.awareness.getStates().size === 2), 'both are here')

    const dropped = new Promise<void>((resolve) => {
      noteTaker.provider.on('status', ({ status }) => { if (status === 'disconnected') resolve() })
    })
    noteTaker.provider.ws?.close()
    await dropped
    await waitUntil(() => !parent.provider.awareness.getStates().has(noteTaker.doc.clientID), 'the parent sees the note-taker gone')
    await noteTaker.synced()
    // The server sends who is here before it answers the sync, so it is here now, not at the
    // next renewal of the parent's presence (every 15 s).
    expect(noteTaker.provider.awareness.getStates().has(parent.doc.clientID)).toBe(true)
    // The note-taker announced herself on reconnecting, before the parent's change below: the
    // parent hears that first, then the answer that the change is saved.
    typeInto(parent.record.map.section('pastHarm').add(parent.authorId).richText('text'), 'Back again.')
    await parent.saved()
    expect(parent.provider.awareness.getStates().has(noteTaker.doc.clientID)).toBe(true)
  })

  test('a device back on a new line is shown at once, though the server still holds its old, silent connection', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const relay = await relayTo(server.port)
    try {
      const noteTaker = joinAs({ ...server.admin, baseUrl: relay.baseUrl }, conference.id, 'Note-taker')
      const parent = join(conference.id, 'Parent')
      await Promise.all([noteTaker.synced(), parent.synced()])
      const caretSeenByParent = (): unknown => parent.provider.awareness.getStates().get(noteTaker.doc.clientID)?.cursor
      // A caret as Tiptap sets it: two positions in the text, each after a character (its id).
      const caretAt = (clock: number): unknown => {
        const position = { type: null, tname: null, item: { client: noteTaker.doc.clientID, clock }, assoc: 0 }
        return { anchor: position, head: position }
      }
      noteTaker.provider.awareness.setLocalStateField('cursor', caretAt(4))
      await waitUntil(() => JSON.stringify(caretSeenByParent()) === JSON.stringify(caretAt(4)), 'the parent sees the caret')

      // The signal goes; the note-taker's device gives up on the line and dials again. The server
      // hears nothing of the old line until its heartbeat, 30 to 60 s later.
      relay.fallSilent()
      noteTaker.provider.disconnect()
      noteTaker.provider.connect()
      await noteTaker.synced()
      noteTaker.provider.awareness.setLocalStateField('cursor', caretAt(10))
      await waitUntil(() => JSON.stringify(caretSeenByParent()) === JSON.stringify(caretAt(10)), 'the parent sees the caret move after the reconnect')

      // The old line ends at last: the note-taker, connected on the new one, is still here.
      relay.dropSilent()
      typeInto(parent.record.contingency.text, ' ')
      await parent.saved()
      await noteTaker.saved()
      expect(parent.provider.awareness.getStates().has(noteTaker.doc.clientID)).toBe(true)
    } finally {
      await relay.close()
    }
  })

  test('frames for one person from the same work leave the server in one write: a newcomer gets the document and who is here together', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const room = [join(conference.id, 'Note-taker'), join(conference.id, 'Parent')]
    await Promise.all(room.map((person) => person.synced()))
    await waitUntil(() => room.every((person) => person.provider.awareness.getStates().size === 2), 'both are here')
    const serverWrites = spyOnServerSocketWrites(server.port)
    try {
      const newcomer = openRawSocket(server.admin, `/${conference.id}`)
      await newcomer.opened
      await waitUntil(() => newcomer.received.length >= 2, 'the document and who is here')
      expect(newcomer.received.map((frame) => frame[0])).toEqual([MessageType.sync, MessageType.awareness])
      // The handshake's answer, then one write holding both frames (without WriteBatcher: two).
      expect(serverWrites.written().filter((written) => !written.bytes.startsWith('HTTP/1.1'))).toHaveLength(1)
      newcomer.socket.close()
    } finally {
      serverWrites.restore()
    }
  })

  test('a keystroke leaves for the others before the server hands it to the disk', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const [noteTaker, parent] = [join(conference.id, 'Note-taker'), join(conference.id, 'Parent')] as [Participant, Participant]
    await Promise.all([noteTaker.synced(), parent.synced()])
    const entry = noteTaker.record.map.section('pastHarm').add(noteTaker.authorId)
    await waitUntil(() => pastHarmTexts(parent).length === 1, 'the parent sees the new entry')
    await noteTaker.saved()
    // Each journal write, where the server hands it to Node (and a worker thread) to write.
    const probe = await open(path.join(server.dataDir, 'order-probe'), 'w')
    const fileWrites = vi.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'write')
    await probe.close()
    const serverWrites = spyOnServerSocketWrites(server.port)
    try {
      typeInto(entry.richText('text'), 'S')
      await waitUntil(() => pastHarmTexts(parent)[0] === 'S', 'the parent sees the keystroke')
      await noteTaker.saved()
      const [journalWrite] = fileWrites.mock.invocationCallOrder
      const [toParent] = serverWrites.written()
      // Nothing else is sent in between: the parent's update is the server's first write.
      expect(journalWrite).toBeDefined()
      // Handing a write to a worker thread takes the server 25 – 90 µs on a small machine:
      // the others should not wait for it (without the ordering in ConferenceRoom, they did).
      expect(toParent?.order).toBeLessThan(journalWrite ?? 0)
    } finally {
      serverWrites.restore()
      fileWrites.mockRestore()
    }
  })

  test('a malformed caret reaches nobody: every page draws every caret, and one bad one would blank all the boards', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const [mischiefDevice, watcherDevice] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Cousin', role: 'familyNetwork' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Parent', role: 'parentOrCarer' }),
    ])
    const mischief = joinAs(mischiefDevice, conference.id)
    const watcher = joinAs(watcherDevice, conference.id)
    await Promise.all([mischief.synced(), watcher.synced()])
    const seen = (): Record<string, unknown> | undefined => watcher.provider.awareness.getStates().get(mischief.doc.clientID)
    const position = { type: { client: 7, clock: 1 }, tname: null, item: { client: 7, clock: 4 }, assoc: 0 }
    const goodCaret = { anchor: position, head: position }
    for (const badCaret of [{}, { anchor: 'start', head: 3 }, { at: 1 }, 'here', { anchor: position }]) {
      // A good caret first, so that the bad one visibly replaces it.
      mischief.provider.awareness.setLocalStateField('cursor', goodCaret)
      await waitUntil(() => JSON.stringify(seen()?.cursor) === JSON.stringify(goodCaret), 'a good caret arrives')
      mischief.provider.awareness.setLocalStateField('cursor', badCaret)
      mischief.provider.awareness.setLocalStateField('extra', 'dropped')
      await waitUntil(() => seen()?.cursor === null, `${JSON.stringify(badCaret)} arrives as no caret`)
      expect(seen()).not.toHaveProperty('extra')
    }
    expect(seen()?.user).toMatchObject({ name: 'Cousin', role: 'familyNetwork' })
  })

  test('a person alone hears their own presence back, so y-websocket never thinks the line is dead', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const alone = join(conference.id, 'Note-taker')
    await alone.synced()
    let heard = 0
    const applyAwareness = alone.provider.messageHandlers[MessageType.awareness]!
    alone.provider.messageHandlers[MessageType.awareness] = (...args) => {
      heard++
      applyAwareness(...args)
    }
    alone.provider.awareness.setLocalStateField('cursor', { at: 1 })
    await waitUntil(() => heard > 0, 'own awareness echoed back')
  })

  test('an upgrade request with an unparsable address is refused and the server carries on', async () => {
    server = await startTestServer()
    const { port } = server
    const status = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write('GET //[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
      })
      socket.once('data', (data) => { resolve(data.toString().split('\r\n')[0] ?? ''); socket.destroy() })
      socket.once('error', reject)
    })
    expect(status).toContain('400')
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })
})
