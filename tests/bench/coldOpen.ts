/**
 * Cold open: a conference whose journal holds many small updates (a long meeting never
 * compacted), loaded by a fresh server process; then the same conference after the server
 * compacted it when the last person left; and the same meeting as our server leaves it when it
 * is killed late in the meeting (compacted every COMPACT_AFTER_RECORDS while typing, the tail not).
 */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { typeCharacter } from '../helpers/typing'
import { WebsocketProvider } from 'y-websocket'
import { conferenceRecord, migrateConference, serverOrigin, type MapSectionId } from '../../shared/conference'
import { PROTOCOL_VERSION } from '../../shared/protocol'
import { COMPACT_AFTER_RECORDS } from '../../server/documents/room'
import { createLogger } from '../../server/log'
import { CONFERENCES_DIRECTORY, openEmbeddedStorage } from '../../server/storage/embedded'
import { setUpFirstAdmin, type Device } from '../helpers/devices'
import { websocketFor } from '../helpers/participants'
import { logLines, makeBenchDir, pollFor, removeBenchDir, spawnOurServer, stopChild, type StartedProcess } from './processes'

export interface ColdOpenMeasure {
  label: string
  /** `ms` of the server's `conference.loaded` log line: storage read + apply + migrations. */
  serverLoadMs: number
  /** Client side: provider created → synced (connect, load, sync step 1/2). */
  clientSyncedMs: number
}

export interface ColdOpenResult {
  updates: number
  journalBytes: number
  /** The same meeting written as the server writes it (compacting as it goes), killed before the end. */
  crashed: { files: string[]; bytes: number; tailRecords: number }
  /** What the directory holds after the server compacted it. */
  compactedFiles: string[]
  compactedBytes: number
  /** Last client left → `conference.unloaded` (the compaction happens in between). */
  leaveToUnloadedMs: number
  measures: ColdOpenMeasure[]
}

const CHARACTERS = 'The children said they feel safe at Nan\'s house and want to stay there at weekends. '

/**
 * Writes the conference straight into storage: `updates` journal records. Never compacted; or,
 * with `compactAsTheServerDoes`, compacted whenever the server's room would, and one record short
 * of the next compaction at the end (as if the server were killed at the worst moment).
 */
async function writeLongMeeting(dataDir: string, updates: number, compactAsTheServerDoes = false): Promise<{ conferenceId: string; tailRecords: number }> {
  const storage = await openEmbeddedStorage(dataDir, { log: createLogger('warn') })
  try {
    const conference = await storage.conferences.create({ title: 'Cold open benchmark', kind: 'uk-initial', date: '2026-11-23' })
    const journal = await storage.openJournal(conference.id)
    const appended: Promise<void>[] = []
    // What the server's room holds: every update appended, for the snapshots.
    const serverCopy = new Y.Doc()
    // The compaction under way, if any (an object: it changes inside the update handler).
    const compaction: { running: Promise<void> | null } = { running: null }
    // Three people, as in a meeting: the note-taker types most, two others now and then.
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
    const record = (doc: Y.Doc): void => {
      doc.on('update', (update: Uint8Array) => {
        appended.push(journal.append(update))
        if (!compactAsTheServerDoes) return
        Y.applyUpdate(serverCopy, update)
        // One compaction at a time, as the room does: the count drops only once it is done.
        if (compaction.running || journal.recordsSinceCompaction < COMPACT_AFTER_RECORDS) return
        compaction.running = journal.compact(Y.encodeStateAsUpdate(serverCopy)).finally(() => { compaction.running = null })
      })
    }
    const first = docs[0]!
    record(first)
    // As the server writes a new conference: schema defaults, then the details.
    migrateConference(first)
    conferenceRecord(first).details.update({ title: 'Cold open benchmark', kind: 'uk-initial', date: '2026-11-23' }, serverOrigin)
    // The others start from that state; only their own changes are journalled.
    for (const doc of docs.slice(1)) {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(first))
      record(doc)
    }

    const sections: MapSectionId[] = ['pastHarm', 'existingSafety', 'nextSteps']
    const fragments = docs.map(() => null as Y.XmlFragment | null)
    let typed = 0
    // Bounded: every pass appends at least one update.
    // Compacting as the server does, go on to the worst moment for a crash: just before the next compaction.
    // (A compaction the last update started empties the journal: go on past it.)
    const more = (): boolean =>
      appended.length < updates || (compactAsTheServerDoes && (compaction.running !== null || journal.recordsSinceCompaction < COMPACT_AFTER_RECORDS - 1))
    while (more()) {
      // The server compacts in the background while people type on; here, let it finish first.
      if (compaction.running) await compaction.running
      const writer = Math.random() < 0.8 ? 0 : 1 + Math.floor(Math.random() * 2)
      const doc = docs[writer]!
      // A new entry every ~400 characters of that person's typing.
      let fragment = fragments[writer]
      if (!fragment || Math.random() < 1 / 400) {
        const section = sections[writer] ?? 'pastHarm'
        fragment = conferenceRecord(doc).map.section(section).add(`writer-${writer}`).richText('text')
        fragments[writer] = fragment
        continue
      }
      typeCharacter(fragment, CHARACTERS[typed % CHARACTERS.length] ?? ' ')
      typed++
    }
    await Promise.all([...appended, compaction.running])
    const tailRecords = journal.recordsSinceCompaction
    await journal.close()
    for (const doc of [...docs, serverCopy]) doc.destroy()
    return { conferenceId: conference.id, tailRecords }
  } finally {
    await storage.close()
  }
}

