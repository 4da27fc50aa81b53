/**
 * Cold open: a conference whose journal holds many small updates (a long meeting never
 * compacted), loaded by a fresh server process; then the same conference after the server
 * compacted it when the last person left; and the same meeting as our server leaves it when it
 * is killed late in the meeting (compacted every COMPACT_AFTER_RECORDS while typing, the tail not).
 * Each is opened twice over, on copies of the same files: by one sync client with nothing else
 * running, for the server's own load time; and in a fresh server process by real Chromium with
 * nothing stored on the device, for what a note-taker waits for (the page, the record over the
 * websocket, the board drawn with every entry of the map). A browser on the server's two cores
 * would slow the server's load, which on a real laptop it would not.
 */
import { cp, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Browser } from 'playwright-core'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { typeCharacter } from '../helpers/typing'
import { conferenceRecord, migrateConference, serverOrigin, type MapSectionId } from '../../shared/conference'
import { PROTOCOL_VERSION } from '../../shared/protocol'
import { ensureClientBuilt } from '../../server/clientBuild'
import { COMPACT_AFTER_RECORDS } from '../../server/documents/room'
import { createLogger } from '../../server/log'
import { CONFERENCES_DIRECTORY, openEmbeddedStorage } from '../../server/storage/embedded'
import { DESKTOP, launchBrowser, meetingRail, openAsPerson, openStep, type Person } from '../helpers/browser'
import { setUpFirstAdmin, type Device } from '../helpers/devices'
import { websocketFor } from '../helpers/participants'
import { logLines, makeBenchDir, type LogLine, pollFor, projectRoot, removeBenchDir, spawnOurServer, stopChild, type StartedProcess } from './processes'

export interface ColdOpenMeasure {
  label: string
  /** `ms` of the server's `conference.loaded` log line (storage read + apply + migrations), opened by a sync client alone. */
  serverLoadMs: number
  /** In Chromium (the copy, its own server process), by the page's clock: the page starts to load → the board shows the record (its meeting steps). */
  boardShownMs: number
  /** Then the map step's button clicked → the last entry of both its columns is in the page, each an editor. */
  mapShownMs: number
}

export interface ColdOpenResult {
  updates: number
  /** Entries in the map step's two columns (Past harm, Existing safety) of the long meeting. */
  mapEntries: number
  journalBytes: number
  /** The same meeting written as the server writes it (compacting as it goes), killed before the end. */
  crashed: { files: string[]; bytes: number; tailRecords: number; mapEntries: number }
  /** What the directory holds after the server compacted it. */
  compactedFiles: string[]
  compactedBytes: number
  /** Last client left → `conference.unloaded` (the compaction happens in between). */
  leaveToUnloadedMs: number
  measures: ColdOpenMeasure[]
}

/** How many entries the map step's two columns hold: the browser waits for the last of each. */
interface MapEntries {
  pastHarm: number
  existingSafety: number
}

const CHARACTERS = 'The children said they feel safe at Nan\'s house and want to stay there at weekends. '

/**
 * Writes the conference straight into storage: `updates` journal records. Never compacted; or,
 * with `compactAsTheServerDoes`, compacted whenever the server's room would, and one record short
 * of the next compaction at the end (as if the server were killed at the worst moment).
 */
