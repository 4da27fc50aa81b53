import fs from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { conferenceRecord } from '../../shared/conference'
import { setPlainText } from '../../shared/conference/richText'
import { SCORES_ROOT, scoresPart, type ScoringRound } from '../../shared/conference/scores'
import { CloseCode } from '../../shared/protocol'
import { can, INVITED_ROLES, ROLES, type Role } from '../../shared/roles'
import { api, expectJson, invite, inviteAndJoin, professionalIn, type Device } from '../helpers/devices'
import { connectParticipant, openRawSocket, updateFrame, waitUntil } from '../helpers/participants'
import type { ExportModel } from '../../server/exports/schema'
import { AUDIT_FILE } from '../../server/server'
import { createTestConference, serverForEachTest, type TestServer } from '../helpers/server'

const servers = serverForEachTest()

const REASON = 'Grandma there on every late shift for three months'

async function openRound(chair: Device, conferenceId: string): Promise<ScoringRound> {
  const response = await api(chair, `/api/conferences/${conferenceId}/scoring-rounds`, { method: 'POST', body: { scale: { kind: 'overall' } } })
  return (await expectJson<{ round: ScoringRound }>(response, 201)).round
}

function giveScore(device: Device, conferenceId: string, roundId: string, body: { value: number; reason?: string; onBehalfOf?: string }): Promise<Response> {
  return api(device, `/api/conferences/${conferenceId}/scoring-rounds/${roundId}/scores`, { method: 'POST', body })
}

async function reveal(chair: Device, conferenceId: string, roundId: string): Promise<ScoringRound> {
  const response = await api(chair, `/api/conferences/${conferenceId}/scoring-rounds/${roundId}/reveal`, { method: 'POST' })
  return (await expectJson<{ round: ScoringRound }>(response, 200)).round
}

/** A professional with an account in the conference, in `role`, signed in. */
function professional(server: TestServer, conferenceId: string, role: Role, name: string): Promise<Device> {
  return professionalIn(server.admin, server.admin, conferenceId, { name, email: `${role.toLowerCase()}@example.org`, role })
}