async function directoryBytes(directory: string): Promise<{ files: string[]; bytes: number }> {
  const files = (await readdir(directory)).sort()
  let bytes = 0
  for (const file of files) bytes += (await stat(path.join(directory, file))).size
  return { files, bytes }
}

interface OpenedClient {
  doc: Y.Doc
  provider: WebsocketProvider
}

/** One client joins; returns once synced, with the client and the server's own load time. */
async function openOnce(server: StartedProcess, device: Device, conferenceId: string, label: string): Promise<{ measure: ColdOpenMeasure; client: OpenedClient }> {
  const loadedBefore = logLines(server.output()).filter((line) => line.event === 'conference.loaded').length
  const startedAt = performance.now()
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(server.syncUrl, conferenceId, doc, {
    WebSocketPolyfill: websocketFor({ ...device, baseUrl: server.url }),
    params: { v: String(PROTOCOL_VERSION) },
    disableBc: true,
  })
  await pollFor(() => (provider.synced ? true : undefined), 'the client to sync', 60_000)
  const clientSyncedMs = performance.now() - startedAt
  const loaded = await pollFor(
    () => logLines(server.output()).filter((line) => line.event === 'conference.loaded')[loadedBefore],
    'the conference.loaded log line',
    10_000,
  )
  const serverLoadMs = typeof loaded.ms === 'number' ? loaded.ms : Number.NaN
  return { measure: { label, serverLoadMs, clientSyncedMs }, client: { doc, provider } }
}

/** The client leaves; resolves when the server has stored (compacted) and unloaded the room. */
async function leave(server: StartedProcess, client: OpenedClient): Promise<number> {
  const unloadedBefore = logLines(server.output()).filter((line) => line.event === 'conference.unloaded').length
  const startedAt = performance.now()
  client.provider.destroy()
  client.doc.destroy()
  await pollFor(
    () => logLines(server.output()).filter((line) => line.event === 'conference.unloaded')[unloadedBefore],
    'the conference.unloaded log line',
    60_000,
  )
  return performance.now() - startedAt
}

export async function coldOpenBenchmark(updates: number): Promise<ColdOpenResult> {
  const dataDir = await makeBenchDir()
  const servers: StartedProcess[] = []
  try {
    const { conferenceId } = await writeLongMeeting(dataDir, updates)
    // Written now, while no server has the data dir open.
    const crashedMeeting = await writeLongMeeting(dataDir, updates, true)
    const crashedFiles = await directoryBytes(path.join(dataDir, CONFERENCES_DIRECTORY, crashedMeeting.conferenceId))
    const conferenceDirectory = path.join(dataDir, CONFERENCES_DIRECTORY, conferenceId)
    const journal = await directoryBytes(conferenceDirectory)
    const measures: ColdOpenMeasure[] = []

    const first = await spawnOurServer(dataDir, 'info')
    servers.push(first)
    // The first administrator chairs conferences that have nobody in them yet, as this one.
    const setupLink = /(\/welcome#\S+)/.exec(first.output())?.[1]
    if (!setupLink) throw new Error('a fresh data dir prints a set-up link')
    const admin = await setUpFirstAdmin(first.url, setupLink)
    const before = await openOnce(first, admin, conferenceId, `journal of ${updates.toLocaleString('en-GB')} updates, fresh server process`)
    measures.push(before.measure)
    const leaveToUnloadedMs = await leave(first, before.client)
    const compacted = await directoryBytes(conferenceDirectory)
    const warm = await openOnce(first, admin, conferenceId, 'after compaction, same server process')
    measures.push(warm.measure)
    await leave(first, warm.client)
    await stopChild(first.child)

    const second = await spawnOurServer(dataDir, 'info')
    servers.push(second)
    const cold = await openOnce(second, admin, conferenceId, 'after compaction, fresh server process')
    measures.push(cold.measure)
    await leave(second, cold.client)
    await stopChild(second.child)

    // The same meeting as the server itself leaves it when killed at the end, in a fresh process.
    const third = await spawnOurServer(dataDir, 'info')
    servers.push(third)
    const crashed = await openOnce(third, admin, crashedMeeting.conferenceId, `the same meeting as our server leaves it when killed near the end, fresh server process`)
    measures.push(crashed.measure)
    await leave(third, crashed.client)
    await stopChild(third.child)

    return {
      updates,
      journalBytes: journal.bytes,
      crashed: { files: crashedFiles.files, bytes: crashedFiles.bytes, tailRecords: crashedMeeting.tailRecords },
      compactedFiles: compacted.files,
      compactedBytes: compacted.bytes,
      leaveToUnloadedMs,
      measures,
    }
  } finally {
    for (const server of servers) await stopChild(server.child)
    removeBenchDir(dataDir)
  }
}
