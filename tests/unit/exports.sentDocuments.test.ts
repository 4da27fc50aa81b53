import { afterAll, expect, test } from 'vitest'
import { createLogger } from '../../server/log'
import { openEmbeddedStorage, type SyncTarget } from '../../server/storage/embedded'
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
