import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { detailsPart } from '../../shared/conference/details'
import { serverOrigin } from '../../shared/conference/origins'
import { addDays, localDate } from '../../shared/timescales'
import { DESKTOP, launchBrowser, openAsPerson, type Person } from '../helpers/browser'
import { addToConference, professionalIn } from '../helpers/devices'
import { connectParticipant } from '../helpers/participants'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

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
  let server: TestServer
  let browser: Browser
  const people: Person[] = []

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
  })

  afterAll(async () => {
    for (const person of people) await person.context.close()
    await browser.close()
    await server.stop()
    await removeTempDirs()
  })

  test('a professional sees their conferences’ dates with the late one marked Overdue, and their open actions', async () => {
    // Judged on this machine's own day, as the browser does.
    const today = localDate(new Date())
    const title = 'The Evans children (fictional)'
    const conference = await createTestConference(server.admin, { title, kind: 'uk-initial', date: addDays(today, -10) })
    const sam = await professionalIn(server.admin, server.admin, conference.id, { name: 'Sam Social worker', email: 'sam.dashboard@example.org', role: 'socialWorker' })
    // The note-taker writes Sam's action on the board (here through a sync client).
    const noteTaker = connectParticipant(server.admin, conference.id)
    try {
      await noteTaker.synced()
      noteTaker.record.actions.add(noteTaker.authorId, { fields: { who: 'Sam Social worker', ownedBy: 'professionals', byWhen: addDays(today, -1), status: 'open' }, text: { what: 'Visit the children at home' } })
      noteTaker.record.actions.add(noteTaker.authorId, { fields: { who: 'Dad', ownedBy: 'family-and-network', byWhen: null, status: 'open' }, text: { what: 'Not Sam’s to do' } })
      await noteTaker.saved()
    } finally {
      noteTaker.destroy()
    }

    // Another of Sam's conferences was stored, before such dates were refused, in the year 9999.
    const farOff = await createTestConference(server.admin, { title: 'The Green children (fictional)' })
    await addToConference(server.admin, farOff.id, { email: sam.email, role: 'socialWorker' })
    await server.rooms.change(farOff.id, (room) => { detailsPart(room.doc).update({ date: '9999-12-31' }, serverOrigin) })

    const person = await openAsPerson(browser, server.url, 'Sam', DESKTOP, sam)
    people.push(person)
    const dashboard = new DashboardPage(person.page)
    await dashboard.open()

    // The minutes were due at most 72 hours after the meeting, ten days ago: said in words.
    const minutes = dashboard.dueDate(title, 'Minutes and plan sent')
    await minutes.getByText('Overdue').waitFor()
    // The first review is months away: not overdue.
    const review = dashboard.dueDate(title, 'First review conference')
    await review.getByText('Coming up').waitFor()
    expect(await review.getByText('Overdue').count()).toBe(0)

    // Said plainly, and not left out: nothing can be worked out from that date.
    const farOffDates = dashboard.conferenceDates('The Green children (fictional)')
    await farOffDates.getByText('Date looks wrong').waitFor()
    expect(await farOffDates.textContent()).toMatch(/9999 .*The conference date above cannot be right/)

    const actions = dashboard.openActions()
    await actions.filter({ hasText: 'Visit the children at home' }).getByText('Overdue').waitFor()
    expect(await actions.count()).toBe(1)
    expect(person.pageErrors).toEqual([])
  })
})
