/**
 * Words people type that others read (server/http/words.ts): what nobody could read, what would
 * show differently from what was typed, and half a character are refused wherever they are sent.
 */
import { describe, expect, test } from 'vitest'
import type { ConferenceSummary } from '../../shared/api'
import { api, expectJson, refusal } from '../helpers/devices'
import { createTestConference, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

const BROKEN = 'holds a broken character. Please type it again.'
const HIDDEN = 'holds hidden characters that would change how it is shown. Please type it again.'
/** Half of 😀 (a lone surrogate): the list would keep it, the live record U+FFFD in its place. */
const HALF_AN_EMOJI = '\ud83d'

describe('words shown to others', () => {
  test('a title or a name holding half a character is refused, and nothing changes', async () => {
    const server = await servers.start()
    const conference = await createTestConference(server.admin, { title: 'Smith family' })
    const conferencePath = `/api/conferences/${conference.id}`
    const renamed = await api(server.admin, conferencePath, { method: 'PATCH', body: { title: `Smith family ${HALF_AN_EMOJI}` } })
    expect((await refusal(renamed, 400)).fields).toEqual({ title: `The title ${BROKEN}` })
    const invited = await api(server.admin, `${conferencePath}/invitations`, { method: 'POST', body: { name: `Ann ${HALF_AN_EMOJI}`, role: 'parentOrCarer' } })
    expect((await refusal(invited, 400)).fields).toEqual({ name: `The name ${BROKEN}` })

    expect((await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, conferencePath), 200)).conference.title).toBe('Smith family')
    const { people } = await expectJson<{ people: { name: string }[] }>(await api(server.admin, `${conferencePath}/people`), 200)
    expect(people.map((person) => person.name)).not.toContain(`Ann ${HALF_AN_EMOJI}`)
  })

  test('an account email holding control characters, a right-to-left override or half a character is refused', async () => {
    const server = await servers.start()
    const answers = []
    for (const email of ['jo\u0007@example.org', 'jo@example.org\u202E', `jo${HALF_AN_EMOJI}@example.org`]) {
      const response = await api(server.admin, '/api/admin/accounts', { method: 'POST', body: { name: 'Jo Smith', email } })
      answers.push((await refusal(response, 400)).fields?.email)
    }
    expect(answers).toEqual([`The email address ${HIDDEN}`, `The email address ${HIDDEN}`, `The email address ${BROKEN}`])
  })
})
