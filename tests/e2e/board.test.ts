import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { DESKTOP, escapeRegExp, launchBrowser, openAsPerson, openStep, PHONE, SyncLine, type Person } from '../helpers/browser'
import { ADMIN, api, expectJson, inviteAndJoin } from '../helpers/devices'
import { connectParticipant, waitUntil } from '../helpers/participants'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'
import { agendaFor } from '../../shared/conference/agenda'
import { createLogger } from '../../server/log'
import { startServer, type RunningServer } from '../../server/server'

/** The conference board as a person sees it: only roles, labels and visible words. */
class BoardPage {
  constructor(readonly page: Page) {}

  async openList(): Promise<void> {
    await this.page.goto('/')
    await this.page.getByRole('heading', { name: 'Conferences', level: 1 }).waitFor()
  }

  async openConferenceFromList(title: string): Promise<void> {
    await this.page.getByRole('link', { name: title }).click()
  }

  async open(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}`)
  }

  /** The map is one step of the meeting: its title follows the kind (a review starts with what is working well). */
  async openMap(kind: 'initial' | 'review'): Promise<void> {
    await openStep(this.page, kind === 'review' ? 'What’s working well' : 'Worries and what’s working well')
  }

  status(): Locator {
    return this.page.getByRole('status')
  }

  async waitForStatus(words: string): Promise<void> {
    await this.status().filter({ hasText: new RegExp(`^${escapeRegExp(words)}$`) }).waitFor()
  }

  section(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true })
  }

  entry(sectionTitle: string, number: number): Locator {
    return this.page.getByRole('textbox', { name: `${sectionTitle}, entry ${number}`, exact: true })
  }

  /** Adds an entry and types into it, as the note-taker would: the new entry has the focus. */
  async addEntry(sectionTitle: string, text: string): Promise<void> {
    await this.page.getByRole('button', { name: `Add to ${sectionTitle}` }).click()
    const entries = this.section(sectionTitle).getByRole('textbox')
    const editor = entries.last()
    await editor.waitFor()
    await this.page.waitForFunction((element) => element === document.activeElement, await editor.elementHandle())
    await this.page.keyboard.type(text)
  }

  async removeEntry(sectionTitle: string, number: number): Promise<void> {
    await this.page.getByRole('button', { name: `Remove ${sectionTitle}, entry ${number}`, exact: true }).click()
    await this.page.getByRole('button', { name: 'Yes, remove it' }).click()
  }

  removeFromDeviceButton(): Locator {
    return this.page.getByRole('button', { name: 'Remove this record from this device' })
  }

  /** Opens the review's map once it is saved, then the line goes: the board says it is offline. */
  async openMapThenLoseLine(conferenceId: string, line: SyncLine): Promise<void> {
    await this.open(conferenceId)
    await this.waitForStatus('Saved')
    await this.openMap('review')
    await line.cut()
    await this.waitForStatus('Offline')
  }

  async backToList(): Promise<void> {
    await this.page.getByRole('link', { name: 'All conferences' }).click()
    await this.page.getByRole('heading', { name: 'Conferences', level: 1 }).waitFor()
  }

  /**
   * Waits until leaving would not bring up the browser's "Leave site?" warning: the page's
   * beforeunload handlers, run on a synthetic event, no longer cancel it.
   */
  async waitUntilSafeToLeave(): Promise<void> {
    await this.page.waitForFunction(() => {
      const event = new Event('beforeunload', { cancelable: true })
      window.dispatchEvent(event)
      return !event.defaultPrevented
    })
  }

  /** Names of the IndexedDB databases this browser keeps for the page's site. */
  async deviceDatabases(): Promise<string[]> {
    return this.page.evaluate(async () => (await indexedDB.databases()).flatMap((database) => (database.name ? [database.name] : [])))
  }
}

afterAll(removeTempDirs)

describe('the conference board in two browsers', () => {
  let server: TestServer
  /** The server started again on the same port and data dir, after a restart in a test. */
  let restarted: RunningServer | null = null
  let browser: Browser
  let noteTaker: Person
  let parent: Person
  let conferenceId: string
  const title = 'Fictional family — initial conference'

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title, kind: 'uk-initial', date: '2026-11-23' })).id
    const mum = await inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    noteTaker = await openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin)
    parent = await openAsPerson(browser, server.url, 'Sam (Mum)', DESKTOP, mum)
  })

  afterAll(async () => {
    await browser.close()
    await (restarted ?? server).stop()
  })

  test('an entry typed by one person appears for the other, and both are told it is saved', async () => {
    const board1 = new BoardPage(noteTaker.page)
    const board2 = new BoardPage(parent.page)

    await board1.openList()
    await board1.openConferenceFromList(title)
    await board1.page.getByRole('heading', { name: title, level: 1 }).waitFor()
    await board1.openMap('initial')
    for (const column of ["What are we worried about?", "What's working well?", 'What needs to happen?']) {
      await board1.section(column).waitFor()
    }
    await board1.waitForStatus('Saved')

    await board2.open(conferenceId)
    await board2.waitForStatus('Saved')
    await board2.openMap('initial')

    const words = 'Dad shouted at the children on Friday night.'
    await board1.addEntry('Past harm', words)

    const seenByParent = board2.entry('Past harm', 1)
    await seenByParent.filter({ hasText: words }).waitFor()
    await board2.section('Past harm').getByText(`Written by ${noteTaker.name}`).waitFor()
    await board1.section('Past harm').getByText('Written by you').waitFor()

    // The note-taker's editor still has the focus, so their named caret shows on the parent's screen.
    const nameTag = seenByParent.locator('.collaboration-carets__label', { hasText: noteTaker.name })
    await nameTag.waitFor()
    // Once they stop, the name fades so it no longer covers the words; it comes back when they type.
    const opacity = (): Promise<string> => nameTag.evaluate((element) => getComputedStyle(element).opacity)
    await expect.poll(opacity, { timeout: 10_000 }).toBe('0')
    await board1.page.keyboard.type(' ')
    await board1.page.keyboard.press('Backspace')
    await expect.poll(opacity, { timeout: 10_000 }).toBe('1')
    // A phone set to reduce motion: the name goes at once when it goes, with no fade.
    expect(await nameTag.evaluate((element) => getComputedStyle(element).animationTimingFunction)).toBe('ease')
    await board2.page.emulateMedia({ reducedMotion: 'reduce' })
    expect(await nameTag.evaluate((element) => getComputedStyle(element).animationTimingFunction)).toBe('steps(1)')
    await board2.page.emulateMedia({ reducedMotion: null })

    await board1.waitForStatus('Saved')
    await board2.waitForStatus('Saved')
    expect(await board1.entry('Past harm', 1).textContent()).toBe(words)

    // The parent corrects the entry; the record then says who changed it last.
    await board2.entry('Past harm', 1).click()
    await board2.page.keyboard.press('End')
    await board2.page.keyboard.type(' Mum says it was Saturday.')
    await board1.section('Past harm').getByText(`Written by you, last changed by ${parent.name}`).waitFor()
    await board2.waitForStatus('Saved')
    // Not an exact match: the parent's caret label is inside the note-taker's editor now.
    await board1.entry('Past harm', 1).filter({ hasText: `${words} Mum says it was Saturday.` }).waitFor()
    expect([...noteTaker.pageErrors, ...parent.pageErrors]).toEqual([])
  })

  test('a parent is offered Remove on what they wrote, not on what the note-taker wrote; the note-taker on both', async () => {
    const board1 = new BoardPage(noteTaker.page)
    const board2 = new BoardPage(parent.page)
    await board2.addEntry('Complicating factors', 'We moved house twice this year.')
    await board2.waitForStatus('Saved')
    await board1.entry('Complicating factors', 1).filter({ hasText: 'We moved house twice this year.' }).waitFor()

    const removeButton = (board: BoardPage, sectionTitle: string): Locator =>
      board.page.getByRole('button', { name: `Remove ${sectionTitle}, entry 1`, exact: true })
    await removeButton(board1, 'Past harm').waitFor()
    await removeButton(board1, 'Complicating factors').waitFor()
    await removeButton(board2, 'Complicating factors').waitFor()
    // Drawn in the same render as the parent's own entry's button: absent, not late.
    expect(await removeButton(board2, 'Past harm').count()).toBe(0)

    await board2.removeEntry('Complicating factors', 1)
    await board1.entry('Complicating factors', 1).waitFor({ state: 'detached' })
    await board2.waitForStatus('Saved')
    expect([...noteTaker.pageErrors, ...parent.pageErrors]).toEqual([])
  })

  test('while the note-taker types, the status line says "Saving…" once and "Saved" once, not at every keystroke', async () => {
    const board = new BoardPage(noteTaker.page)
    await board.waitForStatus('Saved')
    // Every text the status line shows, in order, as the page draws it.
    await board.status().evaluate((status) => {
      const shown: string[] = []
      Object.assign(window, { statusShown: shown })
      new MutationObserver(() => { shown.push(status.textContent) }).observe(status, { childList: true, characterData: true, subtree: true })
    })
    const entry = board.entry('Past harm', 1)
    await entry.click()
    await board.page.keyboard.press('End')
    // A steady typist: the server confirms each key long before the next one.
    await board.page.keyboard.type(' The police were called.', { delay: 60 })
    await board.waitForStatus('Saved')
    expect(await board.page.evaluate(() => (window as unknown as { statusShown: string[] }).statusShown)).toEqual(['Saving…', 'Saved'])
  })

  test('typing keeps the caret in sight: past the bottom of the window, and not under the bar at the top', async () => {
    const board = new BoardPage(noteTaker.page)
    const whereIsTheCaret = (): Promise<{ top: number; bottom: number; barBottom: number; windowHeight: number }> =>
      board.page.evaluate(() => {
        const caret = window.getSelection()?.getRangeAt(0).getBoundingClientRect()
        const bar = document.querySelector('.board-bar')?.getBoundingClientRect()
        return { top: caret?.top ?? Number.NaN, bottom: caret?.bottom ?? Number.NaN, barBottom: bar?.bottom ?? Number.NaN, windowHeight: window.innerHeight }
      })
    await board.entry('Past harm', 1).click()
    await board.page.keyboard.press('Control+End')
    for (let line = 1; line <= 30; line++) {
      await board.page.keyboard.press('Enter')
      await board.page.keyboard.type(`Line ${line}`)
    }
    const atTheBottom = await whereIsTheCaret()
    expect(atTheBottom.bottom).toBeLessThanOrEqual(atTheBottom.windowHeight)
    expect(atTheBottom.top).toBeGreaterThanOrEqual(atTheBottom.barBottom)

    // Scrolled so the line being typed is under the bar: the next key brings it out.
    await board.page.evaluate((by) => { window.scrollBy(0, by) }, atTheBottom.top - 20)
    expect((await whereIsTheCaret()).top).toBeLessThan(atTheBottom.barBottom)
    await board.page.keyboard.type('!')
    const afterTheKey = await whereIsTheCaret()
    expect(afterTheKey.top).toBeGreaterThanOrEqual(afterTheKey.barBottom)
    await board.entry('Past harm', 1).filter({ hasText: 'Line 30!' }).waitFor()
  })

  test('an entry removed by one person disappears for the other', async () => {
    const board1 = new BoardPage(noteTaker.page)
    const board2 = new BoardPage(parent.page)
    await board1.removeEntry('Past harm', 1)
    await board2.entry('Past harm', 1).waitFor({ state: 'detached' })
    await board1.waitForStatus('Saved')
    expect([...noteTaker.pageErrors, ...parent.pageErrors]).toEqual([])
  })

  test('what is typed while the server is away is kept, then saved when it is back', async () => {
    const board1 = new BoardPage(noteTaker.page)
    const board2 = new BoardPage(parent.page)
    await server.stop()
    await board1.waitForStatus('Offline')

    const words = 'Grandma collected the children from school all week.'
    await board1.addEntry('Existing safety', words)
    await board1.waitForStatus('Offline — your changes are kept on this device')

    restarted = await startServer({ port: server.port, host: '127.0.0.1', dataDir: server.dataDir, log: createLogger('silent') })
    await board1.waitForStatus('Saved')
    await board2.entry('Existing safety', 1).filter({ hasText: words }).waitFor()
    await board2.waitForStatus('Saved')
    expect([...noteTaker.pageErrors, ...parent.pageErrors]).toEqual([])
  })

  test('a link to a conference that does not exist says so in plain words', async () => {
    const board = new BoardPage(noteTaker.page)
    await board.open('no-such-conference-id')
    await board.page.getByRole('heading', { name: 'Conference not found', level: 1 }).waitFor()
    await board.page.getByRole('alert').filter({ hasText: 'There is no conference at this address, or you have not been invited to it.' }).waitFor()
    expect(await board.page.getByRole('textbox').count()).toBe(0)
  })
})

describe('the copy of the record kept on the device', () => {
  let server: TestServer
  let browser: Browser
  let noteTaker: Person
  let parent: Person
  /** The note-taker's sync connection. */
  let line: SyncLine
  let conferenceId: string

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — review', kind: 'uk-review', date: '2026-12-07' })).id
    const mum = await inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    noteTaker = await openAsPerson(browser, server.url, ADMIN.name, DESKTOP, server.admin)
    parent = await openAsPerson(browser, server.url, 'Sam (Mum)', DESKTOP, mum)
    line = await SyncLine.install(noteTaker.page)
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('what is typed offline survives a reload, then is saved and reaches the others', async () => {
    const board1 = new BoardPage(noteTaker.page)
    const board2 = new BoardPage(parent.page)
    await board1.open(conferenceId)
    await board1.waitForStatus('Saved')
    await board1.openMap('review')
    await board2.open(conferenceId)
    await board2.waitForStatus('Saved')
    await board2.openMap('review')

    await line.cut()
    await board1.waitForStatus('Offline')
    const words = 'Mum will ring the health visitor on Monday.'
    await board1.addEntry('Next steps', words)
    await board1.waitForStatus('Offline — your changes are kept on this device')
    // Not on the server yet: the copy on this device is the only one, so it cannot be removed.
    expect(await board1.removeFromDeviceButton().isDisabled()).toBe(true)
    await board1.page.getByText('You can remove it once your changes are saved.').waitFor()

    // Once the change is written to the device, leaving is safe: no "Leave site?" warning.
    await board1.waitUntilSafeToLeave()
    await board1.page.reload()
    await board1.openMap('review')
    // Still cut off: the entry can only have come from the copy on this device.
    await board1.entry('Next steps', 1).filter({ hasText: words }).waitFor()
    await board1.waitForStatus('Offline — your changes are kept on this device')
    expect(await board2.section('Next steps').getByRole('textbox').count()).toBe(0)

    line.restore()
    await board1.waitForStatus('Saved')
    await board2.entry('Next steps', 1).filter({ hasText: words }).waitFor()
    await board2.waitForStatus('Saved')
    expect(await board1.removeFromDeviceButton().isDisabled()).toBe(false)
    expect([...noteTaker.pageErrors, ...parent.pageErrors]).toEqual([])
  })

  test('with everything saved, the record opens offline from the device with nothing waiting', async () => {
    const board = new BoardPage(noteTaker.page)
    await line.cut()
    await board.page.reload()
    await board.openMap('review')
    await board.entry('Next steps', 1).filter({ hasText: 'Mum will ring the health visitor on Monday.' }).waitFor()
    await board.waitForStatus('Offline')
    expect(await board.removeFromDeviceButton().isDisabled()).toBe(false)
    line.restore()
    await board.waitForStatus('Saved')
    expect(noteTaker.pageErrors).toEqual([])
  })

  test('the professionals-only part, kept nowhere but the page, keeps its words on screen while the line is down, warns before leaving, and saves them when it is back', async () => {
    const board = new BoardPage(noteTaker.page)
    await board.waitForStatus('Saved')
    await board.page.getByRole('button', { name: 'Professionals only' }).click()
    const section = board.page.getByRole('region', { name: 'Professionals only' })
    const privateSession = section.getByRole('textbox', { name: 'Private session' })
    await privateSession.click()
    await board.page.keyboard.type('Saved words.')
    await section.getByText('This part: Saved', { exact: true }).waitFor()
    await board.waitUntilSafeToLeave()

    await line.cut()
    await board.page.keyboard.type(' Police said the father has a conviction.')
    await section.getByText('This part: Offline — keep this page open to keep your changes', { exact: true }).waitFor()
    // Still on screen, still typed into: nothing else holds these words yet.
    await privateSession.filter({ hasText: 'Saved words. Police said the father has a conviction.' }).waitFor()
    const leavingWarned = (): Promise<boolean> => board.page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true })
      window.dispatchEvent(event)
      return event.defaultPrevented
    })
    expect(await leavingWarned()).toBe(true)

    line.restore()
    await section.getByText('This part: Saved', { exact: true }).waitFor()
    await board.waitUntilSafeToLeave()
    await board.page.reload()
    await board.page.getByRole('button', { name: 'Professionals only' }).click()
    await privateSession.filter({ hasText: 'Saved words. Police said the father has a conviction.' }).waitFor()
    expect(noteTaker.pageErrors).toEqual([])
  })

  test('when the device refuses to store what is typed (out of space), the page says to keep it open, and warns before leaving', async () => {
    const board = new BoardPage(noteTaker.page)
    await board.openMapThenLoseLine(conferenceId, line)
    await board.page.evaluate(() => {
      const { add } = Object.getOwnPropertyDescriptors(IDBObjectStore.prototype)
      const storeAdd = add.value as IDBObjectStore['add']
      // As when the device is full: every write to the copy is refused.
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
        const request = storeAdd.apply(this, args)
        this.transaction.abort()
        return request
      }
    })
    await board.addEntry('Next steps', 'Dad will stay at his brother’s for now.')
    await board.waitForStatus('Offline — keep this page open to keep your changes')
    const leavingIsStopped = await board.page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true })
      window.dispatchEvent(event)
      return event.defaultPrevented
    })
    expect(leavingIsStopped).toBe(true)

    line.restore()
    await board.waitForStatus('Saved')
    // y-indexeddb leaves its refused writes unhandled: the only errors on the page.
    expect(noteTaker.pageErrors.filter((error) => !/abort/i.test(error))).toEqual([])
    noteTaker.pageErrors.splice(0)
    await board.page.reload()
    await board.waitForStatus('Saved')
  })

  test('leaving keeps the copy on the device; "Remove this record from this device" deletes it', async () => {
    const board = new BoardPage(noteTaker.page)
    const copies = async (): Promise<string[]> => (await board.deviceDatabases()).filter((name) => name.includes(conferenceId))

    await board.backToList()
    expect(await copies()).toHaveLength(1)

    await board.openConferenceFromList('Fictional family — review')
    await board.waitForStatus('Saved')
    await board.removeFromDeviceButton().click()
    await board.page.getByRole('heading', { name: 'Conferences', level: 1 }).waitFor()
    expect(await copies()).toEqual([])
    expect(noteTaker.pageErrors).toEqual([])
  })

  test('signing out with changes not yet saved asks first; once saved it does not, and leaves no copy of the record behind', async () => {
    const board = new BoardPage(noteTaker.page)
    await board.openMapThenLoseLine(conferenceId, line)
    await board.addEntry('Next steps', 'Gran can have the children on Fridays.')
    await board.waitForStatus('Offline — your changes are kept on this device')

    const signOut = board.page.getByRole('button', { name: 'Sign out', exact: true })
    const asked = board.page.getByRole('group', { name: 'Sign out before your changes are saved?' })
    await signOut.click()
    await asked.getByText('Some of your changes are not saved yet.', { exact: false }).waitFor()
    await asked.getByRole('button', { name: 'Stay signed in' }).click()
    await asked.waitFor({ state: 'detached' })

    line.restore()
    await board.waitForStatus('Saved')
    await board.waitUntilSafeToLeave()
    await signOut.click()
    await board.page.getByRole('heading', { name: 'Sign in' }).waitFor()
    // Everything was saved: no copy of the record is left in this browser for the next person.
    await expect.poll(async () => (await board.deviceDatabases()).filter((name) => name.includes(conferenceId))).toEqual([])
    expect(noteTaker.pageErrors).toEqual([])
  })

  test('a parent who removes the record from a shared device is signed out there too, and opening the site again does not bring it back', async () => {
    const board = new BoardPage(parent.page)
    const copies = async (): Promise<string[]> => (await board.deviceDatabases()).filter((name) => name.includes(conferenceId))
    await board.open(conferenceId)
    await board.waitForStatus('Saved')
    expect(await copies()).toHaveLength(1)
    await board.page.getByText('It also signs you out on this device: to open the record again, use your link or code.', { exact: false }).waitFor()

    await board.removeFromDeviceButton().click()
    await board.page.getByRole('heading', { name: 'Join a family meeting', level: 1 }).waitFor()
    await board.page.getByRole('status').filter({ hasText: 'The record was removed from this device. To open it again, open the link in your message, or type your code below.' }).waitFor()
    expect(await copies()).toEqual([])
    // Signed out on the server, not only on this page.
    await expect.poll(() => board.page.evaluate(async (): Promise<unknown> => (await fetch('/api/session')).json())).toEqual({ session: null })

    // The next person to pick the phone up opens the site: not the record, and no copy of it.
    await board.page.goto('/')
    await board.page.getByRole('heading', { level: 1 }).waitFor()
    expect(await board.page.getByRole('heading', { name: 'Fictional family — review' }).count()).toBe(0)
    expect(await copies()).toEqual([])
    expect(parent.pageErrors).toEqual([])
  })
})

/** The step of an initial conference where the danger statements are written. */
const DANGER_STATEMENTS_STEP = agendaFor('uk-initial').find((step) => step.id === 'dangerStatements')?.title ?? ''

describe('words that could not be added', () => {
  let server: TestServer
  let browser: Browser
  let parent: Person
  let line: SyncLine
  let conferenceId: string

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title: 'Fictional family — closed while offline', kind: 'uk-review', date: '2026-12-07' })).id
    const mum = await inviteAndJoin(server.admin, conferenceId, { name: 'Sam (Mum)', role: 'parentOrCarer' })
    parent = await openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, mum)
    line = await SyncLine.install(parent.page)
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('a parent whose offline words reach a record closed meanwhile is shown which words were not added, can copy them, and can then see the record as it is now', async () => {
    const board = new BoardPage(parent.page)
    await parent.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await board.open(conferenceId)
    await board.waitForStatus('Saved')
    await board.openMap('review')
    await board.addEntry('Next steps', 'Mum will call the school.')
    await board.waitForStatus('Saved')
    await line.cut()
    await board.waitForStatus('Offline')
    // Offline: a sentence more in her entry, and a new entry.
    await board.entry('Next steps', 1).click()
    await board.page.keyboard.press('Control+End')
    await board.page.keyboard.type(' And the GP on Tuesday.')
    const words = 'Typed on the bus, with no signal.'
    await board.addEntry('Next steps', words)
    await board.waitForStatus('Offline — your changes are kept on this device')
    await expectJson(await api(server.admin, `/api/conferences/${conferenceId}/finalize`, { method: 'POST' }), 200)

    line.restore()
    await board.waitForStatus('This record has been closed, so it cannot be changed any more. Your last changes were not added.')
    const notAdded = board.page.getByRole('region', { name: 'Your changes were not added' })
    // She may add corrections herself: she is told to copy her words and how, not to ask someone.
    await notAdded.getByText('copy it now. Once you see the record as it is, you can add it yourself as a correction', { exact: false }).waitFor()
    // She is shown exactly which of her words the record does not have, and where they were: the
    // sentence she added, not the one the record holds, and her new entry.
    const quoted = notAdded.getByRole('listitem')
    await expect.poll(() => quoted.allInnerTexts()).toEqual([
      expect.stringMatching(/^Next steps, entry 1\s+And the GP on Tuesday\.\s+To add them as a correction: open the page with Next steps, and use the box “Add a correction to this part” at its end\.$/),
      expect.stringMatching(new RegExp(`^Next steps, entry 2\\s+${escapeRegExp(words)}\\s+To add them`)),
    ])
    await notAdded.getByText('the record on this screen shows them as if they were in it. They are not.', { exact: false }).waitFor()
    await notAdded.getByRole('button', { name: 'Copy these words' }).click()
    await notAdded.getByText('Copied.', { exact: false }).waitFor()
    expect(await board.page.evaluate(() => navigator.clipboard.readText())).toBe(`Next steps, entry 1:\nAnd the GP on Tuesday.\n\nNext steps, entry 2:\n${words}`)
    // The button says what it lets go of.
    const showNow = notAdded.getByRole('button', { name: 'Show the record as it is now' })
    expect(await showNow.getAttribute('aria-describedby')).toBeTruthy()
    await notAdded.getByText('“Show the record as it is now” takes the words above off this device for good', { exact: false }).waitFor()
    // Reloading alone would send the same words and be refused again: the page says how to move on.
    await board.page.reload()
    await notAdded.getByText('And the GP on Tuesday.', { exact: true }).waitFor()

    await showNow.click()
    await board.page.getByRole('status').filter({ hasText: 'This record was closed by' }).waitFor()
    await board.waitForStatus('Saved')
    await board.openMap('review')
    await board.entry('Next steps', 1).filter({ hasText: /^Mum will call the school\.$/ }).waitFor()
    expect(await board.page.getByText(words).count()).toBe(0)
    expect(await board.page.getByText('And the GP on Tuesday.').count()).toBe(0)
    expect(await notAdded.count()).toBe(0)
    expect(parent.pageErrors).toEqual([])
  })

  test('a parent who took out their danger statement offline, while it was being scored, and wrote in Past harm, is told none of it was added and shown the words she would lose; the statement stays', async () => {
    const initialId = (await createTestConference(server.admin, { title: 'Fictional family — scored while offline', kind: 'uk-initial', date: '2026-12-07' })).id
    const mum = await openAsPerson(browser, server.url, 'Sam (Mum)', PHONE, await inviteAndJoin(server.admin, initialId, { name: 'Sam (Mum)', role: 'parentOrCarer' }))
    const mumsLine = await SyncLine.install(mum.page)
    const chair = connectParticipant(server.admin, initialId)
    try {
      const board = new BoardPage(mum.page)
      await board.open(initialId)
      await board.waitForStatus('Saved')
      await openStep(board.page, DANGER_STATEMENTS_STEP)
      await board.page.getByRole('button', { name: 'Add a danger statement' }).click()
      await board.page.getByRole('textbox', { name: 'Danger statement 1', exact: true }).waitFor()
      await board.page.keyboard.type('Dad might shout at the children again.')
      await board.waitForStatus('Saved')
      await chair.synced()
      await waitUntil(() => chair.record.dangerStatements.size === 1, 'the chair has the danger statement')
      const pairId = chair.record.dangerStatements.entries()[0]!.id

      await mumsLine.cut()
      await board.waitForStatus('Offline')
      await board.page.getByRole('button', { name: 'Remove Danger statement 1', exact: true }).click()
      await board.page.getByRole('button', { name: 'Yes, remove it' }).click()
      // And, on the bus, a long account in Past harm: allowed on its own, but sent with the removal.
      await openStep(board.page, 'Worries and what’s working well')
      const account = 'Long account typed on the bus: it was one evening, and the children were asleep upstairs.'
      await board.addEntry('Past harm', account)
      await board.waitForStatus('Offline — your changes are kept on this device')
      // Meanwhile the meeting scores it: it is the meeting's now, and only the chair takes it out.
      await expectJson(await api(server.admin, `/api/conferences/${initialId}/scoring-rounds`, { method: 'POST', body: { scale: { kind: 'dangerStatement', pairId } } }), 201)

      mumsLine.restore()
      // Not "your last change": everything typed offline went together, and none of it was added.
      await board.waitForStatus('A change you made is not allowed for your part in this conference, so the changes waiting on this device were not added.')
      const notAdded = board.page.getByRole('region', { name: 'Your changes were not added' })
      await notAdded.getByText('so none of them were added. If something should change, ask whoever is chairing the meeting', { exact: false }).waitFor()
      // Before anything goes, she sees the words of hers that the record does not have.
      await expect.poll(() => notAdded.getByRole('listitem').allInnerTexts()).toEqual([expect.stringMatching(new RegExp(`^Past harm, entry 1\\s+${escapeRegExp(account)}$`))])
      await notAdded.getByRole('button', { name: 'Copy these words' }).waitFor()
      await notAdded.getByRole('button', { name: 'Show the record as it is now' }).click()
      await board.waitForStatus('Saved')
      await openStep(board.page, DANGER_STATEMENTS_STEP)
      await board.page.getByRole('textbox', { name: 'Danger statement 1', exact: true }).filter({ hasText: 'Dad might shout at the children again.' }).waitFor()
      expect(await board.page.getByRole('button', { name: 'Remove Danger statement 1', exact: true }).count()).toBe(0)
      expect(chair.record.dangerStatements.size).toBe(1)
      expect(chair.record.map.section('pastHarm').size).toBe(0)
      expect(mum.pageErrors).toEqual([])
    } finally {
      chair.destroy()
    }
  })
})
