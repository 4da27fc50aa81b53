import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { strFromU8, unzipSync } from 'fflate'
import type { Browser, Locator, Page } from 'playwright-core'
import { agendaFor, type AgendaStepId } from '../../shared/conference/agenda'
import { DECISION_LABELS } from '../../shared/conference/decision'
import { EXPORT_DOCUMENT_INFO, type ExportDocument } from '../../shared/exports'
import type { ScoringRound } from '../../shared/conference/scores'
import { DESKTOP, launchBrowser, meetingRail, openAsPerson, openStep, PHONE, stepHeading, type Person } from '../helpers/browser'
import { ADMIN, api, expectJson, inviteAndJoin, professionalIn } from '../helpers/devices'
import { connectParticipant, typeInto } from '../helpers/participants'
import { seriousProblems } from '../helpers/axe'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

const KIND = 'uk-initial'
const DATE = '2026-11-23'
const titleOf = (step: AgendaStepId): string => agendaFor(KIND).find((candidate) => candidate.id === step)?.title ?? step
const RATIONALE = 'Robin was left alone at night more than once'
/** A link as long as they come from case-management systems: it must not make a phone's page scroll sideways. */
const LONG_LINK = 'https://records.example.org/police/log/2025/03/14/incident-reference-0000-1234-5678-90ab-cdef'
/** Words the chair typed and then struck through: on the board they are crossed out, never fact. */
const STRUCK = 'Mum hit Robin'
const FAMILY_VIEW = 'We agree Robin needs an adult with him at night'
const CLOSED = `This record was closed by ${ADMIN.name} on`

/** One person's board around closing the record: roles, labels and words only. */
class ClosingBoard {
  constructor(readonly person: Person) {}

  get page(): Page {
    return this.person.page
  }

