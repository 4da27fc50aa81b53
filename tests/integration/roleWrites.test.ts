import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { plainText } from '../../shared/conference/richText'
import { inviteAndJoin } from '../helpers/devices'
import { connectParticipant, typeInto, waitUntil, type Participant } from '../helpers/participants'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

let server: TestServer | undefined
const participants: Participant[] = []

afterAll(removeTempDirs)

afterEach(async () => {
  for (const participant of participants.splice(0)) participant.destroy()
  await server?.stop()
  server = undefined
})

describe('what each role may write over the websocket', () => {
  test('only the chair (or decision-maker) records the decision; the family still writes its view beside it', async () => {
    server = await startTestServer()
    const conference = await createTestConference(server.admin)
    const mumDevice = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const chair = connectParticipant(server.admin, conference.id)
    const mum = connectParticipant(mumDevice, conference.id)
    participants.push(chair, mum)
    await Promise.all([chair.synced(), mum.synced()])

    typeInto(mum.record.decision.familyView, 'We want the children to stay at home.')
    await mum.saved()
    await waitUntil(() => plainText(chair.record.decision.familyView) === 'We want the children to stay at home.', 'the family view reaches the chair')

    // A changed client could try to record the decision itself: its connection is closed, nothing applied.
    mum.record.decision.update({ decision: 'child-protection-plan' })
    await waitUntil(() => mum.tracker.status.state === 'stopped', 'the parent connection is refused')
    expect(mum.tracker.status).toMatchObject({ state: 'stopped', reason: 'updateRejected' })

    chair.record.decision.update({ decision: 'no-plan' })
    await chair.saved()
    const reader = connectParticipant(server.admin, conference.id)
    participants.push(reader)
    await reader.synced()
    expect(reader.record.decision.get().decision).toBe('no-plan')
  })
})
