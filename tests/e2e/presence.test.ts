import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { DESKTOP, deviceCopies, escapeRegExp, launchBrowser, openAsPerson, openStep, PHONE, SyncLine, type Person } from '../helpers/browser'
import { ADMIN, inviteAndJoin, professionalIn, PROFESSIONAL_PASSWORD } from '../helpers/devices'
import { createTestConference, removeTempDirs, startTestServer, type TestServer } from '../helpers/server'
import { connectParticipant, typeInto } from '../helpers/participants'
import { conferenceRecord } from '../../shared/conference'
import { plainText } from '../../shared/conference/richText'
import * as Y from 'yjs'

/** The board as a person sees it: who is here, and the way to leave it quickly. Roles, labels and words only. */
class PresencePage {
  constructor(readonly page: Page) {}

  async open(conferenceId: string): Promise<void> {
    await this.page.goto(`/conferences/${conferenceId}`)
  }

  /** Opens the board after "Leave quickly" signed this device out: signs in again first. */
  /** Opens the conference, and signs in again as `who` on the page it asks on. */
  async openSigningIn(conferenceId: string, who: { email: string; password: string }): Promise<void> {
    await this.open(conferenceId)
    await this.page.getByLabel('Email address').fill(who.email)
    await this.page.getByLabel('Password').fill(who.password)
    await this.page.getByRole('button', { name: 'Sign in' }).click()
  }

  async waitForStatus(words: string): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: new RegExp(`^${words}$`) }).waitFor()
  }

  whoIsHere(): Locator {
    return this.page.getByRole('region', { name: 'Who is here', exact: true })
  }

  /** One person in "Who is here", by exactly what it says (and what a screen reader reads). */
  person(words: string): Locator {
    return this.whoIsHere().getByRole('list').getByRole('listitem').filter({ hasText: new RegExp(`^${escapeRegExp(words)}$`) })
  }

  async people(): Promise<string[]> {
    return this.whoIsHere().getByRole('listitem').allTextContents()
  }

  section(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true })
  }

  async addEntry(sectionTitle: string, text: string): Promise<void> {
    await this.page.getByRole('button', { name: `Add to ${sectionTitle}` }).click()
    const editor = this.section(sectionTitle).getByRole('textbox').last()
    await editor.waitFor()
    await this.page.waitForFunction((element) => element === document.activeElement, await editor.elementHandle())
    await this.page.keyboard.type(text)
  }

  entry(sectionTitle: string, number: number): Locator {
    return this.page.getByRole('textbox', { name: `${sectionTitle}, entry ${number}`, exact: true })
  }

  /** Presses "Leave quickly" and waits until the page it goes to has loaded. */
  async leaveQuickly(): Promise<void> {
    const loaded = this.page.waitForEvent('load')
    await this.page.getByRole('button', { name: 'Leave quickly' }).click()
    await loaded
  }

  bodyText(): Promise<string> {
    return this.page.evaluate(() => document.body.innerText)
  }

  /**
   * Resolves once every change already handed to the device copy is written: a read-only
   * transaction starts only after the read/write ones created before it have finished.
   */
  deviceCopyWritten(conferenceId: string): Promise<void> {
    return this.page.evaluate(async (id) => {
      // The one copy of the conference on this device (each person has their own).
      const name = (await indexedDB.databases()).find((database) => database.name?.startsWith(`safetymap-conference-${id}/`))?.name
      if (!name) throw new Error('no device copy')
      const request = indexedDB.open(name)
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        request.onsuccess = () => { resolve(request.result) }
        request.onerror = () => { reject(new Error('cannot open the device copy')) }
      })
      await new Promise<void>((resolve, reject) => {
        const transaction = db.transaction('updates', 'readonly')
        transaction.objectStore('updates').count()
        transaction.oncomplete = () => { resolve() }
        transaction.onabort = () => { reject(new Error('reading the device copy failed')) }
      })
      db.close()
    }, conferenceId)
  }

  deviceCopies(conferenceId: string): Promise<string[]> {
    return deviceCopies(this.page, conferenceId)
  }

  /** True when the page is wider than the screen: a phone user would have to scroll sideways. */
  scrollsSideways(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
  }
}

afterAll(removeTempDirs)

