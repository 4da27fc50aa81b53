import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { agendaFor, type AgendaStepId } from '../../shared/conference/agenda'
import { HOW_SHARED_LABELS } from '../../shared/conference/childsVoice'
import type { ConferenceKind } from '../../shared/conference/details'
import { setPlainText } from '../../shared/conference/richText'
import { DESKTOP, launchBrowser, openAsPerson, openStep, PHONE, type Person } from '../helpers/browser'
import { addToConference, inviteAndJoin, professionalIn } from '../helpers/devices'
import { connectParticipant, type Participant } from '../helpers/participants'
import { seriousProblems } from '../helpers/axe'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

const KIND = 'uk-initial'
const titleOf = (step: AgendaStepId, kind: ConferenceKind = KIND): string => agendaFor(kind).find((candidate) => candidate.id === step)?.title ?? step

/** The section screens of the board as a person sees them: roles, labels and words only. */
class SectionScreens {
  constructor(readonly person: Person) {}

  get page(): Page {
    return this.person.page
  }

  async open(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}`)
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
  }

  /** Looks at one step without moving the meeting, and returns the board, which shows that step only. */
  async show(step: AgendaStepId, kind: ConferenceKind = KIND): Promise<Locator> {
    await openStep(this.page, titleOf(step, kind))
    return this.board()
  }

  board(): Locator {
    return this.page.getByRole('main')
  }

  entry(label: string): Locator {
    return this.page.getByRole('article', { name: label, exact: true })
  }

  /** Presses an Add button and types into the new entry's first field, which has the focus. */
  async addAndType(button: string, entryLabel: string, words: string): Promise<void> {
    await this.page.getByRole('button', { name: button, exact: true }).click()
    await this.page.waitForFunction((label) => document.activeElement?.closest('article')?.getAttribute('aria-label') === label, entryLabel)
    await this.page.keyboard.type(words)
  }

  async typeInto(textbox: Locator, words: string): Promise<void> {
    await textbox.click()
    await this.page.keyboard.type(words)
  }

  async waitUntilSaved(): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
  }

  /** How far the page reaches past the right edge of the screen (0: no sideways scrolling). */
  async overflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  }
}

/** A rich-text field holding these words (other people's carets may sit inside it too). */
function textboxWith(scope: Locator, name: string, words: string): Locator {
  return scope.getByRole('textbox', { name, exact: true }).filter({ hasText: words })
}

afterAll(removeTempDirs)

describe('every section of the record has its screen', () => {
  let server: TestServer
  let browser: Browser
  let noteTaker: Person
  let parent: Person
  let chair: Participant
  let conferenceId: string
  let desk: SectionScreens
  let phone: SectionScreens

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — sections', kind: KIND })).id
    const [noteTakerDevice, mumDevice] = await Promise.all([
      professionalIn(server.admin, server.admin, conferenceId, { name: 'Nell Notes', email: 'nell@example.org', role: 'noteTaker' }),
      inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' }),
    ])
    ;[noteTaker, parent] = await Promise.all([
      openAsPerson(browser, server.url, 'Nell Notes', DESKTOP, noteTakerDevice),
      openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mumDevice),
    ])
    // The chair records the decision from their own device (here a client without a browser).
    chair = connectParticipant(server.admin, conferenceId, { name: 'Ada Admin' })
    desk = new SectionScreens(noteTaker)
    phone = new SectionScreens(parent)
    await Promise.all([desk.open(conferenceId), phone.open(conferenceId), chair.synced()])
  })

  afterAll(async () => {
    chair.destroy()
    await browser.close()
    await server.stop()
  })

  const expectNoPageErrors = (): void => {
    expect([...noteTaker.pageErrors, ...parent.pageErrors]).toEqual([])
  }

  /** Both people's views of a step: axe finds nothing serious, and nothing on the phone runs off the side. */
  const checkBothLayouts = async (): Promise<void> => {
    const [onDesk, onPhone] = await Promise.all([seriousProblems(desk.page), seriousProblems(phone.page)])
    expect(onDesk).toEqual([])
    expect(onPhone).toEqual([])
    expect(await phone.overflow()).toBeLessThanOrEqual(0)
  }

  test('family and network: a child and a person typed on the laptop appear on the parent’s phone', async () => {
    const onDesk = await desk.show('family')
    await desk.addAndType('Add a child', 'Child 1', 'Robin Example')
    await desk.addAndType('Add a person', 'Person 1', 'Jo Example')
    await desk.entry('Person 1').getByRole('textbox', { name: 'Who they are to the children, Person 1' }).fill('Mum')
    await desk.entry('Person 1').getByRole('checkbox', { name: 'Here today, Person 1' }).check()
    await onDesk.getByText('Written by you').first().waitFor()

    await phone.show('family')
    const child = phone.entry('Child 1')
    await expect.poll(() => child.getByRole('textbox', { name: 'Name, Child 1' }).inputValue()).toBe('Robin Example')
    await child.getByText('Written by Nell Notes').waitFor()
    const person = phone.entry('Person 1')
    await expect.poll(() => person.getByRole('textbox', { name: 'Who they are to the children, Person 1' }).inputValue()).toBe('Mum')
    await expect.poll(() => person.getByRole('checkbox', { name: 'Here today, Person 1' }).isChecked()).toBe(true)
    await checkBothLayouts()
    expectNoPageErrors()
  })

  test('the child’s voice: a house and how the views were shared reach the phone', async () => {
    await desk.show('childsVoice')
    await desk.typeInto(desk.page.getByRole('textbox', { name: 'House of worries', exact: true }), 'Robin worries when Dad shouts.')
    const relayed = HOW_SHARED_LABELS['relayed-by-social-worker']
    await desk.page.getByRole('radio', { name: relayed }).check()

    const onPhone = await phone.show('childsVoice')
    await textboxWith(onPhone, 'House of worries', 'Robin worries when Dad shouts.').waitFor()
    await expect.poll(() => onPhone.getByRole('radio', { name: relayed }).isChecked()).toBe(true)
    await checkBothLayouts()
    expectNoPageErrors()
  })

  test('who took part, and what happens if things do not change', async () => {
    await desk.show('involvement')
    await desk.typeInto(desk.page.getByRole('textbox', { name: 'How the children and parents took part', exact: true }), 'Robin wrote a letter.')
    await desk.show('contingency')
    const contingency = 'If Robin is left alone again, the social worker will ask a court to decide where Robin lives.'
    await desk.typeInto(desk.page.getByRole('textbox', { name: 'What will happen if things do not change', exact: true }), contingency)

    await textboxWith(await phone.show('involvement'), 'How the children and parents took part', 'Robin wrote a letter.').waitFor()
    await checkBothLayouts()
    const onPhone = await phone.show('contingency')
    await textboxWith(onPhone, 'What will happen if things do not change', contingency).waitFor()
    await checkBothLayouts()
    // A professional word here has its plain meaning too, as on the map.
    await desk.page.keyboard.type(' That stage is called PLO.')
    await onPhone.locator('[data-glossary="plo"]').tap()
    await onPhone.getByText(/Public law outline: a formal stage before the council might go to court/).waitFor()
    expectNoPageErrors()
  })

  test('the decision: the parent reads the chair’s decision but cannot change it, and writes the family’s view for everyone', async () => {
    chair.record.decision.update({ decision: 'child-protection-plan', category: 'neglect' })
    setPlainText(chair.record.decision.rationale, 'Robin was left alone at night more than once.')
    await desk.show('decision')
    await desk.addAndType('Add a recommendation', 'Recommendation 1', 'Pat Sample')

    const onPhone = await phone.show('decision')
    await onPhone.getByText('Decision: The children will have a child protection plan').waitFor()
    await onPhone.getByText('Category of the plan: Neglect').waitFor()
    await onPhone.getByText('Only the chair can change this part.', { exact: false }).waitFor()
    const rationale = textboxWith(onPhone, 'Why: the chair’s reasons', 'left alone at night')
    await rationale.waitFor()
    expect(await rationale.getAttribute('aria-readonly')).toBe('true')
    expect(await rationale.getAttribute('contenteditable')).toBe('false')
    expect(await onPhone.getByRole('combobox', { name: 'Decision' }).count()).toBe(0)
    await expect.poll(() => phone.entry('Recommendation 1').getByRole('textbox', { name: 'Name, Recommendation 1' }).inputValue()).toBe('Pat Sample')

    const view = 'We want Robin to stay at home with us.'
    await phone.typeInto(onPhone.getByRole('textbox', { name: 'The family’s view, in their own words', exact: true }), view)
    await textboxWith(desk.board(), 'The family’s view, in their own words', view).waitFor()
    await phone.waitUntilSaved()
    await checkBothLayouts()
    expectNoPageErrors()
  })

  test('the plan, an action and the core group reach the phone', async () => {
    await desk.show('plan')
    await desk.addAndType('Add a plan rule', 'Plan rule 1', 'Dad drinks and shouts.')
    await desk.typeInto(desk.page.getByRole('textbox', { name: 'What works, Plan rule 1', exact: true }), 'Dad goes out for a walk.')
    await desk.show('actions')
    await desk.addAndType('Add an action', 'Action 1', 'Book a parenting course')
    await desk.entry('Action 1').getByRole('combobox', { name: 'Who will do it, Action 1' }).fill('Jo Example')
    await desk.show('coreGroup')
    await desk.addAndType('Add someone to the core group', 'Member 1', 'Gran Example')
    await desk.page.getByRole('button', { name: 'Add a meeting', exact: true }).click()
    await desk.entry('Meeting 1').getByLabel('Date, Meeting 1').fill('2026-12-07')
    // The review the timescales ask for (within 3 months of 23 November), added from the suggestion;
    // the core group meeting is booked already, so after that nothing is left to suggest.
    const suggested = desk.page.getByRole('region', { name: 'Suggested dates for the next meetings' })
    await suggested.getByRole('button', { name: /^Add it: Review conference/ }).click()
    await expect.poll(() => desk.entry('Meeting 2').getByLabel('Date, Meeting 2').inputValue()).toBe('2027-02-23')
    await suggested.waitFor({ state: 'detached' })

    const plan = await phone.show('plan')
    await textboxWith(plan, 'The worrying behaviour, Plan rule 1', 'Dad drinks and shouts.').waitFor()
    await textboxWith(plan, 'What works, Plan rule 1', 'Dad goes out for a walk.').waitFor()
    await checkBothLayouts()
    const actions = await phone.show('actions')
    await textboxWith(actions, 'What needs to be done, Action 1', 'Book a parenting course').waitFor()
    await expect.poll(() => actions.getByRole('combobox', { name: 'Who will do it, Action 1' }).inputValue()).toBe('Jo Example')
    await checkBothLayouts()
    await phone.show('coreGroup')
    await expect.poll(() => phone.entry('Member 1').getByRole('textbox', { name: 'Name, Member 1' }).inputValue()).toBe('Gran Example')
    await expect.poll(() => phone.entry('Meeting 1').getByLabel('Date, Meeting 1').inputValue()).toBe('2026-12-07')
    await checkBothLayouts()
    expectNoPageErrors()
  })

  test('when the note-taker removes an action, the parent is told which one went, with its words', async () => {
    await desk.show('actions')
    await desk.addAndType('Add an action', 'Action 2', 'Mum rings the school each Monday')
    const actions = await phone.show('actions')
    await textboxWith(actions, 'What needs to be done, Action 2', 'Mum rings the school each Monday').waitFor()

    await desk.entry('Action 2').getByRole('button', { name: 'Remove Action 2' }).click()
    await desk.entry('Action 2').getByRole('button', { name: 'Yes, remove it' }).click()
    await phone.entry('Action 2').waitFor({ state: 'detached' })
    const told = actions.getByText('Someone else removed Action 2, written by Nell Notes:', { exact: true })
    await told.waitFor()
    await actions.getByText('“Mum rings the school each Monday”', { exact: true }).waitFor()
    // Only the others are told: the note-taker saw it go.
    expect(await desk.board().getByText(/^Someone else removed/).count()).toBe(0)
    await checkBothLayouts()
    await actions.getByRole('button', { name: 'OK', exact: true }).click()
    await told.waitFor({ state: 'detached' })
    expectNoPageErrors()
  })

  test('on the shared screen a step is only text: no form controls, and the texts cannot be changed', async () => {
    const shared = await noteTaker.context.newPage()
    await shared.goto(`/conferences/${conferenceId}/present`)
    const screen = shared.getByRole('main')
    // The meeting is still at its first step.
    await screen.getByText('Name: Robin Example').waitFor()
    await screen.getByText('Here today: Yes').waitFor()
    for (const role of ['textbox', 'checkbox', 'combobox', 'radio'] as const) {
      expect(await screen.getByRole(role).count(), role).toBe(0)
    }
    expect(await screen.getByRole('button', { name: /^(Add|Remove)/ }).count()).toBe(0)

    await desk.show('plan')
    await desk.page.getByRole('button', { name: 'Move the meeting to this step' }).click()
    const rule = textboxWith(screen, 'What works, Plan rule 1', 'Dad goes out for a walk.')
    await rule.waitFor()
    const texts = await screen.getByRole('textbox').all()
    expect(texts.length).toBeGreaterThan(0)
    for (const text of texts) expect(await text.getAttribute('aria-readonly')).toBe('true')
    expect(await screen.getByRole('button', { name: /^(Add|Remove)/ }).count()).toBe(0)
    await shared.close()
    expectNoPageErrors()
  })

  test('in a US child safety conference the decision-maker approves the plan and records where the children are staying', async () => {
    const usConference = (await createTestConference(server.admin, { title: 'Fictional family — safety conference', kind: 'us-csc-initial' })).id
    await addToConference(server.admin, usConference, { email: 'nell@example.org', role: 'noteTaker' })
    const decisionMaker = connectParticipant(server.admin, usConference, { name: 'Ada Admin' })
    try {
      await decisionMaker.synced()
      decisionMaker.record.decision.update({ decision: 'safety-plan-approved', whereChildrenStay: 'with-someone-they-know' })
      await desk.open(usConference)
      const decision = await desk.show('decision', 'us-csc-initial')
      await decision.getByRole('heading', { name: 'The decision-maker’s approval' }).waitFor()
      await decision.getByText('Decision: The safety plan is approved').waitFor()
      await decision.getByText('Where the children are staying: With someone the children know (family or a friend)').waitFor()
      await decision.getByText('Only the decision-maker can change this part.', { exact: false }).waitFor()
      const group = await desk.show('coreGroup', 'us-csc-initial')
      await group.getByRole('button', { name: 'Add someone to the safety network', exact: true }).waitFor()
      expectNoPageErrors()
    } finally {
      decisionMaker.destroy()
    }
  })
})
