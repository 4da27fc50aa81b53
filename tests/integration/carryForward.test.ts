/**
 * Cases and carry-forward, end to end: a real server on port 0, real HTTP, real websocket clients.
 * A review is created from an initial conference; its danger statements arrive unchanged in the
 * part only the server writes; only the chair can change one, and only by recording new harm;
 * the case and its progress are for members only, and progress holds revealed scores only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { ApiErrorBody, ConferenceSummary } from '../../shared/api'
import type { CaseProgress, ConferenceCase } from '../../shared/cases'
import { CARRIED_FORWARD_ROOT, carriedForwardPairs, type CarriedPair } from '../../shared/conference/dangerStatements'
import { EARLIER_CONFERENCE_AUTHOR } from '../../shared/conference/details'
import type { ScoringRound } from '../../shared/conference/scores'
import { CloseCode } from '../../shared/protocol'
import type { ExportModel } from '../../server/exports/schema'
import { api, expectJson, inviteAndJoin, professionalIn, refusal, type Device } from '../helpers/devices'
import { connectParticipant, openRawSocket, updateFrame, typeInto, waitUntil, type Participant } from '../helpers/participants'
import { auditTrail, createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

const DANGER_1 = 'Sam may drink again and leave the children alone at night.'
const GOAL_1 = 'A sober adult is with the children every evening.'
const DANGER_2 = 'The children may be hurt when the adults argue.'
const GOAL_2 = 'Arguments happen away from the children, and nobody is hit.'

let server: TestServer
const clients: Participant[] = []
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
  await removeTempDirs()
})

function join(device: Device, conferenceId: string): Participant {
  const client = connectParticipant(device, conferenceId)
  clients.push(client)
  return client
}

async function createFollowing(chair: Device, follows: string, input: { title: string; kind: ConferenceSummary['kind']; date?: string }): Promise<Response> {
  return api(chair, '/api/conferences', { method: 'POST', body: { date: '2027-02-15', ...input, role: 'chair', follows } })
}

function revise(device: Device, conferenceId: string, pairId: string, body: unknown): Promise<Response> {
  return api(device, `/api/conferences/${conferenceId}/carried-forward/${pairId}/versions`, { method: 'POST', body })
}

async function errorOf(response: Response): Promise<[number, string]> {
  return [response.status, ((await response.json()) as ApiErrorBody).error.code]
}

async function openRound(chair: Device, conferenceId: string, scale: ScoringRound['scale']): Promise<ScoringRound> {
  return (await expectJson<{ round: ScoringRound }>(await api(chair, `/api/conferences/${conferenceId}/scoring-rounds`, { method: 'POST', body: { scale } }), 201)).round
}

async function score(device: Device, conferenceId: string, roundId: string, value: number, reason: string): Promise<void> {
  await expectJson(await api(device, `/api/conferences/${conferenceId}/scoring-rounds/${roundId}/scores`, { method: 'POST', body: { value, reason } }), 200)
}

async function reveal(chair: Device, conferenceId: string, roundId: string): Promise<void> {
  await expectJson(await api(chair, `/api/conferences/${conferenceId}/scoring-rounds/${roundId}/reveal`, { method: 'POST' }), 200)
}

describe('a review carries the danger statements of the conference it follows', () => {
  let chair: Device
  let initial: ConferenceSummary
  let review: ConferenceSummary
  let pairIds: string[]
  let mumInReview: Device & { participantId: string }
  let workerInReview: Device

  beforeAll(async () => {
    server = await startTestServer()
    chair = server.admin
    initial = await createTestConference(chair, { title: 'Fictional family — initial', kind: 'uk-initial', date: '2026-11-23' })
    // Leaves once it has written: later tests find the initial record as a past conference is, closed.
    const writer = connectParticipant(chair, initial.id)
    await writer.synced()
    for (const [danger, goal] of [[DANGER_1, GOAL_1], [DANGER_2, GOAL_2]] as const) {
      const pair = writer.record.dangerStatements.add(writer.authorId)
      typeInto(pair.richText('dangerStatement'), danger)
      typeInto(pair.richText('safetyGoal'), goal)
    }
    // An empty pair was never agreed: it is not carried.
    writer.record.dangerStatements.add(writer.authorId)
    // Nor a child added and never named.
    writer.record.details.children.add(writer.authorId, { fields: { name: 'Mia (fictional)', dateOfBirth: '2019-04-02' } })
    writer.record.details.children.add(writer.authorId)
    writer.record.details.children.add(writer.authorId, { fields: { name: 'Leo (fictional)' } })
    await writer.saved()
    pairIds = writer.record.dangerStatements.entries().slice(0, 2).map((pair) => pair.id)
    writer.destroy()

    review = (await expectJson<{ conference: ConferenceSummary }>(await createFollowing(chair, initial.id, { title: 'Fictional family — review', kind: 'uk-review' }), 201)).conference
    mumInReview = await inviteAndJoin(chair, review.id, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    workerInReview = await professionalIn(server.admin, chair, review.id, { name: 'Priya Patel', email: 'priya@example.org', role: 'socialWorker' })
  })

  test('the pairs arrive unchanged, with their ids, marked as carried forward from the initial conference', async () => {
    expect(review).toMatchObject({ follows: initial.id, caseId: initial.id })
    const reader = join(mumInReview, review.id)
    await reader.synced()
    const carried = carriedForwardPairs(reader.doc).pairs()
    expect(carried.map((pair) => ({ id: pair.id, from: pair.from, versions: pair.versions.map(({ at: _at, ...words }) => words) }))).toEqual([
      { id: pairIds[0], from: { conferenceId: initial.id, title: initial.title, date: initial.date }, versions: [{ dangerStatement: DANGER_1, safetyGoal: GOAL_1, by: null, newHarm: null }] },
      { id: pairIds[1], from: { conferenceId: initial.id, title: initial.title, date: initial.date }, versions: [{ dangerStatement: DANGER_2, safetyGoal: GOAL_2, by: null, newHarm: null }] },
    ])
    // Nothing was copied into the pairs anyone may edit.
    expect(reader.record.dangerStatements.entries()).toEqual([])
  })

  test('the named children come too, from the last conference', async () => {
    const reader = join(workerInReview, review.id)
    await reader.synced()
    expect(reader.record.details.children.entries().map((child) => [child.authorId, child.fields])).toEqual([
      [EARLIER_CONFERENCE_AUTHOR, { name: 'Mia (fictional)', dateOfBirth: '2019-04-02' }],
      [EARLIER_CONFERENCE_AUTHOR, { name: 'Leo (fictional)', dateOfBirth: null }],
    ])
  })

  test('a conference of the other country cannot follow it, and neither can one whose creator is not in it', async () => {
    expect(await errorOf(await createFollowing(chair, initial.id, { title: 'Wrong family', kind: 'us-csc-follow-up' }))).toEqual([400, 'invalid-request'])
    const stranger = await professionalIn(server.admin, chair, review.id, { name: 'In the review only', email: 'review.only@example.org', role: 'chair' })
    const refused = await createFollowing(stranger, initial.id, { title: 'Not theirs', kind: 'uk-review' })
    const missing = await createFollowing(stranger, 'AAAAAAAAAAAAAAAAAAAAAA', { title: 'Not theirs', kind: 'uk-review' })
    expect(await errorOf(refused)).toEqual([404, 'conference-not-found'])
    expect(await errorOf(missing)).toEqual([404, 'conference-not-found'])
  })

  test('a review is held no earlier than the conference it follows, and neither can be moved past the other', async () => {
    const before = await refusal(await createFollowing(chair, initial.id, { title: 'Too early', kind: 'uk-review', date: '2026-11-22' }), 400)
    expect(before.fields).toEqual({ date: 'A conference cannot be held before the one it follows.' })
    const move = (conferenceId: string, date: string): Promise<Response> => api(chair, `/api/conferences/${conferenceId}`, { method: 'PATCH', body: { date } })
    expect((await refusal(await move(review.id, '2026-11-20'), 400)).fields).toEqual({ date: 'A conference cannot be held before the one it follows.' })
    expect((await refusal(await move(initial.id, '2027-02-16'), 400)).fields).toEqual({ date: 'A conference cannot be moved after one that follows it.' })
    const conferences = await expectJson<ConferenceCase>(await api(chair, `/api/conferences/${review.id}/case`), 200)
    expect(conferences.conferences.map((conference) => [conference.id, conference.date])).toEqual([[initial.id, '2026-11-23'], [review.id, '2027-02-15']])
  })

  test("a parent's or social worker's websocket update touching the carried-forward pairs is refused, and nothing is stored", async () => {
    for (const device of [mumInReview, workerInReview]) {
      // A client that has the record, and writes its own words over the first pair.
      const forger = join(device, review.id)
      await forger.synced()
      const forged = new Y.Doc()
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(forger.doc))
      const before = Y.encodeStateVector(forged)
      forged.getMap(CARRIED_FORWARD_ROOT).set(pairIds[0]!, { id: pairIds[0], versions: [{ dangerStatement: 'Nothing to worry about.' }] })
      const raw = openRawSocket(device, `/${review.id}`)
      await raw.opened
      raw.socket.send(updateFrame(Y.encodeStateAsUpdate(forged, before)))
      expect((await raw.closed).code).toBe(CloseCode.updateRejected)
    }
    const reader = join(chair, review.id)
    await reader.synced()
    expect(carriedForwardPairs(reader.doc).get(pairIds[0]!)?.versions.map((version) => version.dangerStatement)).toEqual([DANGER_1])
    expect(JSON.stringify(reader.doc.getMap(CARRIED_FORWARD_ROOT).toJSON())).not.toContain('Nothing to worry about')
  })

  test('only the chair changes a carried-forward pair, by recording new harm; both versions are kept and shown to everyone', async () => {
    const change = {
      dangerStatement: 'Sam may drink again, drive with the children in the car, and leave them alone at night.',
      safetyGoal: GOAL_1,
      newHarm: { what: 'Sam drove the children home after drinking; the police stopped the car.', when: 'Saturday 6 February 2027' },
    }
    for (const device of [mumInReview, workerInReview]) expect(await errorOf(await revise(device, review.id, pairIds[0]!, change))).toEqual([403, 'not-allowed'])
    // New harm must be said: what and when.
    expect(await errorOf(await revise(chair, review.id, pairIds[0]!, { ...change, newHarm: { what: '', when: '' } }))).toEqual([400, 'invalid-request'])
    // Words every later conference carries: something to see, and nothing hidden that would show them differently.
    expect(await errorOf(await revise(chair, review.id, pairIds[0]!, { ...change, dangerStatement: 'Sam may\u202E drink again.' }))).toEqual([400, 'invalid-request'])
    expect(await errorOf(await revise(chair, review.id, pairIds[0]!, { ...change, newHarm: { ...change.newHarm, what: '\u200B' } }))).toEqual([400, 'invalid-request'])
    expect(await errorOf(await revise(chair, review.id, 'no-such-pair', change))).toEqual([404, 'pair-not-found'])

    const watcher = join(mumInReview, review.id)
    await watcher.synced()
    const { pair } = await expectJson<{ pair: CarriedPair }>(await revise(chair, review.id, pairIds[0]!, change), 201)
    expect(pair.versions.map(({ dangerStatement, by, newHarm }) => ({ dangerStatement, by, newHarm }))).toEqual([
      { dangerStatement: DANGER_1, by: null, newHarm: null },
      { dangerStatement: change.dangerStatement, by: 'Ada Admin', newHarm: change.newHarm },
    ])
    await waitUntil(() => carriedForwardPairs(watcher.doc).get(pairIds[0]!)?.versions.length === 2, 'the parent sees both versions')
    expect(carriedForwardPairs(watcher.doc).get(pairIds[0]!)).toEqual(pair)
    // The other pair, and the initial conference, are as they were.
    expect(carriedForwardPairs(watcher.doc).get(pairIds[1]!)?.versions).toHaveLength(1)
    const initialReader = join(chair, initial.id)
    await initialReader.synced()
    expect(initialReader.record.dangerStatements.get(pairIds[0]!)).toBeDefined()
    expect(carriedForwardPairs(initialReader.doc).pairs()).toEqual([])
    // Nobody stays in a past conference.
    initialReader.destroy()
    expect((await auditTrail(server)).filter((entry) => entry.action === 'danger-statement-revised')).toMatchObject([
      { conferenceId: review.id, details: { pairId: pairIds[0], version: 2 } },
    ])

    // The review's record for other systems holds the carried pairs first, the changed one with both versions.
    const exported = await api(chair, `/api/conferences/${review.id}/exports/record.json`)
    expect(exported.status).toBe(200)
    const record = (await exported.json()) as ExportModel
    const [statements] = record.sections.find((section) => section.id === 'dangerStatements')?.parts ?? []
    expect(statements?.entries.map((entry) => [entry.title, entry.text])).toEqual([
      ['Danger statement 1', change.dangerStatement],
      ['Danger statement 2', DANGER_2],
    ])
    const changed = JSON.stringify(statements?.entries[0]?.details)
    for (const words of [DANGER_1, change.newHarm.what, change.newHarm.when, 'Fictional family — initial']) expect(changed).toContain(words)
  })

  test('the case lists its conferences oldest first, for members only; an outsider gets the 404 of a conference that does not exist', async () => {
    const asMum = await expectJson<ConferenceCase>(await api(mumInReview, `/api/conferences/${review.id}/case`), 200)
    expect(asMum.conferences.map(({ id, follows, youAreIn }) => ({ id, follows, youAreIn }))).toEqual([
      { id: initial.id, follows: null, youAreIn: false },
      { id: review.id, follows: initial.id, youAreIn: true },
    ])
    const asChair = await expectJson<ConferenceCase>(await api(chair, `/api/conferences/${initial.id}/case`), 200)
    expect(asChair.conferences.map((conference) => conference.youAreIn)).toEqual([true, true])

    const other = await createTestConference(chair, { title: 'Another family' })
    const outsider = await inviteAndJoin(chair, other.id, { name: 'Outsider', role: 'parentOrCarer' })
    // A conference that follows none is a case of its own.
    expect((await expectJson<ConferenceCase>(await api(outsider, `/api/conferences/${other.id}/case`), 200)).conferences.map((conference) => conference.id)).toEqual([other.id])
    // Mum is in the review only: the initial conference's own routes stay closed to her.
    for (const [device, conferenceId] of [[outsider, review.id], [outsider, initial.id], [mumInReview, initial.id]] as const) {
      for (const path of ['case', 'case/progress']) {
        const refused = await api(device, `/api/conferences/${conferenceId}/${path}`)
        const nothing = await api(device, `/api/conferences/AAAAAAAAAAAAAAAAAAAAAA/${path}`)
        expect({ status: refused.status, body: await refused.text() }).toEqual({ status: 404, body: await nothing.text() })
      }
    }
  })

  test("a carried-forward pair's scale is scored as before, and progress across the case holds revealed scores only", async () => {
    const mumInInitial = await inviteAndJoin(chair, initial.id, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    const pair = { kind: 'dangerStatement', pairId: pairIds[0]! } as const
    const first = await openRound(chair, initial.id, pair)
    await score(mumInInitial, initial.id, first.id, 2, 'Stop drinking')
    await reveal(chair, initial.id, first.id)

    const second = await openRound(chair, review.id, pair)
    await score(mumInReview, review.id, second.id, 6, 'Keep going to the group')
    await score(workerInReview, review.id, second.id, 4, 'Three more months of tests')
    await reveal(chair, review.id, second.id)
    // Still sealed: must never appear.
    const sealed = await openRound(chair, review.id, { kind: 'overall' })
    await score(mumInReview, review.id, sealed.id, 9, 'A sealed reason nobody has seen')

    const progress = await expectJson<CaseProgress>(await api(mumInReview, `/api/conferences/${review.id}/case/progress`), 200)
    expect(progress.scales.map((scale) => ({
      scale: scale.scale,
      readings: scale.readings.map(({ conferenceId, median, scores }) => ({ conferenceId, median, values: scores.map((entry) => [entry.name, entry.value]) })),
    }))).toEqual([{
      scale: pair,
      readings: [
        { conferenceId: initial.id, median: 2, values: [['Sam (Mum)', 2]] },
        { conferenceId: review.id, median: 5, values: [['Sam (Mum)', 6], ['Priya Patel', 4]] },
      ],
    }])
    expect(JSON.stringify(progress)).not.toContain('sealed reason')
    expect(JSON.stringify(progress)).not.toContain('"value":9')
    // The chair changed the pair's words for new harm (above) before the review scored it: the numbers answer another question.
    expect(progress.scales[0]?.readings.map((reading) => reading.wordsChanged)).toEqual([false, true])
    // Mum in the initial conference only sees the case up to it: the review may be held with other people.
    const asMumInInitial = await expectJson<CaseProgress>(await api(mumInInitial, `/api/conferences/${initial.id}/case/progress`), 200)
    expect(asMumInInitial.scales.map((scale) => scale.readings.map((reading) => reading.conferenceId))).toEqual([[initial.id]])
    expect(JSON.stringify(asMumInInitial)).not.toContain('Priya Patel')
    expect((await expectJson<ConferenceCase>(await api(mumInInitial, `/api/conferences/${initial.id}/case`), 200)).conferences.map((conference) => conference.id)).toEqual([initial.id])
    // The professionals follow the whole case.
    expect((await expectJson<CaseProgress>(await api(chair, `/api/conferences/${initial.id}/case/progress`), 200)).scales.map((scale) => scale.readings.map((reading) => reading.conferenceId))).toEqual([[initial.id, review.id]])
    // When scores are shown every board asks at once: the initial conference's record, which
    // nobody has open, is not opened again while it has not changed.
    const initialRecord = (event: string): number => server.logLines.filter((line) => line.event === event && line.conferenceId === initial.id && line.document === 'record').length
    await waitUntil(() => initialRecord('conference.unloaded') === initialRecord('conference.loaded'), 'nobody has the initial record open')
    const loadsBefore = initialRecord('conference.loaded')
    await Promise.all([mumInReview, workerInReview, chair].map(async (device) => {
      expect(await expectJson<CaseProgress>(await api(device, `/api/conferences/${review.id}/case/progress`), 200)).toEqual(progress)
    }))
    expect(initialRecord('conference.loaded')).toBe(loadsBefore)

    // The review's record holds the scale across the case; the initial's, only up to itself.
    const scaleIn = async (conferenceId: string) => {
      const record = (await (await api(chair, `/api/conferences/${conferenceId}/exports/record.json`)).json()) as ExportModel
      return record.sections.flatMap((section) => section.scales).find((scale) => scale.revealedAt !== '' && scale.title === 'Scale for danger statement 1')
    }
    expect((await scaleIn(review.id))?.acrossTheCase.map(({ conference, median, scores, wordsChanged }) => [conference, median, scores.map((given) => given.value), wordsChanged])).toEqual([
      ['Fictional family — initial', 2, [2], false],
      ['Fictional family — review', 5, [6, 4], true],
    ])
    expect((await scaleIn(initial.id))?.acrossTheCase).toEqual([])
    expect(JSON.stringify(await scaleIn(review.id))).not.toContain('sealed reason')
  })

  test("a case that branches (a review with each parent apart) shows each parent their own branch only, never the other's conference or scores", async () => {
    const first = await createTestConference(chair, { title: 'Branching family — initial', kind: 'uk-initial', date: '2027-01-10' })
    const withMother = (await expectJson<{ conference: ConferenceSummary }>(await createFollowing(chair, first.id, { title: 'Review with mother', kind: 'uk-review', date: '2027-02-01' }), 201)).conference
    const withFather = (await expectJson<{ conference: ConferenceSummary }>(await createFollowing(chair, first.id, { title: 'Review with father', kind: 'uk-review', date: '2027-02-02' }), 201)).conference
    const mother = await inviteAndJoin(chair, withMother.id, { name: 'Mary Mother', role: 'parentOrCarer' })
    const father = await inviteAndJoin(chair, withFather.id, { name: 'Frank Father', role: 'parentOrCarer' })
    const scoreOverall = async (device: Device, conferenceId: string, value: number, reason: string): Promise<void> => {
      const round = await openRound(chair, conferenceId, { kind: 'overall' })
      await score(device, conferenceId, round.id, value, reason)
      await reveal(chair, conferenceId, round.id)
    }
    await scoreOverall(mother, withMother.id, 2, 'Mary needs him to stay away')
    await scoreOverall(father, withFather.id, 7, 'Frank wants to see the children')

    const caseOf = async (device: Device, conferenceId: string) => (await expectJson<ConferenceCase>(await api(device, `/api/conferences/${conferenceId}/case`), 200)).conferences.map(({ title }) => title)
    const progressOf = async (device: Device, conferenceId: string) => (await expectJson<CaseProgress>(await api(device, `/api/conferences/${conferenceId}/case/progress`), 200))
      .scales.map((scale) => scale.readings.map((reading) => [reading.title, reading.scores.map((given) => given.name)]))
    expect(await caseOf(father, withFather.id)).toEqual(['Branching family — initial', 'Review with father'])
    expect(await progressOf(father, withFather.id)).toEqual([[['Review with father', ['Frank Father']]]])
    expect(await caseOf(mother, withMother.id)).toEqual(['Branching family — initial', 'Review with mother'])
    expect(await progressOf(mother, withMother.id)).toEqual([[['Review with mother', ['Mary Mother']]]])
    // The father's review's record, and so his family version, does not carry the mother's scores either.
    const record = (await (await api(chair, `/api/conferences/${withFather.id}/exports/record.json`)).json()) as ExportModel
    expect(JSON.stringify(record)).not.toContain('Mary Mother')
    expect(JSON.stringify(record)).not.toContain('Review with mother')
    // The professionals still follow the whole case.
    expect(await caseOf(chair, withFather.id)).toEqual(['Branching family — initial', 'Review with mother', 'Review with father'])
  })
})
