/**
 * A conference moved to another day, or a title or date typed wrong: `PATCH /api/conferences/:id`.
 */
import { describe, expect, test, vi } from 'vitest'
import type { ParticipantSummary } from '../../shared/access'
import type { ConferenceSummary, Dashboard } from '../../shared/api'
import { INVITATION_GRACE_DAYS } from '../../server/auth/accessControl'
import { api, expectJson, invite, inviteAndJoin, professionalIn, redeem, refusal, signedOutDevice, withCookies, type Device } from '../helpers/devices'
import { connectParticipant, waitUntil } from '../helpers/participants'
import { auditTrail, createCsc, createTestConference, movableClock, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

const DAY_MS = 24 * 60 * 60 * 1000

async function change(device: Device, conferenceId: string, body: unknown): Promise<Response> {
  return api(device, `/api/conferences/${conferenceId}`, { method: 'PATCH', body })
}

async function conferenceAsSeenBy(device: Device, conferenceId: string): Promise<ConferenceSummary> {
  return (await expectJson<{ conference: ConferenceSummary }>(await api(device, `/api/conferences/${conferenceId}`), 200)).conference
}

async function peopleOf(device: Device, conferenceId: string): Promise<ParticipantSummary[]> {
  return (await expectJson<{ people: ParticipantSummary[] }>(await api(device, `/api/conferences/${conferenceId}/people`), 200)).people
}

/** When an invitation to a conference on `date` stops working (the date being in the future). */
function expiryAfter(date: string): string {
  return new Date(Date.parse(`${date}T23:59:59.999Z`) + INVITATION_GRACE_DAYS * DAY_MS).toISOString()
}

/** A promise and the function that settles it: a test holds the server at a step until it says so. */
function signal(): { reached: Promise<void>; give: () => void } {
  let give!: () => void
  const reached = new Promise<void>((resolve) => { give = resolve })
  return { reached, give }
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

describe('moving a conference to another day', () => {
  test('the chair puts the meeting back three weeks: everyone connected sees the new date, the family’s link works until a week after it, the dashboard counts from it, and the move is audited and kept', async () => {
    const clock = movableClock()
    const server = await servers.start({ now: clock.read })
    const today = isoDay(clock.now)
    const putBackTo = isoDay(clock.now + 21 * DAY_MS)
    const conference = await createTestConference(server.admin, { title: 'The Example family', kind: 'uk-review', date: today })
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const firstExpiry = mum.invitation.participant.invitation?.expiresAt
    expect(firstExpiry).toBe(new Date(Date.parse(`${today}T23:59:59.999Z`) + INVITATION_GRACE_DAYS * DAY_MS).toISOString())
    const mumOnline = servers.track(connectParticipant(mum, conference.id, { authorId: mum.participantId }))
    await mumOnline.synced()
    expect(mumOnline.record.details.get().date).toBe(today)

    const moved = await expectJson<{ conference: ConferenceSummary }>(await change(server.admin, conference.id, { date: putBackTo }), 200)
    expect(moved.conference).toEqual({ ...conference, date: putBackTo })
    await waitUntil(() => mumOnline.record.details.get().date === putBackTo, 'Mum’s copy to show the new date')
    expect(mumOnline.record.details.get().title).toBe('The Example family')
    expect((await conferenceAsSeenBy(mum, conference.id)).date).toBe(putBackTo)

    const newExpiry = new Date(Date.parse(`${putBackTo}T23:59:59.999Z`) + INVITATION_GRACE_DAYS * DAY_MS).toISOString()
    const { people } = await expectJson<{ people: ParticipantSummary[] }>(await api(server.admin, `/api/conferences/${conference.id}/people`), 200)
    expect(people.find((person) => person.id === mum.participantId)?.invitation?.expiresAt).toBe(newExpiry)

    // Reports for a review are due before the new date, not the old one.
    const dashboard = await expectJson<Dashboard>(await api(server.admin, `/api/dashboard?today=${today}`), 200)
    const dates = dashboard.conferences.find((entry) => entry.conference.id === conference.id)
    expect(dates?.conference.date).toBe(putBackTo)
    const reportsDue = dates?.dates.find((date) => date.id === 'reportsDue')
    expect(reportsDue?.state).toBe('upcoming')
    expect((reportsDue?.date ?? '') > today && (reportsDue?.date ?? '') < putBackTo).toBe(true)

    const audited = (await auditTrail(server)).filter((entry) => entry.action === 'conference-changed')
    expect(audited).toMatchObject([{ conferenceId: conference.id, details: { dateBefore: today, date: putBackTo, titleChanged: false } }])
    // The title names the family: never in the audit log.
    expect(JSON.stringify(audited)).not.toContain('Example')

    const restarted = await servers.restart()
    expect((await conferenceAsSeenBy(restarted.admin, conference.id)).date).toBe(putBackTo)
    const reader = servers.track(connectParticipant(restarted.admin, conference.id))
    await reader.synced()
    expect(reader.record.details.get()).toMatchObject({ title: 'The Example family', date: putBackTo })

    // A day after the old link would have stopped working, her code still signs in her other phone.
    clock.now = Date.parse(firstExpiry ?? '') + DAY_MS
    const signedIn = await redeem(signedOutDevice(restarted.url), { code: mum.invitation.code })
    await expectJson(signedIn.clone(), 200)
    expect((await conferenceAsSeenBy(withCookies(signedOutDevice(restarted.url), signedIn), conference.id)).date).toBe(putBackTo)
  })

  test('a title typed wrong is corrected, live, and nothing else changes', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin, { title: 'The Exmaple family', date: '2026-12-03' })
    const chair = servers.track(connectParticipant(server.admin, conference.id))
    await chair.synced()
    const renamed = await expectJson<{ conference: ConferenceSummary }>(await change(server.admin, conference.id, { title: '  The Example family ' }), 200)
    expect(renamed.conference).toEqual({ ...conference, title: 'The Example family' })
    await waitUntil(() => chair.record.details.get().title === 'The Example family', 'the new title in the record')
    expect(chair.record.details.get().date).toBe('2026-12-03')
    expect((await auditTrail(server)).filter((entry) => entry.action === 'conference-changed').map((entry) => entry.details))
      .toEqual([{ dateBefore: '2026-12-03', date: '2026-12-03', titleChanged: true }])
  })

  test('refused, with a reason and nothing changed: the family, other professionals, bad dates, nothing to change, another conference, a closed record', async () => {
    const server = await servers.start()
    const { admin } = server
    const conference = await createTestConference(admin, { date: '2026-12-03' })
    const mum = await inviteAndJoin(admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const doctor = await professionalIn(admin, admin, conference.id, { name: 'Dr Lee', email: 'lee@example.org', role: 'otherProfessional' })
    const socialWorker = await professionalIn(admin, admin, conference.id, { name: 'Sam', email: 'sam@example.org', role: 'socialWorker' })
    const elsewhere = await createTestConference(doctor, { date: '2026-12-04' })

    expect((await refusal(await change(mum, conference.id, { date: '2026-12-10' }), 403)).code).toBe('not-allowed')
    expect((await refusal(await change(doctor, conference.id, { date: '2026-12-10' }), 403)).code).toBe('not-allowed')
    expect((await refusal(await change(admin, elsewhere.id, { date: '2026-12-10' }), 404)).code).toBe('conference-not-found')
    expect((await refusal(await change(admin, 'AAAAAAAAAAAAAAAAAAAAAA', { date: '2026-12-10' }), 404)).code).toBe('conference-not-found')
    expect(await refusal(await change(admin, conference.id, { date: '2026-02-30' }), 400)).toMatchObject({ code: 'invalid-request', fields: { date: expect.any(String) as string } })
    expect(await refusal(await change(admin, conference.id, { date: '3026-12-10' }), 400)).toMatchObject({ fields: { date: 'Give a date between the years 1900 and 2199.' } })
    expect(await refusal(await change(admin, conference.id, { title: '   ' }), 400)).toMatchObject({ fields: { title: expect.any(String) as string } })
    expect(await refusal(await change(admin, conference.id, {}), 400)).toMatchObject({ fields: { '(body)': 'Give a new title or date.' } })
    expect(await conferenceAsSeenBy(admin, conference.id)).toMatchObject({ date: '2026-12-03', title: conference.title })

    // The social worker who may arrange a conference may move it.
    await expectJson(await change(socialWorker, conference.id, { date: '2026-12-10' }), 200)

    await expectJson(await api(admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    expect(await refusal(await change(admin, conference.id, { date: '2026-12-17' }), 409)).toMatchObject({ code: 'record-final', message: 'This record is closed, so its title and date can no longer be changed. If one is wrong, add a correction to the first step saying what is right: the minutes will show it after the original.' })
    expect(await conferenceAsSeenBy(admin, conference.id)).toMatchObject({ date: '2026-12-10' })
    expect((await auditTrail(server)).filter((entry) => entry.action === 'conference-changed')).toHaveLength(1)
  })

  test('someone invited while the conference is being moved gets a link that works until a week after the new date', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin, { date: '2026-12-01' })
    // The move is held at its last step, the catalogue's write, until the invitation was asked for.
    const catalogue = server.storage.conferences
    const writeCatalogue = catalogue.update.bind(catalogue)
    const catalogueWriting = signal()
    const catalogueMayWrite = signal()
    vi.spyOn(catalogue, 'update').mockImplementationOnce(async (id, change) => {
      catalogueWriting.give()
      await catalogueMayWrite.reached
      return writeCatalogue(id, change)
    })
    const moving = change(server.admin, conference.id, { date: '2027-03-20' })
    await catalogueWriting.reached
    const invitationAsked = vi.spyOn(server.access, 'invite')
    const inviting = invite(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    await vi.waitFor(() => { expect(invitationAsked).toHaveBeenCalled() })
    catalogueMayWrite.give()

    expect((await expectJson<{ conference: ConferenceSummary }>(await moving, 200)).conference.date).toBe('2027-03-20')
    expect((await inviting).participant.invitation?.expiresAt).toBe(expiryAfter('2027-03-20'))
    expect((await peopleOf(server.admin, conference.id)).find((person) => person.name === 'Mum')?.invitation?.expiresAt).toBe(expiryAfter('2027-03-20'))
  })

  test('a move refused because the chair closed the record meanwhile leaves every invitation and the audit trail as they were', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin, { date: '2026-12-01' })
    await invite(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    await invite(server.admin, conference.id, { name: 'Dad', role: 'parentOrCarer' })
    const peopleBefore = await peopleOf(server.admin, conference.id)
    expect(peopleBefore.filter((person) => person.invitation?.expiresAt === expiryAfter('2026-12-01'))).toHaveLength(2)
    // The record is closed just as the first invitation is being moved: after the early check that it is open.
    const participants = server.storage.access.participants
    const writeParticipant = participants.update.bind(participants)
    vi.spyOn(participants, 'update').mockImplementationOnce(async (id, update) => {
      await expectJson(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
      return writeParticipant(id, update)
    })

    expect((await refusal(await change(server.admin, conference.id, { date: '2027-03-20' }), 409)).code).toBe('record-final')
    expect(await conferenceAsSeenBy(server.admin, conference.id)).toMatchObject({ date: '2026-12-01' })
    expect(await peopleOf(server.admin, conference.id)).toEqual(peopleBefore)
    expect((await auditTrail(server)).filter((entry) => entry.action === 'conference-changed')).toEqual([])
    // As written down, not only as held in memory.
    const restarted = await servers.restart()
    expect(await peopleOf(restarted.admin, conference.id)).toEqual(peopleBefore)
  })

  test('a move whose catalogue write fails gives the invitations their expiries back and is not audited', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin, { date: '2026-12-01' })
    await invite(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const peopleBefore = await peopleOf(server.admin, conference.id)
    vi.spyOn(server.storage.conferences, 'update').mockRejectedValueOnce(new Error('disk full'))

    expect((await refusal(await change(server.admin, conference.id, { date: '2027-03-20' }), 500)).code).toBe('internal-error')
    expect(await peopleOf(server.admin, conference.id)).toEqual(peopleBefore)
    expect((await auditTrail(server)).filter((entry) => entry.action === 'conference-changed')).toEqual([])
    // Asked again, it is made.
    await expectJson(await change(server.admin, conference.id, { date: '2027-03-20' }), 200)
    expect((await peopleOf(server.admin, conference.id)).find((person) => person.name === 'Mum')?.invitation?.expiresAt).toBe(expiryAfter('2027-03-20'))
  })

  test('a child safety conference cannot be moved to before the concern was raised, nor a year after it (a mistyped year)', async () => {
    const server = await servers.start()
    // The concern was raised on Monday 23 November 2026.
    const conference = await createCsc(server.admin)
    expect(await refusal(await change(server.admin, conference.id, { date: '2026-11-22' }), 400)).toMatchObject({ fields: { date: 'The conference cannot meet before the concern was raised.' } })
    expect(await refusal(await change(server.admin, conference.id, { date: '2027-11-25' }), 400)).toMatchObject({ fields: { date: 'This is more than a year after the concern was raised. Check the date of the conference.' } })
    const moved = await expectJson<{ conference: ConferenceSummary }>(await change(server.admin, conference.id, { date: '2026-11-23' }), 200)
    expect(moved.conference).toMatchObject({ date: '2026-11-23', referral: { holdBy: '2026-11-26T15:30:00.000Z' } })
  })
})
