import { describe, expect, test } from 'vitest'
import { plainText } from '../../shared/conference/richText'
import { inviteAndJoin } from '../helpers/devices'
import { connectParticipant, typeInto, waitUntil } from '../helpers/participants'
import { createTestConference, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

describe('what each role may write over the websocket', () => {
  test('only the chair (or decision-maker) records the decision; the family still writes its view beside it', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mumDevice = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const chair = servers.track(connectParticipant(server.admin, conference.id))
    const mum = servers.track(connectParticipant(mumDevice, conference.id))
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
    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.record.decision.get().decision).toBe('no-plan')
  })
})
