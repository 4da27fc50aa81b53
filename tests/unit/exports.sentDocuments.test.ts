import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { createLogger } from '../../server/log'
import { openEmbeddedStorage, SENT_DOCUMENTS_FILE, type SyncTarget } from '../../server/storage/embedded'
import type { StoredSentDocument } from '../../server/storage/types'
import { removeTempDirs, tempDir } from '../helpers/tempDir'

afterAll(removeTempDirs)

const sent: StoredSentDocument = {
  id: 'sent-1',
  conferenceId: 'conference-1',
  document: 'family.pdf',
  to: 'Jo Example, by email',
  at: '2025-03-14T17:00:00.000Z',
  recordedBy: 'Zoë Łukasiewicz',
  recordedById: 'participant-1',
  recordedAt: '2025-03-14T17:01:00.000Z',
  status: { state: 'final', hash: 'a'.repeat(64) },
}

test('who a document was sent to is on disk (fsynced) before the write resolves, and still there after a restart', async () => {
  const dir = await tempDir()
  const synced: SyncTarget[] = []
  const storage = await openEmbeddedStorage(dir, { log: createLogger('silent'), hooks: { beforeSync: (target) => { synced.push(target) } } })
  synced.length = 0
  await storage.sentDocuments.put(sent)
  expect(synced).toContain('sent-documents')
  await storage.close()

  const reopened = await openEmbeddedStorage(dir, { log: createLogger('silent') })
  expect(reopened.sentDocuments.all()).toEqual([sent])
  await reopened.close()
})

test('a file written before the version was kept is read as it was: its sendings have no status (unknown), and new ones are added beside them', async () => {
  const dir = await tempDir()
  const { status: _status, ...old } = sent
  await writeFile(path.join(dir, SENT_DOCUMENTS_FILE), JSON.stringify({ version: 1, sentDocuments: [old] }))
  const storage = await openEmbeddedStorage(dir, { log: createLogger('silent') })
  expect(storage.sentDocuments.all()).toEqual([old])
  expect(storage.sentDocuments.all()[0]).not.toHaveProperty('status')
  const draft: StoredSentDocument = { ...old, id: 'sent-2', status: { state: 'draft' } }
  await storage.sentDocuments.put(draft)
  await storage.close()

  const reopened = await openEmbeddedStorage(dir, { log: createLogger('silent') })
  expect(reopened.sentDocuments.all()).toEqual([old, draft])
  await reopened.close()
})
