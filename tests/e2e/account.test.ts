import { afterAll, describe, expect, test } from 'vitest'
import type { Locator } from 'playwright-core'
import { generateSync } from 'otplib'
import type { SecondFactorSetup, SessionInfo } from '../../shared/access'
import { DESKTOP } from '../helpers/browser'
import { browserSession } from '../helpers/browserSession'
import { api, expectJson, newProfessional, signedOutDevice, signIn, type Device } from '../helpers/devices'
import { removeTempDirs } from '../helpers/server'

/** True once the keyboard focus is on `locator`'s element (polled: focus moves after a render). */
async function expectFocused(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((element) => element === document.activeElement), { timeout: 5_000 }).toBe(true)
}

/** The description a screen reader reads with a control: the text of what its aria-describedby names. */
function descriptionOf(control: Locator): Promise<string> {
  return control.evaluate((element) => (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '').join(' '))
}

async function sessionOf(device: Device): Promise<SessionInfo | null> {
  return (await expectJson<{ session: SessionInfo | null }>(await api(device, '/api/session'), 200)).session
}

/** The code an app shows `stepsOn` 30-second steps from now (the server takes the step either side). */
const codeOf = (secret: string, stepsOn = 0): string => generateSync({ secret, period: 30, epoch: Math.floor(Date.now() / 1000) + 30 * stepsOn })

afterAll(removeTempDirs)

describe('the account page, in the browser', () => {
  const session = browserSession()

  test('changing the password: a wrong current password is said at its box, which takes the focus; once changed, the page says so with the focus there and other devices are signed out', async () => {
    const priya = await newProfessional(session.server.admin, { name: 'Priya Password', email: `priya-password-${Date.now()}@example.org` })
    const elsewhere = await signIn(priya.baseUrl, priya.email, priya.password)
    const { page, pageErrors } = await session.open('Priya Password', DESKTOP, priya)
    await page.goto('/account')
    await page.getByRole('heading', { name: 'Password', level: 2 }).waitFor()
    const current = page.getByLabel('Your password now')
    const chosen = page.getByLabel('Choose a new password')
    const again = page.getByLabel('Type the new password again')
    const newPassword = 'a new password nobody has seen'

    // Two different new passwords: said at the second box, which takes the focus; nothing is sent.
    await current.fill(priya.password)
    await chosen.fill(newPassword)
    await again.fill('a different one altogether')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expectFocused(again)
    expect(await descriptionOf(again)).toContain('The two passwords are not the same')

    await again.fill(newPassword)
    await current.fill('not my password at all')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That is not your password')
    await expectFocused(current)
    expect(await descriptionOf(current)).toContain('That is not your password.')
    expect(await sessionOf(elsewhere)).not.toBeNull()

    await current.fill(priya.password)
    await page.getByRole('button', { name: 'Change password' }).click()
    const done = page.getByText('Your password is changed.')
    await expectFocused(done)
    expect(await done.textContent()).toContain('Anywhere else you were signed in, you are now signed out.')
    expect([await current.inputValue(), await chosen.inputValue(), await again.inputValue()]).toEqual(['', '', ''])
    expect(await sessionOf(elsewhere)).toBeNull()
    // Still signed in here; the new password signs in, the old one does not.
    await page.reload()
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor()
    const signInWith = (password: string) => api(signedOutDevice(priya.baseUrl), '/api/session', { method: 'POST', body: { email: priya.email, password } })
    expect((await signInWith(priya.password)).status).toBe(401)
    expect((await signInWith(newPassword)).status).toBe(200)
    expect(pageErrors).toEqual([])
  })

  test('moving the second step to a new phone: the password and the old phone’s code, then the new phone set up as the first time, with the focus on each next step; the old phone’s codes then stop working', async () => {
    const priya = await newProfessional(session.server.admin, { name: 'Priya Phone', email: `priya-phone-${Date.now()}@example.org` })
    const { secret: oldSecret } = await expectJson<SecondFactorSetup>(await api(priya, '/api/account/second-factor', { method: 'POST', body: { password: priya.password } }), 200)
    await expectJson(await api(priya, '/api/account/second-factor/confirm', { method: 'POST', body: { code: codeOf(oldSecret) } }), 200)

    const { page, pageErrors } = await session.open('Priya Phone', DESKTOP, priya)
    await page.goto('/account')
    const moveButton = page.getByRole('button', { name: 'Move it to a new phone' })
    await moveButton.click()
    const password = page.getByLabel('Your password', { exact: true })
    const oldCode = page.getByLabel('6-digit code from your old phone')
    await expectFocused(password)
    // Someone without the old phone is told plainly what to do instead.
    await page.getByText('Lost your old phone, or it no longer works? You cannot move it yourself. Ask your SafetyMap administrator to reset your sign-in.').waitFor()
    // Cancel gives the focus back to the button that opened it.
    await page.getByRole('button', { name: 'Cancel' }).click()
    await expectFocused(moveButton)

    await moveButton.click()
    await password.fill(priya.password)
    await oldCode.fill(codeOf(oldSecret) === '000000' ? '111111' : '000000')
    await page.getByRole('button', { name: 'Set up the new phone' }).click()
    await expectFocused(oldCode)
    expect(await descriptionOf(oldCode)).toContain('That code did not work.')

    // The next step's code: the current one confirmed the second step above, and a code works once.
    await oldCode.fill(codeOf(oldSecret, 1))
    await page.getByRole('button', { name: 'Set up the new phone' }).click()
    const intro = page.getByText('Now the new phone.')
    await expectFocused(intro)
    expect(await intro.textContent()).toContain('Until you do, your old phone’s codes still work.')
    const newSecret = await page.getByLabel('Setup key').inputValue()
    expect(newSecret).not.toBe(oldSecret)

    const newCode = page.getByLabel('6-digit code from the app on your new phone')
    await newCode.fill(codeOf(newSecret) === '000000' ? '111111' : '000000')
    await page.getByRole('button', { name: 'Use the new phone' }).click()
    await expectFocused(newCode)
    await newCode.fill(codeOf(newSecret))
    await page.getByRole('button', { name: 'Use the new phone' }).click()
    const done = page.getByText('Done: your second step is on your new phone. The codes on your old phone no longer work.')
    await expectFocused(done)
    await moveButton.waitFor()

    const signInWith = (code: string) => api(signedOutDevice(priya.baseUrl), '/api/session', { method: 'POST', body: { email: priya.email, password: priya.password, code } })
    expect((await signInWith(codeOf(oldSecret, 1))).status).toBe(401)
    expect((await signInWith(codeOf(newSecret, 1))).status).toBe(200)
    expect(pageErrors).toEqual([])
  })
})
