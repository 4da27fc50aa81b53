import { afterAll, describe, expect, test } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { detailsPart } from '../../shared/conference/details'
import { serverOrigin } from '../../shared/conference/origins'
import { addDays, localDate } from '../../shared/timescales'
import { dateWords } from '../../client/words'
import { DESKTOP, PHONE } from '../helpers/browser'
import { browserSession } from '../helpers/browserSession'
import { addToConference, api, expectJson, inviteAndJoin, professionalIn } from '../helpers/devices'
import { connectParticipant } from '../helpers/participants'
import { createTestConference, removeTempDirs } from '../helpers/server'

/** The professionals' dashboard on the conference list, as a person sees it: roles, labels and words. */
class DashboardPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/')
    await this.page.getByRole('heading', { name: 'Conferences', level: 1 }).waitFor()
  }

  /** The dates still to keep for one conference. */
  conferenceDates(title: string): Locator {
    return this.page.getByRole('region', { name: 'Dates to keep' }).getByRole('article', { name: title })
  }

  dueDate(title: string, label: string): Locator {
    return this.conferenceDates(title).getByRole('listitem').filter({ hasText: label })
  }

  openActions(): Locator {
    return this.page.getByRole('region', { name: 'Your open actions' }).getByRole('listitem')
  }
}

