import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type { ConferenceSummary } from '../../shared/api'
import { agendaFor, type AgendaStepId } from '../../shared/conference/agenda'
import { setPlainText } from '../../shared/conference/richText'
import { launchBrowser, openAsPerson, sidewaysOverflow, stepHeading, type Person } from '../helpers/browser'
import { addToConference, api, expectJson, professionalIn } from '../helpers/devices'
import { connectParticipant, type Participant } from '../helpers/participants'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

/** The projector's screen, and a laptop board of the same width. */
const PROJECTOR = { width: 1280, height: 720 }

/** One unbroken word, as a pasted web address can be: longer than any column is wide. */
const LONG_WORD = `https://example.org/${'a'.repeat(280)}`

/** True when `inner` lies within `outer`'s left and right edges. */
async function staysInside(inner: Locator, outer: Locator): Promise<boolean> {
  const [a, b] = await Promise.all([inner.boundingBox(), outer.boundingBox()])
  if (!a || !b) return false
  return a.x >= b.x - 1 && a.x + a.width <= b.x + b.width + 1
}

const DANGER_WITHOUT_GOAL = 'Dad may shout at the children again when he has been drinking.'

afterAll(removeTempDirs)

describe('the shared screen shows the room the record, and nothing the room should not see', () => {
  let server: TestServer
  let browser: Browser
  let noteTaker: Person
  let conference: ConferenceSummary
  let chair: Participant
  let present: Page

  const titleOf = (step: AgendaStepId): string => agendaFor(conference.kind).find((candidate) => candidate.id === step)?.title ?? step

  /** The chair moves the meeting; the shared screen follows. */
  async function meetingAt(step: AgendaStepId): Promise<void> {
    chair.record.meeting.moveTo(step, chair.authorId)
    await stepHeading(present, titleOf(step)).waitFor()
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conference = await createTestConference(server.admin, { title: 'Fictional family — shared screen', kind: 'uk-initial', date: '2026-11-23' })
    const nadia = await professionalIn(server.admin, server.admin, conference.id, { name: 'Nadia (note-taker)', email: 'nadia@example.org', role: 'noteTaker' })
    noteTaker = await openAsPerson(browser, server.url, 'Nadia (note-taker)', PROJECTOR, nadia)
    chair = connectParticipant(server.admin, conference.id, { name: 'Ada Admin' })
    await chair.synced()
    present = await noteTaker.context.newPage()
    await Promise.all([
      noteTaker.page.goto(`/conferences/${conference.id}`),
      present.goto(`/conferences/${conference.id}/present`),
    ])
    await Promise.all([noteTaker.page, present].map((page) => page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()))
  })

  afterAll(async () => {
    chair.destroy()
    await browser.close()
    await server.stop()
  })

  test('a map entry of one long unbroken word stays inside its column, on the board and on the shared screen', async () => {
    const strengths = chair.record.map.section('existingStrengths')
    strengths.add(chair.authorId, { text: { text: LONG_WORD } })
    strengths.add(chair.authorId, { text: { text: 'Mum takes the children to school every day.' } })
    await chair.saved()
    await meetingAt('map')
    for (const page of [noteTaker.page, present]) {
      const column = page.getByRole('region', { name: 'What\'s working well?', exact: true })
      const entry = column.getByRole('article', { name: 'Existing strengths, entry 1', exact: true })
      await entry.getByText(LONG_WORD).waitFor()
      expect(await sidewaysOverflow(page)).toEqual([])
      expect(await staysInside(entry, column)).toBe(true)
      // The next entry is not pushed out of its column either.
      expect(await staysInside(column.getByRole('article', { name: 'Existing strengths, entry 2', exact: true }), column)).toBe(true)
    }
    expect(noteTaker.pageErrors).toEqual([])
  })

  test('an entry removed during the meeting: the shared screen never quotes its words back and asks nobody to click OK', async () => {
    await meetingAt('map')
    const words = 'Mum takes the children to school every day.'
    const column = present.getByRole('region', { name: 'What\'s working well?', exact: true })
    await column.getByText(words).waitFor()
    // Anything announced or boxed on the screen from now on is noted, however briefly it shows.
    await present.evaluate((removed) => {
      const seen: string[] = []
      Object.assign(window, { quotedBack: seen })
      const look = (): void => {
        for (const element of document.querySelectorAll('[aria-live], blockquote')) {
          if (element.textContent.includes(removed)) seen.push(element.textContent)
        }
      }
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true, characterData: true })
    }, words)
    const strengths = chair.record.map.section('existingStrengths')
    const entry = strengths.entries().find((candidate) => candidate.id !== strengths.entries()[0]?.id)
    if (!entry) throw new Error('the second entry is missing')
    strengths.remove(entry.id)
    const line = present.getByText('Removed just now: an entry from Existing strengths.', { exact: true })
    await line.waitFor()
    expect(await present.getByText(words).count()).toBe(0)
    // (The only buttons there explain a professional term.)
    expect(await present.getByRole('button', { name: /^(OK|Undo)/ }).count()).toBe(0)
    expect(await present.getByText(/Someone else|written by/).count()).toBe(0)
    // Nobody at the projector has to clear it: it goes by itself.
    await line.waitFor({ state: 'detached', timeout: 20_000 })
    expect(await present.evaluate(() => (window as unknown as { quotedBack: string[] }).quotedBack)).toEqual([])
    // Everyone else's board still says which words went, and who wrote them.
    await noteTaker.page.getByText(`“${words}”`).waitFor()
  })

  test('a text nobody has written yet says so on the shared screen, instead of an empty white box', async () => {
    // A danger statement whose safety goal is not agreed yet.
    setPlainText(chair.record.dangerStatements.add(chair.authorId).richText('dangerStatement'), DANGER_WITHOUT_GOAL)
    for (const step of ['childsVoice', 'dangerStatements', 'decision', 'plan'] as const) {
      await meetingAt(step)
      const screen = present.getByRole('main')
      await screen.getByText('Not written down yet', { exact: true }).first().waitFor()
      const empty = await screen.getByRole('textbox').evaluateAll((boxes) => boxes.filter((box) => box.textContent.trim() === '').map((box) => box.getAttribute('aria-label')))
      expect(empty, step).toEqual([])
    }
    // Once something is written, it is shown as written.
    setPlainText(chair.record.plan.bottomLines, 'Nobody drinks while looking after the children.')
    await present.getByRole('textbox').filter({ hasText: 'Nobody drinks while looking after the children.' }).waitFor()
  })

  test('a UK conference names no Parent Partner among who supported the parents: they exist only at US child safety conferences', async () => {
    await meetingAt('involvement')
    await present.getByText('who supported them (an advocate, a friend)?', { exact: false }).waitFor()
    expect(await present.getByText(/Parent Partner/).count()).toBe(0)
  })

  test('at the review, the danger statements carried forward read as whole sentences, with or without a safety goal', async () => {
    // The first conference agreed a second pair, with its goal; the first still has none.
    const pair = chair.record.dangerStatements.add(chair.authorId)
    setPlainText(pair.richText('dangerStatement'), 'The children may be hurt when the adults argue.')
    setPlainText(pair.richText('safetyGoal'), 'Arguments happen away from the children, and nobody is hit.')
    await chair.saved()
    const created = await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Fictional family — review', kind: 'uk-review', date: '2027-02-15', role: 'chair', follows: conference.id } })
    const review = (await expectJson<{ conference: ConferenceSummary }>(created, 201)).conference
    await expectJson(await api(server.admin, `/api/conferences/${review.id}/carried-forward/${pair.id}/versions`, {
      method: 'POST',
      body: { dangerStatement: 'The children may be hurt or see Mum hurt when the adults argue.', safetyGoal: 'Arguments happen away from the children, and nobody is hit.', newHarm: { what: 'The police were called to a fight at home.', when: 'Saturday 6 February' } },
    }), 201)
    await addToConference(server.admin, review.id, { email: 'nadia@example.org', role: 'noteTaker' })
    const chairAtReview = connectParticipant(server.admin, review.id, { name: 'Ada Admin' })
    try {
      await chairAtReview.synced()
      chairAtReview.record.meeting.moveTo('dangerStatements', chairAtReview.authorId)
      await present.goto(`/conferences/${review.id}/present`)
      const screen = present.getByRole('main')
      const first = screen.getByRole('article', { name: 'Danger statement 1', exact: true })
      const second = screen.getByRole('article', { name: 'Danger statement 2', exact: true })
      await first.getByText(DANGER_WITHOUT_GOAL).first().waitFor()
      await first.getByText(`Carried forward unchanged from ${conference.title} (`, { exact: false }).waitFor()
      // No empty box, and the top of its scale is not left blank.
      await first.getByText(`Safety goal 1 was not written at ${conference.title}.`, { exact: true }).waitFor()
      expect(await first.getByText(/^10 means:\s*$/).count()).toBe(0)
      await second.getByText(`Changed at this conference after new harm. First agreed at ${conference.title} (`, { exact: false }).waitFor()
      expect(await screen.getByText(/new harm\. from /).count()).toBe(0)
    } finally {
      chairAtReview.destroy()
    }
  })

  test('a closed record with corrections added since says how many, and that they are in the minutes', async () => {
    const closed = await createTestConference(server.admin, { title: 'Fictional family — closed', kind: 'uk-initial', date: '2026-11-23' })
    await addToConference(server.admin, closed.id, { email: 'nadia@example.org', role: 'noteTaker' })
    await expectJson(await api(server.admin, `/api/conferences/${closed.id}/finalize`, { method: 'POST' }), 200)
    await present.goto(`/conferences/${closed.id}/present`)
    const notice = present.getByRole('status').filter({ hasText: 'This record was closed by' })
    await notice.getByText('It can no longer be changed.', { exact: false }).waitFor()
    for (const text of ['The school visit is on Thursday.', 'Gran collects the children on Fridays, not Mondays.']) {
      await expectJson(await api(server.admin, `/api/conferences/${closed.id}/amendments`, { method: 'POST', body: { section: 'actions', text } }), 201)
    }
    await present.reload()
    await notice.getByText('2 corrections have been added since. They are in the minutes.', { exact: false }).waitFor()
    expect(await notice.getByText('It can no longer be changed.', { exact: false }).count()).toBe(0)
  })
})
