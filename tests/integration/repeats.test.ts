/**
 * The same request sent twice, end to end on a real server: two tabs or devices sending at once,
 * or a request sent again after its answer was lost. What nobody can remove afterwards (a
 * conference, an invitation, an amendment, a sending) is made once: the second gets a 409 saying
 * it was already done. A second one meant (other words, later, after a withdrawal) is still made.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ApiErrorBody, ConferenceSummary } from '../../shared/api'
import type { ParticipantSummary } from '../../shared/access'
import { api, expectJson, inviteAndJoin, newProfessional, type Device } from '../helpers/devices'
import { createTestConference, movableClock, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

const MINUTE = 60 * 1000
const clock = movableClock()
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ now: clock.read })
})
afterAll(async () => {
  await server.stop()
  await removeTempDirs()
})

/** The same request sent from two places at once: the statuses, and the refusal's code. */
async function twiceAtOnce(send: () => Promise<Response>): Promise<{ statuses: number[]; refused: string | undefined }> {
  const answers = await Promise.all([send(), send()])
  const refusal = answers.find((answer) => answer.status === 409)
  return {
    statuses: answers.map((answer) => answer.status).sort(),
    refused: refusal && ((await refusal.json()) as ApiErrorBody).error.code,
  }
}

async function statusOf(response: Promise<Response>): Promise<number> {
  return (await response).status
}

async function finalize(chair: Device, conferenceId: string): Promise<void> {
  await expectJson(await api(chair, `/api/conferences/${conferenceId}/finalize`, { method: 'POST' }), 200)
}

