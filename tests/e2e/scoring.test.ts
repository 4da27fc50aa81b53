import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ExportModel } from '../../server/exports/schema'
import type { Browser, Locator, Page } from 'playwright-core'
import type { NewAccountResponse } from '../../shared/access'
import type { Role } from '../../shared/roles'
import { agendaFor } from '../../shared/conference/agenda'
import { DESKTOP, launchBrowser, openAsPerson, openStep, PHONE, type Person } from '../helpers/browser'
import { ADMIN, api, expectJson, inviteAndJoin, signedOutDevice, withCookies, type Device } from '../helpers/devices'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

const PASSWORD = 'a long enough professional password'

/**
 * A professional as an administrator would set one up: an account, its one-time set-password
 * link used on the professional's own device (which is then signed in), and a place in the
 * conference in `role`.
 */
async function professionalIn(admin: Device, conferenceId: string, person: { name: string; email: string; role: Role }): Promise<Device> {
  const { passwordLink } = await expectJson<NewAccountResponse>(
    await api(admin, '/api/admin/accounts', { method: 'POST', body: { name: person.name, email: person.email } }),
    201,
  )
  const token = passwordLink.split('#')[1] ?? ''
  const chosen = await api(signedOutDevice(admin.baseUrl), '/api/account/password', { method: 'POST', body: { token, password: PASSWORD } })
  await expectJson(chosen, 200)
  await expectJson(await api(admin, `/api/conferences/${conferenceId}/people`, { method: 'POST', body: { email: person.email, role: person.role } }), 201)
  return withCookies(signedOutDevice(admin.baseUrl), chosen)
}

interface ShownScore {
  name: string
  role: string
  score: string
}

/** The danger statements and scales of the board, as a person sees them: roles, labels and words only. */
class ScalesPage {
  constructor(readonly page: Page) {}