describe('scoring rounds', () => {
  test('only roles that score can give a score; everyone else is refused, and outsiders cannot tell the conference exists', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const round = await openRound(server.admin, conference.id)
    const invited = new Set<Role>(INVITED_ROLES)
    for (const role of ROLES) {
      if (role === 'chair') continue // the administrator chairs this conference
      const device = invited.has(role)
        ? await inviteAndJoin(server.admin, conference.id, { name: `Someone (${role})`, role })
        : await professional(server, conference.id, role, `Someone (${role})`)
      const response = await giveScore(device, conference.id, round.id, { value: 5 })
      expect([role, response.status]).toEqual([role, can(role, 'score') ? 200 : 403])
    }
    expect((await giveScore(server.admin, conference.id, round.id, { value: 5 })).status).toBe(403)

    const other = await createTestConference(server.admin, { title: 'Another family' })
    const outsider = await inviteAndJoin(server.admin, other.id, { name: 'Outsider', role: 'parentOrCarer' })
    const refused = await giveScore(outsider, conference.id, round.id, { value: 5 })
    expect(refused.status).toBe(404)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('conference-not-found')
  })

  test('before the reveal no device holds any number; the reveal brings them all at once, and a change keeps both', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const [mum, dad, worker] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Dad', role: 'parentOrCarer' }),
      professional(server, conference.id, 'socialWorker', 'Social worker'),
    ])
    const noteTaker = await professional(server, conference.id, 'noteTaker', 'Note-taker')
    // A plain y-websocket client, as any participant's device could be.
    const watcher = servers.track(connectParticipant(dad, conference.id, { stock: true }))
    await watcher.synced()

    const round = await openRound(server.admin, conference.id)
    await expectJson(await giveScore(mum, conference.id, round.id, { value: 6, reason: REASON }), 200)
    await expectJson(await giveScore(worker, conference.id, round.id, { value: 3, reason: 'No plan for nights yet' }), 200)
    await expectJson(await giveScore(noteTaker, conference.id, round.id, { value: 7, reason: 'Said in the room', onBehalfOf: 'Uncle (no phone)' }), 200)
    await waitUntil(() => scoresPart(watcher.doc).round(round.id)?.scored.length === 3, 'the watcher sees three people have scored')

    const everything = Buffer.from(Y.encodeStateAsUpdate(watcher.doc))
    expect(everything.includes(Buffer.from('Grandma'))).toBe(false)
    expect(JSON.stringify(watcher.doc.getMap(SCORES_ROOT).toJSON())).not.toMatch(/"value"/)
    expect(scoresPart(watcher.doc).round(round.id)?.scored.map((scorer) => scorer.name)).toEqual(['Mum', 'Social worker', 'Uncle (no phone)'])
    // Her own device may show her own number back to her.
    expect((await expectJson<{ score: { value: number } | null }>(await api(mum, `/api/conferences/${conference.id}/scoring-rounds/${round.id}/my-score`), 200)).score?.value).toBe(6)

    const revealed = await reveal(server.admin, conference.id, round.id)
    expect(revealed.scores.map((entry) => [entry.name, entry.score.value, entry.enteredBy])).toEqual([
      ['Mum', 6, null],
      ['Social worker', 3, null],
      ['Uncle (no phone)', 7, 'Note-taker'],
    ])
    await waitUntil(() => scoresPart(watcher.doc).round(round.id)?.scores.length === 3, 'all three numbers reach the watcher')
    expect(scoresPart(watcher.doc).round(round.id)?.scores.find((entry) => entry.name === 'Mum')?.score.reason).toBe(REASON)
    expect(server.storage.sealedScores.all()).toEqual([])

    await expectJson(await giveScore(mum, conference.id, round.id, { value: 7, reason: 'After hearing the plan' }), 200)
    await waitUntil(() => scoresPart(watcher.doc).round(round.id)?.scores.find((entry) => entry.name === 'Mum')?.score.value === 7, 'the change arrives')
    expect(scoresPart(watcher.doc).round(round.id)?.scores.find((entry) => entry.name === 'Mum')?.earlier.map((earlier) => earlier.value)).toEqual([6])
    expect((await api(server.admin, `/api/conferences/${conference.id}/scoring-rounds/${round.id}/reveal`, { method: 'POST' })).status).toBe(409)
  })

  test('a score sealed while the chair reveals is in the record once, not as a change, and leaves nothing sealed; after the reveal nobody gives a first score', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const [mum, dad] = await Promise.all([
      inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conference.id, { name: 'Dad', role: 'parentOrCarer' }),
    ])
    const round = await openRound(server.admin, conference.id)
    await expectJson(await giveScore(dad, conference.id, round.id, { value: 4, reason: 'Dad’s reason' }), 200)
    // Mum's number is on its way to the disk when the chair presses Show.
    const sealedScores = server.storage.sealedScores
    const put = sealedScores.put.bind(sealedScores)
    let sealing = (): void => undefined
    const revealed = new Promise<void>((resolve) => { sealing = resolve })
    let beingSealed = false
    sealedScores.put = async (sealed) => { beingSealed = true; await revealed; return put(sealed) }
    const mumGives = giveScore(mum, conference.id, round.id, { value: 6, reason: REASON })
    await waitUntil(() => beingSealed, 'her score is being sealed')
    const shown = await reveal(server.admin, conference.id, round.id)
    expect(shown.scores.map((entry) => entry.name)).toEqual(['Dad'])
    sealing()
    await expectJson(await mumGives, 200)
    sealedScores.put = put

    const chair = servers.track(connectParticipant(server.admin, conference.id))
    await chair.synced()
    const scores = scoresPart(chair.doc).round(round.id)?.scores ?? []
    expect(scores.map((entry) => [entry.name, entry.score.value, entry.earlier.length])).toEqual([['Dad', 4, 0], ['Mum', 6, 0]])
    expect(server.storage.sealedScores.all()).toEqual([])

    const uncle = await inviteAndJoin(server.admin, conference.id, { name: 'Uncle', role: 'familyNetwork' })
    const late = await giveScore(uncle, conference.id, round.id, { value: 9 })
    expect([late.status, ((await late.json()) as { error: { code: string } }).error.code]).toEqual([409, 'scores-shown'])
    const noteTaker = await professional(server, conference.id, 'noteTaker', 'Note-taker')
    const typedIn = await giveScore(noteTaker, conference.id, round.id, { value: 9, onBehalfOf: 'Gran (no phone)' })
    expect(typedIn.status).toBe(409)
    // Mum may still change hers.
    await expectJson(await giveScore(mum, conference.id, round.id, { value: 7, reason: 'After the plan' }), 200)
  })

  test('the note-taker cannot type in a score for someone who scores on their own device: they would count twice', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    await inviteAndJoin(server.admin, conference.id, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    const noteTaker = await professional(server, conference.id, 'noteTaker', 'Note-taker')
    const round = await openRound(server.admin, conference.id)
    const twice = await giveScore(noteTaker, conference.id, round.id, { value: 5, onBehalfOf: ' sam (mum) ' })
    expect(await twice.json()).toMatchObject({ error: { code: 'scores-on-own-device', fields: { onBehalfOf: 'Already scores on their own device.' } } })
    expect(twice.status).toBe(409)
    await expectJson(await giveScore(noteTaker, conference.id, round.id, { value: 5, onBehalfOf: 'Sam (Mum) (on paper)' }), 200)
    // Invited, but her link never opened on a device: typed in for her.
    await invite(server.admin, conference.id, { name: 'Gran', role: 'familyNetwork' })
    await expectJson(await giveScore(noteTaker, conference.id, round.id, { value: 6, onBehalfOf: 'Gran' }), 200)
    expect(server.storage.sealedScores.all().map((sealed) => sealed.scorer.name).sort()).toEqual(['Gran', 'Sam (Mum) (on paper)'])
  })

  test('closing the record throws away any sealed score a stopped server left behind', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    await server.storage.sealedScores.put({ id: `${conference.id}/old-round/someone`, conferenceId: conference.id, roundId: 'old-round', scorer: { participantId: 'someone', name: 'Mum', role: 'parentOrCarer', enteredBy: null }, score: { value: 3, reason: REASON, at: new Date().toISOString() } })
    await expectJson(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    expect(server.storage.sealedScores.all()).toEqual([])
  })

  test('a score given before a crash-free restart is still there to reveal', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const round = await openRound(server.admin, conference.id)
    await expectJson(await giveScore(mum, conference.id, round.id, { value: 4, reason: REASON }), 200)

    const restarted = await servers.restart()
    const revealed = await reveal(restarted.admin, conference.id, round.id)
    expect(revealed.scores.map((entry) => entry.score.value)).toEqual([4])
  })

  test('the minutes keep the words a scale was scored against: changed after the reveal, or the pair removed before or after it', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const pairIds: string[] = []
    await server.rooms.change(conference.id, (room) => {
      const pairs = conferenceRecord(room.doc).dangerStatements
      for (const n of [1, 2, 3]) pairIds.push(pairs.add('someone', { text: { dangerStatement: `Worry ${n} as scored.`, safetyGoal: `Goal ${n} as scored.` } }).id)
    })
    const scoreOnPair = async (pairId: string, revealIt: boolean): Promise<string> => {
      const response = await api(server.admin, `/api/conferences/${conference.id}/scoring-rounds`, { method: 'POST', body: { scale: { kind: 'dangerStatement', pairId } } })
      const { round } = await expectJson<{ round: ScoringRound }>(response, 201)
      await expectJson(await giveScore(mum, conference.id, round.id, { value: 4, reason: REASON }), 200)
      if (revealIt) await reveal(server.admin, conference.id, round.id)
      return round.id
    }
    await scoreOnPair(pairIds[0]!, true)
    await scoreOnPair(pairIds[1]!, true)
    const revealedLater = await scoreOnPair(pairIds[2]!, false)
    // After the reveal, pair 1's words change and pair 2 is removed; pair 3 is removed before its reveal.
    await server.rooms.change(conference.id, (room) => {
      const pairs = conferenceRecord(room.doc).dangerStatements
      setPlainText(pairs.get(pairIds[0]!)!.richText('dangerStatement'), 'Worry 1 reworded later.')
      pairs.remove(pairIds[1]!)
      pairs.remove(pairIds[2]!)
    })
    await reveal(server.admin, conference.id, revealedLater)

    const model = (await (await api(server.admin, `/api/conferences/${conference.id}/exports/record.json`)).json()) as ExportModel
    const scales = model.sections.flatMap((section) => section.scales).map(({ title, zero, ten }) => ({ title, zero, ten }))
    expect(scales).toEqual([
      { title: 'Scale for danger statement 1', zero: 'Worry 1 as scored.', ten: 'Goal 1 as scored.' },
      { title: 'Scale for a danger statement since removed', zero: 'Worry 2 as scored.', ten: 'Goal 2 as scored.' },
      { title: 'Scale for a danger statement since removed', zero: 'Worry 3 as scored.', ten: 'Goal 3 as scored.' },
    ])
  })

  test('the minutes keep the overall question as it was asked when the numbers were shown, though the chair changes it later', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const ask = (question: string): Promise<void> => server.rooms.change(conference.id, (room) => { conferenceRecord(room.doc).overallScale.update({ question }) })
    await ask('Where are things today, from 0 to 10?')
    const { round } = await expectJson<{ round: ScoringRound }>(await api(server.admin, `/api/conferences/${conference.id}/scoring-rounds`, { method: 'POST', body: { scale: { kind: 'overall' } } }), 201)
    expect(round.question).toBe('Where are things today, from 0 to 10?')
    await expectJson(await giveScore(mum, conference.id, round.id, { value: 4, reason: REASON }), 200)
    await reveal(server.admin, conference.id, round.id)
    await ask('How safe is Sam at night, from 0 to 10?')

    const model = (await (await api(server.admin, `/api/conferences/${conference.id}/exports/record.json`)).json()) as ExportModel
    expect(model.sections.flatMap((section) => section.scales).map(({ question }) => question)).toEqual(['Where are things today, from 0 to 10?'])
  })

  test('a scale is scored in one round at a time: a second round on it, even sent at the same moment, is refused until the first is shown or stopped', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const rounds = `/api/conferences/${conference.id}/scoring-rounds`
    const open = (scale: ScoringRound['scale']): Promise<Response> => api(server.admin, rounds, { method: 'POST', body: { scale } })
    const overall = { kind: 'overall' } as const
    const codeOf = async (response: Response): Promise<[number, string | undefined]> =>
      [response.status, response.ok ? undefined : ((await response.json()) as { error: { code: string } }).error.code]

    const both = await Promise.all([open(overall), open(overall)])
    expect(both.map((response) => response.status).sort()).toEqual([201, 409])
    const [opened, refused] = both[0].status === 201 ? both : [both[1], both[0]]
    expect(await codeOf(refused)).toEqual([409, 'scoring-already-open'])
    const { round: first } = await expectJson<{ round: ScoringRound }>(opened, 201)
    expect(await codeOf(await open(overall))).toEqual([409, 'scoring-already-open'])

    // Another scale is scored on its own.
    let pairId = ''
    await server.rooms.change(conference.id, (room) => {
      pairId = conferenceRecord(room.doc).dangerStatements.add('someone', { text: { dangerStatement: 'Worry.', safetyGoal: 'Goal.' } }).id
    })
    expect((await open({ kind: 'dangerStatement', pairId })).status).toBe(201)

    await reveal(server.admin, conference.id, first.id)
    const { round: next } = await expectJson<{ round: ScoringRound }>(await open(overall), 201)
    await expectJson(await api(server.admin, `${rounds}/${next.id}/cancel`, { method: 'POST' }), 200)
    await expectJson(await open(overall), 201)
  })

  test("asking for one's own score in a round that does not exist is answered like the other round routes", async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const response = await api(mum, `/api/conferences/${conference.id}/scoring-rounds/made-up-round/my-score`)
    expect([response.status, ((await response.json()) as { error: { code: string } }).error.code]).toEqual([404, 'round-not-found'])
  })

  test('a client update that writes to the scores closes that connection and changes nothing stored', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const forged = new Y.Doc()
    forged.getMap(SCORES_ROOT).set('forged-round', { id: 'forged-round', scores: [{ name: 'Mum', value: 10 }] })
    const raw = openRawSocket(mum, `/${conference.id}`)
    await raw.opened
    raw.socket.send(updateFrame(Y.encodeStateAsUpdate(forged)))
    expect((await raw.closed).code).toBe(CloseCode.updateRejected)

    const reader = servers.track(connectParticipant(server.admin, conference.id))
    await reader.synced()
    expect(reader.doc.getMap(SCORES_ROOT).size).toBe(0)
    expect(conferenceRecord(reader.doc).scores.rounds()).toEqual([])
  })
})