  async open(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}`)
    await this.waitUntilSaved()
  }

  async waitUntilSaved(): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
  }

  closedNotice(): Locator {
    return this.page.getByRole('status').filter({ hasText: CLOSED })
  }

  documents(): Locator {
    return this.page.getByRole('region', { name: 'Documents', exact: true })
  }

  corrections(): Locator {
    return this.page.getByRole('region', { name: 'Corrections after the record was closed' })
  }

  /** Follows a document's link and returns the file the browser saved, with the name it was given. */
  async download(document: ExportDocument): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.documents().getByRole('link', { name: EXPORT_DOCUMENT_INFO[document].label, exact: true }).click(),
    ])
    const failure = await download.failure()
    if (failure) throw new Error(`${document} did not download: ${failure}`)
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) }
  }

  /** The page a document link opens (a new tab, read and closed; the board stays): its heading, its words, and how far it reaches past the right edge of the screen. */
  async openPage(document: ExportDocument): Promise<{ heading: string; text: string; overflow: number }> {
    const [opened] = await Promise.all([
      this.page.context().waitForEvent('page'),
      this.documents().getByRole('link', { name: EXPORT_DOCUMENT_INFO[document].label, exact: true }).click(),
    ])
    try {
      const heading = await opened.getByRole('heading', { level: 1 }).innerText()
      const overflow = await opened.evaluate(() => window.document.documentElement.scrollWidth - window.document.documentElement.clientWidth)
      return { heading, text: await opened.locator('main').innerText(), overflow }
    } finally {
      await opened.close()
    }
  }

  /** Opens a document's page (a new tab), presses its "Leave quickly", and says where that tab is then. */
  async leaveQuicklyFrom(document: ExportDocument): Promise<{ path: string; title: string }> {
    const [opened] = await Promise.all([
      this.page.context().waitForEvent('page'),
      this.documents().getByRole('link', { name: EXPORT_DOCUMENT_INFO[document].label, exact: true }).click(),
    ])
    try {
      await opened.getByRole('heading', { level: 1 }).waitFor()
      await opened.getByRole('link', { name: 'Leave quickly', exact: true }).click()
      await opened.getByRole('heading', { name: 'Weather', level: 1 }).waitFor()
      return { path: new URL(opened.url()).pathname, title: await opened.title() }
    } finally {
      await opened.close()
    }
  }
}

/** The words of a Word document's body, tags taken out (a phrase may sit in one run or be split). */
function wordText(docx: Buffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(docx), { filter: (file) => file.name === 'word/document.xml' })['word/document.xml'] ?? new Uint8Array())
  return xml.replace(/<[^>]+>/g, '')
}

afterAll(removeTempDirs)

describe('closing the record at the end of the meeting', () => {
  let server: TestServer
  let browser: Browser
  let chair: ClosingBoard
  let parent: ClosingBoard
  let conferenceId: string

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    // The administrator who makes the conference chairs it.
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — closing', kind: KIND, date: DATE })).id
    const mumDevice = await inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    // The draft minutes went to Mum while the record was still open.
    await expectJson(await api(server.admin, `/api/conferences/${conferenceId}/exports/sent`, { method: 'POST', body: { document: 'minutes.pdf', to: 'Sam (Mum), by email' } }), 201)
    const [chairPerson, parentPerson] = await Promise.all([
      openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin),
      openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mumDevice),
    ])
    chair = new ClosingBoard(chairPerson)
    parent = new ClosingBoard(parentPerson)
    await Promise.all([chair.open(conferenceId), parent.open(conferenceId)])
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  const expectNoPageErrors = (): void => {
    expect([...chair.person.pageErrors, ...parent.person.pageErrors]).toEqual([])
  }

  test('the chair records the decision and closes the record; every board says so and takes no more changes', async () => {
    await openStep(chair.page, titleOf('decision'))
    await chair.page.getByRole('combobox', { name: 'Decision', exact: true }).selectOption({ label: DECISION_LABELS['child-protection-plan'] })
    await chair.page.getByRole('textbox', { name: 'Why: the chair’s reasons', exact: true }).click()
    await chair.page.keyboard.type(`${RATIONALE}. `)
    // Tiptap's strike-through keys, on and off again.
    await chair.page.keyboard.press('Control+Shift+S')
    await chair.page.keyboard.type(STRUCK)
    await chair.page.keyboard.press('Control+Shift+S')
    await chair.page.keyboard.type(`. Police log: ${LONG_LINK}`)
    await chair.waitUntilSaved()
    await openStep(parent.page, titleOf('decision'))
    await parent.page.getByText(RATIONALE).waitFor()
    expect(await parent.page.locator('s', { hasText: STRUCK }).count()).toBe(1)
    await parent.page.getByRole('textbox', { name: 'The family’s view, in their own words', exact: true }).click()
    await parent.page.keyboard.type(FAMILY_VIEW)
    await parent.waitUntilSaved()

    // The parent's board offers no closing: it is the chair's.
    expect(await parent.page.getByRole('button', { name: /Close the record/ }).count()).toBe(0)

    await chair.page.getByRole('button', { name: 'Close the record…', exact: true }).click()
    const question = chair.page.getByRole('group', { name: 'Close the record now?' })
    await question.getByText('Nobody can change it after this, you included.').waitFor()
    await question.getByText('1 other person is connected now.', { exact: false }).waitFor()
    // While a scale is being scored the record cannot be closed: the scores would never be seen.
    const yes = question.getByRole('button', { name: 'Yes, close the record', exact: true })
    const rounds = `/api/conferences/${conferenceId}/scoring-rounds`
    const { round } = await expectJson<{ round: ScoringRound }>(await api(server.admin, rounds, { method: 'POST', body: { scale: { kind: 'overall' } } }), 201)
    // It names the scale, and takes the chair to its Show and Stop buttons.
    await question.getByText('Still being scored: Overall progress and safety scale. Show the scores, or stop that round, first', { exact: false }).waitFor()
    expect(await yes.isDisabled()).toBe(true)
    await question.getByRole('button', { name: 'Go to Overall progress and safety scale', exact: true }).click()
    await chair.page.getByRole('region', { name: 'Overall progress and safety scale', exact: true }).getByRole('button', { name: 'Stop this round' }).waitFor()
    await expectJson(await api(server.admin, `${rounds}/${round.id}/cancel`, { method: 'POST' }), 200)
    await expect.poll(() => yes.isEnabled()).toBe(true)
    await yes.click()

    await Promise.all([chair.closedNotice().waitFor(), parent.closedNotice().waitFor()])
    await parent.closedNotice().getByText('It can no longer be changed. Corrections are added below each part.', { exact: false }).waitFor()
    // Closed: the chair's control has gone, and nobody moves the meeting any more.
    expect(await chair.page.getByRole('region', { name: 'Close the record' }).count()).toBe(0)
    expect(await chair.page.getByRole('button', { name: /^(Next step|Move the meeting to this step)$/ }).count()).toBe(0)

    // The parent's editors are read only: nothing to type into, nothing to add or remove.
    const familyView = parent.page.getByRole('textbox', { name: 'The family’s view, in their own words', exact: true })
    await expect.poll(() => familyView.getAttribute('contenteditable')).toBe('false')
    expect(await familyView.getAttribute('aria-readonly')).toBe('true')
    expect(await parent.page.getByRole('button', { name: 'Add a recommendation', exact: true }).count()).toBe(0)
    await openStep(parent.page, titleOf('family'))
    expect(await parent.page.getByRole('button', { name: /^(Add a child|Add a person)$/ }).count()).toBe(0)
    await parent.waitUntilSaved()
    expectNoPageErrors()
  })

  test('the chair downloads the minutes as Word and PDF, and opens the family version, made from the closed record', async () => {
    await chair.documents().getByText('The record is closed.', { exact: false }).waitFor()

    const word = await chair.download('minutes.docx')
    expect(word.name).toBe(`conference-minutes-${DATE}.docx`)
    expect(word.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
    expect(wordText(word.bytes)).toContain(`${RATIONALE}. [crossed out: ${STRUCK}]. Police log:`)

    const pdf = await chair.download('minutes.pdf')
    expect(pdf.name).toBe(`conference-minutes-${DATE}.pdf`)
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF')

    const family = await chair.openPage('family.html')
    expect(family.heading).toBe('Your family’s plan')
    expect(family.text).toContain(DECISION_LABELS['child-protection-plan'])
    expect(family.text).toContain(RATIONALE)
    expectNoPageErrors()
  })

  test('the chair records sending the final minutes: the list says which went out as a draft before closing, and which is the final record', async () => {
    const sent = chair.documents().getByRole('region', { name: 'Sent to', exact: true })
    await sent.getByRole('textbox', { name: 'Sent to', exact: true }).fill('Sam (Mum), by post')
    await sent.getByRole('button', { name: 'Record as sent', exact: true }).click()
    await sent.getByRole('listitem').filter({ hasText: 'Sam (Mum), by post' }).getByText('Final — the closed record').waitFor()
    // Read again from the server: the draft sent before closing is still called a draft.
    await chair.open(conferenceId)
    const items = chair.documents().getByRole('region', { name: 'Sent to', exact: true }).getByRole('listitem')
    await items.filter({ hasText: 'Sam (Mum), by email' }).getByText('Draft — sent before the record was closed').waitFor()
    await items.filter({ hasText: 'Sam (Mum), by post' }).getByText('Final — the closed record').waitFor()
    expect(await items.filter({ hasText: 'Sam (Mum), by email' }).getByText('Final', { exact: false }).count()).toBe(0)
    expectNoPageErrors()
  })

  test('the parent opens the family version on her phone, and is offered no minutes', async () => {
    await parent.documents().waitFor()
    expect(await parent.documents().getByRole('link', { name: /Minutes/ }).count()).toBe(0)
    const family = await parent.openPage('family.html')
    expect(family.heading).toBe('Your family’s plan')
    expect(family.text).toContain(`${RATIONALE}. [crossed out: ${STRUCK}]. Police log: ${LONG_LINK}`)
    // Her own view of the decision is in her version, under its own heading.
    expect(family.text).toMatch(new RegExp(`What your family said about it\\s+${FAMILY_VIEW}`))
    // Read on a phone without scrolling sideways, long link and all.
    expect(family.overflow).toBeLessThanOrEqual(0)
    // Still on the board, where she was.
    await parent.documents().waitFor()
    // The page is in a tab of its own, out of the board's reach: it has its own way out.
    for (const document of ['family.html', 'child.html'] as const) {
      expect(await parent.leaveQuicklyFrom(document)).toEqual({ path: '/weather.html', title: 'Weather' })
    }
    expectNoPageErrors()
  })

  test('a correction the parent adds after closing shows on the chair’s board after that part', async () => {
    await openStep(parent.page, titleOf('decision'))
    const correction = 'Robin was left alone twice, not three times.'
    await parent.corrections().getByRole('textbox', { name: 'Add a correction to this part' }).fill(correction)
    const box = parent.corrections().getByRole('textbox', { name: 'Add a correction to this part' })
    await parent.corrections().getByRole('button', { name: 'Add correction', exact: true }).click()
    // Kept by the server: listed, and the box emptied (the words in the box do not count).
    await parent.corrections().getByRole('listitem').filter({ hasText: correction }).waitFor()
    await expect.poll(() => box.inputValue()).toBe('')

    // The chair comes back to the step and finds it after the original, which stays as it was.
    await openStep(chair.page, titleOf('plan'))
    await openStep(chair.page, titleOf('decision'))
    const shown = chair.corrections().getByText(correction)
    await shown.waitFor()
    await chair.corrections().getByText('Added by Sam (Mum)', { exact: false }).waitFor()
    const rationale = chair.page.getByRole('textbox', { name: 'Why: the chair’s reasons', exact: true })
    await rationale.getByText(RATIONALE).waitFor()
    const after = await rationale.evaluate((original, amendment) => Boolean(original.compareDocumentPosition(amendment as Node) & Node.DOCUMENT_POSITION_FOLLOWING), await shown.elementHandle())
    expect(after).toBe(true)
    expectNoPageErrors()
  })

  test('a correction added while someone has that part open reaches their board when they come back to the page, without leaving the part', async () => {
    // The chair stays on the decision step; the parent adds another correction to it.
    const another = 'Gran has Robin on Fridays, not Mondays.'
    await parent.corrections().getByRole('textbox', { name: 'Add a correction to this part' }).fill(another)
    await parent.corrections().getByRole('button', { name: 'Add correction', exact: true }).click()
    await parent.corrections().getByRole('listitem').filter({ hasText: another }).waitFor()
    // The chair's tab is shown again (it is also asked again each minute, too long to wait for here).
    await chair.page.evaluate(() => { document.dispatchEvent(new Event('visibilitychange')) })
    await chair.corrections().getByRole('listitem').filter({ hasText: another }).waitFor()
    expect(await chair.corrections().getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Robin was left alone twice, not three times.'),
      expect.stringContaining(another),
    ])
    expectNoPageErrors()
  })

  test('the closed board, on the laptop and on the phone, has no serious accessibility problems', async () => {
    const [onDesk, onPhone] = await Promise.all([seriousProblems(chair.page), seriousProblems(parent.page)])
    expect(onDesk).toEqual([])
    expect(onPhone).toEqual([])
    expectNoPageErrors()
  })
})

describe('words still being typed when the chair closes the record', () => {
  let server: TestServer
  let browser: Browser
  let chair: ClosingBoard
  let parent: ClosingBoard
  let gran: ClosingBoard
  let noteTaker: ClosingBoard
  let conferenceId: string
  const harm = 'Dad hit Robin on the arm on Friday.'
  const view = 'It was one time, and he apologised.'
  const reason = 'Sam going to her group every week.'
  const scale1 = (board: ClosingBoard): Locator => board.page.getByRole('region', { name: 'Safety scale 1', exact: true })
  const kept = (board: ClosingBoard, what: string): Locator => board.page.getByRole('group', { name: `The record was closed before ${what}.` })

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — closed mid-sentence', kind: KIND, date: DATE })).id
    const [mumDevice, granDevice, noteTakerDevice] = await Promise.all([
      inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' }),
      inviteAndJoin(server.admin, conferenceId, { name: 'Gran (fictional)', role: 'familyNetwork' }),
      professionalIn(server.admin, server.admin, conferenceId, { name: 'Nadia Noor', email: 'nadia@example.org', role: 'noteTaker' }),
    ])
    const [chairPerson, parentPerson, granPerson, noteTakerPerson] = await Promise.all([
      openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin),
      openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mumDevice),
      openAsPerson(browser, server.url, 'Gran (fictional)', PHONE, granDevice),
      openAsPerson(browser, server.url, 'Nadia Noor', DESKTOP, noteTakerDevice),
    ])
    chair = new ClosingBoard(chairPerson)
    parent = new ClosingBoard(parentPerson)
    gran = new ClosingBoard(granPerson)
    noteTaker = new ClosingBoard(noteTakerPerson)
    await Promise.all([chair, parent, gran, noteTaker].map((board) => board.open(conferenceId)))
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  const expectNoPageErrors = (): void => {
    expect([chair, parent, gran, noteTaker].flatMap((board) => board.person.pageErrors)).toEqual([])
  }

  test('the parent’s half-typed view stays on screen when the chair closes the record, and goes into the correction box ready to add', async () => {
    // The chair writes an entry on the map and a danger statement, and opens the scoring.
    await openStep(chair.page, titleOf('map'))
    await chair.page.getByRole('button', { name: 'Add to Past harm', exact: true }).click()
    await chair.page.getByRole('textbox', { name: 'Past harm, entry 1', exact: true }).waitFor()
    await chair.page.keyboard.type(harm)
    await openStep(chair.page, titleOf('dangerStatements'))
    await chair.page.getByRole('button', { name: 'Add a danger statement', exact: true }).click()
    await chair.page.getByRole('textbox', { name: 'Danger statement 1', exact: true }).waitFor()
    await chair.page.keyboard.type('Robin may be hit again when Dad is angry.')
    await scale1(chair).getByRole('button', { name: 'Start scoring', exact: true }).click()
    // Gran scores, and the chair shows the scores at once: a record is not closed while a scale
    // is being scored. Those who scored may still change theirs after.
    await openStep(gran.page, titleOf('dangerStatements'))
    const scoreForm = scale1(gran).getByRole('form', { name: 'Your score' })
    await scoreForm.getByRole('radio', { name: '2', exact: true }).check()
    await scoreForm.getByRole('button', { name: 'Give my score', exact: true }).click()
    await scale1(gran).getByText(/^You gave 2\./).waitFor()
    await scale1(chair).getByRole('button', { name: "Show everyone's scores", exact: true }).click()
    await scale1(chair).getByRole('button', { name: "Show everyone's scores", exact: true }).waitFor({ state: 'detached' })

    // The parent starts her view and Gran changes her score; neither sends it.
    await openStep(parent.page, titleOf('map'))
    await parent.page.getByRole('region', { name: 'Past harm', exact: true }).getByText(harm).waitFor()
    await parent.page.getByRole('button', { name: 'Add your view on Past harm, entry 1', exact: true }).click()
    const viewForm = parent.page.getByRole('form', { name: 'Your view on Past harm, entry 1' })
    await viewForm.getByRole('radio', { name: 'I disagree' }).check()
    await viewForm.getByRole('textbox', { name: /In your own words/ }).fill(view)
    await scale1(gran).getByRole('figure', { name: "Everyone's scores, from 0 to 10" }).waitFor()
    await scale1(gran).getByRole('button', { name: 'Change my score', exact: true }).click()
    await scoreForm.getByRole('radio', { name: '4', exact: true }).check()
    await scoreForm.getByLabel('What would you need to see for the number to go up?').fill(reason)
    // The note-taker is typing in the score of Grandad, who has no device.
    await openStep(noteTaker.page, titleOf('dangerStatements'))
    const forGrandad = scale1(noteTaker).getByRole('form', { name: 'Type in a score for someone without a device' })
    await forGrandad.getByLabel('Name of the person without a device').fill('Grandad Ron')
    await forGrandad.getByLabel('Their score, from 0 to 10').selectOption({ label: '6' })

    await chair.waitUntilSaved()
    await chair.page.getByRole('button', { name: 'Close the record…', exact: true }).click()
    await chair.page.getByRole('group', { name: 'Close the record now?' }).getByRole('button', { name: 'Yes, close the record', exact: true }).click()
    await Promise.all([chair.closedNotice().waitFor(), parent.closedNotice().waitFor(), gran.closedNotice().waitFor()])

    // Her form can no longer be sent; her words stay, with the reason in plain words.
    const keptView = kept(parent, 'your view was added')
    await keptView.getByText(`My view on Past harm, entry 1: I disagree. ${view}`, { exact: true }).waitFor()
    await keptView.getByText('Your words were not added to the record, but they are kept here:').waitFor()
    expect(await viewForm.count()).toBe(0)

    // One tap puts them in this part's correction box, with the focus, ready to add.
    await keptView.getByRole('button', { name: 'Put my words in the correction box', exact: true }).click()
    const box = parent.corrections().getByRole('textbox', { name: 'Add a correction to this part' })
    await expect.poll(() => box.inputValue()).toBe(`My view on Past harm, entry 1: I disagree. ${view}`)
    await parent.page.waitForFunction((element) => element === document.activeElement, await box.elementHandle())
    await keptView.getByText('They are in the correction box at the end of this part.', { exact: false }).waitFor()
    await parent.corrections().getByRole('button', { name: 'Add correction', exact: true }).click()
    await parent.corrections().getByRole('listitem').filter({ hasText: view }).getByText('I disagree', { exact: false }).waitFor()
    await expect.poll(() => box.inputValue()).toBe('')

    // The chair finds it after that part.
    await openStep(chair.page, titleOf('map'))
    await chair.corrections().getByText(`My view on Past harm, entry 1: I disagree. ${view}`).waitFor()
    expectNoPageErrors()
  })

  test('Gran’s score and the one typed in for Grandad stay on screen too, and every scale tells a family that scores the record is closed', async () => {
    const keptScore = kept(gran, 'your score was given')
    await keptScore.getByText(`My score for Safety scale 1: 4. What I would need to see for the number to go up: ${reason}`, { exact: true }).waitFor()
    expect(await scale1(gran).getByRole('form', { name: 'Your score' }).count()).toBe(0)
    await keptScore.getByRole('button', { name: 'Put my words in the correction box', exact: true }).waitFor()
    // And the score the note-taker was typing in for Grandad.
    await kept(noteTaker, 'the score you typed in was given').getByText('Grandad Ron’s score for Safety scale 1: 6.', { exact: true }).waitFor()
    expect(await scale1(noteTaker).getByRole('form', { name: 'Type in a score for someone without a device' }).count()).toBe(0)

    // Not "you do not give a score here": her role scores, the record is closed.
    await openStep(parent.page, titleOf('dangerStatements'))
    for (const board of [gran, parent]) {
      await scale1(board).getByText('The record is closed, so scores can no longer be given.', { exact: true }).waitFor()
      expect(await scale1(board).getByText('You do not give a score here.', { exact: false }).count()).toBe(0)
    }
    // The chair, who never scores, is still told so.
    await openStep(chair.page, titleOf('dangerStatements'))
    await scale1(chair).getByText('You do not give a score here.', { exact: false }).waitFor()
    // The parent had typed nothing there: she is shown no kept words.
    expect(await kept(parent, 'your score was given').count()).toBe(0)
    expect(await seriousProblems(gran.page)).toEqual([])
    expectNoPageErrors()
  })

  test('Gran going to another step with her kept words is asked first; staying keeps them, and so does the correction box she puts them in', async () => {
    const keptScore = kept(gran, 'your score was given')
    const leaving = gran.page.getByRole('alertdialog', { name: /not in the record yet/ })
    const toMap = (): Promise<void> => meetingRail(gran.page).getByRole('button', { name: titleOf('map'), exact: true }).click()
    await toMap()
    await leaving.getByText('You have typed words here that are not in the record yet. If you leave this step, they will be lost.').waitFor()
    await leaving.getByRole('button', { name: 'Stay on this step', exact: true }).click()
    await leaving.waitFor({ state: 'detached' })
    await keptScore.getByText(`My score for Safety scale 1: 4. What I would need to see for the number to go up: ${reason}`, { exact: true }).waitFor()

    // In the correction box the words are still only on this screen: she is asked again, and may go.
    await keptScore.getByRole('button', { name: 'Put my words in the correction box', exact: true }).click()
    await toMap()
    await leaving.getByRole('button', { name: 'Leave without them', exact: true }).click()
    await stepHeading(gran.page, titleOf('map')).waitFor()
    // With nothing typed, steps change at once: the words she left are gone.
    await openStep(gran.page, titleOf('dangerStatements'))
    expect(await keptScore.count()).toBe(0)
    await openStep(gran.page, titleOf('map'))
    expect(await leaving.count()).toBe(0)
    expectNoPageErrors()
  })
})

describe('a review closed while the chair was changing a carried-forward danger statement after new harm', () => {
  let server: TestServer
  let browser: Browser
  let chair: ClosingBoard
  let reviewId: string

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    const initial = await createTestConference(server.admin, { title: 'Fictional family — first conference', kind: KIND, date: DATE })
    const writer = connectParticipant(server.admin, initial.id)
    try {
      await writer.synced()
      typeInto(writer.record.dangerStatements.add(writer.authorId).richText('dangerStatement'), 'Robin may be left alone at night.')
      await writer.saved()
    } finally {
      writer.destroy()
    }
    const review = await expectJson<{ conference: { id: string } }>(
      await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Fictional family — review', kind: 'uk-review', date: '2027-02-15', role: 'chair', follows: initial.id } }),
      201,
    )
    reviewId = review.conference.id
    chair = new ClosingBoard(await openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin))
    await chair.open(reviewId)
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('the chair’s half-written new harm stays on screen when they close the record from the side rail, and goes into the correction box', async () => {
    await openStep(chair.page, agendaFor('uk-review').find((step) => step.id === 'dangerStatements')?.title ?? '')
    const card = chair.page.getByRole('article', { name: 'Danger statement 1' })
    await card.getByRole('button', { name: 'Change it after new harm', exact: true }).click()
    const form = card.getByRole('form', { name: 'Change danger statement 1 after significant new harm' })
    await form.getByLabel('What happened?').fill('Robin was found alone at home at 11pm.')
    await form.getByLabel('When did it happen?').fill('Saturday 6 February')

    await chair.page.getByRole('button', { name: 'Close the record…', exact: true }).click()
    await chair.page.getByRole('group', { name: 'Close the record now?' }).getByRole('button', { name: 'Yes, close the record', exact: true }).click()
    await chair.closedNotice().waitFor()

    const words = 'Danger statement 1, changed after new harm. What happened: Robin was found alone at home at 11pm. When: Saturday 6 February'
    const keptHarm = chair.page.getByRole('group', { name: 'The record was closed before the new harm was recorded.' })
    await keptHarm.getByText(words, { exact: true }).waitFor()
    expect(await form.count()).toBe(0)
    await keptHarm.getByRole('button', { name: 'Put my words in the correction box', exact: true }).click()
    const box = chair.corrections().getByRole('textbox', { name: 'Add a correction to this part' })
    await expect.poll(() => box.inputValue()).toBe(words)
    expect(chair.person.pageErrors).toEqual([])
  })
})