describe('the professionals’ dashboard in the browser', () => {
  const session = browserSession()
  afterAll(removeTempDirs)

  test('a professional sees their conferences’ dates with the late one marked Overdue, and their open actions', async () => {
    // Judged on this machine's own day, as the browser does.
    const today = localDate(new Date())
    const title = 'The Evans children (fictional)'
    const conference = await createTestConference(session.server.admin, { title, kind: 'uk-initial', date: addDays(today, -10) })
    const sam = await professionalIn(session.server.admin, session.server.admin, conference.id, { name: 'Sam Social worker', email: 'sam.dashboard@example.org', role: 'socialWorker' })
    // The note-taker writes Sam's action on the board (here through a sync client).
    const noteTaker = connectParticipant(session.server.admin, conference.id)
    try {
      await noteTaker.synced()
      noteTaker.record.actions.add(noteTaker.authorId, { fields: { who: 'Sam Social worker', ownedBy: 'professionals', byWhen: addDays(today, -1), status: 'open' }, text: { what: 'Visit the children at home' } })
      noteTaker.record.actions.add(noteTaker.authorId, { fields: { who: 'Dad', ownedBy: 'family-and-network', byWhen: null, status: 'open' }, text: { what: 'Not Sam’s to do' } })
      // Due within 10 working days of the meeting; booked weeks after that.
      noteTaker.record.coreGroup.nextMeetings.add(noteTaker.authorId, { fields: { kind: 'core-group', date: addDays(today, 40), note: '' } })
      await noteTaker.saved()
    } finally {
      noteTaker.destroy()
    }

    // Another of Sam's conferences was stored, before such dates were refused, in the year 9999.
    const farOff = await createTestConference(session.server.admin, { title: 'The Green children (fictional)' })
    await addToConference(session.server.admin, farOff.id, { email: sam.email, role: 'socialWorker' })
    await session.server.rooms.change(farOff.id, (room) => { detailsPart(room.doc).update({ date: '9999-12-31' }, serverOrigin) })

    await expectJson(await api(session.server.admin, `/api/conferences/${conference.id}/exports/sent`, { method: 'POST', body: { document: 'minutes.pdf', to: 'Mum, by email' } }), 201)

    const person = await session.open('Sam', DESKTOP, sam)
    const dashboard = new DashboardPage(person.page)
    await dashboard.open()

    // The minutes were due at most 72 hours after the meeting, ten days ago: said in words. Only a
    // draft has gone out (the record is still open), which does not count, and the date says so.
    const minutes = dashboard.dueDate(title, 'Minutes and plan sent')
    await minutes.getByText('Overdue').waitFor()
    await minutes.getByText('only a draft has been sent', { exact: false }).waitFor()
    // The first review is months away: not overdue.
    const review = dashboard.dueDate(title, 'First review conference')
    await review.getByText('Coming up').waitFor()
    expect(await review.getByText('Overdue').count()).toBe(0)
    // Booked, but not in time: said so, not shown as on time.
    const coreGroup = dashboard.dueDate(title, 'First core group meeting')
    await coreGroup.getByText('Booked late').waitFor()
    await coreGroup.getByText(`booked for ${dateWords(addDays(today, 40))}: later than the rule allows (within 10 working days)`, { exact: false }).waitFor()

    // Said plainly, and not left out: nothing can be worked out from that date.
    const farOffDates = dashboard.conferenceDates('The Green children (fictional)')
    await farOffDates.getByText('Date looks wrong').waitFor()
    expect(await farOffDates.textContent()).toMatch(/9999 .*The conference date above cannot be right/)

    const actions = dashboard.openActions()
    await actions.filter({ hasText: 'Visit the children at home' }).getByText('Overdue').waitFor()
    expect(await actions.count()).toBe(1)
    expect(person.pageErrors).toEqual([])
  })

  test('the social worker puts a wrong date right from the board: the parent’s phone shows the new day at once, her invitation runs until a week after it, and the dashboard stops warning', async () => {
    const today = localDate(new Date())
    const title = 'The Hill children (fictional)'
    const conference = await createTestConference(session.server.admin, { title, kind: 'uk-initial', date: today })
    const sam = await professionalIn(session.server.admin, session.server.admin, conference.id, { name: 'Sam Social worker', email: 'sam.moves@example.org', role: 'socialWorker' })
    const mumsDevice = await inviteAndJoin(session.server.admin, conference.id, { name: 'Mum', role: 'parentOrCarer' })
    // Stored, before such dates were refused, in the year 9999.
    await session.server.rooms.change(conference.id, (room) => { detailsPart(room.doc).update({ date: '9999-12-31' }, serverOrigin) })
    const newDay = addDays(today, 14)

    const samsLaptop = await session.open('Sam', DESKTOP, sam)
    const mum = await session.open('Mum', PHONE, mumsDevice)
    const dashboard = new DashboardPage(samsLaptop.page)
    await dashboard.open()
    await dashboard.conferenceDates(title).getByText('Date looks wrong').waitFor()

    await mum.page.goto(`/conferences/${conference.id}`)
    const mumsHeading = mum.page.locator('.conference-heading')
    await mumsHeading.getByText('9999').waitFor()

    const board = samsLaptop.page
    await board.goto(`/conferences/${conference.id}`)
    await board.getByRole('button', { name: 'People in this conference' }).click()
    const mumsInvitation = board.getByRole('listitem').filter({ hasText: 'Mum' })
    const untilWords = (iso: string): Promise<string> => board.evaluate((at) => new Date(at).toLocaleString(undefined, { day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' }), iso)
    const weekAfter = (day: string): string => new Date(Date.parse(`${day}T23:59:59.999Z`) + 7 * 24 * 60 * 60 * 1000).toISOString()
    await mumsInvitation.getByText(await untilWords(weekAfter(today)), { exact: false }).waitFor()

    const change = board.getByRole('button', { name: 'Change title or date' })
    await change.click()
    const form = board.getByRole('form', { name: 'Change title or date' })
    await form.getByLabel('Date').fill(newDay)
    await form.getByRole('button', { name: 'Save' }).click()
    const newDayWords = await board.evaluate((day) => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`)), newDay)
    await board.getByRole('status').filter({ hasText: `Saved. The conference is now on ${newDayWords}.` }).waitFor()
    expect(await form.count()).toBe(0)
    // The form is gone; the focus is back on the button that opened it.
    expect(await change.evaluate((button) => button === document.activeElement)).toBe(true)

    // Mum did nothing: her phone shows the new day, and her link works until a week after it.
    await mumsHeading.getByText(newDayWords).waitFor()
    await mumsInvitation.getByText(await untilWords(weekAfter(newDay)), { exact: false }).waitFor()

    await dashboard.open()
    await dashboard.dueDate(title, 'Minutes and plan sent').waitFor()
    expect(await dashboard.conferenceDates(title).getByText('Date looks wrong').count()).toBe(0)
    expect([...samsLaptop.pageErrors, ...mum.pageErrors]).toEqual([])
  })
})
