import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { DESKTOP, launchBrowser, openAsPerson, openStep, PHONE, stepHeading, type Person } from '../helpers/browser'
import { ADMIN, api, createAccount, expectJson, inviteAndJoin, newProfessional, professionalIn, setPassword, type Device } from '../helpers/devices'
import { seriousProblems } from '../helpers/axe'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

/** The pages of SafetyMap as a person reaches them: roles, labels and words only. */
class Screens {
  constructor(readonly page: Page) {}

  async open(path: string, heading: string): Promise<void> {
    await this.page.goto(path)
    await this.page.getByRole('heading', { name: heading, level: 1 }).waitFor()
  }

  async openBoard(conferenceId: string, title: string): Promise<void> {
    await this.open(`/conferences/${conferenceId}`, title)
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    await this.page.getByRole('region', { name: 'Who is here', exact: true }).getByRole('listitem').first().waitFor()
  }

  region(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true })
  }

  async addEntry(sectionTitle: string, text: string): Promise<void> {
    await this.page.getByRole('button', { name: `Add to ${sectionTitle}` }).click()
    const editor = this.region(sectionTitle).getByRole('textbox').last()
    await editor.waitFor()
    await this.page.waitForFunction((element) => element === document.activeElement, await editor.elementHandle())
    await this.page.keyboard.type(text)
  }

  async addPair(danger: string, goal: string): Promise<void> {
    await this.region('Danger statements and safety goals').getByRole('button', { name: 'Add a danger statement' }).click()
    const dangerText = this.page.getByRole('textbox', { name: 'Danger statement 1', exact: true })
    await dangerText.waitFor()
    await this.page.waitForFunction((element) => element === document.activeElement, await dangerText.elementHandle())
    await this.page.keyboard.type(danger)
    await this.page.getByRole('textbox', { name: 'Safety goal 1', exact: true }).click()
    await this.page.keyboard.type(goal)
  }

  /** Takes the meeting to a step (as the chair or note-taker does): everyone's board follows. */
  async moveMeetingTo(stepTitle: string): Promise<void> {
    await openStep(this.page, stepTitle)
    await this.page.getByRole('button', { name: 'Move the meeting to this step' }).click()
  }

  async openPeople(): Promise<void> {
    const toggle = this.page.getByRole('button', { name: 'People in this conference' })
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  }
}

afterAll(removeTempDirs)

async function sessionOf(device: Device): Promise<unknown> {
  return (await expectJson<{ session: unknown }>(await api(device, '/api/session'), 200)).session
}

