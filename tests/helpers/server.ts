import { tempDir } from './tempDir'
import { createLogger, type Logger } from '../../server/log'
import { startServer, type RunningServer } from '../../server/server'
import type { ConferenceKind, ConferenceSummary } from '../../server/storage/types'

export interface TestServer extends RunningServer {
  dataDir: string
  /** ws://127.0.0.1:<port>/sync — the `serverUrl` for a y-websocket provider. */
  syncUrl: string
  /** Log lines the server wrote, parsed. */
  logLines: { level: string; event: string; [field: string]: unknown }[]
}

/** Temp data dirs come from one helper, so `removeTempDirs()` in an afterAll cleans them all. */
export { tempDir as makeTempDir, removeTempDirs } from './tempDir'

/** A real server in this process on a free port, with its own temp data dir (or the one given). */
export async function startTestServer(options: { dataDir?: string; clientDir?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDir('safetymap-test-'))
  const logLines: TestServer['logLines'] = []
  const log: Logger = createLogger('debug', (line) => { logLines.push(JSON.parse(line) as TestServer['logLines'][number]) })
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, log, ...(options.clientDir ? { clientDir: options.clientDir } : {}) })
  return { ...server, dataDir, syncUrl: `ws://127.0.0.1:${server.port}/sync`, logLines }
}

/** Creates a conference through the HTTP API, as a person would. */
export async function createTestConference(
  baseUrl: string,
  input: { title?: string; kind?: ConferenceKind; date?: string } = {},
): Promise<ConferenceSummary> {
  const response = await fetch(`${baseUrl}/api/conferences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Test conference', kind: 'uk-initial', date: '2026-11-23', ...input }),
  })
  if (response.status !== 201) throw new Error(`create conference failed: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { conference: ConferenceSummary }).conference
}