describe('a request sent twice is done once', () => {
  test('a conference, or a follow-up of one, is created once; the same again later, or by someone else, is another', async () => {
    const body = { title: 'The Example family', kind: 'uk-initial', date: '2026-12-01', role: 'chair' }
    const create = (device: Device, more: Record<string, unknown> = {}): Promise<Response> => api(device, '/api/conferences', { method: 'POST', body: { ...body, ...more } })
    expect(await twiceAtOnce(() => create(server.admin))).toEqual({ statuses: [201, 409], refused: 'conference-already-created' })
    const titled = async (): Promise<ConferenceSummary[]> =>
      (await expectJson<{ conferences: ConferenceSummary[] }>(await api(server.admin, '/api/conferences'), 200)).conferences.filter((conference) => conference.title === body.title)
    const [initial] = await titled()
    expect(await titled()).toHaveLength(1)
    // The same words in other case are the same title.
    expect(await statusOf(create(server.admin, { title: 'the example family ' }))).toBe(409)

    const review = { title: 'The Example family — review', kind: 'uk-review', date: '2027-02-01', follows: initial?.id }
    expect(await twiceAtOnce(() => create(server.admin, review))).toEqual({ statuses: [201, 409], refused: 'conference-already-created' })

    // Meant: another day, another title, another organiser, or the same again once the moment has passed.
    expect(await statusOf(create(server.admin, { date: '2026-12-02' }))).toBe(201)
    expect(await statusOf(create(server.admin, { title: 'The Example family, second child' }))).toBe(201)
    const colleague = await newProfessional(server.admin, { name: 'Cal Colleague', email: 'cal@example.org' })
    expect(await statusOf(create(colleague))).toBe(201)
    clock.now += 11 * MINUTE
    expect(await statusOf(create(server.admin))).toBe(201)
  })

  test('an invitation is made once for one person; after it was withdrawn, or they were removed, they can be invited again', async () => {
    const conference = await createTestConference(server.admin)
    const invitations = `/api/conferences/${conference.id}/invitations`
    const invite = (name: string): Promise<Response> => api(server.admin, invitations, { method: 'POST', body: { name, role: 'parentOrCarer' } })
    const working = async (): Promise<ParticipantSummary[]> =>
      (await expectJson<{ people: ParticipantSummary[] }>(await api(server.admin, `/api/conferences/${conference.id}/people`), 200)).people
        .filter((person) => person.name === 'Mary Mother' && person.invitation?.revoked === false)

    expect(await twiceAtOnce(() => invite('Mary Mother'))).toEqual({ statuses: [201, 409], refused: 'already-invited' })
    expect(await working()).toHaveLength(1)
    expect(await statusOf(invite('mary mother'))).toBe(409)
    // Someone else is invited as ever.
    expect(await statusOf(invite('Frank Father'))).toBe(201)

    // A lost link: withdraw it, then invite again.
    const [first] = await working()
    await expectJson(await api(server.admin, `${invitations}/${first?.id}`, { method: 'DELETE' }), 200)
    expect(await statusOf(invite('Mary Mother'))).toBe(201)
    const [second] = await working()
    expect(await statusOf(api(server.admin, `/api/conferences/${conference.id}/people/${second?.id}`, { method: 'DELETE' }))).toBe(204)
    expect(await statusOf(invite('Mary Mother'))).toBe(201)
    expect(await working()).toHaveLength(1)
  })

  test('an amendment is added once; other words, or the same said again after someone else, are added', async () => {
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    await finalize(server.admin, conference.id)
    const amend = (device: Device, text: string, section = 'map'): Promise<Response> =>
      api(device, `/api/conferences/${conference.id}/amendments`, { method: 'POST', body: { section, text } })
    const correction = 'It was my sister who collected the children on Tuesday, not me.'

    expect(await twiceAtOnce(() => amend(mum, correction))).toEqual({ statuses: [201, 409], refused: 'amendment-already-added' })
    expect(await statusOf(amend(mum, `  ${correction} `))).toBe(409)
    expect(await statusOf(amend(mum, 'The visit was on Wednesday.'))).toBe(201)
    expect(await statusOf(amend(mum, correction, 'actions'))).toBe(201)
    expect(await statusOf(amend(server.admin, correction))).toBe(201)
    // After the chair's correction, Mum saying hers again is meant.
    expect(await statusOf(amend(mum, correction))).toBe(201)
    expect(server.storage.amendments.all((amendment) => amendment.conferenceId === conference.id).map((amendment) => [amendment.by, amendment.section, amendment.text])).toEqual([
      ['Mum', 'map', correction],
      ['Mum', 'map', 'The visit was on Wednesday.'],
      ['Mum', 'actions', correction],
      ['Ada Admin', 'map', correction],
      ['Mum', 'map', correction],
    ])
  })

  test('a sending is recorded once; sent again later, the final record after a draft, or the minutes again after a correction, it is another', async () => {
    const conference = await createTestConference(server.admin)
    const sent = `/api/conferences/${conference.id}/exports/sent`
    const record = (body: Record<string, unknown>): Promise<Response> => api(server.admin, sent, { method: 'POST', body: { document: 'minutes.pdf', to: 'Mary Mother, by email', ...body } })

    expect(await twiceAtOnce(() => record({}))).toEqual({ statuses: [201, 409], refused: 'sending-already-recorded' })
    expect(await statusOf(record({ to: 'mary mother, by email', at: new Date(Date.now() - 2 * MINUTE).toISOString() }))).toBe(409)
    expect(await statusOf(record({ document: 'family.html' }))).toBe(201)
    expect(await statusOf(record({ to: 'Frank Father, by post' }))).toBe(201)
    expect(await statusOf(record({ at: new Date(Date.now() - 60 * MINUTE).toISOString() }))).toBe(201)
    await finalize(server.admin, conference.id)
    expect(await statusOf(record({}))).toBe(201)
    // A correction is added to the closed record, and the corrected minutes go to her again at once.
    expect(await statusOf(api(server.admin, `/api/conferences/${conference.id}/amendments`, { method: 'POST', body: { section: 'map', text: 'The visit was on Wednesday.' } }))).toBe(201)
    expect(await statusOf(record({}))).toBe(201)
    expect(await statusOf(record({}))).toBe(409)
    const { sent: recorded } = await expectJson<{ sent: { document: string; to: string; status: { state: string } }[] }>(await api(server.admin, sent), 200)
    // Those sent at the same moment are listed in no particular order.
    expect(recorded.map(({ document, to, status }) => `${document} to ${to}, ${status.state}`).sort()).toEqual([
      'family.html to Mary Mother, by email, draft',
      'minutes.pdf to Frank Father, by post, draft',
      'minutes.pdf to Mary Mother, by email, draft',
      'minutes.pdf to Mary Mother, by email, draft',
      'minutes.pdf to Mary Mother, by email, final',
      'minutes.pdf to Mary Mother, by email, final',
    ])
  })
})