async function writeLongMeeting(dataDir: string, updates: number, compactAsTheServerDoes = false): Promise<{ conferenceId: string; tailRecords: number; entries: MapEntries }> {
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
    // Each writer adds to a column of its own, so its copy holds all of that column.
    const entries = { pastHarm: conferenceRecord(first).map.section('pastHarm').size, existingSafety: conferenceRecord(docs[1]!).map.section('existingSafety').size }
    for (const doc of [...docs, serverCopy]) doc.destroy()
    return { conferenceId: conference.id, tailRecords, entries }
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

/**
 * Someone opens the conference in a browser with nothing of it stored: returns once the map step
 * shows every entry. The figures are the page's own clock (when each thing first appears in the
 * page): Playwright's waits poll, and in this headless Chromium they can notice a change late.
 */
async function openInBrowser(server: StartedProcess, browser: Browser, device: Device, conferenceId: string, entries: MapEntries): Promise<{ shown: { boardShownMs: number; mapShownMs: number }; person: Person }> {
  const person = await openAsPerson(browser, server.url, 'Cold open', DESKTOP, device)
  const { page } = person
  // A long meeting takes a while to draw: the default wait is for tests of small records.
  page.setDefaultTimeout(60_000)
  const lastEntries = [`Past harm, entry ${entries.pastHarm}`, `Existing safety, entry ${entries.existingSafety}`]
  const watched = { board: 'nav[aria-label="Meeting steps"]', ...Object.fromEntries(lastEntries.map((name) => [name, `[role="textbox"][aria-label="${name}"]`])) }
  // Runs in the page before its own scripts. Inline, with no named functions: tsx would wrap those in a helper the page lacks.
  await page.addInitScript((selectors: Record<string, string>) => {
    const noted: FirstAppearances = { shownAt: {} }
    ;(window as unknown as { coldOpen: FirstAppearances }).coldOpen = noted
    document.addEventListener('click', () => { noted.lastClickAt = performance.now() }, true)
    new MutationObserver(() => {
      for (const [name, selector] of Object.entries(selectors)) {
        if (noted.shownAt[name] === undefined && document.querySelector(selector)) noted.shownAt[name] = performance.now()
      }
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] })
  }, watched)
  await page.goto(`/conferences/${conferenceId}`)
  await meetingRail(page).waitFor()
  await openStep(page, 'Worries and what’s working well')
  for (const name of lastEntries) await page.getByRole('textbox', { name, exact: true }).waitFor()
  const seen = await page.evaluate(() => (window as unknown as { coldOpen: FirstAppearances }).coldOpen)
  const boardShownMs = seen.shownAt.board ?? Number.NaN
  const mapShownMs = Math.max(...lastEntries.map((name) => seen.shownAt[name] ?? Number.NaN)) - (seen.lastClickAt ?? Number.NaN)
  if (person.pageErrors.length > 0) throw new Error(`the page failed: ${person.pageErrors.join('; ')}`)
  return { shown: { boardShownMs, mapShownMs }, person }
}

/** What the page noted, in ms since it started to load (performance.now()). */
interface FirstAppearances {
  shownAt: Record<string, number | undefined>
  lastClickAt?: number
}

/** The server's log lines for the record (a professional's board may also open the professionals-only part). */
function recordLoads(server: StartedProcess): LogLine[] {
  return logLines(server.output()).filter((line) => line.event === 'conference.loaded' && line.document === 'record')
}

/** One sync client joins; returns once synced, with the server's own load time and a way to leave. */
async function openWithSyncClient(server: StartedProcess, device: Device, conferenceId: string): Promise<{ serverLoadMs: number; leave: () => Promise<void> }> {
  const loadedBefore = recordLoads(server).length
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(server.syncUrl, conferenceId, doc, {
    WebSocketPolyfill: websocketFor({ ...device, baseUrl: server.url }),
    params: { v: String(PROTOCOL_VERSION) },
    disableBc: true,
  })
  await pollFor(() => (provider.synced ? true : undefined), 'the client to sync', 60_000)
  const loaded = await pollFor(() => recordLoads(server)[loadedBefore], 'the conference.loaded log line', 10_000)
  const serverLoadMs = typeof loaded.ms === 'number' ? loaded.ms : Number.NaN
  return { serverLoadMs, leave: () => { provider.destroy(); doc.destroy(); return Promise.resolve() } }
}

/** Someone leaves; resolves when the server has stored (compacted) and unloaded the record. */
async function leave(server: StartedProcess, close: () => Promise<void>): Promise<number> {
  const unloads = (): LogLine[] => logLines(server.output()).filter((line) => line.event === 'conference.unloaded' && line.document === 'record')
  const unloadedBefore = unloads().length
  const startedAt = performance.now()
  await close()
  await pollFor(() => unloads()[unloadedBefore], 'the conference.unloaded log line', 60_000)
  return performance.now() - startedAt
}

/** A second conference holding a copy of `conferenceId`'s files, written while no server has the data dir open. */
async function copyOfConference(dataDir: string, conferenceId: string): Promise<string> {
  const storage = await openEmbeddedStorage(dataDir, { log: createLogger('warn') })
  let copyId: string
  try {
    copyId = (await storage.conferences.create({ title: 'Cold open benchmark (copy)', kind: 'uk-initial', date: '2026-11-23' })).id
  } finally {
    await storage.close()
  }
  await cp(path.join(dataDir, CONFERENCES_DIRECTORY, conferenceId), path.join(dataDir, CONFERENCES_DIRECTORY, copyId), { recursive: true })
  return copyId
}

