import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import type { Device } from './devices'
import { DESKTOP, launchBrowser, openAsPerson, type Person } from './browser'
import { startTestServer, type TestServer } from './server'

export interface BrowserSession {
  /** Started before the block's tests. */
  readonly server: TestServer
  /** A person's own window (their own cookies), closed after the block. */
  open(name: string, viewport?: { width: number; height: number }, device?: Device): Promise<Person>
}

/**
 * A real server on port 0 and Chromium for one describe block: every window opened with `open`,
 * the browser and the server are closed after it.
 */
export function browserSession(): BrowserSession {
  let server: TestServer | undefined
  let browser: Browser | undefined
  const people: Person[] = []
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
  })
  afterAll(async () => {
    await Promise.all(people.map((person) => person.context.close()))
    await browser?.close()
    await server?.stop()
  })
  const started = (): { server: TestServer; browser: Browser } => {
    if (!server || !browser) throw new Error('the browser session is used before its beforeAll ran')
    return { server, browser }
  }
  return {
    get server() {
      return started().server
    },
    async open(name, viewport = DESKTOP, device) {
      const person = await openAsPerson(started().browser, started().server.url, name, viewport, device)
      people.push(person)
      return person
    },
  }
}
