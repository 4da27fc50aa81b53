import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { DESKTOP, launchBrowser, meetingRail, openAsPerson, openStep, PHONE, stepHeading, type Person } from '../helpers/browser'
import { api, expectJson, inviteAndJoin, professionalIn } from '../helpers/devices'
import { agendaFor } from '../../shared/conference/agenda'
import { seriousProblems } from '../helpers/axe'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

/** The meeting on one person's board (or the shared screen): roles, labels and visible words only. */
class MeetingPage {
  constructor(readonly page: Page) {}

  async openBoard(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}`)
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
  }

  async openPresent(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}/present`)
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
  }

  /** Waits until this screen shows `title`'s step. */
  async showsStep(title: string): Promise<void> {
    await stepHeading(this.page, title).waitFor()
  }

  /** Waits until the rail marks `title` as where the meeting is. */
  async railSaysMeetingIsAt(title: string): Promise<void> {
    await meetingRail(this.page).locator('[aria-current="step"]').filter({ hasText: title }).waitFor()
  }

  nextStep(): Locator {
    return this.page.getByRole('button', { name: 'Next step', exact: true })
  }

  moveHere(): Locator {
    return this.page.getByRole('button', { name: 'Move the meeting to this step', exact: true })
  }

  backToMeeting(stepTitle: string): Locator {
    return this.page.getByRole('button', { name: `Back to where the meeting is (${stepTitle})`, exact: true })
  }

  async announced(words: string): Promise<void> {
    await this.page.locator('[aria-live="polite"]').filter({ hasText: words }).waitFor({ state: 'attached' })
  }

  /** Pixels the page is wider than the screen: 0 when nothing scrolls sideways. */
  sidewaysScroll(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  }
}

afterAll(removeTempDirs)

