import { describe, expect, test } from 'vitest'
import { statusWords } from '../../client/sync/statusWords'
import type { SaveStatus } from '../../client/sync/saveTracker'

const signedOut = (unsaved: boolean): SaveStatus => ({ state: 'stopped', reason: 'unauthorized', unsaved })

describe('the status line when the session has ended', () => {
  test('a professional is asked to sign in again', () => {
    expect(statusWords(signedOut(false), { keptOnDevice: true, invited: false })).toBe('You have been signed out. Sign in again to carry on.')
    expect(statusWords(signedOut(true), { keptOnDevice: true, invited: false })).toBe('You have been signed out. Sign in again to carry on. Your changes are kept on this device.')
    expect(statusWords(signedOut(true), { keptOnDevice: false, invited: false })).toBe('You have been signed out. Your latest changes could not be saved.')
  })

  test('a family member, who never signed in, is told to use their link or code', () => {
    expect(statusWords(signedOut(false), { keptOnDevice: true, invited: true })).toBe('You have been signed out. Open your link again, or type your code, to carry on.')
    expect(statusWords(signedOut(true), { keptOnDevice: true, invited: true })).toBe('You have been signed out. Open your link again, or type your code, to carry on. Your changes are kept on this device.')
    expect(statusWords(signedOut(true), { keptOnDevice: false, invited: true })).toBe('You have been signed out. Your latest changes could not be saved.')
    for (const unsaved of [false, true]) {
      for (const keptOnDevice of [false, true]) expect(statusWords(signedOut(unsaved), { keptOnDevice, invited: true })).not.toMatch(/sign in/i)
    }
  })

  test('other statuses read the same for everyone', () => {
    const statuses: SaveStatus[] = [
      { state: 'connecting' },
      { state: 'saved' },
      { state: 'offline', unsaved: true },
      { state: 'stopped', reason: 'forbidden', unsaved: false },
      { state: 'stopped', reason: 'recordFinal', unsaved: true },
    ]
    for (const status of statuses) {
      for (const keptOnDevice of [false, true]) {
        expect(statusWords(status, { keptOnDevice, invited: true })).toBe(statusWords(status, { keptOnDevice, invited: false }))
      }
    }
  })
})

describe('the status line when access to the conference is lost', () => {
  const forbidden = (unsaved: boolean): SaveStatus => ({ state: 'stopped', reason: 'forbidden', unsaved })

  test('someone taken out with nothing waiting is told only that', () => {
    for (const keptOnDevice of [false, true]) {
      expect(statusWords(forbidden(false), { keptOnDevice, invited: true })).toBe('You no longer have access to this conference.')
    }
  })

  test('someone taken out with words not yet sent is told plainly those words were not added, never that they are kept or will be sent', () => {
    for (const keptOnDevice of [false, true]) {
      for (const invited of [false, true]) {
        const words = statusWords(forbidden(true), { keptOnDevice, invited })
        expect(words).toBe('You no longer have access to this conference, so what you typed last was not added.')
        expect(words).not.toMatch(/kept|sign in|link|code/i)
      }
    }
  })
})
