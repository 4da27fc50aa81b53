import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { DESKTOP, launchBrowser, openAsPerson, type Person } from '../helpers/browser'
import { ADMIN, api, newProfessional, signedOutDevice } from '../helpers/devices'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

/** The administration page as an administrator uses it: roles, labels and words only. */
class AdminScreen {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/admin')
    await this.page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor()
    await this.accounts.waitFor()
  }

  get accounts(): Locator {
    return this.page.getByRole('table', { name: 'Accounts' })
  }

  async add(name: string, email: string): Promise<void> {
    await this.page.getByLabel('Full name').fill(name)
    await this.page.getByLabel('Email address').fill(email)
    await this.page.getByRole('button', { name: 'Add professional' }).click()
    await this.shownOnce(`Account created for ${name}`).waitFor()
  }

  shownOnce(heading: string): Locator {
    return this.page.getByRole('group', { name: heading, exact: true })
  }

  /** The accessible name of what has the keyboard focus, or its tag when it has none. */
  async focused(): Promise<string> {
    return this.page.evaluate(() => {
      const element = document.activeElement
      if (!element) return 'nothing'
      const label = element.getAttribute('aria-label')
        ?? (element.getAttribute('aria-labelledby') ? document.getElementById(element.getAttribute('aria-labelledby') ?? '')?.textContent : null)
        ?? element.textContent
      return `${element.tagName.toLowerCase()}: ${label}`
    })
  }
}

describe('the administration page, in the browser', () => {
  let server: TestServer
  let browser: Browser
  let admin: Person
  let screen: AdminScreen

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    admin = await openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin)
    screen = new AdminScreen(admin.page)
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
    await removeTempDirs()
  })

  test('every password link made on this visit stays on screen until its own Done: two accounts added, then two sign-ins reset in a row', async () => {
    await screen.open()
    await screen.add('Bea One', 'bea.one@example.org')
    const beaLink = await screen.shownOnce('Account created for Bea One').getByLabel('Password link').inputValue()
    await screen.add('Cal Two', 'cal.two@example.org')
    expect(await screen.shownOnce('Account created for Bea One').getByLabel('Password link').inputValue()).toBe(beaLink)
    await screen.shownOnce('Account created for Cal Two').waitFor()
    // The newest box has the focus, so it is read out.
    expect(await screen.focused()).toBe('div: Account created for Cal Two')

    await screen.shownOnce('Account created for Bea One').getByRole('button', { name: 'Done' }).click()
    expect(await screen.shownOnce('Account created for Bea One').count()).toBe(0)
    await screen.shownOnce('Account created for Cal Two').waitFor()
    // Done does not drop the focus on the page: it goes to the section's heading.
    expect(await screen.focused()).toBe('h2: Add a professional')

    for (const name of ['Bea One', 'Cal Two']) {
      await screen.accounts.getByRole('button', { name: `Reset sign-in for ${name}` }).click()
      // The question takes the focus; answering it moves the focus to the new link.
      expect(await screen.focused()).toBe(`div: Reset sign-in for ${name}?`)
      await admin.page.getByRole('button', { name: `Reset ${name}’s sign-in` }).click()
      await screen.shownOnce(`Sign-in reset for ${name}`).waitFor()
      expect(await screen.focused()).toBe(`div: Sign-in reset for ${name}`)
    }
    await screen.shownOnce('Sign-in reset for Bea One').getByLabel('Password link').waitFor()
    await screen.shownOnce('Sign-in reset for Cal Two').getByLabel('Password link').waitFor()

    // Cancel gives the focus back to the button it came from.
    await screen.accounts.getByRole('button', { name: 'Reset sign-in for Bea One' }).click()
    await admin.page.getByRole('group', { name: 'Reset sign-in for Bea One?' }).getByRole('button', { name: 'Cancel' }).click()
    expect(await screen.focused()).toBe('button: Reset sign-in for Bea One')
    expect(admin.pageErrors).toEqual([])
  })

  test('an administrator disables the account of someone who has left, after saying so in plain words: the list shows it, they are signed out at once, and adding them to a conference says why not', async () => {
    const dan = await newProfessional(server.admin, { name: 'Dan Left', email: 'dan.left@example.org' })
    await screen.open()
    const row = screen.accounts.getByRole('row', { name: /Dan Left/ })
    expect(await row.textContent()).toContain('In use')
    expect(await screen.accounts.getByRole('row', { name: new RegExp(ADMIN.name) }).getByRole('button').count()).toBe(0)

    await row.getByRole('button', { name: 'Disable Dan Left’s account' }).click()
    const question = admin.page.getByRole('group', { name: 'Disable Dan Left’s account?' })
    expect(await question.textContent()).toContain('signed out on every device at once')
    expect(await screen.focused()).toBe('div: Disable Dan Left’s account?')
    await question.getByRole('button', { name: 'Disable Dan Left’s account' }).click()
    await row.getByText('Disabled', { exact: true }).waitFor()
    expect(await screen.focused()).toBe('button: Enable Dan Left’s account')
    await admin.page.getByRole('status').filter({ hasText: 'Dan Left’s account is disabled' }).waitFor()
    expect(await row.textContent()).toContain('Enable the account first')
    // Signed out at once: what his open page asks for is refused.
    expect((await api(dan, '/api/conferences')).status).toBe(401)

    // Added to a conference by email, he is refused with the reason.
    const conference = await createTestConference(server.admin)
    const added = await api(server.admin, `/api/conferences/${conference.id}/people`, { method: 'POST', body: { email: dan.email, role: 'socialWorker' } })
    expect(added.status).toBe(409)
    expect(await added.text()).toContain('Dan Left’s account is disabled')
    // His password no longer signs him in.
    const signIn = await api(signedOutDevice(server.url), '/api/session', { method: 'POST', body: { email: dan.email, password: dan.password } })
    expect(signIn.status).toBe(401)

    await row.getByRole('button', { name: 'Enable Dan Left’s account' }).click()
    await admin.page.getByRole('group', { name: 'Enable Dan Left’s account?' }).getByRole('button', { name: 'Enable Dan Left’s account' }).click()
    await row.getByText('In use', { exact: true }).waitFor()
    expect(admin.pageErrors).toEqual([])
  })
})