describe('stopping a round', () => {
  test('the chair stops an open round: its sealed scores are thrown away unseen, nobody can score in it, and the audit trail says so', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const worker = await professional(server, conference.id, 'socialWorker', 'Social worker')
    const round = await openRound(server.admin, conference.id)
    await expectJson(await giveScore(mum, conference.id, round.id, { value: 6, reason: REASON }), 200)
    expect(server.storage.sealedScores.all()).toHaveLength(1)

    const cancel = (device: Device): Promise<Response> => api(device, `/api/conferences/${conference.id}/scoring-rounds/${round.id}/cancel`, { method: 'POST' })
    expect((await cancel(worker)).status).toBe(403)
    const { round: stopped } = await expectJson<{ round: ScoringRound }>(await cancel(server.admin), 200)
    expect(stopped.cancelledAt).toEqual(expect.any(String))
    expect(stopped.scores).toEqual([])
    expect(server.storage.sealedScores.all()).toEqual([])

    const watcher = servers.track(connectParticipant(mum, conference.id, { stock: true }))
    await watcher.synced()
    expect(scoresPart(watcher.doc).round(round.id)?.cancelledAt).toBe(stopped.cancelledAt)
    expect(Buffer.from(Y.encodeStateAsUpdate(watcher.doc)).includes(Buffer.from('Grandma'))).toBe(false)

    const late = await giveScore(worker, conference.id, round.id, { value: 4 })
    expect([late.status, ((await late.json()) as { error: { code: string } }).error.code]).toEqual([409, 'round-cancelled'])
    expect(server.storage.sealedScores.all()).toEqual([])
    expect((await api(server.admin, `/api/conferences/${conference.id}/scoring-rounds/${round.id}/reveal`, { method: 'POST' })).status).toBe(409)
    expect((await cancel(server.admin)).status).toBe(409)

    const audit = (await fs.readFile(path.join(server.dataDir, AUDIT_FILE), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { action: string; details?: unknown })
    expect(audit.filter((entry) => entry.action === 'scoring-round-cancelled')).toMatchObject([{ details: { roundId: round.id, discarded: 1 } }])
  })
})
