import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { detailsPart } from '../../shared/conference/details'
import { serverOrigin } from '../../shared/conference/origins'
import type { CatalogFile } from '../../server/storage/catalog'
import { CATALOG_FILE, SENT_DOCUMENTS_FILE } from '../../server/storage/embedded'
import type { ConferenceDatesResponse, Dashboard, DashboardConference, DashboardDate } from '../../shared/api'
import type { SentDocumentsResponse } from '../../shared/exports'
import { addToConference, api, expectJson, inviteAndJoin, professionalIn, type Device } from '../helpers/devices'
import { connectParticipant, waitUntil, type Participant } from '../helpers/participants'
import { createTestConference, serverForEachTest, startTestServer } from '../helpers/server'

const servers = serverForEachTest()

/** Monday 23 November 2026: every date below is judged against it. */
const TODAY = '2026-11-23'

async function dashboardOf(device: Device, today = TODAY): Promise<Dashboard> {
  return expectJson<Dashboard>(await api(device, `/api/dashboard?today=${today}`), 200)
}

/** The dates of one conference as `[id, date, booked, state]`, for short expectations. */
function datesOf(dashboard: Dashboard, conferenceId: string): [string, string, string | null, string][] {
  const entry: DashboardConference | undefined = dashboard.conferences.find((candidate) => candidate.conference.id === conferenceId)
  if (!entry) throw new Error(`conference ${conferenceId} is not on the dashboard`)
  return entry.dates.map((date) => [date.id, date.date, date.booked, date.state])
}

function addAction(participant: Participant, what: string, fields: { who: string; byWhen: string | null; status?: 'open' | 'done' }): void {
  participant.record.actions.add(participant.authorId, { fields: { ownedBy: 'professionals', status: 'open', ...fields }, text: { what } })
}