describe('no serious or critical accessibility problems (axe-core), on every screen and layout', () => {
  let server: TestServer
  let browser: Browser
  let chair: Person
  let parent: Person
  let socialWorker: Person
  let visitor: Person
  let conferenceId: string
  const title = 'Fictional family — accessibility'
  const scale1 = 'Safety scale 1'

  const everyone = (): Person[] => [chair, parent, socialWorker, visitor]
  const screensOf = (person: Person): Screens => new Screens(person.page)
  const expectNoPageErrors = (): void => {
    expect(everyone().flatMap((person) => person.pageErrors.map((error) => `${person.name}: ${error}`))).toEqual([])
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title })).id
    const [mumDevice, socialWorkerDevice] = await Promise.all([
      inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' }),
      professionalIn(server.admin, server.admin, conferenceId, { name: 'Priya Patel', email: 'priya@example.org', role: 'socialWorker' }),
    ])
    ;[chair, parent, socialWorker, visitor] = await Promise.all([
      openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin),
      openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mumDevice),
      openAsPerson(browser, server.url, 'Priya Patel', DESKTOP, socialWorkerDevice),
      openAsPerson(browser, server.url, 'Someone not signed in', PHONE),
    ])
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('the sign-in, join and set-password pages, on a phone and on a laptop', async () => {
    const screens = screensOf(visitor)
    for (const viewport of [PHONE, DESKTOP]) {
      await visitor.page.setViewportSize(viewport)
      await screens.open('/sign-in', 'Sign in')
      expect(await seriousProblems(visitor.page)).toEqual([])
      await screens.open('/join', 'Join a family meeting')
      expect(await seriousProblems(visitor.page)).toEqual([])
    }
    // With what goes wrong shown: a field left empty, then a code that does not work.
    await visitor.page.getByRole('button', { name: 'Join the meeting' }).click()
    await visitor.page.getByText('Please type your code.').waitFor()
    // The box takes the focus once its error is shown, so a screen reader reads the error out with it.
    await expect.poll(() => visitor.page.getByLabel('Your code').evaluate((box) => box === document.activeElement && box.getAttribute('aria-invalid') === 'true')).toBe(true)
    expect(await seriousProblems(visitor.page)).toEqual([])
    await visitor.page.getByLabel('Your code').fill('ABCDE-FGHJK')
    await visitor.page.getByRole('button', { name: 'Join the meeting' }).click()
    await visitor.page.getByRole('alert').filter({ hasText: 'If it still does not work, ask the person who invited you for a new one.' }).waitFor()
    expect(await seriousProblems(visitor.page)).toEqual([])
    await screens.open('/sign-in', 'Sign in')
    await visitor.page.getByLabel('Email address').fill('nobody@example.org')
    await visitor.page.getByRole('button', { name: 'Sign in' }).click()
    await visitor.page.getByText('Please type your password.').waitFor()
    await expect.poll(() => visitor.page.getByLabel('Password').evaluate((box) => box === document.activeElement)).toBe(true)
    expect(await seriousProblems(visitor.page)).toEqual([])
    // A new professional's one-time link (not used here: opening it only shows the form).
    const { passwordLink } = await createAccount(server.admin, { name: 'Nadia Noor', email: 'nadia@example.org' })
    await screens.open(passwordLink, 'Choose your password')
    expect(await seriousProblems(visitor.page)).toEqual([])
    expectNoPageErrors()
  })

  test('the list of conferences, the administration page and the account page', async () => {
    const screens = screensOf(chair)
    await screens.open('/', 'Conferences')
    expect(await seriousProblems(chair.page)).toEqual([])
    const lostPhone = await newProfessional(server.admin, { name: 'Lena Lost-phone', email: 'lena@example.org' })
    await screens.open('/admin', 'Administration')
    const accounts = chair.page.getByRole('table', { name: 'Accounts' })
    await accounts.waitFor()
    await chair.page.getByRole('table', { name: 'Audit trail' }).waitFor()
    expect(await seriousProblems(chair.page)).toEqual([])
    // Lena lost her phone: her sign-in is reset, after a question, and the new link shown once.
    const ownRow = accounts.getByRole('row', { name: new RegExp(ADMIN.name) })
    expect(await ownRow.textContent()).toContain('Another administrator can reset yours')
    expect(await ownRow.getByRole('button').count()).toBe(0)
    await accounts.getByRole('button', { name: 'Reset sign-in for Lena Lost-phone' }).click()
    await chair.page.getByRole('group', { name: 'Reset sign-in for Lena Lost-phone?' }).getByText('signed out on every device').waitFor()
    expect(await seriousProblems(chair.page)).toEqual([])
    await chair.page.getByRole('button', { name: 'Reset Lena Lost-phone’s sign-in' }).click()
    const shownOnce = chair.page.getByRole('group', { name: 'Sign-in reset for Lena Lost-phone' })
    const link = await shownOnce.getByLabel('Password link').inputValue()
    expect(await accounts.getByRole('row', { name: /Lena Lost-phone/ }).textContent()).toContain('Not chosen yet')
    expect(await seriousProblems(chair.page)).toEqual([])
    expect(await sessionOf(lostPhone)).toBeNull()
    await setPassword(server.url, new URL(link).pathname + new URL(link).hash, 'Lena’s new password, chosen again')
    await screens.open('/account', 'Your account')
    // Setting up a second sign-in step asks for the password first: a session left open is not enough.
    await chair.page.getByLabel('Your password, to show it is you').fill('not my password at all')
    await chair.page.getByRole('button', { name: 'Set up a second sign-in step' }).click()
    await chair.page.getByText('That is not your password.', { exact: true }).waitFor()
    expect(await seriousProblems(chair.page)).toEqual([])
    await screens.open('/no-such-page', 'Page not found')
    expect(await seriousProblems(chair.page)).toEqual([])
    await screens.open('/conferences/no-such-conference', 'Conference not found')
    expect(await seriousProblems(chair.page)).toEqual([])
    expectNoPageErrors()
  })

  test('the board with entries, on the note-taker’s screen and on a phone', async () => {
    const desk = screensOf(chair)
    await desk.openBoard(conferenceId, title)
    await desk.moveMeetingTo('Worries and what’s working well')
    await desk.addEntry('Past harm', 'Dad shouted at the children on Friday night.')
    await desk.addEntry('Existing strengths', 'Mum takes the children to school every day.')
    await desk.addEntry('Next steps', 'Mum will ring the health visitor on Monday.')
    // Looking ahead, away from where the meeting is: the rail and "Back to where the meeting is" too.
    await openStep(chair.page, 'Danger statements and safety goals')
    await desk.addPair('Sam may drink again and leave the children alone at night.', 'A sober adult is with the children every evening.')
    await chair.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    await chair.page.getByRole('button', { name: 'Back to where the meeting is (Worries and what’s working well)' }).waitFor()
    expect(await seriousProblems(chair.page)).toEqual([])

    // The phone follows the meeting: the map, then the danger statements.
    const phone = screensOf(parent)
    await phone.openBoard(conferenceId, title)
    await parent.page.getByRole('textbox', { name: 'Next steps, entry 1', exact: true }).filter({ hasText: 'health visitor' }).waitFor()
    expect(await seriousProblems(parent.page)).toEqual([])
    await desk.moveMeetingTo('Danger statements and safety goals')
    await stepHeading(parent.page, 'Danger statements and safety goals').waitFor()
    await parent.page.getByRole('textbox', { name: 'Danger statement 1', exact: true }).filter({ hasText: 'drink again' }).waitFor()
    expect(await seriousProblems(parent.page)).toEqual([])
    expectNoPageErrors()
  })

  test('the people panel open, with an invitation shown once', async () => {
    const desk = screensOf(chair)
    await desk.openPeople()
    const form = chair.page.getByRole('form', { name: 'Invite someone from the family or their network' })
    // Sent with no name: the box takes the focus once its error is shown, so it is read out.
    await form.getByRole('button', { name: 'Create invitation' }).click()
    await form.getByText('Please type their name.').waitFor()
    await expect.poll(() => form.getByLabel('Their name').evaluate((box) => box === document.activeElement)).toBe(true)
    const professional = chair.page.getByRole('form', { name: 'Add a professional' })
    await professional.getByRole('button', { name: 'Add to this conference' }).click()
    await professional.getByText('Please type their email address.').waitFor()
    await expect.poll(() => professional.getByLabel('Professional\'s email address').evaluate((box) => box === document.activeElement)).toBe(true)
    await form.getByLabel('Their name').fill('Gran (fictional)')
    await form.getByRole('button', { name: 'Create invitation' }).click()
    await chair.page.getByRole('heading', { name: 'Invitation for Gran (fictional)' }).waitFor()
    expect(await seriousProblems(chair.page)).toEqual([])

    await chair.page.getByRole('button', { name: 'Done' }).click()
    await chair.page.getByRole('listitem').filter({ hasText: 'Gran (fictional)' }).getByRole('button', { name: 'Change role' }).click()
    await chair.page.getByLabel('New role for Gran (fictional)').waitFor()
    expect(await seriousProblems(chair.page)).toEqual([])
    // The same panel on a phone.
    await screensOf(parent).openPeople()
    await parent.page.getByRole('listitem').filter({ hasText: 'Gran (fictional)' }).first().waitFor()
    expect(await seriousProblems(parent.page)).toEqual([])
    expectNoPageErrors()
  })

  test('a scale while scoring is open, and after everyone’s scores are shown', async () => {
    const desk = screensOf(chair)
    await desk.region(scale1).getByRole('button', { name: 'Start scoring' }).click()
    await desk.region(scale1).getByRole('button', { name: "Show everyone's scores" }).waitFor()

    const phone = screensOf(parent)
    const form = phone.region(scale1).getByRole('form', { name: 'Your score' })
    await form.waitFor()
    expect(await seriousProblems(parent.page)).toEqual([])
    await form.getByRole('radio', { name: '3', exact: true }).check()
    await form.getByLabel('What would you need to see for the number to go up?').fill('Social care to see that I have stopped drinking.')
    await form.getByRole('button', { name: 'Give my score' }).click()
    await phone.region(scale1).getByText(/^You gave 3\./).waitFor()
    expect(await seriousProblems(parent.page)).toEqual([])

    const priya = screensOf(socialWorker)
    await priya.openBoard(conferenceId, title)
    await priya.region(scale1).getByRole('form', { name: 'Your score' }).waitFor()
    expect(await seriousProblems(socialWorker.page)).toEqual([])
    await desk.region(scale1).getByText(/^Scored so far: /).filter({ hasText: 'Sam (Mum)' }).waitFor()
    expect(await seriousProblems(chair.page)).toEqual([])

    await desk.region(scale1).getByRole('button', { name: "Show everyone's scores" }).click()
    for (const person of [chair, parent]) {
      await screensOf(person).region(scale1).getByRole('figure', { name: "Everyone's scores, from 0 to 10" }).waitFor()
      expect(await seriousProblems(person.page)).toEqual([])
    }
    expectNoPageErrors()
  })

  test('the neutral page that "Leave quickly" goes to', async () => {
    const loaded = parent.page.waitForEvent('load')
    await parent.page.getByRole('button', { name: 'Leave quickly' }).click()
    await loaded
    await parent.page.getByRole('heading', { name: 'Weather', level: 1 }).waitFor()
    expect(await seriousProblems(parent.page)).toEqual([])
    expectNoPageErrors()
  })
})
