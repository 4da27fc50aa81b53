import { expect } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type WebSocketRoute } from 'playwright-core'
import type { Device } from './devices'

/** Debian's Chromium: a test tool's own browser download does not work on these machines. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

/** One person on their own device: a fresh context shares no storage or cookies with others. */
export interface Person {
  name: string
  context: BrowserContext
  page: Page
  /** Uncaught errors in the page: a test fails on any, even when the screen looks right. */
  pageErrors: string[]
}

/** A note-taker's laptop screen, and a family member's phone. */
export const DESKTOP = { width: 1366, height: 768 }
export const PHONE = { width: 360, height: 740 }

/**
 * `device`, when given, is already signed in (its cookies go into the browser), so a test about
 * something else need not go through the sign-in pages every time.
 */
export async function openAsPerson(
  browser: Browser,
  baseUrl: string,
  name: string,
  viewport: { width: number; height: number } = DESKTOP,
  device?: Device,
): Promise<Person> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, ...(viewport.width < 600 ? { isMobile: true, hasTouch: true } : {}) })
  if (device?.cookie) {
    await context.addCookies(
      device.cookie.split('; ').map((pair) => {
        const [cookieName = '', ...value] = pair.split('=')
        return { name: cookieName, value: value.join('='), url: baseUrl, httpOnly: true, sameSite: 'Strict' as const }
      }),
    )
  }
  // Well inside the test timeout, so a wait that never ends fails naming what it waited for.
  context.setDefaultTimeout(20_000)
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => { pageErrors.push(error.message) })
  return { name, context, page, pageErrors }
}

/**
 * One person's sync connection, cut and restored by the test, while the page itself still loads
 * over HTTP so that it can be reloaded "offline". The browser's offline mode (`setOffline`) would
 * also stop the reload: nothing caches the app shell, the server serves it. So only the `/sync`
 * websockets are routed: passed through to the server while the line is up; while it is cut, the
 * open ones are closed and new ones are refused before they open.
 */
export class SyncLine {
  private isCut = false
  private readonly sockets = new Set<WebSocketRoute>()

  /** Call before the page opens a conference: only websockets created afterwards are routed. */
  static async install(page: Page): Promise<SyncLine> {
    const line = new SyncLine()
    await page.routeWebSocket((url) => url.pathname.startsWith('/sync/'), (socket) => line.route(socket))
    return line
  }

  async cut(): Promise<void> {
    this.isCut = true
    const open = [...this.sockets]
    this.sockets.clear()
    await Promise.all(open.map((socket) => socket.close({ code: 1000, reason: 'network cut by the test' })))
  }

  restore(): void {
    this.isCut = false
  }

  private async route(socket: WebSocketRoute): Promise<void> {
    if (this.isCut) {
      await socket.close({ code: 1000, reason: 'network cut by the test' })
      return
    }
    socket.connectToServer()
    this.sockets.add(socket)
  }
}

/** Names of the IndexedDB databases this site keeps on the device for one conference: its device copy. */
export function deviceCopies(page: Page, conferenceId: string): Promise<string[]> {
  return page.evaluate(
    async (id) => (await indexedDB.databases()).flatMap((database) => (database.name?.includes(id) ? [database.name] : [])),
    conferenceId,
  )
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The board's agenda rail: one button per step of the meeting, named by the step's title exactly
 * as `agendaFor` gives it (shared/conference/agenda.ts). The step the meeting is at has
 * aria-current="step". On a phone the rail comes after the step's screen; it is never collapsed.
 */
export function meetingRail(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Meeting steps' })
}

/**
 * Looks at one step of the meeting (as anyone may, without moving the meeting on): clicks its
 * entry in the rail and waits for that step's screen, whose heading is the step's title.
 */
export async function openStep(page: Page, stepTitle: string): Promise<void> {
  await meetingRail(page).getByRole('button', { name: stepTitle, exact: true }).click()
  await stepHeading(page, stepTitle).waitFor()
}

/** The heading of the step's screen on the board or the shared screen, shown while that step is on screen. */
export function stepHeading(page: Page, stepTitle: string): Locator {
  // First: a part of the record inside the step may carry the step's title as its own heading too.
  return page.getByRole('heading', { name: stepTitle, exact: true }).first()
}

/**
 * A finger swiping the page to scroll it, from the middle of the screen: up (the page moves on)
 * when there is room below, else down. Playwright's touchscreen only taps; this drives
 * Chromium's touch input directly. Resolves once the page has moved.
 */
export async function swipeToScroll(page: Page): Promise<void> {
  const size = page.viewportSize()
  if (!size) throw new Error('swipeToScroll needs a page with a viewport')
  const scrolled = (): Promise<number> => page.evaluate(() => window.scrollY)
  const before = await scrolled()
  const roomBelow = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight - window.scrollY)
  const x = size.width / 2
  const y = size.height / 2
  const step = roomBelow > 200 ? -20 : 20
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] })
    for (let moved = 1; moved <= 10; moved++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + step * moved }] })
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  } finally {
    await cdp.detach()
  }
  await expect.poll(scrolled).not.toBe(before)
}

/** What sticks out past the right of the screen (each outermost element that does), and by how far the page scrolls sideways. */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const outside = (element: Element): boolean => element.getBoundingClientRect().right > width + 1
    const found = [...document.querySelectorAll('body *')]
      .filter((element) => outside(element) && element.getBoundingClientRect().width > 0 && !(element.parentElement && outside(element.parentElement)))
      .map((element) => `${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''} “${element.textContent.trim().slice(0, 30)}”`)
    const scrolls = document.documentElement.scrollWidth - width
    return scrolls > 0 ? [...found, `the page scrolls sideways by ${String(scrolls)} px`] : found
  })
}