  async open(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}`)
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    await openStep(this.page, DANGER_STATEMENTS_STEP)
    await this.dangerStatements().waitFor()
  }

  dangerStatements(): Locator {
    return this.page.getByRole('region', { name: 'Danger statements and safety goals', exact: true })
  }

  /** "Safety scale 1", or "Overall progress and safety scale". */
  scale(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true })
  }

  text(label: string): Locator {
    return this.page.getByRole('textbox', { name: label, exact: true })
  }

  /** Adds a pair as the note-taker or chair would: the new danger statement has the focus. */
  async addPair(number: number, danger: string, goal: string): Promise<void> {
    await this.dangerStatements().getByRole('button', { name: 'Add a danger statement' }).click()
    const dangerText = this.text(`Danger statement ${number}`)
    await dangerText.waitFor()
    await this.page.waitForFunction((element) => element === document.activeElement, await dangerText.elementHandle())
    await this.page.keyboard.type(danger)
    await this.text(`Safety goal ${number}`).click()
    await this.page.keyboard.type(goal)
  }

  async startScoring(title: string): Promise<void> {
    await this.scale(title).getByRole('button', { name: 'Start scoring' }).click()
    await this.scale(title).getByRole('button', { name: "Show everyone's scores" }).waitFor()
  }

  async showEveryonesScores(title: string): Promise<void> {
    await this.scale(title).getByRole('button', { name: "Show everyone's scores" }).click()
  }

  scoreForm(title: string): Locator {
    return this.scale(title).getByRole('form', { name: 'Your score' })
  }

  /** What a screen reader says after the name of the group of numbers: the words its aria-describedby points at. */
  choicesDescription(title: string): Promise<string> {
    return this.scoreForm(title).getByRole('group', { name: 'Your score, from 0 to 10' }).evaluate((group) =>
      (group.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent.trim() ?? `(no element ${id})`).join(' '))
  }

  /** The group of numbers in the accessibility tree, one line per node inside it after its legend. */
  async choicesTree(title: string): Promise<string[]> {
    const snapshot = await this.scoreForm(title).getByRole('group', { name: 'Your score, from 0 to 10' }).ariaSnapshot()
    return snapshot.split('\n').slice(1).map((line) => line.trim()).filter((line) => line !== '- text: Your score, from 0 to 10')
  }

  async giveScore(title: string, value: number, reason: string): Promise<void> {
    const form = this.scoreForm(title)
    await form.getByRole('group', { name: 'Your score, from 0 to 10' }).getByRole('radio', { name: String(value), exact: true }).check()
    await form.getByLabel('What would you need to see for the number to go up?').fill(reason)
    await form.getByRole('button', { name: 'Give my score' }).click()
    await this.yourScore(title, value).waitFor()
  }

  async changeScore(title: string, value: number, reason: string): Promise<void> {
    await this.scale(title).getByRole('button', { name: 'Change my score' }).click()
    await this.giveScore(title, value, reason)
  }

  /** What this person is told about their own number. */
  yourScore(title: string, value: number): Locator {
    return this.scale(title).getByText(new RegExp(`^You gave ${value}\\.`))
  }

  async typeInScoreFor(title: string, name: string, value: number, reason: string): Promise<void> {
    const form = this.scale(title).getByRole('form', { name: 'Type in a score for someone without a device' })
    await form.getByLabel('Name of the person without a device').fill(name)
    await form.getByLabel('Their score, from 0 to 10').selectOption({ label: String(value) })
    await form.getByLabel('What would they need to see for the number to go up?').fill(reason)
    await form.getByRole('button', { name: 'Type in their score' }).click()
    await form.getByText(`Score typed in for ${name}.`).waitFor()
  }

  scoredSoFar(title: string): Locator {
    return this.scale(title).getByText(/^Scored so far: /)
  }

  /** Waits until "Scored so far" names every one of `names`. */
  async waitForScored(title: string, names: readonly string[]): Promise<string> {
    const line = this.scoredSoFar(title)
    for (const name of names) await line.filter({ hasText: name }).waitFor()
    return (await line.textContent()) ?? ''
  }

  scoresFigure(title: string): Locator {
    return this.scale(title).getByRole('figure', { name: "Everyone's scores, from 0 to 10" })
  }

  /** The revealed scores, once `count` rows are there: name, role and number as the table shows them. */
  async shownScores(title: string, count: number): Promise<ShownScore[]> {
    const rows = this.scoresFigure(title).getByRole('table').getByRole('row').filter({ has: this.page.getByRole('rowheader') })
    await rows.nth(count - 1).waitFor()
    expect(await rows.count()).toBe(count)
    const shown: ShownScore[] = []
    for (const row of await rows.all()) {
      const name = (await row.getByRole('rowheader').textContent()) ?? ''
      const [role = '', score = ''] = await row.getByRole('cell').allTextContents()
      shown.push({ name, role, score })
    }
    return shown.sort((a, b) => a.name.localeCompare(b.name))
  }

  /** The chart of this scale across the case's conferences (it opens by itself while a round is open). */
  history(title: string): Locator {
    return this.scale(title).getByRole('figure', { name: `${title} over time`, exact: true })
  }

  /** The chart's table for screen readers, once it has `count` conferences: the middle score and everyone's numbers at each. */
  async historyRows(title: string, count: number): Promise<{ middle: string; everyone: string }[]> {
    const rows = this.history(title).getByRole('table').getByRole('row').filter({ has: this.page.getByRole('rowheader') })
    await rows.nth(count - 1).waitFor({ state: 'attached' })
    expect(await rows.count()).toBe(count)
    const shown: { middle: string; everyone: string }[] = []
    for (const row of await rows.all()) {
      const [middle = '', everyone = ''] = await row.getByRole('cell').allTextContents()
      shown.push({ middle, everyone })
    }
    return shown
  }

  doesNotScoreLine(title: string): Locator {
    return this.scale(title).getByText('Chairs, advocates, note-takers and observers do not give scores.')
  }

  /** True when the page is wider than the screen: a phone user would have to scroll sideways. */
  scrollsSideways(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
  }
}

/** The agenda step the danger statements and their scales are on (the same title in every kind of conference). */
const DANGER_STATEMENTS_STEP = agendaFor('uk-initial').find((step) => step.id === 'dangerStatements')?.title ?? ''

afterAll(removeTempDirs)

describe('danger statements and safety scales, scored on everyone’s own device', () => {
  let server: TestServer
  let browser: Browser
  let chair: Person
  let parent: Person
  let socialWorker: Person
  let gran: Person
  let observer: Person
  let noteTaker: Person
  let conferenceId: string
  const scale1 = 'Safety scale 1'
  const overall = 'Overall progress and safety scale'
  const danger = 'Sam may drink again and leave the children alone at night.'
  const goal = 'A sober adult is with the children every evening, and Gran checks in daily.'
  const names = { parent: 'Sam (Mum)', socialWorker: 'Priya Patel', gran: 'Gran (fictional)', observer: 'Student (fictional)', noteTaker: 'Nadia Noor' }

  /** The parent's phone in the review of the first conference (from the review test on). */
  let mumInReview: Person

  const everyone = (): Person[] => [chair, parent, socialWorker, gran, observer, noteTaker]
  const pageOf = (person: Person): ScalesPage => new ScalesPage(person.page)

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — scales', kind: 'uk-initial', date: '2026-11-23' })).id
    const [mumDevice, granDevice, observerDevice, socialWorkerDevice, noteTakerDevice] = await Promise.all([
      inviteAndJoin(server.admin, conferenceId, { name: names.parent, role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conferenceId, { name: names.gran, role: 'familyNetwork' }),
      inviteAndJoin(server.admin, conferenceId, { name: names.observer, role: 'observer' }),
      professionalIn(server.admin, conferenceId, { name: names.socialWorker, email: 'priya@example.org', role: 'socialWorker' }),
      professionalIn(server.admin, conferenceId, { name: names.noteTaker, email: 'nadia@example.org', role: 'noteTaker' }),
    ])
    ;[chair, parent, socialWorker, gran, observer, noteTaker] = await Promise.all([
      openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin),
      openAsPerson(browser, server.url, names.parent, PHONE, mumDevice),
      openAsPerson(browser, server.url, names.socialWorker, DESKTOP, socialWorkerDevice),
      openAsPerson(browser, server.url, names.gran, DESKTOP, granDevice),
      openAsPerson(browser, server.url, names.observer, DESKTOP, observerDevice),
      openAsPerson(browser, server.url, names.noteTaker, DESKTOP, noteTakerDevice),
    ])
    await Promise.all(everyone().map((person) => pageOf(person).open(conferenceId)))
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  const expectNoPageErrors = (): void => {
    expect(everyone().flatMap((person) => person.pageErrors.map((error) => `${person.name}: ${error}`))).toEqual([])
  }

  test('the chair adds a danger statement and its safety goal; every page shows them as the ends of its scale', async () => {
    await pageOf(chair).addPair(1, danger, goal)

    for (const person of everyone()) {
      const page = pageOf(person)
      await page.text('Danger statement 1').filter({ hasText: danger }).waitFor()
      await page.text('Safety goal 1').filter({ hasText: goal }).waitFor()
      await page.scale(scale1).getByText(`0 means: ${danger}`).waitFor()
      await page.scale(scale1).getByText(`10 means: ${goal}`).waitFor()
      await page.scale(scale1).getByText('Scoring has not started yet.').waitFor()
    }
    // Observers read; they do not write.
    expect(await pageOf(observer).dangerStatements().getByRole('button', { name: 'Add a danger statement' }).count()).toBe(0)
    expect(await pageOf(observer).text('Danger statement 1').getAttribute('contenteditable')).toBe('false')
    // Everyone but observers may say beside it where they stand.
    await pageOf(parent).dangerStatements().getByRole('button', { name: 'Add your view on Danger statement 1' }).waitFor()
    expect(await pageOf(observer).dangerStatements().getByRole('button', { name: 'Add your view on Danger statement 1' }).count()).toBe(0)
    expect(await pageOf(parent).scrollsSideways()).toBe(false)
    expectNoPageErrors()
  })

  test('three people score on their own devices; every page shows who has scored, and no page shows a number', async () => {
    await pageOf(chair).startScoring(scale1)
    // Only those who score are asked; the chair, the note-taker and the observer are told why not.
    for (const person of [chair, noteTaker, observer]) {
      await pageOf(person).doesNotScoreLine(scale1).waitFor()
      expect(await pageOf(person).scoreForm(scale1).count()).toBe(0)
    }
    expect(await pageOf(observer).scale(scale1).getByRole('radio').count()).toBe(0)
    expect(await pageOf(observer).scale(scale1).getByRole('button').count()).toBe(0)

    await pageOf(parent).scoreForm(scale1).waitFor()
    expect(await pageOf(parent).scrollsSideways()).toBe(false)
    // A screen reader says what 0 and 10 mean with the numbers, and each number once.
    expect(await pageOf(parent).choicesDescription(scale1)).toBe(`0 means: ${danger} 10 means: ${goal}`)
    expect(await pageOf(parent).choicesTree(scale1)).toEqual(Array.from({ length: 11 }, (_, value) => `- radio "${String(value)}"`))
    // Sent with no number chosen: the numbers take the focus once the error is shown, so it is read out.
    await pageOf(parent).scoreForm(scale1).getByRole('button', { name: 'Give my score' }).click()
    await pageOf(parent).scoreForm(scale1).getByText('Choose a number from 0 to 10.').waitFor()
    await expect.poll(() => parent.page.evaluate(() => document.activeElement?.closest('fieldset')?.getAttribute('aria-describedby') ?? null)).not.toBeNull()
    await pageOf(parent).giveScore(scale1, 3, 'Social care to see that I have stopped drinking.')
    await pageOf(socialWorker).giveScore(scale1, 5, 'Three months of negative tests, and Gran’s checks written down.')
    await pageOf(gran).giveScore(scale1, 7, 'Nothing much; I am there every day already.')

    const scorers = [names.parent, names.socialWorker, names.gran]
    for (const person of everyone()) {
      const page = pageOf(person)
      const line = await page.waitForScored(scale1, scorers)
      // Who, never what: no digit on the line, and no list of numbers anywhere on the scale.
      expect(line).not.toMatch(/\d/)
      expect(await page.scoresFigure(scale1).count()).toBe(0)
      expect(await page.scale(scale1).getByRole('table').count()).toBe(0)
    }
    expect(await pageOf(parent).scoredSoFar(scale1).textContent()).toBe(`Scored so far: ${names.parent} (you), ${names.socialWorker}, ${names.gran}`)
    // Each person sees their own number only.
    expect(await pageOf(socialWorker).yourScore(scale1, 3).count()).toBe(0)
    expect(await pageOf(socialWorker).yourScore(scale1, 5).textContent()).toBe("You gave 5. Nobody sees it until the chair shows everyone's scores.")
    await pageOf(chair).scale(scale1).getByText('3 people have scored so far.', { exact: false }).waitFor()

    // After a reload the server shows the parent her own number back, and nobody else's.
    await pageOf(parent).open(conferenceId)
    await pageOf(parent).yourScore(scale1, 3).waitFor()
    expect(await pageOf(parent).scoresFigure(scale1).count()).toBe(0)
    expect(await pageOf(parent).scrollsSideways()).toBe(false)
    expectNoPageErrors()
  })

  test('while its scale is being scored, nobody is offered to remove the danger statement; the chair is told what to do first', async () => {
    for (const person of everyone()) {
      expect(await pageOf(person).dangerStatements().getByRole('button', { name: 'Remove Danger statement 1' }).count()).toBe(0)
    }
    await pageOf(chair).dangerStatements().getByText('It cannot be removed while its scale is being scored. Stop or show the scores first.').waitFor()
    expect(await pageOf(parent).dangerStatements().getByText('It cannot be removed while', { exact: false }).count()).toBe(0)
    expectNoPageErrors()
  })

  test('the chair shows everyone’s scores: all three numbers, with names, roles, the middle and the reasons, appear on every page', async () => {
    await pageOf(chair).showEveryonesScores(scale1)
    const expected: ShownScore[] = [
      { name: names.gran, role: 'Family and friends', score: '7' },
      { name: names.socialWorker, role: 'Social worker', score: '5' },
      { name: names.parent, role: 'Parent or carer', score: '3' },
    ].sort((a, b) => a.name.localeCompare(b.name))

    for (const person of everyone()) {
      const page = pageOf(person)
      const shown = await page.shownScores(scale1, 3)
      // One's own row says "(you)".
      expect(shown.map((row) => ({ ...row, name: row.name.replace(/ \(you\)$/, '') }))).toEqual(expected)
      const figure = page.scoresFigure(scale1)
      await figure.getByText('The middle score is 5. Scores go from 3 to 7.').waitFor()
      await figure.getByRole('listitem').filter({ hasText: 'Social care to see that I have stopped drinking.' }).waitFor()
      await figure.getByRole('listitem').filter({ hasText: 'Nothing much; I am there every day already.' }).waitFor()
      expect(await page.scoredSoFar(scale1).count()).toBe(0)
    }
    await pageOf(parent).scale(scale1).getByText(/^You gave 3\.$/).waitFor()
    expect(await pageOf(parent).scrollsSideways()).toBe(false)
    // Still no way for the observer to score.
    expect(await pageOf(observer).scale(scale1).getByRole('radio').count()).toBe(0)
    expectNoPageErrors()
  })

  test('a score changed after the reveal shows the new number and the one it changed from', async () => {
    await pageOf(gran).changeScore(scale1, 8, 'Sam going to her group every week.')
    for (const person of everyone()) {
      const page = pageOf(person)
      await page.scoresFigure(scale1).getByRole('row').filter({ hasText: names.gran }).filter({ hasText: '8, changed from 7' }).waitFor()
      await page.scoresFigure(scale1).getByText('The middle score is 5. Scores go from 3 to 8.').waitFor()
    }
    // A new round started by mistake and stopped: the numbers shown before stay on every page.
    const chairPage = pageOf(chair)
    await chairPage.scale(scale1).getByRole('button', { name: 'Start a new round of scoring' }).click()
    await chairPage.scale(scale1).getByRole('button', { name: 'Stop this round' }).click()
    await chairPage.scale(scale1).getByRole('group', { name: 'Stop this round of scoring?' }).getByRole('button', { name: 'Yes, stop it' }).click()
    for (const person of everyone()) {
      const page = pageOf(person)
      await page.scale(scale1).getByText('The chair stopped the last round of scoring.', { exact: false }).waitFor()
      await page.scoresFigure(scale1).getByText('The middle score is 5. Scores go from 3 to 8.').waitFor()
    }
    expectNoPageErrors()
  })

  test('a round stopped while people type keeps their words for the next round; the earlier round’s score is changed only by a button that names it', async () => {
    const chairPage = pageOf(chair)
    const mum = pageOf(parent)
    const scale = mum.scale(scale1)
    // After the stop above, the scale shows the earlier round's numbers: her score in it is named as such.
    await scale.getByText(/^In the earlier round, shown on .+, you gave 3\.$/).waitFor()
    await scale.getByRole('button', { name: /^Change the score you gave in the earlier round, shown on / }).waitFor()
    expect(await scale.getByRole('button', { name: 'Change my score' }).count()).toBe(0)

    await chairPage.scale(scale1).getByRole('button', { name: 'Start a new round of scoring' }).click()
    await mum.scoreForm(scale1).getByRole('radio', { name: '6', exact: true }).check()
    await mum.scoreForm(scale1).getByLabel('What would you need to see for the number to go up?').fill('Gran’s checks every evening.')
    const typeIn = pageOf(noteTaker).scale(scale1).getByRole('form', { name: 'Type in a score for someone without a device' })
    await typeIn.getByLabel('Name of the person without a device').fill('Grandad Ron')
    await typeIn.getByLabel('Their score, from 0 to 10').selectOption({ label: '4' })

    await chairPage.scale(scale1).getByRole('button', { name: 'Stop this round' }).click()
    await chairPage.scale(scale1).getByRole('group', { name: 'Stop this round of scoring?' }).getByRole('button', { name: 'Yes, stop it' }).click()
    // She is told why her form went, and her words stay on screen.
    const kept = scale.getByRole('group', { name: 'The chair stopped this round of scoring before your score was given, and will start a new one.' })
    await kept.getByText('My score for Safety scale 1: 6. What I would need to see for the number to go up: Gran’s checks every evening.').waitFor()
    expect(await mum.scoreForm(scale1).count()).toBe(0)
    await scale.getByRole('button', { name: /^Change the score you gave in the earlier round, shown on / }).waitFor()
    await pageOf(noteTaker).scale(scale1).getByRole('group', { name: 'The chair stopped this round of scoring before the score you typed in was given, and will start a new one.' })
      .getByText('Grandad Ron’s score for Safety scale 1: 4.').waitFor()

    // The next round's form comes back with them, for her to check and give.
    await chairPage.scale(scale1).getByRole('button', { name: 'Start a new round of scoring' }).click()
    const form = mum.scoreForm(scale1)
    await form.getByText('What you chose and wrote before the chair stopped the last round is filled in.', { exact: false }).waitFor()
    expect(await form.getByRole('radio', { name: '6', exact: true }).isChecked()).toBe(true)
    expect(await form.getByLabel('What would you need to see for the number to go up?').inputValue()).toBe('Gran’s checks every evening.')
    expect(await typeIn.getByLabel('Name of the person without a device').inputValue()).toBe('Grandad Ron')
    await form.getByRole('button', { name: 'Give my score' }).click()
    await mum.yourScore(scale1, 6).waitFor()
    await typeIn.getByLabel('Name of the person without a device').fill('')
    await typeIn.getByLabel('Their score, from 0 to 10').selectOption({ label: 'Choose a number' })

    // Stopped again: what she gave in it is thrown away with the round, as the scale says.
    await chairPage.scale(scale1).getByRole('button', { name: 'Stop this round' }).click()
    await chairPage.scale(scale1).getByRole('group', { name: 'Stop this round of scoring?' }).getByRole('button', { name: 'Yes, stop it' }).click()
    await scale.getByText(/^In the earlier round, shown on .+, you gave 3\.$/).waitFor()
    expect(await mum.yourScore(scale1, 6).count()).toBe(0)
    expect(await kept.count()).toBe(0)
    expect(await mum.scrollsSideways()).toBe(false)
    expectNoPageErrors()
  })

  test('on the overall scale the note-taker types in a score for someone in the room without a device; once the scores are shown, those who had not scored get no form', async () => {
    await Promise.all(everyone().map((person) => openStep(person.page, 'Overall safety scale')))
    const chairPage = pageOf(chair)
    await chairPage.scale(overall).getByText('where are things today?', { exact: false }).waitFor()
    await chairPage.startScoring(overall)
    expect(await pageOf(parent).choicesDescription(overall)).toContain('where are things today?')
    await pageOf(noteTaker).typeInScoreFor(overall, 'Grandad Ron', 6, 'Sam keeping to the plan for a month.')
    await pageOf(parent).giveScore(overall, 4, 'My children home for weekends.')
    await chairPage.waitForScored(overall, ['Grandad Ron', names.parent])
    await chairPage.scoredSoFar(overall).filter({ hasText: `Grandad Ron (typed in by ${names.noteTaker})` }).waitFor()

    // Gran is still choosing hers when the chair shows everyone's scores.
    await pageOf(gran).scoreForm(overall).getByRole('radio', { name: '9', exact: true }).check()
    await pageOf(gran).scoreForm(overall).getByLabel('What would you need to see for the number to go up?').fill('Nothing more.')

    await chairPage.showEveryonesScores(overall)
    for (const person of [chair, parent, noteTaker]) {
      const shown = await pageOf(person).shownScores(overall, 2)
      expect(shown.find((row) => row.name === 'Grandad Ron')).toEqual({ name: 'Grandad Ron', role: `In the room, entered by ${names.noteTaker}`, score: '6' })
      await pageOf(person).scoresFigure(overall).getByText('The middle score is 5. Scores go from 4 to 6.').waitFor()
    }
    // Nobody gives a first score with everyone's numbers in front of them: those who had not scored
    // are told so, with no form; what Gran had chosen stays on her screen. Mum may still change hers.
    for (const person of [gran, socialWorker]) {
      await pageOf(person).scoresFigure(overall).waitFor()
      await pageOf(person).scale(overall).getByText('The scores have been shown. You did not give one in this round.', { exact: true }).waitFor()
      expect(await pageOf(person).scoreForm(overall).count()).toBe(0)
      expect(await pageOf(person).scale(overall).getByRole('radio').count()).toBe(0)
    }
    await pageOf(gran).scale(overall).getByText('My score for Overall progress and safety scale: 9. What I would need to see for the number to go up: Nothing more.').waitFor()
    await pageOf(parent).yourScore(overall, 4).waitFor()
    await pageOf(parent).scale(overall).getByRole('button', { name: 'Change my score' }).waitFor()
    // The note-taker is told before typing that only a score typed in before can be changed now.
    await pageOf(noteTaker).scale(overall).getByRole('form', { name: 'Type in a score for someone without a device' })
      .getByText('The scores have been shown, so only a score typed in before can be changed here, under the same name.').waitFor()
    expect(await pageOf(parent).scrollsSideways()).toBe(false)
    expectNoPageErrors()
  })

  test('at four danger statements "Add a danger statement" is turned off, with the reason next to it', async () => {
    await Promise.all([chair, parent].map((person) => openStep(person.page, DANGER_STATEMENTS_STEP)))
    const chairPage = pageOf(chair)
    const add = chairPage.dangerStatements().getByRole('button', { name: 'Add a danger statement' })
    for (const number of [2, 3, 4]) {
      await add.click()
      await chairPage.text(`Danger statement ${number}`).waitFor()
    }
    const reason = 'There can be at most 4 danger statements. To add a different one, remove one first.'
    for (const person of [chair, parent]) {
      const page = pageOf(person)
      await page.dangerStatements().getByRole('button', { name: 'Add a danger statement', disabled: true }).waitFor()
      await page.dangerStatements().getByText(reason).waitFor()
      await page.scale('Safety scale 4').getByText('Scoring has not started yet.').waitFor()
    }

    // An empty pair goes at once, for everyone, and the button is back.
    await chairPage.dangerStatements().getByRole('button', { name: 'Remove Danger statement 4' }).click()
    await pageOf(parent).text('Danger statement 4').waitFor({ state: 'detached' })
    await pageOf(parent).dangerStatements().getByRole('button', { name: 'Add a danger statement', disabled: false }).waitFor()
    expect(await chairPage.dangerStatements().getByText(reason).count()).toBe(0)
    // The parent is told what went; the chair, who removed it, is not.
    const told = `Someone else removed danger statement 4 and its safety goal, written by ${ADMIN.name}. It had no words in it.`
    await pageOf(parent).dangerStatements().getByText(told, { exact: true }).waitFor()
    expect(await chairPage.dangerStatements().getByText(/^Someone else removed/).count()).toBe(0)
    await pageOf(parent).dangerStatements().getByRole('button', { name: 'OK', exact: true }).click()
    await pageOf(parent).dangerStatements().getByText(told, { exact: true }).waitFor({ state: 'detached' })
    expectNoPageErrors()
  })
  test('a review carries the danger statement forward, and its history chart shows the review’s scores beside the first conference’s', async () => {
    // The chair creates the review from the list page, naming the conference it reviews.
    await chair.page.goto('/')
    const form = chair.page.getByRole('form', { name: 'New conference' })
    await form.getByLabel('Title').fill('Fictional family — review')
    await form.getByLabel('Kind of conference').selectOption({ label: 'Review child protection conference' })
    await form.getByLabel('This is a review of').selectOption(conferenceId)
    await form.getByLabel('Date').fill('2027-02-15')
    await form.getByLabel('Your role in it').selectOption({ label: 'Chair' })
    await form.getByRole('button', { name: 'Create conference' }).click()
    await chair.page.waitForURL((url) => url.pathname.startsWith('/conferences/') && !url.pathname.endsWith(conferenceId))
    const reviewId = new URL(chair.page.url()).pathname.split('/').pop() ?? ''

    await expectJson(await api(server.admin, `/api/conferences/${reviewId}/people`, { method: 'POST', body: { email: 'priya@example.org', role: 'socialWorker' } }), 201)
    const mumDevice = await inviteAndJoin(server.admin, reviewId, { name: names.parent, role: 'parentOrCarer' })
    mumInReview = await openAsPerson(browser, server.url, names.parent, PHONE, mumDevice)
    const mum = mumInReview
    const inReview = [chair, socialWorker, mum]
    await Promise.all(inReview.map((person) => pageOf(person).open(reviewId)))

    // The words agreed at the first conference, unchanged, marked as carried forward; nobody types over them.
    for (const person of inReview) {
      const page = pageOf(person)
      await page.dangerStatements().getByText('Carried forward unchanged from Fictional family — scales', { exact: false }).waitFor()
      await page.scale(scale1).getByText(`0 means: ${danger}`).waitFor()
      expect(await page.text('Danger statement 1').count()).toBe(0)
    }
    await pageOf(chair).dangerStatements().getByRole('button', { name: 'Change it after new harm' }).waitFor()
    expect(await pageOf(mum).dangerStatements().getByRole('button', { name: 'Change it after new harm' }).count()).toBe(0)

    // The chair opens the round: the chart of the first conference's scores opens on every device.
    await pageOf(chair).startScoring(scale1)
    for (const person of inReview) {
      expect(await pageOf(person).historyRows(scale1, 1)).toEqual([
        { middle: '5', everyone: expect.stringContaining(`${names.gran} (Family and friends): 8`) as string },
      ])
    }
    await pageOf(mum).giveScore(scale1, 6, 'Keep going to my group.')
    await pageOf(socialWorker).giveScore(scale1, 7, 'Gran’s checks written down for two more months.')
    await pageOf(chair).waitForScored(scale1, [names.parent, names.socialWorker])
    await pageOf(chair).showEveryonesScores(scale1)

    // The review's numbers arrive beside the first conference's, on every page.
    for (const person of inReview) {
      const rows = await pageOf(person).historyRows(scale1, 2)
      expect(rows.map((row) => row.middle)).toEqual(['5', '6.5'])
      expect(rows[1]?.everyone).toBe(`${names.parent} (Parent or carer): 6; ${names.socialWorker} (Social worker): 7`)
      await pageOf(person).history(scale1).getByRole('img', { name: `${scale1} over time` }).waitFor()
    }
    expect(await pageOf(mum).scrollsSideways()).toBe(false)
    expect(mum.pageErrors).toEqual([])
    expectNoPageErrors()
  })
  test('the chair changes the carried-forward danger statement after new harm; every page shows both versions and what happened', async () => {
    const changed = 'Sam may drink again, drive the children while drunk, and leave them alone at night.'
    const card = pageOf(chair).dangerStatements().getByRole('article', { name: 'Danger statement 1' })
    await card.getByRole('button', { name: 'Change it after new harm' }).click()
    const form = card.getByRole('form', { name: 'Change danger statement 1 after significant new harm' })
    // Nothing changes without the new harm said.
    await form.getByRole('button', { name: 'Record the new harm and change the words' }).click()
    await form.getByText('Please say what happened.').waitFor()
    await form.getByLabel('What happened?').fill('Sam drove the children home after drinking; the police stopped the car.')
    await form.getByLabel('When did it happen?').fill('Saturday 6 February')
    await form.getByLabel('New danger statement 1').fill(changed)
    await form.getByRole('button', { name: 'Record the new harm and change the words' }).click()
    await form.waitFor({ state: 'detached' })

    for (const person of [chair, socialWorker, mumInReview]) {
      const page = pageOf(person)
      await page.dangerStatements().getByText('Changed at this conference after new harm.', { exact: false }).waitFor()
      await page.scale(scale1).getByText(`0 means: ${changed}`).waitFor()
      const versions = page.dangerStatements().getByRole('region', { name: 'Every version of these words' }).getByRole('listitem')
      await versions.nth(1).waitFor()
      expect(await versions.count()).toBe(2)
      await versions.nth(0).getByText(danger).waitFor()
      await versions.nth(1).getByText(changed).waitFor()
      await versions.nth(1).getByText('Sam drove the children home after drinking; the police stopped the car.').waitFor()
      await versions.nth(1).getByText('Saturday 6 February').waitFor()
    }
    expect(await pageOf(mumInReview).scrollsSideways()).toBe(false)
    expect(mumInReview.pageErrors).toEqual([])
    expectNoPageErrors()
  })

  test('the parent says where she stands on the carried-forward danger statement, which nobody here edits; every page shows it, and so do the minutes', async () => {
    const card = pageOf(mumInReview).dangerStatements().getByRole('article', { name: 'Danger statement 1' })
    await card.getByRole('button', { name: 'Add your view on Danger statement 1' }).click()
    const form = card.getByRole('form', { name: 'Your view on Danger statement 1' })
    await form.getByRole('radio', { name: 'I disagree' }).check()
    await form.getByRole('textbox', { name: /In your own words/ }).fill('I have not driven since, and I go to my group every week.')
    await form.getByRole('button', { name: 'Save my view' }).click()

    const seen = `${names.parent}: I disagree — “I have not driven since, and I go to my group every week.”`
    for (const person of [chair, socialWorker]) {
      await pageOf(person).dangerStatements().getByRole('list', { name: 'Views on Danger statement 1' }).getByText(seen).waitFor()
    }
    const reviewId = new URL(chair.page.url()).pathname.split('/').pop() ?? ''
    const minutes = await expectJson<ExportModel>(await api(server.admin, `/api/conferences/${reviewId}/exports/record.json`), 200)
    const pair = minutes.sections.flatMap((section) => section.parts).flatMap((part) => part.entries).find((entry) => entry.title === 'Danger statement 1')
    expect(pair?.views.map((view) => [view.by, view.stance, view.text])).toEqual([[`${names.parent} (Parent or carer)`, 'I disagree', 'I have not driven since, and I go to my group every week.']])
    expect(await pageOf(mumInReview).scrollsSideways()).toBe(false)
    expectNoPageErrors()
  })

  test('scored again against the changed words, the chart says the words changed: the numbers either side answer different questions', async () => {
    await pageOf(chair).scale(scale1).getByRole('button', { name: 'Start a new round of scoring' }).click()
    await pageOf(mumInReview).giveScore(scale1, 4, 'Since the police stopped the car, less.')
    await pageOf(chair).waitForScored(scale1, [names.parent])
    await pageOf(chair).showEveryonesScores(scale1)
    for (const person of [chair, mumInReview]) {
      const history = pageOf(person).history(scale1)
      await history.getByText(/^The words changed before the review child protection conference on .+: the scores before and after answer different questions\.$/).waitFor()
      await history.getByRole('img', { name: `${scale1} over time` }).getByText('New words', { exact: true }).waitFor()
    }
    expectNoPageErrors()
  })
})
