import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, afterEach, expect } from 'vitest'
import { removeTempDirs, tempDir } from './tempDir'
import { api, expectJson, setUpFirstAdmin, type Device } from './devices'
import { createLogger, type Logger } from '../../server/log'
import { AUDIT_FILE, startServer, type RunningServer } from '../../server/server'
import { verifyAuditLog, type AuditEntry } from '../../server/audit/auditLog'
import type { ConferenceKind, ConferenceSummary } from '../../server/storage/types'
import type { ServiceAreaPlaces } from '../../server/programmes/places'
import type { TrustedProxies } from '../../server/http/auth'
import type { ReferralInput } from '../../shared/programmes/referral'

export interface TestServer extends RunningServer {
  dataDir: string
  /** ws://127.0.0.1:<port>/sync — the `serverUrl` for a y-websocket provider. */
  syncUrl: string
  /** Log lines the server wrote, parsed. */
  logLines: { level: string; event: string; [field: string]: unknown }[]
  /** The first administrator, signed in; chairs the conferences createTestConference makes. */
  admin: Device
}

/** Temp data dirs come from one helper, so `removeTempDirs()` in an afterAll cleans them all. */
export { tempDir as makeTempDir, removeTempDirs } from './tempDir'

/** A real server in this process on a free port, with its own temp data dir (or the one given). */
export async function startTestServer(options: { dataDir?: string; clientDir?: string; admin?: Device; port?: number; now?: () => number; heartbeatMs?: number; parentPartnerPlaces?: ServiceAreaPlaces[]; trustProxy?: TrustedProxies; timeZone?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDir('safetymap-test-'))
  const logLines: TestServer['logLines'] = []
  const log: Logger = createLogger('debug', (line) => { logLines.push(JSON.parse(line) as TestServer['logLines'][number]) })
  const server = await startServer({
    port: options.port ?? 0,
    host: '127.0.0.1',
    dataDir,
    log,
    // Tests make many calls from one address in a few seconds.
    apiRequestsPerMinute: 100_000,
    ...(options.now ? { now: options.now } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.clientDir ? { clientDir: options.clientDir } : {}),
    ...(options.parentPartnerPlaces ? { parentPartnerPlaces: options.parentPartnerPlaces } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  })
  const url = `http://127.0.0.1:${server.port}`
  const setupLink = await server.access.newSetupLink()
  // A restart on the same data keeps the administrator (and their session) from before.
  const admin = setupLink ? await setUpFirstAdmin(url, setupLink) : options.admin
  if (!admin) throw new Error('this data dir has an administrator already: pass `admin`')
  return { ...server, dataDir, syncUrl: `ws://127.0.0.1:${server.port}/sync`, logLines, admin: { ...admin, baseUrl: url } }
}

/** A clock the server reads for sessions and invitations; tests move it instead of waiting. */
export function movableClock(): { now: number; read: () => number } {
  const clock = { now: Date.now(), read: () => clock.now }
  return clock
}

/** Every entry of the server's audit log, oldest first. */
export async function auditTrail(server: { dataDir: string }): Promise<AuditEntry[]> {
  const text = await readFile(path.join(server.dataDir, AUDIT_FILE), 'utf8')
  return text.trim().split('\n').map((line) => JSON.parse(line) as AuditEntry)
}

let testConferences = 0

/**
 * Creates a conference through the HTTP API, as a professional would; they chair it. Each has a
 * title of its own unless one is given: the same conference made again at once is refused.
 */
export async function createTestConference(
  organiser: Device,
  input: { title?: string; kind?: ConferenceKind; date?: string } = {},
): Promise<ConferenceSummary> {
  testConferences += 1
  const response = await api(organiser, '/api/conferences', {
    method: 'POST',
    body: { title: `Test conference ${testConferences}`, kind: 'uk-initial', date: '2026-11-23', role: 'chair', ...input },
  })
  return (await expectJson<{ conference: ConferenceSummary }>(response, 201)).conference
}

/** A fictional referral: a CSC created from it must meet by 9:30 on Thursday 26 November 2026, Iowa time. */
export const REFERRAL: ReferralInput = {
  // Monday 23 November 2026, 9:30 in Cedar Rapids (CST): the CSC must meet by 9:30 on Thursday.
  concernRaisedAt: '2026-11-23T09:30:00-06:00',
  timeZone: 'America/Chicago',
  family: 'The Diaz family',
  children: ['Mia Diaz', 'Leo Diaz'],
  serviceArea: 'Eastern',
  afterRemoval: false,
  facilitator: { name: 'Frankie Facilitator', organisation: 'Linn County Family Mediation', independent: true },
}

/** Creates a US initial CSC from REFERRAL (with `referral`'s changes), as its chair. */
export async function createCsc(organiser: Device, referral: Partial<ReferralInput> = {}, date = '2026-11-25'): Promise<ConferenceSummary> {
  const response = await api(organiser, '/api/conferences', { method: 'POST', body: { title: `${referral.family ?? REFERRAL.family} CSC`, kind: 'us-csc-initial', date, role: 'chair', referral: { ...REFERRAL, ...referral } } })
  return (await expectJson<{ conference: ConferenceSummary }>(response, 201)).conference
}

/**
 * For test files that start a fresh server in each test: `start` one, or `restart` it on the same
 * data; it and every participant `track`ed are stopped after each test, temp dirs after all.
 */
export function serverForEachTest(): {
  start(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer>
  /** Stops the server and starts it again on the same data, after `whileStopped` (e.g. to change a file). */
  restart(whileStopped?: (dataDir: string) => Promise<void>): Promise<TestServer>
  track<T extends { destroy(): void }>(participant: T): T
} {
  let current: TestServer | undefined
  /** A restart keeps the options the server was started with. */
  let startedWith: Parameters<typeof startTestServer>[0] = {}
  const tracked: { destroy(): void }[] = []
  afterEach(async () => {
    for (const participant of tracked.splice(0)) participant.destroy()
    await current?.stop()
    current = undefined
  })
  afterAll(removeTempDirs)
  return {
    async start(options = {}) {
      startedWith = options
      current = await startTestServer(options)
      return current
    },
    async restart(whileStopped) {
      if (!current) throw new Error('no server to restart')
      const { dataDir, admin } = current
      await current.stop()
      await whileStopped?.(dataDir)
      current = await startTestServer({ ...startedWith, dataDir, admin })
      return current
    },
    track(participant) {
      tracked.push(participant)
      return participant
    },
  }
}

/** Stops a server and checks that its audit trail is an unbroken hash chain. */
export async function stopAndVerify(server: RunningServer & { dataDir: string }): Promise<void> {
  await server.stop()
  expect(await verifyAuditLog(path.join(server.dataDir, AUDIT_FILE))).toMatchObject({ ok: true })
}

let emails = 0

/** An email address no other account in the test run has. */
export function uniqueEmail(hint: string): string {
  emails += 1
  return `${hint.replace(/[^a-z0-9]/gi, '').toLowerCase()}-${String(emails)}@example.org`
}