export async function coldOpenBenchmark(updates: number): Promise<ColdOpenResult> {
  await ensureClientBuilt(projectRoot, path.join(projectRoot, 'dist', 'client'), createLogger('warn'))
  const dataDir = await makeBenchDir()
  const servers: StartedProcess[] = []
  const browser = await launchBrowser()
  // Each server process is used for one row or two, then stopped: every "fresh" open is a new process.
  const freshServer = async (): Promise<StartedProcess> => {
    const server = await spawnOurServer(dataDir, 'info')
    servers.push(server)
    return server
  }
  try {
    const meeting = await writeLongMeeting(dataDir, updates)
    const crashedMeeting = await writeLongMeeting(dataDir, updates, true)
    // Written now, while no server has the data dir open.
    const meetingCopy = await copyOfConference(dataDir, meeting.conferenceId)
    const crashedCopy = await copyOfConference(dataDir, crashedMeeting.conferenceId)
    const crashedFiles = await directoryBytes(path.join(dataDir, CONFERENCES_DIRECTORY, crashedMeeting.conferenceId))
    const conferenceDirectory = path.join(dataDir, CONFERENCES_DIRECTORY, meeting.conferenceId)
    const journal = await directoryBytes(conferenceDirectory)

    const first = await freshServer()
    // The first administrator chairs conferences that have nobody in them yet, as these.
    const setupLink = /(\/welcome#\S+)/.exec(first.output())?.[1]
    if (!setupLink) throw new Error('a fresh data dir prints a set-up link')
    const admin = await setUpFirstAdmin(first.url, setupLink)

    // The server alone: one sync client, nothing else running.
    const serverLoads: number[] = []
    const uncompacted = await openWithSyncClient(first, admin, meeting.conferenceId)
    serverLoads.push(uncompacted.serverLoadMs)
    const leaveToUnloadedMs = await leave(first, uncompacted.leave)
    const compacted = await directoryBytes(conferenceDirectory)
    const warm = await openWithSyncClient(first, admin, meeting.conferenceId)
    serverLoads.push(warm.serverLoadMs)
    await leave(first, warm.leave)
    await stopChild(first.child)
    for (const conferenceId of [meeting.conferenceId, crashedMeeting.conferenceId]) {
      const server = await freshServer()
      const opened = await openWithSyncClient(server, admin, conferenceId)
      serverLoads.push(opened.serverLoadMs)
      await leave(server, opened.leave)
      await stopChild(server.child)
    }

    // What the chair waits for in Chromium, on the copies, in the same order.
    const shown: { boardShownMs: number; mapShownMs: number }[] = []
    const browserServer = await freshServer()
    for (let time = 0; time < 2; time++) {
      const opened = await openInBrowser(browserServer, browser, admin, meetingCopy, meeting.entries)
      shown.push(opened.shown)
      await leave(browserServer, () => opened.person.context.close())
    }
    await stopChild(browserServer.child)
    for (const [conferenceId, entries] of [[meetingCopy, meeting.entries], [crashedCopy, crashedMeeting.entries]] as const) {
      const server = await freshServer()
      const opened = await openInBrowser(server, browser, admin, conferenceId, entries)
      shown.push(opened.shown)
      await leave(server, () => opened.person.context.close())
      await stopChild(server.child)
    }

    const labels = [
      `journal of ${updates.toLocaleString('en-GB')} updates, fresh server process`,
      'after compaction, same server process',
      'after compaction, fresh server process',
      'the same meeting as our server leaves it when killed near the end, fresh server process',
    ]
    return {
      updates,
      mapEntries: meeting.entries.pastHarm + meeting.entries.existingSafety,
      journalBytes: journal.bytes,
      crashed: {
        files: crashedFiles.files,
        bytes: crashedFiles.bytes,
        tailRecords: crashedMeeting.tailRecords,
        mapEntries: crashedMeeting.entries.pastHarm + crashedMeeting.entries.existingSafety,
      },
      compactedFiles: compacted.files,
      compactedBytes: compacted.bytes,
      leaveToUnloadedMs,
      measures: labels.map((label, index) => ({
        label,
        serverLoadMs: serverLoads[index] ?? Number.NaN,
        boardShownMs: shown[index]?.boardShownMs ?? Number.NaN,
        mapShownMs: shown[index]?.mapShownMs ?? Number.NaN,
      })),
    }
  } finally {
    await browser.close()
    for (const server of servers) await stopChild(server.child)
    removeBenchDir(dataDir)
  }
}
