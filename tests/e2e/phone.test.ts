import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { NEUTRAL_PAGE_PATH } from '../../shared/leaveQuickly'
import { plainText } from '../../shared/conference/richText'
import { agendaFor } from '../../shared/conference/agenda'
import type { ScoringRound } from '../../shared/conference/scores'
import { launchBrowser, openAsPerson, openStep, sidewaysOverflow, SyncLine, type Person } from '../helpers/browser'
import { api, expectJson, inviteAndJoin } from '../helpers/devices'
import { connectParticipant, waitUntil, type Participant } from '../helpers/participants'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'

/** The narrowest phone still common: what a parent holds under the table. */
const SMALL_PHONE = { width: 320, height: 640 }
const MAP_STEP = 'Worries and what’s working well'
const SCALES_STEP = agendaFor('uk-initial').find((step) => step.id === 'scales')?.title ?? ''

/** A parent's board on a small phone, by roles, labels and words. */
class PhoneBoard {
  constructor(readonly page: Page) {}

  async open(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}`)
    await this.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
  }

  leaveQuickly() {
    return this.page.getByRole('button', { name: 'Leave quickly', exact: true })
  }

  explained() {
    return this.page.getByRole('note').filter({ hasText: 'To come back, open your link again or type your code.' })
  }

  entries(section: string) {
    return this.page.getByRole('region', { name: section, exact: true }).getByRole('textbox')
  }
}

/** The status saying these words is shown whole, inside the screen. */
async function expectInView(page: Page, words: RegExp): Promise<void> {
  const status = page.getByRole('status').filter({ hasText: words })
  await status.waitFor()
  const box = await status.boundingBox()
  expect(box).not.toBeNull()
  expect(box!.x).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width)
}

/** On the join page already: types the code and waits for the record to be saved and shown. */
async function joinWithCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Your code').fill(code)
  await page.getByRole('button', { name: 'Join the meeting' }).tap()
  await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
}

describe('the board on a small phone (320 px wide)', () => {
  let server: TestServer
  let browser: Browser
  let conferenceId: string
  let chair: Participant
  let parent: Person
  let board: PhoneBoard
  /** The parent's invitation (its code) and her first session, as the server gave them. */
  let mum: Awaited<ReturnType<typeof inviteAndJoin>>

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'The Example family (fictional)', kind: 'uk-initial' })).id
    mum = await inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    chair = connectParticipant(server.admin, conferenceId)
    await chair.synced()
    parent = await openAsPerson(browser, server.url, 'Sam (Mum)', SMALL_PHONE, mum)
    board = new PhoneBoard(parent.page)
  })

  afterAll(async () => {
    chair.destroy()
    await browser.close()
    await server.stop()
    await removeTempDirs()
  })

  test('a parent is told how to come back after Leave quickly; once she closes that, the first screen reaches the record', async () => {
    await board.open(conferenceId)
    await board.explained().waitFor()
    await board.explained().getByRole('button', { name: 'Got it' }).tap()
    await board.explained().waitFor({ state: 'detached' })
    // Not told again on every visit in this tab.
    await board.open(conferenceId)
    expect(await board.explained().count()).toBe(0)

    // The first part of the step's record is on the first screen, without scrolling.
    const firstPart = parent.page.getByRole('heading', { name: 'About this conference' })
    const box = await firstPart.boundingBox()
    expect(box).not.toBeNull()
    expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(SMALL_PHONE.height)
    // The phone keeps page titles in its history: this one names neither the family nor the child.
    expect(await parent.page.title()).toBe('Family meeting — SafetyMap')
    expect(parent.pageErrors).toEqual([])
  })

  test('a stray tap on Add leaves nothing in the record; an entry with words stays', async () => {
    await board.open(conferenceId)
    // In a list of the record (the family's network) as on the map.
    const people = chair.record.network.people
    await parent.page.getByRole('button', { name: 'Add a person' }).tap()
    await waitUntil(() => people.entries().length === 1, 'the empty person reaches the record')
    await parent.page.getByText('how they know the children', { exact: false }).first().tap()
    await waitUntil(() => people.entries().length === 0, 'the stray person is taken out of the record')

    await openStep(parent.page, MAP_STEP)
    const pastHarm = chair.record.map.section('pastHarm')

    await parent.page.getByRole('button', { name: 'Add to Past harm' }).tap()
    await board.entries('Past harm').first().waitFor()
    await waitUntil(() => pastHarm.entries().length === 1, 'the empty entry reaches the record')
    // The thumb lands elsewhere on the page: the empty entry goes again, for everyone.
    await parent.page.getByText('What brought us here', { exact: false }).tap()
    await waitUntil(() => pastHarm.entries().length === 0, 'the stray entry is taken out of the record')
    expect(await board.entries('Past harm').count()).toBe(0)

    await parent.page.getByRole('button', { name: 'Add to Past harm' }).tap()
    await board.entries('Past harm').first().waitFor()
    await parent.page.keyboard.type('The neighbours called the police.')
    await parent.page.getByText('What brought us here', { exact: false }).tap()
    await waitUntil(() => pastHarm.entries().length === 1 && plainText(pastHarm.entries()[0]!.richText('text')) === 'The neighbours called the police.', 'the entry with words stays')
    expect(parent.pageErrors).toEqual([])
  })

  test('offline, however long the status grows, Leave quickly stays where it was', async () => {
    const line = await SyncLine.install(parent.page)
    await board.open(conferenceId)
    await openStep(parent.page, MAP_STEP)
    const before = await board.leaveQuickly().boundingBox()
    await line.cut()
    await parent.page.getByRole('status').filter({ hasText: /^Offline$/ }).waitFor()
    await board.entries('Past harm').first().tap()
    await parent.page.keyboard.press('End')
    await parent.page.keyboard.type(' Mum says it was Saturday.')
    await parent.page.getByRole('status').filter({ hasText: /^Offline — / }).waitFor()
    expect(await board.leaveQuickly().boundingBox()).toEqual(before)

    line.restore()
    await parent.page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor()
    expect(parent.pageErrors).toEqual([])
  })

  test('with her phone set to large text, every step fits the screen without scrolling sideways, and the status stays in view, online and offline', async () => {
    const line = await SyncLine.install(parent.page)
    await board.open(conferenceId)
    // Twice the text: what a phone's large-text setting does to a page sized in rem.
    await parent.page.evaluate(() => { document.documentElement.style.fontSize = '200%' })
    for (const step of agendaFor('uk-initial')) {
      await openStep(parent.page, step.title)
      expect(await sidewaysOverflow(parent.page), step.title).toEqual([])
    }
    await expectInView(parent.page, /^Saved$/)
    await line.cut()
    await openStep(parent.page, MAP_STEP)
    await board.entries('Past harm').first().tap()
    await parent.page.keyboard.press('End')
    await parent.page.keyboard.type(' She was at her nan’s.')
    await expectInView(parent.page, /^Offline — /)
    line.restore()
    await expectInView(parent.page, /^Saved$/)
    await parent.page.evaluate(() => { document.documentElement.style.fontSize = '' })
    expect(parent.pageErrors).toEqual([])
  })

  test('with large text, the numbers 0 to 10 she scores with wrap onto more rows, each number inside its button', async () => {
    const rounds = `/api/conferences/${conferenceId}/scoring-rounds`
    const { round } = await expectJson<{ round: ScoringRound }>(await api(server.admin, rounds, { method: 'POST', body: { scale: { kind: 'overall' } } }), 201)
    await board.open(conferenceId)
    await parent.page.evaluate(() => { document.documentElement.style.fontSize = '200%' })
    await openStep(parent.page, SCALES_STEP)
    const choices = parent.page.getByRole('form', { name: 'Your score' }).getByRole('group', { name: 'Your score, from 0 to 10' })
    await choices.getByRole('radio', { name: '10', exact: true }).waitFor({ state: 'attached' })
    // Each number's text inside its box (a box narrower than its text lets "10" spill over its border).
    const spilled = await choices.evaluate((group) => [...group.querySelectorAll('label')]
      .filter((label) => {
        const box = label.getBoundingClientRect()
        const range = document.createRange()
        range.selectNodeContents(label)
        const text = range.getBoundingClientRect()
        return text.left < box.left || text.right > box.right
      })
      .map((label) => label.textContent))
    expect(spilled).toEqual([])
    expect(await sidewaysOverflow(parent.page)).toEqual([])
    await parent.page.evaluate(() => { document.documentElement.style.fontSize = '' })
    await expectJson(await api(server.admin, `${rounds}/${round.id}/cancel`, { method: 'POST' }), 200)
    expect(parent.pageErrors).toEqual([])
  })

  test('signed out during the meeting, a parent is told to use her link or code, and that page comes up, not a password', async () => {
    await board.open(conferenceId)
    // Her session ends away from this page (signed out on another tab, or it ran out).
    expect((await api(mum, '/api/session', { method: 'DELETE' })).status).toBe(204)
    await parent.page.getByRole('status').filter({ hasText: /^You have been signed out\. Open your link again, or type your code, to carry on\.$/ }).waitFor()

    // The next thing she does asks the server, which says nobody is signed in.
    await parent.page.getByRole('button', { name: 'People in this conference' }).tap()
    const joinPage = parent.page.getByRole('heading', { name: 'Join a family meeting', level: 1 })
    await joinPage.waitFor()
    await parent.page.getByRole('status').filter({ hasText: 'You have been signed out. To carry on, open the link in your message again, or type your code below.' }).waitFor()
    expect(await parent.page.getByLabel('Password').count()).toBe(0)
    await joinWithCode(parent.page, mum.invitation.code)

    // Signing out herself goes to the same page.
    await parent.page.getByRole('button', { name: 'Sign out', exact: true }).tap()
    await joinPage.waitFor()
    expect(await parent.page.getByLabel('Password').count()).toBe(0)
    await joinWithCode(parent.page, mum.invitation.code)
    expect(parent.pageErrors).toEqual([])
  })

  test('Leave quickly with no connection at all: the next time the site opens, it signs her out before showing anything', async () => {
    await board.open(conferenceId)
    await parent.context.setOffline(true)
    // The neutral page's own load, which fails offline. Not the address change the board makes at
    // once (a same-page navigation): the load comes once the device copy is dealt with, and would
    // otherwise cut short the next page opened.
    const leaving = parent.page.waitForEvent('requestfailed', { predicate: (request) => request.isNavigationRequest() && new URL(request.url()).pathname === NEUTRAL_PAGE_PATH })
    await board.leaveQuickly().tap()
    await leaving
    await parent.page.waitForLoadState('load')
    await parent.context.setOffline(false)

    await parent.page.goto(`/conferences/${conferenceId}`)
    await parent.page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor()
    expect(await parent.page.evaluate(() => document.body.innerText)).not.toContain('The neighbours called the police.')
    // The server ended her session: it is not just hidden on this page.
    expect(await parent.page.evaluate(async (): Promise<unknown> => (await fetch('/api/session')).json())).toEqual({ session: null })
    expect(parent.pageErrors).toEqual([])
  })
})
