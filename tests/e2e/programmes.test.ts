import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { ConferenceSummary } from '../../shared/api'
import { agendaFor } from '../../shared/conference/agenda'
import { meetingPart } from '../../shared/conference/meeting'
import { cscHoldBy, deadlineWords, instantOf } from '../../shared/programmes/deadlines'
import { addDays, localDate } from '../../shared/timescales'
import { seriousProblems } from '../helpers/axe'
import { DESKTOP, deviceCopies, launchBrowser, openAsPerson, PHONE, type Person } from '../helpers/browser'
import { api, expectJson, invite, inviteAndJoin, newProfessional } from '../helpers/devices'
import { createCsc, createTestConference, REFERRAL, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'
import { holdByWords } from '../../client/components/programmes/referralWords'

/** The feedback page on a parent's phone, by what a parent sees and reads. */
class FeedbackPage {
  constructor(readonly page: Page) {}

  async answer(question: string, answer: 'Yes' | 'Partly' | 'No'): Promise<void> {
    await this.page.getByRole('group', { name: question }).getByRole('radio', { name: answer, exact: true }).check()
  }
}

/** The programme page, as a programme lead reads it. */
class ProgrammePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/programme')
    await this.page.getByRole('heading', { name: 'Programme figures', level: 1 }).waitFor()
  }

  /** "100% (5 of 5)": the figure as shown beside its label, in its group. */
  figure(group: string, label: string): Promise<string> {
    return this.page.getByRole('region', { name: group }).getByRole('listitem').filter({ hasText: label }).locator('.figure-value').innerText()
  }
}

