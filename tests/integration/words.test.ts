/**
 * Words people type that others read (server/http/words.ts): what nobody could read, what would
 * show differently from what was typed, and half a character are refused wherever they are sent;
 * longer text keeps its lines and tabs.
 */
import { describe, expect, test } from 'vitest'
import type { Amendment, ConferenceSummary } from '../../shared/api'
import type { ScoringRound } from '../../shared/conference/scores'
import { api, expectJson, inviteAndJoin, professionalIn, refusal } from '../helpers/devices'
import { createTestConference, REFERRAL, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

const BROKEN = 'holds a broken character. Please type it again.'
const HIDDEN = 'holds hidden characters that would change how it is shown. Please type it again.'
const NOTHING_TO_SEE = 'What is written here cannot be seen on screen. Please type it again.'
/** Half of 😀 (a lone surrogate): the list would keep it, the live record U+FFFD in its place. */
const HALF_AN_EMOJI = '\ud83d'

describe('words shown to others', () => {
  test('a title or a name holding half a character is refused, and nothing changes', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin, { title: 'Smith family' })
    const conferencePath = `/api/conferences/${conference.id}`
    const renamed = await api(server.admin, conferencePath, { method: 'PATCH', body: { title: `Smith family ${HALF_AN_EMOJI}` } })
    expect((await refusal(renamed, 400)).fields).toEqual({ title: `The title ${BROKEN}` })
    const invited = await api(server.admin, `${conferencePath}/invitations`, { method: 'POST', body: { name: `Ann ${HALF_AN_EMOJI}`, role: 'parentOrCarer' } })
    expect((await refusal(invited, 400)).fields).toEqual({ name: `The name ${BROKEN}` })

    expect((await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, conferencePath), 200)).conference.title).toBe('Smith family')
    const { people } = await expectJson<{ people: { name: string }[] }>(await api(server.admin, `${conferencePath}/people`), 200)
    expect(people.map((person) => person.name)).not.toContain(`Ann ${HALF_AN_EMOJI}`)
  })

  test('an account email holding control characters, a right-to-left override or half a character is refused', async () => {
    const server = await servers.start()
    const answers = []
    for (const email of ['jo\u0007@example.org', 'jo@example.org\u202E', `jo${HALF_AN_EMOJI}@example.org`]) {
      const response = await api(server.admin, '/api/admin/accounts', { method: 'POST', body: { name: 'Jo Smith', email } })
      answers.push((await refusal(response, 400)).fields?.email)
    }
    expect(answers).toEqual([`The email address ${HIDDEN}`, `The email address ${HIDDEN}`, `The email address ${BROKEN}`])
  })

  test('a correction nobody could read, or holding hidden characters, is refused; one over several lines, with a tab, is kept as typed', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    await expectJson(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    const amend = (text: string): Promise<Response> => api(mum, `/api/conferences/${conference.id}/amendments`, { method: 'POST', body: { section: 'map', text } })

    const refused = []
    for (const text of ['\u200B\u200B', 'a\u0000b', 'It was\u202E Tuesday', `It was Tuesday ${HALF_AN_EMOJI}`]) refused.push((await refusal(await amend(text), 400)).fields?.text)
    expect(refused).toEqual(['Write the correction.', `This ${HIDDEN}`, `This ${HIDDEN}`, `This ${BROKEN}`])
    expect(server.storage.amendments.all()).toEqual([])

    const lines = 'It was my sister who collected them.\n\tShe has a key.\r\nشكرا 👍'
    expect((await expectJson<{ amendment: Amendment }>(await amend(lines), 201)).amendment.text).toBe(lines)
  })

  test("who a document was sent to, a score's reason and a facilitator's organisation: nothing to read, or hidden characters, are refused", async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const worker = await professionalIn(server.admin, server.admin, conference.id, { name: 'Sam Worker', email: 'sam.words@example.org', role: 'socialWorker' })

    const send = (to: string): Promise<Response> => api(worker, `/api/conferences/${conference.id}/exports/sent`, { method: 'POST', body: { document: 'family.pdf', to } })
    expect((await refusal(await send('\u200B\u200B'), 400)).fields).toEqual({ to: 'Write who it was sent to.' })
    expect((await refusal(await send('Jo\u0000, by email'), 400)).fields).toEqual({ to: `This ${HIDDEN}` })
    // "Sent to" is one line.
    expect((await refusal(await send('Jo\nby email'), 400)).fields).toEqual({ to: `This ${HIDDEN}` })
    expect(server.storage.sentDocuments.all()).toEqual([])

    const rounds = `/api/conferences/${conference.id}/scoring-rounds`
    const { round } = await expectJson<{ round: ScoringRound }>(await api(server.admin, rounds, { method: 'POST', body: { scale: { kind: 'overall' } } }), 201)
    const score = (reason: string): Promise<Response> => api(worker, `${rounds}/${round.id}/scores`, { method: 'POST', body: { value: 4, reason } })
    expect((await refusal(await score('\u200B'), 400)).fields).toEqual({ reason: NOTHING_TO_SEE })
    expect((await refusal(await score('A plan\u202E for nights'), 400)).fields).toEqual({ reason: `This ${HIDDEN}` })
    expect(server.storage.sealedScores.all()).toEqual([])
    await expectJson(await score('A plan for nights.\nGrandma there too.'), 200)
    await expectJson(await score(''), 200)

    const csc = (organisation: string): Promise<Response> => api(server.admin, '/api/conferences', {
      method: 'POST',
      body: { title: 'The Diaz family CSC', kind: 'us-csc-initial', date: '2026-11-25', role: 'chair', referral: { ...REFERRAL, facilitator: { ...REFERRAL.facilitator, organisation } } },
    })
    expect((await refusal(await csc('\u200B'), 400)).fields).toEqual({ 'referral.facilitator.organisation': 'Write the organisation the facilitator works for.' })
    expect((await refusal(await csc('Linn County\u2066 Mediation'), 400)).fields).toEqual({ 'referral.facilitator.organisation': `This ${HIDDEN}` })
  })
})
