import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { NewInvitation } from '../../shared/access'
import { createLogger } from '../../server/log'
import { startServer, type RunningServer } from '../../server/server'
import { deviceCopies, DESKTOP, launchBrowser, openAsPerson, openStep, PHONE, SyncLine, type Person } from '../helpers/browser'
import { ADMIN, api, expectJson, invite, inviteAndJoin, newProfessional, professionalIn } from '../helpers/devices'
import { createTestConference, makeTempDir, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

/** The pages of signing in and joining, as a person sees them: roles, labels and words only. */
class AccessPages {
  constructor(readonly page: Page) {}

  async setUpFirstAdministrator(link: string, person: { name: string; email: string; password: string }): Promise<void> {
    await this.page.goto(link)
    await this.page.getByRole('heading', { name: 'Set up SafetyMap', level: 1 }).waitFor()
    await this.page.getByLabel('Your name').fill(person.name)
    await this.page.getByLabel('Email address').fill(person.email)
    await this.page.getByLabel('Choose a password').fill(person.password)
    await this.page.getByLabel('Type the password again').fill(person.password)
    await this.page.getByRole('button', { name: 'Set up SafetyMap' }).click()
  }

  async createConference(title: string): Promise<void> {
    await this.page.getByLabel('Title').fill(title)
    await this.page.getByLabel('Date', { exact: true }).fill('2026-11-23')
    await this.page.getByLabel('Your role in it').selectOption({ label: 'Chair' })
    await this.page.getByRole('button', { name: 'Create conference' }).click()
    // Creating it opens it.
    await this.page.getByRole('heading', { name: title, level: 1 }).waitFor()
  }

  async openPeople(): Promise<void> {
    const toggle = this.page.getByRole('button', { name: 'People in this conference' })
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  }

  /** Invites someone through the people panel; returns the link and code shown once. */
  async invite(name: string, role: string): Promise<{ link: string; code: string }> {
    await this.openPeople()
    const form = this.page.getByRole('form', { name: 'Invite someone from the family or their network' })
    await form.getByLabel('Their name').fill(name)
    await form.getByLabel('Their role').selectOption({ label: role })
    await form.getByRole('button', { name: 'Create invitation' }).click()
    await this.page.getByRole('heading', { name: `Invitation for ${name}` }).waitFor()
    const link = await this.page.getByLabel('Invitation link').inputValue()
    const code = await this.page.getByLabel('Invitation code').inputValue()
    await this.page.getByRole('button', { name: 'Done' }).click()
    return { link, code }
  }

  async withdrawInvitation(name: string): Promise<void> {
    await this.openPeople()
    await this.page.getByRole('listitem').filter({ hasText: name }).getByRole('button', { name: 'Withdraw invitation' }).click()
    await this.page.getByRole('button', { name: 'Yes, withdraw it' }).click()
    await this.page.getByRole('listitem').filter({ hasText: name }).filter({ hasText: 'Invitation withdrawn.' }).waitFor()
  }

  async joinWithCode(code: string): Promise<void> {
    await this.page.goto('/join')
    await this.page.getByRole('heading', { name: 'Join a family meeting', level: 1 }).waitFor()
    await this.page.getByLabel('Your code').fill(code)
    await this.page.getByRole('button', { name: 'Join the meeting' }).click()
  }

  /** Entries of the record on the page (not form fields such as the code box). */
  entries(): Promise<number> {
    return this.page.getByRole('textbox', { name: /, entry \d+$/ }).count()
  }

  status(words: string): Promise<void> {
    return this.page.getByRole('status').filter({ hasText: words }).waitFor()
  }

  /** True when the page is wider than the screen: a phone user would have to scroll sideways. */
  scrollsSideways(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
  }
}

afterAll(removeTempDirs)

describe('signing in and joining, in the browser', () => {
  let server: RunningServer
  let browser: Browser
  let chair: Person
  let mum: Person
  /** Mum's invitation link, kept by the test (the page shows it once). */
  let mumsLink = ''
  const title = 'Fictional family — access'

  beforeAll(async () => {
    const dataDir = await makeTempDir('safetymap-e2e-access-')
    ;[server, browser] = await Promise.all([startServer({ port: 0, host: '127.0.0.1', dataDir, log: createLogger('silent') }), launchBrowser()])
    chair = await openAsPerson(browser, server.url, ADMIN.name, DESKTOP)
    mum = await openAsPerson(browser, server.url, 'Sam (Mum)', PHONE)
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('the first administrator sets up SafetyMap from the one-time link and creates a conference', async () => {
    const link = await server.access.newSetupLink()
    if (!link) throw new Error('a fresh server needs an administrator')
    const pages = new AccessPages(chair.page)
    await pages.setUpFirstAdministrator(link, ADMIN)
    await chair.page.getByRole('heading', { name: 'Conferences', level: 1 }).waitFor()
    await pages.createConference(title)
    await pages.status('Saved')

    // The link worked once; opened again, it says so and points to signing in.
    const again = await openAsPerson(browser, server.url, 'Someone else')
    await again.page.goto(link)
    await again.page.getByText('SafetyMap is already set up.').waitFor()
    expect(await again.page.getByLabel('Choose a password').count()).toBe(0)
    expect([...chair.pageErrors, ...again.pageErrors]).toEqual([])
    await again.context.close()
  })

  test('a parent opens her invitation link on her phone and follows the record there', async () => {
    const pages = new AccessPages(chair.page)
    const { link } = await pages.invite('Sam (Mum)', 'Parent or carer')
    expect(link).toMatch(/\/join#[A-Za-z0-9_-]{43}$/)
    mumsLink = link

    const phone = new AccessPages(mum.page)
    await mum.page.goto(link)
    await mum.page.getByRole('heading', { name: title, level: 1 }).waitFor()
    await phone.status('Saved')
    // The secret leaves the address bar once used.
    expect(mum.page.url()).not.toContain('#')
    await mum.page.getByText('You are Sam (Mum)').waitFor()

    // The chair takes the meeting to the map; the phone follows.
    await openStep(chair.page, 'Worries and what’s working well')
    await chair.page.getByRole('button', { name: 'Move the meeting to this step' }).click()
    await chair.page.getByRole('button', { name: 'Add to Past harm' }).click()
    await chair.page.keyboard.type('Written by the chair, read on a phone.')
    await mum.page.getByRole('textbox', { name: 'Past harm, entry 1' }).filter({ hasText: 'Written by the chair, read on a phone.' }).waitFor()
    expect(await phone.scrollsSideways()).toBe(false)
    expect([...chair.pageErrors, ...mum.pageErrors]).toEqual([])
  })

  test('withdrawing an invitation mid-meeting takes the record off that phone at once', async () => {
    const pages = new AccessPages(chair.page)
    await pages.withdrawInvitation('Sam (Mum)')
    const phone = new AccessPages(mum.page)
    await phone.status('You no longer have access to this conference.')
    expect(await phone.entries()).toBe(0)
    // Nor is it kept in the phone's storage.
    await mum.page.waitForFunction(async () => (await indexedDB.databases()).every((database) => !database.name?.startsWith('safetymap-conference-')))

    // The withdrawn link now leads to a clear page, not to the record.
    const other = await openAsPerson(browser, server.url, 'Sam again', PHONE)
    await other.page.goto(mumsLink)
    await other.page.getByRole('alert').filter({ hasText: 'If it still does not work, ask the person who invited you for a new one.' }).waitFor()
    expect(await new AccessPages(other.page).entries()).toBe(0)
    await other.context.close()
  })

  test('the code read out over the phone signs a relative in, on their own device', async () => {
    const pages = new AccessPages(chair.page)
    const { code } = await pages.invite('Gran (fictional)', 'Family and friends')
    const gran = await openAsPerson(browser, server.url, 'Gran (fictional)', PHONE)
    // The signal drops as she sends it the first time: she is not told to ask for a new code.
    await gran.page.route('**/api/invitations/redeem', (route) => route.abort('internetdisconnected'), { times: 1 })
    // Read out over the phone: typed in lower case, with a space.
    await new AccessPages(gran.page).joinWithCode(code.toLowerCase().replace('-', ' '))
    await gran.page.getByRole('alert').filter({ hasText: 'SafetyMap could not be reached.' }).waitFor()
    expect(await gran.page.getByText('ask the person who invited you for a new one', { exact: false }).count()).toBe(0)
    await gran.page.getByRole('button', { name: 'Join the meeting' }).click()
    await gran.page.getByRole('heading', { name: title, level: 1 }).waitFor()
    await gran.page.getByRole('textbox', { name: 'Past harm, entry 1' }).waitFor()
    expect(gran.pageErrors).toEqual([])
    await gran.context.close()
  })

  test('a moment without signal as the link opens is not a dead link: they are asked to try again, and trying again opens their meeting', async () => {
    const { link } = await new AccessPages(chair.page).invite('Uncle (fictional)', 'Family and friends')
    const uncle = await openAsPerson(browser, server.url, 'Uncle (fictional)', PHONE)
    // The signal drops just as the phone sends the link: that one request never reaches the server.
    await uncle.page.route('**/api/invitations/redeem', (route) => route.abort('internetdisconnected'), { times: 1 })
    await uncle.page.goto(link)
    const noSignal = uncle.page.getByRole('alert').filter({ hasText: 'We could not reach SafetyMap. Check you have signal, then try again.' })
    await noSignal.waitFor()
    // Not told the link is used up, and the secret is out of the address bar all the same.
    expect(await uncle.page.getByText('ask the person who invited you for a new one', { exact: false }).count()).toBe(0)
    expect(uncle.page.url()).not.toContain('#')

    await noSignal.getByRole('button', { name: 'Try again' }).click()
    await uncle.page.getByRole('heading', { name: title, level: 1 }).waitFor()
    await uncle.page.getByText('You are Uncle (fictional)').waitFor()
    expect(uncle.pageErrors).toEqual([])
    await uncle.context.close()
  })

  test('an observer can read the record but nothing on the page lets them change it', async () => {
    const { link } = await new AccessPages(chair.page).invite('Student (fictional)', 'Observer')
    const observer = await openAsPerson(browser, server.url, 'Student (fictional)', DESKTOP)
    await observer.page.goto(link)
    await observer.page.getByText('You can read this record, but not change it.').waitFor()
    const entry = observer.page.getByRole('textbox', { name: 'Past harm, entry 1' })
    await entry.waitFor()
    expect(await entry.getAttribute('contenteditable')).toBe('false')
    expect(await observer.page.getByRole('button', { name: 'Add to Past harm' }).count()).toBe(0)
    await observer.context.close()
  })
  test('the professionals-only section is on the chair\'s board; a family member is only told it exists', async () => {
    await chair.page.getByRole('button', { name: 'Professionals only' }).click()
    const section = chair.page.getByRole('region', { name: 'Professionals only' })
    const privateSession = section.getByRole('textbox', { name: 'Private session' })
    await privateSession.click()
    await chair.page.keyboard.type('Police information shared in the private session.')
    await privateSession.filter({ hasText: 'Police information shared in the private session.' }).waitFor()

    const { link } = await new AccessPages(chair.page).invite('Aunt (fictional)', 'Family and friends')
    const aunt = await openAsPerson(browser, server.url, 'Aunt (fictional)', PHONE)
    await aunt.page.goto(link)
    await aunt.page.getByText('There is also a short part of this record that only the professionals can see.').waitFor()
    expect(await aunt.page.getByRole('region', { name: 'Professionals only' }).count()).toBe(0)
    expect(await aunt.page.getByRole('button', { name: 'Professionals only' }).count()).toBe(0)
    expect(await aunt.page.locator('body').innerText()).not.toContain('Police information')
    expect([...chair.pageErrors, ...aunt.pageErrors]).toEqual([])
    await aunt.context.close()
  })
})

describe('an invitation link after its time', () => {
  let server: TestServer
  let browser: Browser
  let clock = Date.now()

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer({ now: () => clock }), launchBrowser()])
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('is refused with a page that says what to do', async () => {
    const conference = await createTestConference(server.admin, { date: new Date(clock).toISOString().slice(0, 10) })
    const invitation = await expectJson<NewInvitation>(
      await api(server.admin, `/api/conferences/${conference.id}/invitations`, { method: 'POST', body: { name: 'Dad (fictional)', role: 'parentOrCarer' } }),
      201,
    )
    // Past the conference day and its grace period.
    clock += 9 * 24 * 60 * 60 * 1000
    const dad = await openAsPerson(browser, server.url, 'Dad (fictional)', PHONE)
    await dad.page.goto(invitation.link)
    await dad.page.getByRole('alert').filter({ hasText: 'it may also have expired' }).waitFor()
    await dad.page.getByText('If it still does not work, ask the person who invited you for a new one.').waitFor()
    expect(await new AccessPages(dad.page).entries()).toBe(0)
    expect(dad.pageErrors).toEqual([])
  })
})

describe('taken out of the conference while offline, in the browser', () => {
  let server: TestServer
  let browser: Browser
  let conferenceId: string

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — taken out offline' })).id
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  /** Opens the board, types a saved entry, then, with the line cut, more words that wait on the device. */
  async function typeOffline(person: Person): Promise<SyncLine> {
    const line = await SyncLine.install(person.page)
    const pages = new AccessPages(person.page)
    await person.page.goto(`/conferences/${conferenceId}`)
    await pages.status('Saved')
    await openStep(person.page, 'Worries and what’s working well')
    await person.page.getByRole('button', { name: 'Add to Past harm' }).click()
    await person.page.keyboard.type(`Saved by ${person.name}.`)
    await pages.status('Saved')
    await line.cut()
    await person.page.keyboard.type(' Typed offline.')
    await person.page.getByRole('status').filter({ hasText: /^Offline — / }).waitFor()
    return line
  }

  /** Back online: told plainly, the record off the screen and out of the device's storage. */
  async function expectTakenOut(person: Person, line: SyncLine): Promise<void> {
    line.restore()
    const pages = new AccessPages(person.page)
    await pages.status('You no longer have access to this conference, so what you typed last was not added.')
    expect(await pages.entries()).toBe(0)
    await expect.poll(() => deviceCopies(person.page, conferenceId)).toEqual([])
    expect(await person.page.getByText('Typed offline', { exact: false }).count()).toBe(0)
    expect(person.pageErrors).toEqual([])
  }

  test('a parent removed while her phone was offline is told she no longer has access, and what she typed last was not added', async () => {
    const mum = await inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    const phone = await openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mum)
    const line = await typeOffline(phone)
    expect((await api(server.admin, `/api/conferences/${conferenceId}/people/${mum.participantId}`, { method: 'DELETE' })).status).toBe(204)
    await expectTakenOut(phone, line)
    await phone.context.close()
  })

  test('a parent whose invitation was withdrawn while her phone was put away, opening it again, is told plainly, and the record is off the phone, words typed offline too', async () => {
    const dad = await inviteAndJoin(server.admin, conferenceId, { name: 'Lee (Dad)', role: 'parentOrCarer' })
    const phone = await openAsPerson(browser, server.url, 'Lee (Dad)', PHONE, dad)
    await typeOffline(phone)
    expect(await deviceCopies(phone.page, conferenceId)).not.toEqual([])
    // Put away: the page is gone, the browser's storage stays.
    await phone.page.close()
    await expectJson(await api(server.admin, `/api/conferences/${conferenceId}/invitations/${dad.participantId}`, { method: 'DELETE' }), 200)

    const page = await phone.context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => { pageErrors.push(error.message) })
    await page.goto(`/conferences/${conferenceId}`)
    await page.getByRole('status').filter({ hasText: 'You are no longer part of this meeting, so its record has been taken off this device.' }).waitFor()
    await expect.poll(() => deviceCopies(page, conferenceId)).toEqual([])
    expect(await page.getByText('Saved by Lee (Dad)', { exact: false }).count()).toBe(0)
    expect(pageErrors).toEqual([])
    await phone.context.close()
  })

  test('a family member’s link opened where a professional is signed in says to sign out first, and works after that', async () => {
    const { link } = await invite(server.admin, conferenceId, { name: 'Aunt (fictional)', role: 'familyNetwork' })
    const nurse = await newProfessional(server.admin, { name: 'School nurse', email: `nurse-link-${Date.now()}@example.test` })
    const laptop = await openAsPerson(browser, server.url, 'School nurse', DESKTOP, nurse)
    const { page } = laptop
    await page.goto(link)
    const signedIn = page.getByRole('alert').filter({ hasText: 'You are signed in as School nurse.' })
    await signedIn.waitFor()
    expect(await page.getByText('ask the person who invited you for a new one', { exact: false }).count()).toBe(0)
    // Signed out (in the other tab), the same page opens the meeting as the aunt.
    expect((await page.request.delete('/api/session', { headers: { Origin: server.url } })).status()).toBe(204)
    await signedIn.getByRole('button', { name: 'Try again' }).click()
    await page.getByText('You are Aunt (fictional)').waitFor()
    expect(laptop.pageErrors).toEqual([])
    await laptop.context.close()
  })

  test('a professional removed while offline is told the same, not that the conference does not exist', async () => {
    const nurse = await professionalIn(server.admin, server.admin, conferenceId, { name: 'School nurse', email: `nurse-${Date.now()}@example.test`, role: 'otherProfessional' })
    const laptop = await openAsPerson(browser, server.url, 'School nurse', DESKTOP, nurse)
    const line = await typeOffline(laptop)
    expect((await api(server.admin, `/api/conferences/${conferenceId}/people/${nurse.participantId}`, { method: 'DELETE' })).status).toBe(204)
    await expectTakenOut(laptop, line)
    expect(await laptop.page.getByText('This conference does not exist', { exact: false }).count()).toBe(0)
    await laptop.context.close()
  })
})