describe('programmes in the browser', () => {
  let server: TestServer
  let browser: Browser
  const people: Person[] = []
  const today = localDate(new Date())

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer({ parentPartnerPlaces: [{ serviceArea: 'Eastern', places: 1 }, { serviceArea: 'Western', places: 50 }] }), launchBrowser()])
  })

  afterAll(async () => {
    for (const person of people) await person.context.close()
    await browser.close()
    await server.stop()
    await removeTempDirs()
  })

  async function open(name: string, viewport: typeof DESKTOP, device: Parameters<typeof openAsPerson>[4]): Promise<Person> {
    const person = await openAsPerson(browser, server.url, name, viewport, device)
    people.push(person)
    return person
  }

  test('a parent gives feedback on a phone; the programme page shows it added up with other parents’, never on its own', async () => {
    // Held in the quarter before this one: a quarter's words are shown only once it has ended.
    const quarterBegan = `${today.slice(0, 5)}${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`
    const conference = await createTestConference(server.admin, { title: 'The Evans family (fictional)', kind: 'uk-initial', date: addDays(quarterBegan, -1) })
    const lastStep = agendaFor('uk-initial').at(-1)?.id ?? 'coreGroup'
    // Four parents have answered already (through the API, as their phones would), sharing their words.
    for (const name of ['Ann', 'Ben', 'Cat', 'Dev']) {
      const parent = await inviteAndJoin(server.admin, conference.id, { name, role: 'parentOrCarer' })
      await expectJson(await api(parent, `/api/conferences/${conference.id}/feedback`, { method: 'POST', body: { answers: { respected: 'yes', listenedTo: 'yes' }, words: 'It was fair.', shareWords: true } }), 201)
    }
    const lead = await newProfessional(server.admin, { name: 'Lee Lead', email: 'lee.lead@example.org', programmeLead: true })
    const leadScreen = await open('Lee', DESKTOP, lead)
    const programme = new ProgrammePage(leadScreen.page)
    await programme.open()
    // Four answers are too few to show, and so are four parents' words.
    expect(await programme.figure('Parents’ feedback', 'Parents who gave feedback')).toBe('fewer than 5 (not shown)')
    await leadScreen.page.getByText('Not shown: fewer than 5 parents shared their words.').first().waitFor()

    const erin = await inviteAndJoin(server.admin, conference.id, { name: 'Erin Evans', role: 'parentOrCarer' })
    const phone = await open('Erin', PHONE, erin)
    await phone.page.goto(`/conferences/${conference.id}`)
    // Everything on the board is on the server: the phone's copy of the record says so.
    await phone.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    // Not asked while the meeting is under way: only once it reaches the last step of its agenda.
    const askFeedback = phone.page.getByRole('link', { name: 'Tell us how the meeting went' })
    expect(await askFeedback.count()).toBe(0)
    await server.rooms.change(conference.id, (room) => { meetingPart(room.doc).moveTo(lastStep, 'the-chair') })
    await askFeedback.click()
    await phone.page.getByRole('heading', { name: 'How did the meeting go?', level: 1 }).waitFor()
    expect(await seriousProblems(phone.page)).toEqual([])
    const feedback = new FeedbackPage(phone.page)
    // Plain words for a worried parent: the words go to the programme team, never to her meeting, and no name is asked for.
    await phone.page.getByText('Nobody at your meeting will see them.', { exact: false }).waitFor()
    expect(await phone.page.getByLabel('Add my name').count()).toBe(0)
    await feedback.answer('Were you treated with respect?', 'Yes')
    await feedback.answer('Did you feel listened to?', 'Yes')
    await feedback.answer('Did you feel fully involved in the meeting?', 'Partly')
    await phone.page.getByLabel('Anything else you want to tell us? (optional)').fill('The chair let me finish what I was saying.')
    await phone.page.getByLabel('Let the programme team read my words, without my name (nobody at my meeting will see them)').check()
    await phone.page.getByRole('button', { name: 'Send' }).click()
    await phone.page.getByText('Thank you. Your answers have been sent.').waitFor()
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    // Once only: coming back shows the thanks, not the questions.
    await phone.page.reload()
    await phone.page.getByText('Thank you. Your answers have been sent.').waitFor()
    expect(await phone.page.getByRole('button', { name: 'Send' }).count()).toBe(0)

    // Leaving quickly from here takes the record off the phone, as it does from the board.
    expect(await deviceCopies(phone.page, conference.id)).toHaveLength(1)
    const neutralPage = phone.page.waitForEvent('load')
    await phone.page.getByRole('button', { name: 'Leave quickly' }).click()
    await neutralPage
    expect(new URL(phone.page.url()).pathname).toBe('/weather.html')
    expect(await deviceCopies(phone.page, conference.id)).toEqual([])

    await leadScreen.page.getByRole('button', { name: 'Show figures' }).click()
    await leadScreen.page.getByRole('heading', { name: 'Parents’ own words' }).waitFor()
    expect(await programme.figure('Parents’ feedback', 'Parents who gave feedback')).toBe('5')
    expect(await programme.figure('Parents’ feedback', 'Were you treated with respect?')).toBe('100% (5 of 5)')
    expect(await programme.figure('Parents’ feedback', 'Did you feel listened to?')).toBe('100% (5 of 5)')
    // Only Erin said how involved she felt: one answer is not shown.
    expect(await programme.figure('Parents’ feedback', 'Did you feel fully involved in the meeting?')).toBe('fewer than 5 (not shown)')
    await leadScreen.page.getByRole('listitem').filter({ hasText: 'The chair let me finish what I was saying.' }).waitFor()
    await leadScreen.page.getByText('Not shown until the quarter has ended', { exact: false }).waitFor()
    // Nothing on the page names her, the family or the conference.
    const shown = await leadScreen.page.locator('main').innerText()
    for (const identifying of ['Erin', 'Evans', conference.id]) expect(shown).not.toContain(identifying)
    expect(await seriousProblems(leadScreen.page)).toEqual([])
    expect([...phone.pageErrors, ...leadScreen.pageErrors]).toEqual([])
  })

  test('a parent who went to the feedback page and back to the meeting leaves quickly: Back goes to where she was before SafetyMap, not to a page of it', async () => {
    const conference = await createTestConference(server.admin, { title: 'The Frost family (fictional)', kind: 'uk-initial', date: today })
    await server.rooms.change(conference.id, (room) => { meetingPart(room.doc).moveTo(agendaFor('uk-initial').at(-1)?.id ?? 'coreGroup', 'the-chair') })
    const { link } = await invite(server.admin, conference.id, { name: 'Fay Frost', role: 'parentOrCarer' })
    const phone = await open('Fay', PHONE, undefined)
    const { page } = phone
    // The message her invitation came in, in another app: the browser keeps that page, we cannot.
    await page.goto('data:text/html,<title>Messages</title><p>Your invitation link</p>')
    await page.goto(link)
    await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    await page.getByRole('link', { name: 'Tell us how the meeting went' }).click()
    await page.getByRole('heading', { name: 'How did the meeting go?', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'Back to the meeting' }).click()
    await page.getByRole('link', { name: 'Tell us how the meeting went' }).waitFor()

    const neutralPage = page.waitForEvent('load')
    await page.getByRole('button', { name: 'Leave quickly' }).click()
    await neutralPage
    expect(new URL(page.url()).pathname).toBe('/weather.html')

    // One Back press: the message, not the meeting, the feedback page or the page to sign in.
    await page.goBack()
    expect(page.url()).toMatch(/^data:/)
    expect(await page.title()).toBe('Messages')
    expect(phone.pageErrors).toEqual([])
  })

  test('the organiser starts a CSC from its referral, sees its 72-hour deadline where it is listed, and offers a Parent Partner until the area is full', async () => {
    const organiser = await open('Organiser', DESKTOP, server.admin)
    const { page } = organiser
    await page.goto('/')
    const yesterday = addDays(today, -1)
    await page.getByLabel('Title').fill('The Diaz family (fictional)')
    await page.getByLabel('Kind of conference').selectOption('us-csc-initial')
    // A US conference has a facilitator, not a chair.
    expect(await page.getByLabel('Your role in it').locator('option').allTextContents()).toEqual(['Facilitator', 'Note-taker', 'Social worker'])
    const referral = page.getByRole('group', { name: 'Referral' })
    await referral.getByLabel('Day the concern was raised').fill(yesterday)
    await referral.getByLabel('Time the concern was raised').fill('09:30')
    await referral.getByLabel('Time zone').selectOption('America/Chicago')
    await referral.getByLabel('Family', { exact: true }).fill('The Diaz family')
    await referral.getByLabel('Children’s names, one per line').fill('Mia Diaz\nLeo Diaz')
    await referral.getByLabel('Service area').selectOption('Eastern')
    await referral.getByLabel('Facilitator’s name').fill('Frankie Facilitator')
    await referral.getByLabel('Facilitator’s organisation').fill('Linn County Family Mediation')
    await referral.getByRole('group', { name: 'Is the facilitator independent of the child welfare agency?' }).getByRole('radio', { name: 'Yes' }).check()
    const holdBy = `Hold by ${deadlineWords(cscHoldBy(instantOf({ date: yesterday, time: '09:30', timeZone: 'America/Chicago' })), 'America/Chicago')}`
    await page.getByLabel('Date', { exact: true }).fill(today)
    await page.getByRole('button', { name: 'Create conference' }).click()

    // The board says when it must be held and who facilitates.
    await page.getByText(holdBy).waitFor()
    await page.getByText('Facilitator: Frankie Facilitator, Linn County Family Mediation (independent of the agency)').waitFor()
    // The children came from the referral, and the record says so.
    await page.getByRole('textbox', { name: 'Name' }).first().waitFor()
    expect(await page.getByText('From the referral').count()).toBe(2)
    const conferenceId = /\/conferences\/([^/]+)/.exec(page.url())?.[1] ?? ''
    const listed = await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, `/api/conferences/${conferenceId}`), 200)
    expect(listed.conference.referral?.serviceArea).toBe('Eastern')

    await page.getByRole('button', { name: 'Parent Partners' }).click()
    const offerForm = page.getByRole('form', { name: 'Offer a Parent Partner' })
    const offer = async (parentName: string, alreadySupported: 'Yes' | 'No'): Promise<void> => {
      await offerForm.getByLabel('Parent’s name').fill(parentName)
      await offerForm.getByRole('group', { name: 'Does this parent already have a Parent Partner?' }).getByRole('radio', { name: alreadySupported }).check()
      await offerForm.getByLabel('Have the children been removed?').selectOption({ label: 'No, the children are at home' })
      await offerForm.getByRole('button', { name: 'Record the offer' }).click()
    }
    // Already supported: not eligible, said why.
    await offer('Dana Diaz', 'Yes')
    await offerForm.getByRole('alert').getByText('This parent already has a Parent Partner.').waitFor()
    await offer('Dana Diaz', 'No')
    await page.getByRole('button', { name: 'Parent accepted' }).click()
    const accept = page.getByRole('form', { name: 'Parent Partner for Dana Diaz' })
    await accept.getByLabel('Parent Partner’s name').fill('Pat Partner')
    await accept.getByRole('button', { name: 'Invite the Parent Partner' }).click()
    await page.getByRole('heading', { name: 'Invitation for Pat Partner' }).waitFor()
    await page.getByText('Eastern: 0 of 1 places left').waitFor()
    // The area is full: the next parent is refused with a clear message.
    await offer('Sam Diaz', 'No')
    await offerForm.getByRole('alert').getByText('All 1 Parent Partner places in the Eastern service area are taken. A place comes free when a parent’s support ends.').waitFor()
    expect(await seriousProblems(page)).toEqual([])
    // Ending support is asked once more, then frees the place.
    await page.getByRole('button', { name: 'Support ended' }).click()
    const ending = page.getByRole('group', { name: 'End Dana Diaz’s Parent Partner support?' })
    // Ending support also takes the Parent Partner out of the family's conference.
    await ending.getByText('Pat Partner will no longer see this conference’s record').waitFor()
    await ending.getByRole('button', { name: 'Yes, support has ended' }).click()
    await page.getByText('Eastern: 1 of 1 places left').waitFor()
    await page.getByText('Support has ended').waitFor()

    await page.goto('/')
    await page.getByRole('link', { name: /The Diaz family \(fictional\)/ }).filter({ hasText: holdBy }).first().waitFor()
    expect(organiser.pageErrors).toEqual([])
  })

  test('at a CSC follow-up the organiser sees the Parent Partner offer made at the initial CSC and where, and that parent is answered as already supported', async () => {
    const csc = await createCsc(server.admin, { family: 'The Garcia family', serviceArea: 'Western' })
    const offers = `/api/conferences/${csc.id}/parent-partner`
    const { offer } = await expectJson<{ offer: { id: string } }>(await api(server.admin, offers, { method: 'POST', body: { parentName: 'Gina Garcia', serviceArea: 'Western', alreadySupported: false, childRemoved: 'no' } }), 201)
    await expectJson(await api(server.admin, `${offers}/${offer.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Robin Partner' } }), 200)
    const { conference: followUp } = await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'The Garcia family follow-up', kind: 'us-csc-follow-up', date: '2026-12-04', role: 'chair', follows: csc.id } }), 201)

    const organiser = await open('Organiser at the follow-up', DESKTOP, server.admin)
    const { page } = organiser
    await page.goto(`/conferences/${followUp.id}`)
    // The same children, brought from the CSC, and the record says so.
    await page.getByText('From the last conference').first().waitFor()
    expect(await page.getByText('From the last conference').count()).toBe(REFERRAL.children.length)
    await page.getByRole('button', { name: 'Parent Partners' }).click()
    await page.getByText('Accepted: a Parent Partner supports this parent (Parent Partner: Robin Partner)').waitFor()
    await page.getByText(`Offered at ${csc.title} on ${csc.date}. Record any change there.`).waitFor()
    // Her support is ended where it was offered, not here.
    expect(await page.getByRole('button', { name: 'Support ended' }).count()).toBe(0)
    const offerForm = page.getByRole('form', { name: 'Offer a Parent Partner' })
    await offerForm.getByLabel('Parent’s name').fill('gina garcia')
    expect(await offerForm.getByRole('group', { name: 'Does this parent already have a Parent Partner?' }).getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true)
    expect(organiser.pageErrors).toEqual([])
  })

  test('a parent’s phone says who facilitates the CSC, but not the agency’s 72-hour deadline', async () => {
    const conference = await createCsc(server.admin, { afterRemoval: true }, today)
    if (!conference.referral) throw new Error('a CSC created from a referral keeps it')
    const deadline = holdByWords(conference.referral, conference.date)
    const facilitator = 'Facilitator: Frankie Facilitator, Linn County Family Mediation (independent of the agency)'
    const organiser = await open('Organiser', DESKTOP, server.admin)
    await organiser.page.goto(`/conferences/${conference.id}`)
    await organiser.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    await organiser.page.getByText(deadline, { exact: true }).waitFor()

    const dana = await inviteAndJoin(server.admin, conference.id, { name: 'Dana Diaz', role: 'parentOrCarer' })
    const phone = await open('Dana', PHONE, dana)
    await phone.page.goto(`/conferences/${conference.id}`)
    await phone.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    await phone.page.getByText(facilitator, { exact: true }).waitFor()
    // Staff wording, and a countdown on her children: not for her.
    const shown = await phone.page.locator('main').innerText()
    for (const staffWords of [deadline, 'Hold by', 'After a removal', '72 hours']) expect(shown).not.toContain(staffWords)
    expect([...organiser.pageErrors, ...phone.pageErrors]).toEqual([])
  })
})