describe('the professionals’ dashboard', () => {
  test('each of their conferences with the dates that follow, overdue ones marked, and their open actions; nothing from conferences they are not in', async () => {
    const server = await servers.start()
    const { admin } = server
    // Held on Thursday 12 November, not yet closed: the minutes are late.
    const initial = await createTestConference(admin, { title: 'The Adams children', kind: 'uk-initial', date: '2026-11-12' })
    // Meets on Wednesday 25 November: its reports were due 5 working days before.
    const review = await createTestConference(admin, { title: 'The Brown children', kind: 'uk-review', date: '2026-11-25' })
    // Held and closed on Friday 20 November.
    const safety = await createTestConference(admin, { title: 'The Clark children', kind: 'us-csc-initial', date: '2026-11-20' })
    const elsewhere = await createTestConference(admin, { title: 'Someone else’s family', kind: 'uk-initial', date: '2026-11-02' })

    const sam = await professionalIn(admin, admin, initial.id, { name: 'Sam Social worker', email: 'sam@example.org', role: 'socialWorker' })
    await addToConference(admin, review.id, { email: sam.email, role: 'socialWorker' })
    await addToConference(admin, safety.id, { email: sam.email, role: 'otherProfessional' })

    const chair = servers.track(connectParticipant(admin, initial.id))
    const chairElsewhere = servers.track(connectParticipant(admin, elsewhere.id))
    const samOnTheBoard = servers.track(connectParticipant(sam, initial.id, { authorId: sam.participantId }))
    await Promise.all([chair.synced(), chairElsewhere.synced(), samOnTheBoard.synced()])
    addAction(chair, 'Visit the children at home', { who: 'Sam Social worker', byWhen: '2026-11-20' })
    addAction(chair, 'Send the health report', { who: ' sam social WORKER ', byWhen: '2026-12-01' })
    addAction(chair, 'Already done', { who: 'Sam Social worker', byWhen: '2026-11-16', status: 'done' })
    addAction(samOnTheBoard, 'Book the family group conference', { who: 'Mum', byWhen: null })
    addAction(chair, 'Call the school', { who: 'Mum', byWhen: '2026-11-30' })
    chair.record.coreGroup.nextMeetings.add(chair.authorId, { fields: { kind: 'review-conference', date: '2027-02-10', note: '' } })
    addAction(chairElsewhere, 'Not for Sam to see', { who: 'Sam Social worker', byWhen: '2026-11-20' })
    await Promise.all([chair.saved(), chairElsewhere.saved(), samOnTheBoard.saved()])
    await expectJson(await api(admin, `/api/conferences/${safety.id}/finalize`, { method: 'POST' }), 200)
    // Closed, but the minutes are not out until someone records sending them (today is the last of the 72 hours).
    expect(datesOf(await dashboardOf(sam), safety.id)[0]).toEqual(['minutesSent', '2026-11-20', null, 'due'])
    // Sent after the record was closed (now): the final minutes.
    await expectJson(await api(admin, `/api/conferences/${safety.id}/exports/sent`, { method: 'POST', body: { document: 'minutes.pdf', to: 'The Clark family, by hand' } }), 201)

    const dashboard = await dashboardOf(sam)
    expect(dashboard.today).toBe(TODAY)
    expect(dashboard.conferences.map((entry) => entry.conference.title).sort()).toEqual(['The Adams children', 'The Brown children', 'The Clark children'])
    expect(dashboard.conferences.find((entry) => entry.conference.id === safety.id)).toMatchObject({ role: 'otherProfessional', final: true })

    expect(datesOf(dashboard, initial.id)).toEqual([
      ['reportsDue', '2026-11-10', null, 'done'],
      ['minutesSent', '2026-11-12', null, 'overdue'],
      ['coreGroup', '2026-11-26', null, 'upcoming'],
      ['review', '2027-02-12', '2027-02-10', 'booked'],
    ])
    expect(datesOf(dashboard, review.id)).toEqual([
      ['reportsDue', '2026-11-18', null, 'overdue'],
      ['minutesSent', '2026-11-25', null, 'upcoming'],
      ['coreGroup', '2026-12-09', null, 'upcoming'],
      ['review', '2027-05-25', null, 'upcoming'],
    ])
    expect(datesOf(dashboard, safety.id)).toEqual([
      ['minutesSent', '2026-11-20', null, 'done'],
      ['followUp', '2026-11-30', null, 'upcoming'],
      ['sixMonthCheck', '2027-05-20', null, 'upcoming'],
    ])

    // Given to Sam by name (however it was typed), or written by Sam; open ones only, earliest first.
    expect(dashboard.actions.map(({ what, overdue, yours }) => ({ what, overdue, yours }))).toEqual([
      { what: 'Visit the children at home', overdue: true, yours: { assigned: true, written: false } },
      { what: 'Send the health report', overdue: false, yours: { assigned: true, written: false } },
      { what: 'Book the family group conference', overdue: false, yours: { assigned: false, written: true } },
    ])
    expect(dashboard.actions.every((action) => action.conferenceId === initial.id && action.conferenceTitle === 'The Adams children')).toBe(true)

    // A week later the core group is late too; on the day of the review its minutes are due.
    const later = await dashboardOf(sam, '2026-11-30')
    expect(datesOf(later, initial.id)[2]).toEqual(['coreGroup', '2026-11-26', null, 'overdue'])
    expect(datesOf(await dashboardOf(sam, '2026-11-25'), review.id)[1]).toEqual(['minutesSent', '2026-11-25', null, 'due'])
  })

  test('the note-taker, who types every action in the meeting, has only those given to her, not everyone she wrote down', async () => {
    const server = await servers.start()
    const { admin } = server
    const conference = await createTestConference(admin, { title: 'The Evans children', kind: 'uk-initial', date: '2026-11-12' })
    const nadia = await professionalIn(admin, admin, conference.id, { name: 'Nadia Note-taker', email: 'nadia@example.org', role: 'noteTaker' })
    const nadiaOnTheBoard = servers.track(connectParticipant(nadia, conference.id, { authorId: nadia.participantId }))
    await nadiaOnTheBoard.synced()
    addAction(nadiaOnTheBoard, 'Take Sam to the dentist', { who: 'Dad', byWhen: '2026-11-21' })
    addAction(nadiaOnTheBoard, 'Send the minutes', { who: 'Nadia Note-taker', byWhen: '2026-11-22' })
    await nadiaOnTheBoard.saved()
    expect((await dashboardOf(nadia)).actions.map(({ what, overdue, yours }) => ({ what, overdue, yours }))).toEqual([
      { what: 'Send the minutes', overdue: true, yours: { assigned: true, written: false } },
    ])
  })

  test('opens each record once, and again only after it has changed, whoever changed it: never an out-of-date answer', async () => {
    const server = await servers.start()
    const { admin } = server
    const conference = await createTestConference(admin, { title: 'The Evans children', kind: 'uk-initial', date: '2026-11-12' })
    const sam = await professionalIn(admin, admin, conference.id, { name: 'Sam Social worker', email: 'sam@example.org', role: 'socialWorker' })
    const loads = (): number => server.logLines.filter((line) => line.event === 'conference.loaded' && line.conferenceId === conference.id && line.document === 'record').length
    const actionsOf = (dashboard: Dashboard): string[] => dashboard.actions.map((action) => action.what)
    const entryOf = (dashboard: Dashboard): DashboardConference | undefined => dashboard.conferences.find((entry) => entry.conference.id === conference.id)

    expect(actionsOf(await dashboardOf(sam))).toEqual([])
    const afterFirst = loads()
    expect(actionsOf(await dashboardOf(sam))).toEqual([])
    expect(await api(sam, `/api/conferences/${conference.id}/dates?today=${TODAY}`).then((response) => response.status)).toBe(200)
    expect(loads()).toBe(afterFirst)

    // Someone on the board gives Sam an action: the next answer has it.
    const chair = servers.track(connectParticipant(admin, conference.id))
    await chair.synced()
    expect(actionsOf(await dashboardOf(sam))).toEqual([])
    addAction(chair, 'Visit the children at home', { who: 'Sam Social worker', byWhen: '2026-11-20' })
    await chair.saved()
    expect(actionsOf(await dashboardOf(sam))).toEqual(['Visit the children at home'])
    chair.destroy()
    await waitUntil(() => server.rooms.loadedCount === 0, 'the record is unloaded once nobody is in it')
    const afterLeaving = loads()
    expect(actionsOf(await dashboardOf(sam))).toEqual(['Visit the children at home'])
    expect(loads()).toBe(afterLeaving)

    // The server changes the record itself (closing it): the next answer says so.
    await expectJson(await api(admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    expect(entryOf(await dashboardOf(sam))?.final).toBe(true)
  })

  test('the minutes are sent only when the final ones go out: a draft sent before the record was closed is not, and the date says only a draft went out; a sending stored before the version was kept is not taken for final', async () => {
    const server = await servers.start()
    const { admin } = server
    const drafted = await createTestConference(admin, { title: 'The Green children', kind: 'us-csc-initial', date: '2026-11-20' })
    const older = await createTestConference(admin, { title: 'The Hill children', kind: 'us-csc-initial', date: '2026-11-20' })
    const send = async (conferenceId: string, body: unknown): Promise<void> => {
      await expectJson(await api(admin, `/api/conferences/${conferenceId}/exports/sent`, { method: 'POST', body }), 201)
    }
    const finalize = async (conferenceId: string): Promise<void> => {
      await expectJson(await api(admin, `/api/conferences/${conferenceId}/finalize`, { method: 'POST' }), 200)
    }
    const minutesOf = (dashboard: Dashboard, conferenceId: string): DashboardDate | undefined =>
      dashboard.conferences.find((entry) => entry.conference.id === conferenceId)?.dates.find((date) => date.id === 'minutesSent')

    // Downloaded and sent while the record was open, then the record closed.
    await send(drafted.id, { document: 'minutes.pdf', to: 'Mum, by email' })
    await finalize(drafted.id)
    expect(minutesOf(await dashboardOf(admin), drafted.id)).toMatchObject({ state: 'due', sentSoFar: 'draft' })
    expect(minutesOf(await dashboardOf(admin, '2026-11-24'), drafted.id)).toMatchObject({ state: 'overdue', sentSoFar: 'draft' })
    const { dates } = await expectJson<ConferenceDatesResponse>(await api(admin, `/api/conferences/${drafted.id}/dates?today=${TODAY}`), 200)
    expect(dates.dates.find((date) => date.id === 'minutesSent')).toMatchObject({ state: 'due', sentSoFar: 'draft' })
    // The final minutes go out.
    await send(drafted.id, { document: 'minutes.docx', to: 'Mum, by email' })
    const sent = minutesOf(await dashboardOf(admin), drafted.id)
    expect(sent?.state).toBe('done')
    expect(sent).not.toHaveProperty('sentSoFar')

    // A file written before the version was kept: still read, and the sending neither draft nor final.
    await finalize(older.id)
    const restarted = await servers.restart(async (dataDir) => {
      const file = path.join(dataDir, SENT_DOCUMENTS_FILE)
      const stored = JSON.parse(await readFile(file, 'utf8')) as { version: number; sentDocuments: object[] }
      stored.sentDocuments.push({ id: 'sent-long-ago', conferenceId: older.id, document: 'minutes.pdf', to: 'The Hill family, by hand', at: '2026-11-20T16:00:00.000Z', recordedBy: 'Someone', recordedById: 'participant-x', recordedAt: '2026-11-20T16:05:00.000Z' })
      await writeFile(file, JSON.stringify(stored))
    })
    const afterRestart = await dashboardOf(restarted.admin)
    expect(minutesOf(afterRestart, older.id)).toMatchObject({ state: 'due', sentSoFar: 'unknown' })
    expect(minutesOf(afterRestart, drafted.id)?.state).toBe('done')
    const list = await expectJson<SentDocumentsResponse>(await api(restarted.admin, `/api/conferences/${older.id}/exports/sent`), 200)
    expect(list.sent.map((entry) => entry.status)).toEqual([{ state: 'unknown' }])
    expect(restarted.logLines.filter((line) => line.level === 'error')).toEqual([])
  })

  test('a closed conference’s review is settled by the review that follows it: booked once created, done once held; a meeting booked after the latest day allowed is booked late', async () => {
    const server = await servers.start()
    const { admin } = server
    // Held on Monday 2 November: the first core group is due by 16 November, the review by 2 February.
    const initial = await createTestConference(admin, { title: 'The Fox children', kind: 'uk-initial', date: '2026-11-02' })
    const safety = await createTestConference(admin, { title: 'The Gray children', kind: 'us-csc-initial', date: '2026-11-10' })
    const chair = servers.track(connectParticipant(admin, initial.id))
    await chair.synced()
    chair.record.coreGroup.nextMeetings.add(chair.authorId, { fields: { kind: 'core-group', date: '2027-01-20', note: '' } })
    await chair.saved()
    // Closed with no review in its next dates: nothing can be booked in it now.
    for (const conference of [initial, safety]) await expectJson(await api(admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    const stateOf = (dashboard: Dashboard, conferenceId: string, id: string): [string | null, string] | undefined => {
      const date = dashboard.conferences.find((entry) => entry.conference.id === conferenceId)?.dates.find((candidate) => candidate.id === id)
      return date && [date.booked, date.state]
    }
    expect(stateOf(await dashboardOf(admin), initial.id, 'coreGroup')).toEqual(['2027-01-20', 'booked-late'])
    expect(stateOf(await dashboardOf(admin, '2027-02-10'), initial.id, 'review')).toEqual([null, 'overdue'])
    expect(stateOf(await dashboardOf(admin), safety.id, 'followUp')).toEqual([null, 'overdue'])

    const follow = async (earlierId: string, body: { title: string; kind: string; date: string }): Promise<void> => {
      await expectJson(await api(admin, '/api/conferences', { method: 'POST', body: { ...body, role: 'chair', follows: earlierId } }), 201)
    }
    await follow(initial.id, { title: 'The Fox children, review', kind: 'uk-review', date: '2027-02-15' })
    await follow(safety.id, { title: 'The Gray children, follow-up', kind: 'us-csc-follow-up', date: '2026-11-19' })
    // Booked after the 3 months, then held.
    expect(stateOf(await dashboardOf(admin, '2027-02-10'), initial.id, 'review')).toEqual(['2027-02-15', 'booked-late'])
    expect(stateOf(await dashboardOf(admin, '2027-02-15'), initial.id, 'review')).toEqual(['2027-02-15', 'done'])
    // Held within its 10 days.
    expect(stateOf(await dashboardOf(admin, '2026-11-18'), safety.id, 'followUp')).toEqual(['2026-11-19', 'booked'])
    expect(stateOf(await dashboardOf(admin), safety.id, 'followUp')).toEqual(['2026-11-19', 'done'])
  })

  test('one conference’s dates, for anyone in it (the board suggests the next meetings from them); nobody else', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin, { title: 'The Davis children', kind: 'uk-initial', date: '2026-12-21' })
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    const path = `/api/conferences/${conference.id}/dates?today=${TODAY}`
    const { dates } = await expectJson<ConferenceDatesResponse>(await api(mum, path), 200)
    // Ten working days skip the weekends and the Christmas and New Year bank holidays.
    expect(dates.dates.find((date) => date.id === 'coreGroup')).toMatchObject({ date: '2027-01-07', rule: 'within 10 working days', state: 'upcoming' })
    expect(dates.dates.find((date) => date.id === 'review')).toMatchObject({ date: '2027-03-21', state: 'upcoming' })
    const elsewhere = await createTestConference(server.admin, { title: 'Another family' })
    const outsider = await professionalIn(server.admin, server.admin, elsewhere.id, { name: 'Not in it', email: 'outsider@example.org', role: 'socialWorker' })
    expect((await api(outsider, path)).status).toBe(404)
    expect((await api(server.admin, `/api/conferences/${conference.id}/dates?today=tomorrow`)).status).toBe(400)
  })

  test('a conference stored with a date out of this world (before dates were checked) still shows, with its date called wrong; the rest of the dashboard and its invitations work', async () => {
    const server = await servers.start()
    const farOff = await createTestConference(server.admin, { title: 'The Evans children', date: '2026-11-12' })
    const usual = await createTestConference(server.admin, { title: 'The Fisher children', date: '2026-11-25' })
    // Made before the server refused such dates: its record and its catalogue entry say the year 9999.
    await server.rooms.change(farOff.id, (room) => { detailsPart(room.doc).update({ date: '9999-12-31' }, serverOrigin) })
    const restarted = await servers.restart(async (dataDir) => {
      const file = path.join(dataDir, CATALOG_FILE)
      const catalog = JSON.parse(await readFile(file, 'utf8')) as CatalogFile
      for (const conference of catalog.conferences) if (conference.id === farOff.id) conference.date = '9999-12-31'
      await writeFile(file, JSON.stringify(catalog))
    })

    const dashboard = await dashboardOf(restarted.admin)
    expect(dashboard.conferences.find((entry) => entry.conference.id === farOff.id)).toMatchObject({ dateLooksWrong: true, dates: [] })
    expect(datesOf(dashboard, usual.id).map(([id]) => id)).toEqual(['reportsDue', 'minutesSent', 'coreGroup', 'review'])
    const { dates } = await expectJson<ConferenceDatesResponse>(await api(restarted.admin, `/api/conferences/${farOff.id}/dates?today=${TODAY}`), 200)
    expect(dates).toMatchObject({ dateLooksWrong: true, dates: [] })

    // An invitation to it expires a week from now, as if the conference were today: a timestamp the access file can hold.
    await inviteAndJoin(restarted.admin, farOff.id, { name: 'Mum', role: 'parentOrCarer' })
    const again = await servers.restart()
    expect((await dashboardOf(again.admin)).conferences).toHaveLength(2)
    expect(again.logLines.filter((line) => line.level === 'error')).toEqual([])
  })

  test('the server says at start when its list of public holidays runs out within a year, naming the last year, and not before', async () => {
    const warningsAt = async (instant: string): Promise<unknown[]> => {
      const server = await startTestServer({ now: () => Date.parse(instant) })
      await server.stop()
      return server.logLines.filter((line) => line.event === 'config.public-holidays-running-out')
    }
    // The default list ends with 2027.
    expect(await warningsAt('2026-12-31T12:00:00Z')).toEqual([])
    expect(await warningsAt('2027-03-01T12:00:00Z')).toEqual([
      expect.objectContaining({ level: 'warn', lastYear: 2027, ended: false, message: expect.stringContaining('stop at the end of 2027') as unknown }),
    ])
    expect(await warningsAt('2028-02-01T12:00:00Z')).toEqual([
      expect.objectContaining({ level: 'warn', lastYear: 2027, ended: true, message: expect.stringContaining('stopped at the end of 2027') as unknown }),
    ])
  })

  test('for professionals only; a bad date is refused plainly', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin)
    const mum = await inviteAndJoin(server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    expect((await api(mum, '/api/dashboard')).status).toBe(403)
    expect((await api(server.admin, '/api/dashboard?today=23/11/2026')).status).toBe(400)
    // Without a date the server's own day is used.
    expect((await expectJson<Dashboard>(await api(server.admin, '/api/dashboard'), 200)).today).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})