describe('the meeting, step by step, for a note-taker, a parent on her phone, a social worker and the shared screen', () => {
  let server: TestServer
  let browser: Browser
  let noteTaker: Person
  let parent: Person
  let socialWorker: Person
  let present: Page
  let conferenceId: string
  const title = 'Fictional family — meeting'
  /** Each person's board, and the shared screen. */
  const screens = (): { nadia: MeetingPage; sam: MeetingPage; sunita: MeetingPage; room: MeetingPage } => ({
    nadia: new MeetingPage(noteTaker.page),
    sam: new MeetingPage(parent.page),
    sunita: new MeetingPage(socialWorker.page),
    room: new MeetingPage(present),
  })

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title, kind: 'uk-initial', date: '2026-11-23' })).id
    const [nadia, mum, sunita] = await Promise.all([
      professionalIn(server.admin, server.admin, conferenceId, { name: 'Nadia (note-taker)', email: 'nadia@example.org', role: 'noteTaker' }),
      inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' }),
      professionalIn(server.admin, server.admin, conferenceId, { name: 'Sunita (social worker)', email: 'sunita@example.org', role: 'socialWorker' }),
    ])
    ;[noteTaker, parent, socialWorker] = await Promise.all([
      openAsPerson(browser, server.url, 'Nadia (note-taker)', DESKTOP, nadia),
      openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mum),
      openAsPerson(browser, server.url, 'Sunita (social worker)', DESKTOP, sunita),
    ])
    // The shared screen: the note-taker's laptop opens it beside her board.
    present = await noteTaker.context.newPage()
    await Promise.all([
      new MeetingPage(noteTaker.page).openBoard(conferenceId),
      new MeetingPage(parent.page).openBoard(conferenceId),
      new MeetingPage(socialWorker.page).openBoard(conferenceId),
      new MeetingPage(present).openPresent(conferenceId),
    ])
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('the note-taker moves the meeting on; everyone, and the shared screen, follows', async () => {
    const { nadia, sam, sunita, room } = screens()
    for (const screen of [nadia, sam, sunita, room]) await screen.showsStep('Family and network')
    for (const screen of [nadia, sam, sunita]) await screen.railSaysMeetingIsAt('Family and network')
    // Every step of an initial conference is on the rail, in order, named by its title only.
    expect(await meetingRail(sam.page).getByRole('button').allTextContents()).toEqual([
      'Family and network', 'Worries and what’s working well', 'The child’s voice', 'Who took part', 'Danger statements and safety goals',
      'Overall safety scale', 'If things do not change', 'Decision', 'The plan', 'Actions', 'Core group and next dates',
    ])
    // Only the chair and the note-taker move the meeting.
    expect(await sam.nextStep().count()).toBe(0)
    expect(await sunita.nextStep().count()).toBe(0)

    // The social worker moves through the step with the keys: the meeting moving on takes that step away.
    await sunita.page.getByRole('button', { name: 'Add a person' }).focus()
    await nadia.nextStep().click()
    for (const screen of [nadia, sam, sunita, room]) await screen.showsStep('Worries and what’s working well')
    for (const screen of [nadia, sam, sunita]) await screen.railSaysMeetingIsAt('Worries and what’s working well')
    await sunita.announced('The meeting has moved to “Worries and what’s working well”.')
    // Her focus goes to the new step's heading, not to the top of the page.
    await expect.poll(() => stepHeading(sunita.page, 'Worries and what’s working well').evaluate((heading) => heading === document.activeElement)).toBe(true)

    // Looking ahead, then taking the meeting there: the note-taker goes with it.
    await openStep(nadia.page, 'Overall safety scale')
    await nadia.moveHere().click()
    for (const screen of [sam, sunita, room]) await screen.showsStep('Overall safety scale')
    await nadia.nextStep().click()
    for (const screen of [nadia, sam, sunita, room]) await screen.showsStep('If things do not change')
    expect(await nadia.backToMeeting('If things do not change').count()).toBe(0)
    expect([...noteTaker.pageErrors, ...parent.pageErrors, ...socialWorker.pageErrors]).toEqual([])
  })

  test('the parent looks at another step, then goes back to where the meeting is and follows it again', async () => {
    const { nadia, sam, sunita } = screens()
    await openStep(sam.page, 'The child’s voice')
    await sam.backToMeeting('If things do not change').waitFor()

    // While she looks elsewhere, the meeting moves on without taking her screen.
    await nadia.nextStep().click()
    await sunita.showsStep('Decision')
    await sam.backToMeeting('Decision').waitFor()
    await sam.showsStep('The child’s voice')
    await sam.announced('The meeting has moved to “Decision”. You are still looking at another part.')

    await sam.backToMeeting('Decision').click()
    await sam.showsStep('Decision')
    expect(await sam.backToMeeting('Decision').count()).toBe(0)
    // Following again.
    await nadia.nextStep().click()
    await sam.showsStep('The plan')
    expect(parent.pageErrors).toEqual([])
  })

  test('someone typing when the meeting moves keeps their step and their words', async () => {
    const { nadia, sam, sunita } = screens()
    await openStep(nadia.page, 'Worries and what’s working well')
    await nadia.moveHere().click()
    await sam.showsStep('Worries and what’s working well')

    await sunita.page.getByRole('button', { name: 'Add to Past harm' }).click()
    const entry = sunita.page.getByRole('textbox', { name: 'Past harm, entry 1', exact: true })
    await sunita.page.waitForFunction((element) => element === document.activeElement, await entry.elementHandle())
    await sunita.page.keyboard.type('Dad shouted at the children')

    await nadia.nextStep().click()
    await sam.showsStep('The child’s voice')
    await sunita.backToMeeting('The child’s voice').waitFor()
    // Still on her step, still typing into the same entry.
    await sunita.page.keyboard.type(' on Friday night.')
    await entry.filter({ hasText: 'Dad shouted at the children on Friday night.' }).waitFor()
    expect(await sunita.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Past harm, entry 1')
    await sunita.backToMeeting('The child’s voice').click()
    await sunita.showsStep('The child’s voice')
    expect(socialWorker.pageErrors).toEqual([])
  })

  test('a parent with a view half typed keeps it when the meeting moves, and is asked before she leaves it behind', async () => {
    const { nadia, sam } = screens()
    await openStep(nadia.page, 'Worries and what’s working well')
    await nadia.moveHere().click()
    await sam.showsStep('Worries and what’s working well')
    await sam.page.getByRole('button', { name: 'Add your view on Past harm, entry 1', exact: true }).click()
    const viewForm = sam.page.getByRole('form', { name: 'Your view on Past harm, entry 1' })
    await viewForm.getByRole('radio', { name: 'I disagree' }).check()
    await viewForm.getByRole('textbox', { name: /In your own words/ }).fill('It was one time.')
    // She looks up from her phone: she is not typing when the meeting moves, but her words are not sent.
    await sam.page.evaluate(() => { (document.activeElement as HTMLElement | null)?.blur() })

    await nadia.nextStep().click()
    await nadia.showsStep('The child’s voice')
    await sam.backToMeeting('The child’s voice').waitFor()
    await sam.showsStep('Worries and what’s working well')

    const leaving = sam.page.getByRole('alertdialog', { name: /not in the record yet/ })
    await sam.backToMeeting('The child’s voice').click()
    await leaving.getByRole('button', { name: 'Stay on this step', exact: true }).click()
    expect(await viewForm.getByRole('textbox', { name: /In your own words/ }).inputValue()).toBe('It was one time.')
    await viewForm.getByRole('button', { name: 'Save my view' }).click()
    await sam.page.getByText('You: I disagree — “It was one time.”').waitFor()
    // Nothing held: she goes at once.
    await sam.backToMeeting('The child’s voice').click()
    await sam.showsStep('The child’s voice')
    expect(await leaving.count()).toBe(0)
    expect(parent.pageErrors).toEqual([])
  })

  test('the shared screen shows only the step, read only, with no people, steps or private section', async () => {
    const { nadia, room } = screens()
    await openStep(nadia.page, 'Worries and what’s working well')
    await nadia.moveHere().click()
    await room.showsStep('Worries and what’s working well')
    // The entry written earlier is shown, but nothing to change it with.
    await present.getByRole('textbox', { name: 'Past harm, entry 1', exact: true }).filter({ hasText: 'Dad shouted at the children on Friday night.' }).waitFor()
    expect(await present.getByRole('textbox', { name: 'Past harm, entry 1', exact: true }).getAttribute('contenteditable')).toBe('false')
    // What the note-taker types reaches the room under her name: the shared screen is nobody's "you".
    await nadia.page.getByRole('button', { name: 'Add to Existing strengths' }).click()
    await nadia.page.keyboard.type('Mum takes the children to school every day.')
    await present.getByRole('textbox', { name: 'Existing strengths, entry 1', exact: true }).filter({ hasText: 'Mum takes the children to school every day.' }).waitFor()
    await present.getByText('Written by Nadia (note-taker)').waitFor()
    expect(await present.getByText(/Written by you/).count()).toBe(0)
    expect(await present.getByRole('button', { name: /^(Add to|Remove)/ }).count()).toBe(0)
    expect(await meetingRail(present).count()).toBe(0)
    expect(await present.getByRole('region', { name: 'Who is here' }).count()).toBe(0)
    expect(await present.getByText('Professionals only').count()).toBe(0)
    expect(await present.getByRole('button', { name: 'Leave quickly' }).count()).toBe(0)

    // The room reads the scales too: nothing there tells the family, who score, that "you" do not.
    await openStep(nadia.page, 'Overall safety scale')
    await nadia.moveHere().click()
    await room.showsStep('Overall safety scale')
    await present.getByText('where are things today?', { exact: false }).waitFor()
    expect(await present.getByText(/you do not give a score/i).count()).toBe(0)
    await nadia.page.getByText('You do not give a score here.', { exact: false }).waitFor()
    await openStep(nadia.page, 'Worries and what’s working well')
    await nadia.moveHere().click()
    await room.showsStep('Worries and what’s working well')

    // Professionals open it from the board; the family do not see the link.
    await socialWorker.page.getByRole('link', { name: /^Present/ }).waitFor()
    expect(await parent.page.getByRole('link', { name: /^Present/ }).count()).toBe(0)
  })

  test('the parent’s phone: the step comes first, and nothing scrolls sideways', async () => {
    const { sam } = screens()
    await sam.showsStep('Worries and what’s working well')
    const headingTop = (await stepHeading(parent.page, 'Worries and what’s working well').boundingBox())?.y ?? Infinity
    const railTop = (await meetingRail(parent.page).boundingBox())?.y ?? -Infinity
    expect(headingTop).toBeLessThan(railTop)
    expect(await sam.sidewaysScroll()).toBe(0)
    // "All steps" takes her down to the rail, at the meeting's step.
    await parent.page.getByRole('button', { name: 'All steps', exact: true }).click()
    expect(await parent.page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('step')
    await openStep(parent.page, 'Family and network')
    expect(await sam.sidewaysScroll()).toBe(0)
    await sam.backToMeeting('Worries and what’s working well').click()
    await sam.showsStep('Worries and what’s working well')
  })

  test('axe finds no serious or critical problem on the desktop, phone and shared-screen layouts', async () => {
    expect(await seriousProblems(noteTaker.page)).toEqual([])
    expect(await seriousProblems(parent.page)).toEqual([])
    expect(await seriousProblems(present)).toEqual([])
  })
})

