import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { generateSync } from 'otplib'
import type { SecondFactorSetup } from '../../shared/access'
import { DESKTOP, type Person } from '../helpers/browser'
import { browserSession } from '../helpers/browserSession'
import { ADMIN, api, createAccount, expectJson, invite, newProfessional, professionalIn, type Device } from '../helpers/devices'
import { createTestConference, removeTempDirs } from '../helpers/server'

/** True once the keyboard focus is on `locator`'s element (polled: focus moves after a render). */
async function expectFocused(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((element) => element === document.activeElement), { timeout: 5_000 }).toBe(true)
}

/** The description a screen reader reads with a control: the text of what its aria-describedby names. */
function descriptionOf(control: Locator): Promise<string> {
  return control.evaluate((element) => (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '').join(' '))
}

afterAll(removeTempDirs)

describe('what the forms say, and where the keyboard focus goes, in the browser', () => {
  const session = browserSession()
  const open = (name: string, device?: Device): Promise<Person> => session.open(name, DESKTOP, device)

  test('a wrong second-step code is said at the code box, the email and password stay, and the Sign in button keeps the focus while it runs', async () => {
    const priya = await newProfessional(session.server.admin, { name: 'Priya Two-step', email: `priya-${Date.now()}@example.org` })
    const { secret } = await expectJson<SecondFactorSetup>(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }), 200)
    await expectJson(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: generateSync({ secret, period: 30 }) } }), 200)

    const { page, pageErrors } = await open('Priya Two-step')
    await page.goto('/sign-in')
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor()
    await page.getByLabel('Email address').fill(priya.email)
    await page.getByLabel('Password', { exact: true }).fill(priya.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const codeBox = page.getByLabel('6-digit code from your authenticator app')
    await codeBox.waitFor()

    // The answer is held back, to look at the page while the request runs.
    let sent = 0
    let release = (): void => undefined
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route('**/api/session', async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      sent += 1
      await held
      return route.continue()
    })
    const wrong = generateSync({ secret, period: 30 }) === '000000' ? '111111' : '000000'
    await codeBox.fill(wrong)
    const button = page.getByRole('button', { name: /Sign in|Signing in/ })
    await button.click()
    await expect.poll(() => sent).toBe(1)
    await page.getByRole('button', { name: 'Signing in…' }).waitFor()
    // Still focused, shown unavailable; pressed again, nothing more is sent.
    await expectFocused(button)
    expect(await button.getAttribute('aria-disabled')).toBe('true')
    await page.keyboard.press('Enter')
    await button.click({ force: true })
    expect(sent).toBe(1)
    release()

    const said = 'That code did not work. Enter the current 6-digit code from your authenticator app.'
    await page.getByText(said).waitFor()
    // At the code box, read out with it, and the focus goes there to type it again.
    await expect.poll(() => descriptionOf(codeBox)).toContain(said)
    expect(await codeBox.getAttribute('aria-invalid')).toBe('true')
    await expectFocused(codeBox)
    expect(await page.getByLabel('Email address').inputValue()).toBe(priya.email)
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe(priya.password)
    expect(sent).toBe(1)
    expect(pageErrors).toEqual([])
  })

  test('choosing a password: an error from the server goes once the form finds another problem', async () => {
    const { passwordLink } = await createAccount(session.server.admin, { name: 'Nadia Noor', email: `nadia-${Date.now()}@example.org` })
    const { page, pageErrors } = await open('Nadia Noor')
    await page.goto(passwordLink)
    await page.getByRole('heading', { name: 'Choose your password', level: 1 }).waitFor()
    const password = page.getByLabel('Choose a password')
    await password.fill('short')
    await page.getByLabel('Type the password again').fill('short')
    await page.getByRole('button', { name: 'Save password' }).click()
    await expect.poll(() => descriptionOf(password)).toContain('Use at least 12 characters')

    await password.fill('twenty-two characters')
    await page.getByLabel('Type the password again').fill('twenty-two characters!')
    await page.getByRole('button', { name: 'Save password' }).click()
    await page.getByText('The two passwords are not the same. Please type them again.').waitFor()
    expect(await descriptionOf(password)).not.toContain('Use at least 12 characters')
    expect(await page.getByText('Use at least 12 characters', { exact: false }).count()).toBe(0)
    expect(pageErrors).toEqual([])
  })

  test('choosing a password and adding a professional: the first box in error takes the focus, from the form’s own check or from the server', async () => {
    const { passwordLink } = await createAccount(session.server.admin, { name: 'Omar Focus', email: `omar-${Date.now()}@example.org` })
    const omar = await open('Omar Focus')
    await omar.page.goto(passwordLink)
    await omar.page.getByRole('heading', { name: 'Choose your password', level: 1 }).waitFor()
    const save = omar.page.getByRole('button', { name: 'Save password' })
    await save.click()
    await expectFocused(omar.page.getByLabel('Choose a password'))
    await omar.page.getByLabel('Choose a password').fill('twenty-two characters')
    await save.click()
    await expectFocused(omar.page.getByLabel('Type the password again'))
    expect(omar.pageErrors).toEqual([])

    const admin = await open(ADMIN.name, session.server.admin)
    await admin.page.goto('/admin')
    await admin.page.getByRole('heading', { name: 'Add a professional', level: 2 }).waitFor()
    const add = admin.page.getByRole('button', { name: 'Add professional' })
    await admin.page.getByLabel('Full name').fill('Omar Again')
    await add.click()
    await expectFocused(admin.page.getByLabel('Email address'))
    // An email another account has: the server's answer is said at the box, which takes the focus.
    await admin.page.getByLabel('Email address').fill(ADMIN.email)
    await admin.page.getByLabel('Full name').focus()
    await add.click()
    await admin.page.getByText('There is already an account with that email address.').waitFor()
    await expectFocused(admin.page.getByLabel('Email address'))
    expect(admin.pageErrors).toEqual([])
  })

  describe('the people panel, for a note-taker', () => {
    let conferenceId = ''
    let noteTaker: Person
    let page: Page

    beforeAll(async () => {
      conferenceId = (await createTestConference(session.server.admin, { title: 'Fictional family — people panel' })).id
      const nell = await professionalIn(session.server.admin, session.server.admin, conferenceId, { name: 'Nell Note-taker', email: `nell-${Date.now()}@example.org`, role: 'noteTaker' })
      noteTaker = await open('Nell Note-taker', nell)
      page = noteTaker.page
    })

    function row(name: string): Locator {
      return page.getByRole('region', { name: 'People in this conference' }).getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) })
    }

    async function openPeople(): Promise<void> {
      await page.goto(`/conferences/${conferenceId}`)
      await page.getByRole('heading', { name: 'Fictional family — people panel', level: 1 }).waitFor()
      await page.getByRole('button', { name: 'People in this conference' }).click()
      await row(ADMIN.name).waitFor()
    }

    test('offers no change or removal of the chair, which the server would refuse', async () => {
      await invite(session.server.admin, conferenceId, { name: 'Robin (fictional)', role: 'parentOrCarer' })
      await openPeople()
      await row('Robin (fictional)').getByRole('button', { name: 'Change role' }).waitFor()
      expect(await row('Robin (fictional)').getByRole('button', { name: 'Remove from this conference' }).count()).toBe(1)
      expect(await row(ADMIN.name).getByRole('button').count()).toBe(0)
      expect(noteTaker.pageErrors).toEqual([])
    })

    test('a decision-maker whose account was disabled is shown so, and the note-taker may remove them', async () => {
      const dee = await professionalIn(session.server.admin, session.server.admin, conferenceId, { name: 'Dee Decision', email: `dee-${Date.now()}@example.org`, role: 'decisionMaker' })
      await openPeople()
      await row('Dee Decision').waitFor()
      expect(await row('Dee Decision').getByRole('button').count()).toBe(0)
      await expectJson(await api(session.server.admin, `/api/admin/accounts/${dee.accountId}/disable`, { method: 'POST' }), 200)
      await openPeople()
      await row('Dee Decision').getByText('Their account was disabled by an administrator: they can no longer take part.').waitFor()
      await row('Dee Decision').getByRole('button', { name: 'Remove from this conference' }).click()
      await page.getByRole('button', { name: 'Yes, remove them' }).click()
      await expect.poll(() => row('Dee Decision').count()).toBe(0)
      expect(noteTaker.pageErrors).toEqual([])
    })

    test('a refusal under a name goes with Cancel, and the focus goes back to the button that asked', async () => {
      const jo = await invite(session.server.admin, conferenceId, { name: 'Jo (fictional)', role: 'familyNetwork' })
      await openPeople()
      await row('Jo (fictional)').getByRole('button', { name: 'Remove from this conference' }).click()
      // Someone else removes Jo meanwhile: this removal is refused.
      expect((await api(session.server.admin, `/api/conferences/${conferenceId}/people/${jo.participant.id}`, { method: 'DELETE' })).status).toBe(204)
      await page.getByRole('button', { name: 'Yes, remove them' }).click()
      const refused = row('Jo (fictional)').getByRole('alert')
      await refused.waitFor()
      await expectFocused(page.getByRole('button', { name: 'Yes, remove them' }))
      await page.getByRole('button', { name: 'Keep them' }).click()
      await expectFocused(row('Jo (fictional)').getByRole('button', { name: 'Remove from this conference' }))
      expect(await refused.count()).toBe(0)
      expect(noteTaker.pageErrors).toEqual([])
    })

    test('creating an invitation, changing a role and withdrawing an invitation keep the focus on what changed', async () => {
      await openPeople()
      const form = page.getByRole('form', { name: 'Invite someone from the family or their network' })
      await form.getByLabel('Their name').fill('Kit (fictional)')
      await form.getByRole('button', { name: 'Create invitation' }).click()
      await expectFocused(page.getByRole('heading', { name: 'Invitation for Kit (fictional)' }))
      await page.getByRole('button', { name: 'Done' }).click()
      await expectFocused(form.getByLabel('Their name'))

      const kit = row('Kit (fictional)')
      await kit.getByRole('button', { name: 'Change role' }).click()
      await expectFocused(page.getByLabel('New role for Kit (fictional)'))
      await page.getByLabel('New role for Kit (fictional)').selectOption({ label: 'Family and friends' })
      await page.getByRole('button', { name: 'Save role' }).click()
      await expectFocused(kit.getByRole('button', { name: 'Change role' }))
      await kit.getByText('Family and friends').waitFor()

      await kit.getByRole('button', { name: 'Withdraw invitation' }).click()
      await page.getByRole('button', { name: 'Yes, withdraw it' }).click()
      await expectFocused(kit.getByText(/^Invitation withdrawn\.$/))
      expect(noteTaker.pageErrors).toEqual([])
    })
  })
})