describe('who is here, and leaving quickly', () => {
  let server: TestServer
  let browser: Browser
  let noteTaker: Person
  let parent: Person
  let socialWorker: Person
  /** The note-taker's sync connection, cut by the last test. */
  let noteTakersLine: SyncLine
  let conferenceId: string
  const title = 'Fictional family — who is here'
  const names = { noteTaker: 'Nadia Noor', parent: 'Sam (Mum)', socialWorker: 'Priya Patel' }
  /** The note-taker signs in again as herself: her unsent entry is hers to send. */
  const nadia = { email: 'nadia@example.org', password: PROFESSIONAL_PASSWORD }
  const words = 'Dad shouted at the children on Friday night.'

  const everyone = (): Person[] => [noteTaker, parent, socialWorker]
  const pageOf = (person: Person): PresencePage => new PresencePage(person.page)
  const expectNoPageErrors = (): void => {
    expect(everyone().flatMap((person) => person.pageErrors.map((error) => `${person.name}: ${error}`))).toEqual([])
  }

  /** The note-taker's line is cut, and she adds an entry to "Existing safety" while it is. */
  async function noteTakerTypesOffline(words: string): Promise<void> {
    const desk = pageOf(noteTaker)
    await noteTakersLine.cut()
    await desk.waitForStatus('Offline')
    await desk.addEntry('Existing safety', words)
    await desk.waitForStatus('Offline — your changes are kept on this device')
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
    conferenceId = (await createTestConference(server.admin, { title })).id
    const [noteTakerDevice, mumDevice, socialWorkerDevice] = await Promise.all([
      professionalIn(server.admin, server.admin, conferenceId, { name: names.noteTaker, email: nadia.email, role: 'noteTaker' }),
      inviteAndJoin(server.admin, conferenceId, { name: names.parent, role: 'parentOrCarer' }),
      professionalIn(server.admin, server.admin, conferenceId, { name: names.socialWorker, email: 'priya@example.org', role: 'socialWorker' }),
    ])
    ;[noteTaker, parent, socialWorker] = await Promise.all([
      openAsPerson(browser, server.url, names.noteTaker, DESKTOP, noteTakerDevice),
      openAsPerson(browser, server.url, names.parent, PHONE, mumDevice),
      openAsPerson(browser, server.url, names.socialWorker, DESKTOP, socialWorkerDevice),
    ])
    noteTakersLine = await SyncLine.install(noteTaker.page)
  })

  afterAll(async () => {
    await browser.close()
    await server.stop()
  })

  test('everyone sees everyone in "Who is here", with their role and whether they are online', async () => {
    for (const person of everyone()) await pageOf(person).open(conferenceId)
    for (const person of everyone()) await pageOf(person).waitForStatus('Saved')
    // The note-taker takes the meeting to the map; everyone's board follows.
    await openStep(noteTaker.page, 'Worries and what’s working well')
    await noteTaker.page.getByRole('button', { name: 'Move the meeting to this step' }).click()
    await pageOf(noteTaker).addEntry('Past harm', words)

    for (const person of everyone()) {
      const page = pageOf(person)
      const you = (name: string): string => (name === person.name ? `${name} (you)` : name)
      await page.person(`${you(names.noteTaker)}, Note-taker, online`).waitFor()
      await page.person(`${you(names.parent)}, Parent or carer, online`).waitFor()
      await page.person(`${you(names.socialWorker)}, Social worker, online`).waitFor()
      // The chair is in the conference but has not opened it.
      await page.person(`${ADMIN.name}, Chair, not connected`).waitFor()
      expect(await page.people()).toHaveLength(4)
    }

    // On the note-taker's screen the map still starts high on the first screen, under the step's title.
    const map = await pageOf(noteTaker).section('What are we worried about?').boundingBox()
    expect(map?.y).toBeLessThan(DESKTOP.height * 0.6)
    const who = await pageOf(noteTaker).whoIsHere().boundingBox()
    expect((who?.y ?? Infinity) + (who?.height ?? 0)).toBeLessThanOrEqual(map?.y ?? 0)
    // The parent reads the same on her phone, without scrolling sideways.
    await pageOf(parent).entry('Past harm', 1).filter({ hasText: words }).waitFor()
    expect(await pageOf(parent).scrollsSideways()).toBe(false)
    expectNoPageErrors()
  })

  test('when the social worker closes their page, the others see them as not connected', async () => {
    await socialWorker.page.close()
    for (const person of [noteTaker, parent]) {
      await pageOf(person).person(`${names.socialWorker}, Social worker, not connected`).waitFor()
      await pageOf(person).person(`${names.noteTaker}${person === noteTaker ? ' (you)' : ''}, Note-taker, online`).waitFor()
    }
    expect(await pageOf(parent).scrollsSideways()).toBe(false)
    expectNoPageErrors()
  })

  test('a note-taker who goes offline is told she cannot see who is connected, not shown everyone as gone', async () => {
    const desk = pageOf(noteTaker)
    const cannotTell = desk.whoIsHere().getByText('You are offline, so who else is connected cannot be shown just now.')
    await noteTakersLine.cut()
    await desk.waitForStatus('Offline')
    await cannotTell.waitFor()
    // Still everyone, named, with no claim about who is there: the parent has not gone anywhere.
    expect((await desk.people()).sort()).toEqual([
      `${ADMIN.name}, Chair`,
      `${names.noteTaker} (you), Note-taker`,
      `${names.parent}, Parent or carer`,
      `${names.socialWorker}, Social worker`,
    ].sort())
    // The parent, still connected, does see that the note-taker has gone.
    await pageOf(parent).person(`${names.noteTaker}, Note-taker, not connected`).waitFor()

    noteTakersLine.restore()
    await desk.person(`${names.parent}, Parent or carer, online`).waitFor()
    await desk.person(`${names.socialWorker}, Social worker, not connected`).waitFor()
    await cannotTell.waitFor({ state: 'detached' })
    await pageOf(parent).person(`${names.noteTaker}, Note-taker, online`).waitFor()
    expectNoPageErrors()
  })

  test('"Leave quickly" on the phone puts a neutral page in place of the board, and takes the record off the phone', async () => {
    const phone = pageOf(parent)
    await phone.waitForStatus('Saved')
    expect(await phone.deviceCopies(conferenceId)).toHaveLength(1)

    await phone.leaveQuickly()
    expect(new URL(parent.page.url()).pathname).toBe('/weather.html')
    await parent.page.getByRole('heading', { name: 'Weather', level: 1 }).waitFor()
    expect(await parent.page.title()).toBe('Weather')
    const shown = await phone.bodyText()
    for (const secret of [words, title, names.parent, 'SafetyMap', 'conference']) expect(shown).not.toContain(secret)
    // Nothing unsaved: the copy of the record on the phone is gone too.
    expect(await phone.deviceCopies(conferenceId)).toEqual([])
    // The others see that she has gone.
    await pageOf(noteTaker).person(`${names.parent}, Parent or carer, not connected`).waitFor()

    // Back does not bring the board back: it is no longer in the history.
    await parent.page.goBack()
    expect(parent.page.url()).not.toContain('/conferences/')
    expect(await phone.bodyText()).not.toContain(words)
    expect(await parent.page.getByRole('textbox').count()).toBe(0)
    // Signed out as well: opening the site again does not go straight onto the record.
    await parent.page.goto(`/conferences/${conferenceId}`)
    await parent.page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor()
    expect(await phone.bodyText()).not.toContain(words)
    expectNoPageErrors()
  })

  test('with changes not yet saved, "Leave quickly" still leaves at once, and keeps them on the device', async () => {
    const desk = pageOf(noteTaker)
    const offlineWords = 'Gran collects the children from school.'
    await noteTakerTypesOffline(offlineWords)

    await desk.leaveQuickly()
    expect(new URL(noteTaker.page.url()).pathname).toBe('/weather.html')
    expect(await desk.bodyText()).not.toContain(offlineWords)
    expect(await desk.deviceCopies(conferenceId)).toHaveLength(1)

    // Back at the board later (signing in again), the change is still there, and is saved once the line is back.
    await desk.openSigningIn(conferenceId, nadia)
    await desk.entry('Existing safety', 1).filter({ hasText: offlineWords }).waitFor()
    await desk.waitForStatus('Offline — your changes are kept on this device')
    noteTakersLine.restore()
    await desk.waitForStatus('Saved')
    expectNoPageErrors()
  })

  test('words the note-taker could not send stay hers: the next person to sign in on that computer neither sees nor sends them', async () => {
    const desk = pageOf(noteTaker)
    const offlineWords = 'Uncle Ray drives them to football (fictional).'
    await noteTakerTypesOffline(offlineWords)
    await desk.leaveQuickly()

    // The chair signs in at the same computer, with the line back.
    noteTakersLine.restore()
    await desk.openSigningIn(conferenceId, { email: ADMIN.email, password: ADMIN.password })
    await desk.waitForStatus('Saved')
    await desk.person(`${ADMIN.name} (you), Chair, online`).waitFor()
    expect(await desk.section('Existing safety').getByRole('textbox').allTextContents()).not.toContain(offlineWords)
    expect(await noteTaker.page.getByRole('heading', { name: 'Your last changes were not added' }).count()).toBe(0)
    // Leaving takes the chair's copy off the computer, and leaves the note-taker's.
    await desk.leaveQuickly()
    expect(await desk.deviceCopies(conferenceId)).toHaveLength(1)

    // The note-taker comes back: her words are there, and are saved now.
    await desk.openSigningIn(conferenceId, nadia)
    await desk.section('Existing safety').getByRole('textbox').filter({ hasText: offlineWords }).waitFor()
    await desk.waitForStatus('Saved')
    expectNoPageErrors()
  })

  test('a copy kept by the version before copies were per person is taken over by the next person to open the conference, and sent', async () => {
    const desk = pageOf(noteTaker)
    await desk.leaveQuickly()
    // What that version left: one copy per conference, holding a change the server never had.
    const before = new Y.Doc()
    typeInto(conferenceRecord(before).contingency.text, 'Typed before the update (fictional).')
    await noteTaker.page.evaluate(async ({ name, update }) => {
      const request = indexedDB.open(name)
      request.onupgradeneeded = () => {
        request.result.createObjectStore('updates', { autoIncrement: true })
        request.result.createObjectStore('custom')
      }
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        request.onsuccess = () => { resolve(request.result) }
        request.onerror = () => { reject(new Error('cannot make the old copy')) }
      })
      await new Promise<void>((resolve, reject) => {
        const transaction = db.transaction('updates', 'readwrite')
        transaction.objectStore('updates').add(new Uint8Array(update))
        transaction.oncomplete = () => { resolve() }
        transaction.onabort = () => { reject(new Error('cannot write the old copy')) }
      })
      db.close()
    }, { name: `safetymap-conference-${conferenceId}`, update: [...Y.encodeStateAsUpdate(before)] })

    await desk.openSigningIn(conferenceId, nadia)
    await desk.waitForStatus('Saved')
    const reader = connectParticipant(server.admin, conferenceId)
    try {
      await reader.synced()
      expect(plainText(reader.record.contingency.text)).toBe('Typed before the update (fictional).')
    } finally {
      reader.destroy()
    }
    expect((await desk.deviceCopies(conferenceId)).every((name) => name.startsWith(`safetymap-conference-${conferenceId}/`))).toBe(true)
    expectNoPageErrors()
  })

  test('"Leave quickly" on the feedback page, which has no connection to ask, keeps changes the server never confirmed', async () => {
    const desk = pageOf(noteTaker)
    const offlineWords = 'Aunt Jo stays over on Tuesday nights.'
    await noteTakerTypesOffline(offlineWords)
    // Going to another address from the test skips the page's own "Leave site?" check, which waits for this.
    await desk.deviceCopyWritten(conferenceId)

    await noteTaker.page.goto(`/conferences/${conferenceId}/feedback`)
    await noteTaker.page.getByRole('heading', { name: 'How did the meeting go?', level: 1 }).waitFor()
    await desk.leaveQuickly()
    expect(new URL(noteTaker.page.url()).pathname).toBe('/weather.html')
    expect(await desk.deviceCopies(conferenceId)).toHaveLength(1)

    await desk.openSigningIn(conferenceId, nadia)
    await desk.section('Existing safety').getByRole('textbox').filter({ hasText: offlineWords }).waitFor()
    noteTakersLine.restore()
    await desk.waitForStatus('Saved')
    expectNoPageErrors()
  })
})
