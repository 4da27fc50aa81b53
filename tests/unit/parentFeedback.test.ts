import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import type { ConferenceMember } from '../../server/auth/accessControl'
import { hashSecret } from '../../server/auth/secrets'
import { createLogger } from '../../server/log'
import { ParentFeedback, upgradeFeedbackMarks } from '../../server/programmes/feedback'
import { openEmbeddedStorage } from '../../server/storage/embedded'
import type { Storage, StoredParticipant } from '../../server/storage/types'
import { removeTempDirs, tempDir } from '../helpers/tempDir'

const opened: Storage[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()))
  await removeTempDirs()
})

const parent = (id: string, name: string): StoredParticipant => ({ id, conferenceId: 'conference-1', name, role: 'parentOrCarer', accountId: null, invitation: null, removed: false, createdAt: '2026-11-23T10:00:00.000Z' })
const memberOf = (participant: StoredParticipant): ConferenceMember => ({ participant, role: participant.role, can: () => true })

describe('marks of parents who gave feedback', () => {
  test('a mark made before marks were keyed (a hash of the participant id) becomes a keyed one at start: she is still not asked twice, and the old hash is gone', async () => {
    const storage = await openEmbeddedStorage(await tempDir(), { log: createLogger('silent') })
    opened.push(storage)
    const maria = parent('participant-maria', 'Maria Diaz')
    await storage.access.participants.put(maria)
    await storage.access.participants.put(parent('participant-ana', 'Ana Diaz'))
    const unkeyed = hashSecret(`feedback-given:${maria.id}`)
    await storage.programmes.feedbackGiven.put({ id: unkeyed })

    const key = randomBytes(32)
    await upgradeFeedbackMarks(storage, key)
    const feedback = new ParentFeedback(storage, key)
    expect(feedback.state(memberOf(maria))).toEqual({ asked: true, given: true })
    // Invited again under her name, she is still the parent who answered; her sister is not.
    expect(feedback.state(memberOf(parent('participant-maria-again', 'maria diaz ')))).toEqual({ asked: true, given: true })
    expect(feedback.state(memberOf(parent('participant-ana', 'Ana Diaz')))).toEqual({ asked: true, given: false })
    expect(storage.programmes.feedbackGiven.all().map((mark) => mark.id)).not.toContain(unkeyed)
  })
})