describe('a US child safety conference', () => {
  let server: TestServer
  let browser: Browser
  let parent: Person
  let advocate: Person
  let conferenceId: string

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — CSC', kind: 'us-csc-follow-up', date: '2026-11-23' })).id
    const [mum, friend] = await Promise.all([
      inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conferenceId, { name: 'Alex (advocate)', role: 'advocate' }),
    ])
    ;[parent, advocate] = await Promise.all([
      openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mum),
      openAsPerson(browser, server.url, 'Alex (advocate)', DESKTOP, friend),
    ])
    await Promise.all([new MeetingPage(parent.page).openBoard(conferenceId), new MeetingPage(advocate.page).openBoard(conferenceId)])
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('names the chair as the facilitator, and has the steps in the order a follow-up runs them', async () => {
    await parent.page.getByRole('region', { name: 'Who is here', exact: true }).getByText(/, Facilitator,/).waitFor()
    const steps = await meetingRail(parent.page).getByRole('button').allTextContents()
    expect(steps.slice(0, 2)).toEqual(['Family and network', 'How the plan is going'])
    expect(steps.at(-1)).toBe('Safety network and next dates')
    await parent.page.getByText('You can ask the facilitator what kind of information it holds.').waitFor()
  })

  test('the scales say the facilitator starts the scoring and shows everyone’s scores, not a chair', async () => {
    // The facilitator (the administrator who set the conference up) opens a round on the overall scale.
    await expectJson(await api(server.admin, `/api/conferences/${conferenceId}/scoring-rounds`, { method: 'POST', body: { scale: { kind: 'overall' } } }), 201)
    const scalesStep = agendaFor('us-csc-follow-up').find((step) => step.id === 'scales')?.title ?? ''
    await Promise.all([openStep(parent.page, scalesStep), openStep(advocate.page, scalesStep)])

    await parent.page.getByText("Scoring is open. Nobody sees anyone's number until the facilitator shows everyone's scores.").waitFor()
    const form = parent.page.getByRole('form', { name: 'Your score' })
    await form.getByRole('group', { name: 'Your score, from 0 to 10' }).getByRole('radio', { name: '4', exact: true }).check()
    await form.getByLabel('What would you need to see for the number to go up?').fill('The plan written down.')
    await form.getByRole('button', { name: 'Give my score' }).click()
    await parent.page.getByText("You gave 4. Nobody sees it until the facilitator shows everyone's scores.").waitFor()

    await advocate.page.getByText('You do not give a score here. Facilitators, advocates, note-takers and observers do not give scores.').waitFor()
    for (const page of [parent.page, advocate.page]) expect(await page.getByText(/\bchair/i).allTextContents()).toEqual([])
  })
})
