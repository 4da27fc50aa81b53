import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, test } from 'vitest'
import type { ConferenceSummary, Dashboard } from '../../shared/api'
import type { ConferenceCase } from '../../shared/cases'
import { conferenceRecord } from '../../shared/conference'
import { setPlainText } from '../../shared/conference/richText'
import type { FeedbackInput, FeedbackState } from '../../shared/programmes/feedback'
import { figureWords, type ProgrammeFigures } from '../../shared/programmes/figures'
import type { OutcomesResponse } from '../../shared/programmes/outcomes'
import type { AcceptedOffer, ParentPartnerOffer, ParentPartnerResponse } from '../../shared/programmes/parentPartner'
import { PROGRAMMES_FILE } from '../../server/storage/embedded'
import { hashSecret } from '../../server/auth/secrets'
import { CloseCode } from '../../shared/protocol'
import { api, expectJson, invite, inviteAndJoin, newProfessional, professionalIn, redeem, refusal, signedOutDevice, tokenOf, withCookies } from '../helpers/devices'
import { connectParticipant, openRawSocket, waitUntil } from '../helpers/participants'
import { auditTrail, createCsc, REFERRAL, serverForEachTest } from '../helpers/server'

const servers = serverForEachTest()

const offerTo = (parentName: string, more: Record<string, unknown> = {}) => ({ parentName, serviceArea: 'Eastern', alreadySupported: false, childRemoved: 'no', ...more })

describe('a Child Safety Conference from its referral', () => {
  test('the 72-hour deadline is listed with the conference and on the dashboard; the record starts with the children and the area', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    expect(csc.referral).toEqual({
      concernRaisedAt: REFERRAL.concernRaisedAt,
      timeZone: 'America/Chicago',
      holdBy: '2026-11-26T15:30:00.000Z',
      afterRemoval: false,
      serviceArea: 'Eastern',
      facilitator: REFERRAL.facilitator,
    })
    const { conferences } = await expectJson<{ conferences: ConferenceSummary[] }>(await api(server.admin, '/api/conferences'), 200)
    expect(conferences.find((conference) => conference.id === csc.id)?.referral?.holdBy).toBe('2026-11-26T15:30:00.000Z')
    const opened = await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, `/api/conferences/${csc.id}`), 200)
    expect(opened.conference.referral?.facilitator.independent).toBe(true)

    const dashboard = await expectJson<Dashboard>(await api(server.admin, '/api/dashboard?today=2026-11-24'), 200)
    const dates = dashboard.conferences.find((entry) => entry.conference.id === csc.id)
    expect(dates?.conference.referral?.holdBy).toBe('2026-11-26T15:30:00.000Z')
    expect(dates?.dates.map((date) => [date.id, date.date, date.state])).toEqual([
      ['minutesSent', '2026-11-25', 'upcoming'],
      ['conferenceHeld', '2026-11-26', 'upcoming'],
      ['followUp', '2026-12-05', 'upcoming'],
      ['sixMonthCheck', '2027-05-25', 'upcoming'],
    ])
    // Once the day of the meeting has come, within the 72 hours, it is done.
    const after = await expectJson<Dashboard>(await api(server.admin, '/api/dashboard?today=2026-11-25'), 200)
    expect(after.conferences.find((entry) => entry.conference.id === csc.id)?.dates.find((date) => date.id === 'conferenceHeld')?.state).toBe('done')

    const chair = servers.track(connectParticipant(server.admin, csc.id))
    await chair.synced()
    expect(chair.record.details.children.entries().map((child) => child.fields.name)).toEqual(['Mia Diaz', 'Leo Diaz'])
    expect(chair.record.details.get().area).toBe('Eastern')

    // The record says when the concern was raised, the deadline, and whether the facilitator is independent.
    const exported = await expectJson<{ conference: { referral?: unknown } }>(await api(server.admin, `/api/conferences/${csc.id}/exports/record.json`), 200)
    expect(exported.conference.referral).toEqual({
      concernRaisedAt: '2026-11-23T15:30:00.000Z',
      holdBy: '2026-11-26T15:30:00.000Z',
      timeZone: 'America/Chicago',
      afterRemoval: false,
      facilitator: REFERRAL.facilitator,
    })
    const minutes = await api(server.admin, `/api/conferences/${csc.id}/exports/minutes.docx`)
    const document = strFromU8(unzipSync(new Uint8Array(await minutes.arrayBuffer()))['word/document.xml'] ?? new Uint8Array())
    for (const words of ['Mon, Nov 23, 9:30 AM CST', 'Thu, Nov 26, 9:30 AM CST (within 72 hours)', 'Frankie Facilitator, Linn County Family Mediation: independent of the child welfare agency']) {
      expect(document).toContain(words)
    }
  })

  test('a referral that cannot be right is refused with the field named, and nothing is created', async () => {
    const server = await servers.start()
    const post = (referral: Record<string, unknown>, more: Record<string, unknown> = {}) =>
      api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'CSC', kind: 'us-csc-initial', date: '2026-11-25', role: 'chair', referral: { ...REFERRAL, ...referral }, ...more } })
    expect((await refusal(await post({ concernRaisedAt: '2999-01-01T00:00:00Z' }), 400)).fields).toEqual({ concernRaisedAt: 'The concern cannot have been raised in the future.' })
    // A mistyped year: the dashboard would show the CSC overdue since then, and a year before 1000 has no date it could show.
    for (const concernRaisedAt of ['1850-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '0999-01-01T00:00:00Z', '2025-11-20T00:00:00Z']) {
      expect([concernRaisedAt, (await refusal(await post({ concernRaisedAt }), 400)).fields]).toEqual([concernRaisedAt, { concernRaisedAt: 'This is more than a year before the conference. Check the date the concern was raised.' }])
    }
    expect((await refusal(await post({}, { date: '2026-11-22' }), 400)).fields).toEqual({ date: 'The conference cannot meet before the concern was raised.' })
    expect((await refusal(await post({ serviceArea: 'Atlantis' }), 400)).fields?.serviceArea).toBe('Choose one of the service areas: Cedar Rapids, Des Moines, Eastern, Northern, Western.')
    expect((await refusal(await post({ timeZone: 'Mars/Olympus_Mons' }), 400)).fields?.['referral.timeZone']).toBe('not a time zone this server knows')
    expect((await refusal(await post({ children: [] }), 400)).fields).toHaveProperty(['referral.children'])
    expect((await refusal(await post({}, { kind: 'uk-initial' }), 400)).fields).toEqual({ referral: 'Only an initial child safety conference starts from a referral.' })
    const { conferences } = await expectJson<{ conferences: ConferenceSummary[] }>(await api(server.admin, '/api/conferences'), 200)
    expect(conferences).toEqual([])
  })
})

describe('Parent Partner offers', () => {
  test('eligibility, voluntary acceptance, an invitation for the Parent Partner, and places per area that cannot be over-assigned', async () => {
    const server = await servers.start({ parentPartnerPlaces: [{ serviceArea: 'Eastern', places: 2 }, { serviceArea: 'Western', places: 5 }] })
    const csc = await createCsc(server.admin)
    const offers = `/api/conferences/${csc.id}/parent-partner`

    // Not eligible: already supported, or the children removed formally or informally.
    expect(await refusal(await api(server.admin, offers, { method: 'POST', body: offerTo('Dana Diaz', { alreadySupported: true }) }), 422)).toMatchObject({ code: 'not-eligible', message: 'This parent already has a Parent Partner.' })
    for (const childRemoved of ['formally', 'informally']) {
      expect((await refusal(await api(server.admin, offers, { method: 'POST', body: offerTo('Dana Diaz', { childRemoved }) }), 422)).code).toBe('not-eligible')
    }

    const dana = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, offers, { method: 'POST', body: offerTo('Dana Diaz') }), 201)).offer
    expect(dana).toMatchObject({ status: 'offered', serviceArea: 'Eastern', parentPartnerName: null })
    expect((await refusal(await api(server.admin, offers, { method: 'POST', body: offerTo('dana diaz') }), 409)).code).toBe('already-offered')
    const sam = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, offers, { method: 'POST', body: offerTo('Sam Diaz') }), 201)).offer
    const other = await createCsc(server.admin, { family: 'The Evans family' })
    const ellis = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, `/api/conferences/${other.id}/parent-partner`, { method: 'POST', body: offerTo('Ellis Evans') }), 201)).offer

    // Voluntary: declining takes no place.
    const declined = await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, `${offers}/${sam.id}/answer`, { method: 'POST', body: { answer: 'declined' } }), 200)
    expect(declined.offer.status).toBe('declined')
    expect((await refusal(await api(server.admin, `${offers}/${sam.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Pat' } }), 409)).code).toBe('already-answered')

    // Accepting invites the Parent Partner to the CSC.
    const accepted = await expectJson<AcceptedOffer>(await api(server.admin, `${offers}/${dana.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Pat Partner' } }), 200)
    expect(accepted.offer).toMatchObject({ status: 'accepted', parentPartnerName: 'Pat Partner' })
    const joined = await redeem(signedOutDevice(server.admin.baseUrl), { token: tokenOf(accepted.invitation.link) })
    expect((await expectJson<{ session: { participant: { role: string; name: string } } }>(joined, 200)).session.participant).toMatchObject({ role: 'parentPartner', name: 'Pat Partner' })

    // Two accepted at once for the last place: exactly one gets it.
    const alex = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, offers, { method: 'POST', body: offerTo('Alex Diaz') }), 201)).offer
    const [first, second] = await Promise.all([
      api(server.admin, `/api/conferences/${other.id}/parent-partner/${ellis.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Robin Partner' } }),
      api(server.admin, `${offers}/${alex.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Jo Partner' } }),
    ])
    expect([first.status, second.status].sort()).toEqual([200, 409])
    const full = await refusal(first.status === 409 ? first : second, 409)
    expect(full).toEqual({ code: 'area-full', message: 'All 2 Parent Partner places in the Eastern service area are taken. A place comes free when a parent’s support ends.' })
    // A full area refuses the next offer too; another area does not.
    expect((await refusal(await api(server.admin, offers, { method: 'POST', body: offerTo('Kim Diaz') }), 409)).code).toBe('area-full')
    await expectJson(await api(server.admin, offers, { method: 'POST', body: offerTo('Kim Diaz', { serviceArea: 'western' }) }), 201)

    const listed = await expectJson<ParentPartnerResponse>(await api(server.admin, offers), 200)
    expect(listed.areas).toEqual([{ serviceArea: 'Eastern', places: 2, taken: 2 }, { serviceArea: 'Western', places: 5, taken: 0 }])
    expect(listed.offers.every((offer) => offer.conferenceId === csc.id)).toBe(true)

    // Support ending frees the place; it survives a restart.
    await expectJson(await api(server.admin, `${offers}/${dana.id}/end`, { method: 'POST' }), 200)
    const restarted = await servers.restart()
    expect((await expectJson<ParentPartnerResponse>(await api(restarted.admin, offers), 200)).areas[0]).toEqual({ serviceArea: 'Eastern', places: 2, taken: 1 })
  })

  test('when support ends the Parent Partner no longer sees the family’s conference: her invitation is withdrawn, her session stops working and her connection closes', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    const offers = `/api/conferences/${csc.id}/parent-partner`
    const offer = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, offers, { method: 'POST', body: offerTo('Maria Diaz') }), 201)).offer
    const accepted = await expectJson<AcceptedOffer>(await api(server.admin, `${offers}/${offer.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Pat Partner' } }), 200)
    expect(accepted.offer.parentPartnerId).toBe(accepted.invitation.participantId)
    const joined = await redeem(signedOutDevice(server.admin.baseUrl), { token: tokenOf(accepted.invitation.link) })
    await expectJson(joined, 200)
    const pat = withCookies(signedOutDevice(server.admin.baseUrl), joined)
    await expectJson(await api(pat, `/api/conferences/${csc.id}`), 200)
    const live = openRawSocket(pat, `/${csc.id}`)
    servers.track({ destroy: () => { live.socket.terminate() } })
    await live.opened
    let closedWith: number | undefined
    void live.closed.then((closed) => { closedWith = closed.code })

    await expectJson(await api(server.admin, `${offers}/${offer.id}/end`, { method: 'POST' }), 200)
    await waitUntil(() => closedWith !== undefined, 'the Parent Partner’s connection is closed', 5_000)
    expect(closedWith).toBe(CloseCode.forbidden)
    expect((await refusal(await api(pat, `/api/conferences/${csc.id}`), 401)).code).toBe('not-signed-in')
    expect((await refusal(await api(pat, `/api/conferences/${csc.id}/exports/record.json`), 401)).code).toBe('not-signed-in')
    expect((await refusal(await redeem(signedOutDevice(server.admin.baseUrl), { token: tokenOf(accepted.invitation.link) }), 400)).code).toBe('invitation-not-valid')
    // Audited as any withdrawn invitation is, then as the end of support.
    const trail = (await auditTrail(server)).filter((entry) => ['invitation-revoked', 'parent-partner-ended'].includes(entry.action))
    expect(trail.map((entry) => [entry.action, entry.details?.participantId ?? entry.details?.offerId])).toEqual([['invitation-revoked', accepted.invitation.participantId], ['parent-partner-ended', offer.id]])
  })

  test('an accepted answer the disk would not keep leaves no working invitation behind; answered again, one Parent Partner is invited', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    const offers = `/api/conferences/${csc.id}/parent-partner`
    const offer = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, offers, { method: 'POST', body: offerTo('Maria Diaz') }), 201)).offer
    const kept = server.storage.programmes.parentPartnerOffers
    const put = kept.put.bind(kept)
    kept.put = () => { kept.put = put; return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) }
    const partnersNow = () => server.storage.access.participants.all((participant) => participant.conferenceId === csc.id && participant.role === 'parentPartner')

    await refusal(await api(server.admin, `${offers}/${offer.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Pat Partner' } }), 500)
    expect(partnersNow().map((partner) => partner.invitation?.revoked)).toEqual([true])
    expect((await expectJson<ParentPartnerResponse>(await api(server.admin, offers), 200)).offers.map((listed) => listed.status)).toEqual(['offered'])

    const accepted = await expectJson<AcceptedOffer>(await api(server.admin, `${offers}/${offer.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Pat Partner' } }), 200)
    expect(partnersNow().filter((partner) => partner.invitation?.revoked === false).map((partner) => partner.id)).toEqual([accepted.invitation.participantId])
  })

  test('ending the support of a parent whose Parent Partner was already taken out of the conference, or was invited before it was kept who they were, still frees the place, and withdraws the Parent Partner of that name', async () => {
    const server = await servers.start({ parentPartnerPlaces: [{ serviceArea: 'Eastern', places: 5 }] })
    const csc = await createCsc(server.admin)
    const offers = `/api/conferences/${csc.id}/parent-partner`
    const accept = async (parentName: string): Promise<AcceptedOffer> => {
      const offer = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, offers, { method: 'POST', body: offerTo(parentName) }), 201)).offer
      return expectJson<AcceptedOffer>(await api(server.admin, `${offers}/${offer.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Pat Partner' } }), 200)
    }
    const maria = await accept('Maria Diaz')
    await expectJson(await api(server.admin, `/api/conferences/${csc.id}/people/${maria.invitation.participantId}`, { method: 'DELETE' }), 204)
    await expectJson(await api(server.admin, `${offers}/${maria.offer.id}/end`, { method: 'POST' }), 200)
    // An offer kept before: it does not say who, so the conference's Parent Partner of that name is withdrawn.
    const carlos = await accept('Carlos Diaz')
    const { parentPartnerId: _kept, ...before } = carlos.offer
    await server.storage.programmes.parentPartnerOffers.put(before)
    const restarted = await servers.restart()
    await expectJson(await api(restarted.admin, `${offers}/${carlos.offer.id}/end`, { method: 'POST' }), 200)
    expect(restarted.storage.access.participants.get(carlos.invitation.participantId)?.invitation?.revoked).toBe(true)
    expect((await expectJson<ParentPartnerResponse>(await api(restarted.admin, offers), 200)).areas).toEqual([{ serviceArea: 'Eastern', places: 5, taken: 0 }])
  })

  test('one parent takes one place in a case: the follow-up lists the offer made at the initial CSC and refuses a second one', async () => {
    const server = await servers.start({ parentPartnerPlaces: [{ serviceArea: 'Eastern', places: 5 }] })
    const csc = await createCsc(server.admin)
    const atCsc = `/api/conferences/${csc.id}/parent-partner`
    const maria = (await expectJson<{ offer: ParentPartnerOffer }>(await api(server.admin, atCsc, { method: 'POST', body: offerTo('Maria Diaz') }), 201)).offer
    await expectJson(await api(server.admin, `${atCsc}/${maria.id}/answer`, { method: 'POST', body: { answer: 'accepted', parentPartnerName: 'Pat Partner' } }), 200)
    const followUp = (await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Diaz follow-up', kind: 'us-csc-follow-up', date: '2026-12-04', role: 'chair', follows: csc.id } }), 201)).conference
    const atFollowUp = `/api/conferences/${followUp.id}/parent-partner`

    const listed = await expectJson<ParentPartnerResponse>(await api(server.admin, atFollowUp), 200)
    expect(listed.offers).toMatchObject([{ id: maria.id, conferenceId: csc.id, status: 'accepted', madeAt: { title: csc.title, date: csc.date } }])
    expect(await refusal(await api(server.admin, atFollowUp, { method: 'POST', body: offerTo(' maria diaz') }), 409)).toEqual({
      code: 'already-offered',
      message: `Maria Diaz was already offered a Parent Partner at “${csc.title}” on ${csc.date}, and that offer still stands. Record the parent’s answer there.`,
    })
    expect((await expectJson<ParentPartnerResponse>(await api(server.admin, atFollowUp), 200)).areas).toEqual([{ serviceArea: 'Eastern', places: 5, taken: 1 }])
    // Her answer is recorded where the offer was made.
    expect((await refusal(await api(server.admin, `${atFollowUp}/${maria.id}/end`, { method: 'POST' }), 404)).code).toBe('offer-not-found')

    // Once her support has ended, she can be offered one again, and another parent of the case can be.
    await expectJson(await api(server.admin, `${atCsc}/${maria.id}/end`, { method: 'POST' }), 200)
    await expectJson(await api(server.admin, atFollowUp, { method: 'POST', body: offerTo('Maria Diaz') }), 201)
    await expectJson(await api(server.admin, atFollowUp, { method: 'POST', body: offerTo('Carlos Diaz') }), 201)
    expect((await expectJson<ParentPartnerResponse>(await api(server.admin, atCsc), 200)).offers.map((offer) => [offer.parentName, offer.madeAt.title])).toEqual([
      ['Maria Diaz', csc.title], ['Maria Diaz', 'Diaz follow-up'], ['Carlos Diaz', 'Diaz follow-up'],
    ])
  })

  test('a CSC held right after a removal offers no pilot place, at its follow-up either, whatever is answered about the parent', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin, { afterRemoval: true })
    const followUp = (await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Follow-up', kind: 'us-csc-follow-up', date: '2026-12-04', role: 'chair', follows: csc.id } }), 201)).conference
    for (const conference of [csc, followUp]) {
      const offers = `/api/conferences/${conference.id}/parent-partner`
      expect(await refusal(await api(server.admin, offers, { method: 'POST', body: offerTo('Dana Diaz') }), 422)).toMatchObject({ code: 'not-eligible', message: expect.stringMatching(/^This case’s conference was held after the children were removed\./) as unknown })
      expect(await expectJson<ParentPartnerResponse>(await api(server.admin, offers), 200)).toMatchObject({ offers: [], heldAfterRemoval: true })
    }
    const atHome = await createCsc(server.admin, { family: 'The Evans family' })
    expect((await expectJson<ParentPartnerResponse>(await api(server.admin, `/api/conferences/${atHome.id}/parent-partner`), 200)).heldAfterRemoval).toBe(false)
  })

  test('only someone who may invite people records offers; a parent cannot, and a UK conference has none', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    const parent = await inviteAndJoin(server.admin, csc.id, { name: 'Dana Diaz', role: 'parentOrCarer' })
    expect((await refusal(await api(parent, `/api/conferences/${csc.id}/parent-partner`, { method: 'POST', body: offerTo('Dana Diaz') }), 403)).code).toBe('not-allowed')
    const uk = (await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'UK', kind: 'uk-initial', date: '2026-11-25', role: 'chair' } }), 201)).conference
    expect((await refusal(await api(server.admin, `/api/conferences/${uk.id}/parent-partner`, { method: 'POST', body: offerTo('Someone') }), 409)).code).toBe('not-a-csc')
    expect((await refusal(await api(server.admin, `/api/conferences/${csc.id}/parent-partner/nope/answer`, { method: 'POST', body: { answer: 'declined' } }), 404)).code).toBe('offer-not-found')
  })
})

describe('outcomes, feedback and the programme page', () => {
  test('a parent answers once per conference, even invited again; what she said cannot be found from her participant id or its place in the file', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    const feedback = `/api/conferences/${csc.id}/feedback`
    const said = (words: string): FeedbackInput => ({ answers: { listenedTo: 'no' }, words, shareWords: true })
    const parents = []
    for (const name of ['Carlos Diaz', 'Maria Diaz', 'Ana Diaz']) {
      const parent = await inviteAndJoin(server.admin, csc.id, { name, role: 'parentOrCarer' })
      await expectJson(await api(parent, feedback, { method: 'POST', body: said(`Words of ${name}`) }), 201)
      parents.push(parent)
    }
    const maria = parents[1]
    if (!maria) throw new Error('no Maria')

    // Her link lost, withdrawn and given again: a new participant, the same parent.
    await expectJson(await api(server.admin, `/api/conferences/${csc.id}/invitations/${maria.participantId}`, { method: 'DELETE' }), 200)
    const again = await invite(server.admin, csc.id, { name: ' maria diaz', role: 'parentOrCarer' })
    const joined = await redeem(signedOutDevice(server.admin.baseUrl), { token: tokenOf(again.link) })
    await expectJson(joined, 200)
    const mariaAgain = withCookies(signedOutDevice(server.admin.baseUrl), joined)
    expect(await expectJson<FeedbackState>(await api(mariaAgain, feedback), 200)).toEqual({ asked: true, given: true })
    expect(await refusal(await api(mariaAgain, feedback, { method: 'POST', body: said('Twice') }), 409)).toEqual({ code: 'feedback-given', message: 'You have already told us how the meeting went. Thank you.' })

    // Stored: no hash of her participant id leads to a mark, and the answers are not in the order given.
    const file = JSON.parse(await readFile(path.join(server.dataDir, PROGRAMMES_FILE), 'utf8')) as { feedback: { id: string; words: string }[]; feedbackGiven: { id: string }[] }
    const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
    const marks = file.feedbackGiven.map((mark) => mark.id)
    for (const guess of [hashSecret(`feedback-given:${maria.participantId}`), sha256(maria.participantId), sha256(`feedback-given:${csc.id}:maria diaz`)]) expect(marks).not.toContain(guess)
    expect(file.feedback.map((answer) => answer.id)).toEqual(file.feedback.map((answer) => answer.id).sort())
    expect(marks).toEqual([...marks].sort())
    expect(file.feedback.map((answer) => answer.words).sort()).toEqual(['Words of Ana Diaz', 'Words of Carlos Diaz', 'Words of Maria Diaz'])
    expect(Object.keys(file.feedback[0] ?? {}).sort()).toEqual(['answers', 'conferenceId', 'id', 'shareWords', 'words'])
  })

  test('two outcomes of one child recorded at once (two people, or a double tap) are both kept', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    const outcomes = `/api/conferences/${csc.id}/outcomes`
    const [child] = (await expectJson<OutcomesResponse>(await api(server.admin, outcomes), 200)).children
    if (!child) throw new Error('a child expected')
    // A change to the record, nobody connected: both requests wait for it to be read again, then go on together.
    await server.rooms.change(csc.id, (room) => { setPlainText(conferenceRecord(room.doc).decision.rationale, 'Both parents agreed to the plan.') })
    const put = (body: object): Promise<unknown> => api(server.admin, `${outcomes}/${child.childId}`, { method: 'PUT', body }).then((response) => expectJson(response, 200))
    await Promise.all([put({ point: 'afterConference', staying: 'at-home' }), put({ point: 'atSixMonths', staying: 'in-a-placement' })])
    expect((await expectJson<OutcomesResponse>(await api(server.admin, outcomes), 200)).children[0]?.staying).toEqual({ afterConference: 'at-home', atSixMonths: 'in-a-placement' })
  })

  test('a CSC follow-up’s feedback counts in the area of its case’s referral, also one whose record has no area (created before it was carried)', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    const followUp = (await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Follow-up', kind: 'us-csc-follow-up', date: '2026-12-04', role: 'chair', follows: csc.id } }), 201)).conference
    const areaInRecord = async (): Promise<string> => {
      let area = ''
      await server.rooms.change(followUp.id, (room) => { area = conferenceRecord(room.doc).details.get().area })
      return area
    }
    expect(await areaInRecord()).toBe('Eastern')
    // Five parents, so that the count is shown.
    for (let parent = 1; parent <= 5; parent++) {
      const device = await inviteAndJoin(server.admin, followUp.id, { name: `Parent ${parent}`, role: 'parentOrCarer' })
      await expectJson(await api(device, `/api/conferences/${followUp.id}/feedback`, { method: 'POST', body: { answers: { listenedTo: 'yes' }, words: `Heard ${parent}`, shareWords: true } }), 201)
    }
    const feedbackIn = async (): Promise<Record<string, number | null>> => {
      const figures = await expectJson<ProgrammeFigures>(await api(server.admin, '/api/programme/figures?from=2026-11-01&to=2026-12-31&period=month'), 200)
      return Object.fromEntries(figures.byArea.map((area): [string, number | null] => [area.serviceArea ?? 'All areas', area.groups.find((group) => group.id === 'feedback')?.figures[0]?.count ?? null]))
    }
    expect(await feedbackIn()).toMatchObject({ Eastern: 5 })
    expect(Object.keys(await feedbackIn())).not.toContain('Area not recorded')
    await server.rooms.change(followUp.id, (room) => { conferenceRecord(room.doc).details.update({ area: '' }) })
    expect(await areaInRecord()).toBe('')
    expect(await feedbackIn()).toMatchObject({ Eastern: 5 })
    expect(Object.keys(await feedbackIn())).not.toContain('Area not recorded')
  })

  test('each child’s outcomes and a parent’s anonymous feedback reach the programme figures, for programme leads only', async () => {
    const server = await servers.start()
    const csc = await createCsc(server.admin)
    const outcomes = `/api/conferences/${csc.id}/outcomes`

    // The record says where the children stay after the conference; each child can differ, and later points come after.
    const chair = servers.track(connectParticipant(server.admin, csc.id))
    await chair.synced()
    chair.record.decision.update({ whereChildrenStay: 'at-home' })
    await chair.saved()
    const before = await expectJson<OutcomesResponse>(await api(server.admin, outcomes), 200)
    expect(before.children.map((child) => [child.name, child.staying])).toEqual([['Mia Diaz', { afterConference: 'at-home' }], ['Leo Diaz', { afterConference: 'at-home' }]])
    const [mia, leo] = before.children
    if (!mia || !leo) throw new Error('two children expected')
    await expectJson(await api(server.admin, `${outcomes}/${leo.childId}`, { method: 'PUT', body: { point: 'afterConference', staying: 'with-someone-they-know' } }), 200)
    const changed = await expectJson<{ child: { staying: object } }>(await api(server.admin, `${outcomes}/${mia.childId}`, { method: 'PUT', body: { point: 'atSixMonths', staying: 'at-home' } }), 200)
    expect(changed.child.staying).toEqual({ afterConference: 'at-home', atSixMonths: 'at-home' })
    // The dashboard's 6-month reminder stays until every child's place is recorded.
    const sixMonthCheck = async (): Promise<string | undefined> => (await expectJson<Dashboard>(await api(server.admin, '/api/dashboard?today=2027-05-26'), 200))
      .conferences.find((entry) => entry.conference.id === csc.id)?.dates.find((date) => date.id === 'sixMonthCheck')?.state
    expect(await sixMonthCheck()).toBe('overdue')
    await expectJson(await api(server.admin, `${outcomes}/${leo.childId}`, { method: 'PUT', body: { point: 'atSixMonths', staying: 'in-a-placement' } }), 200)
    expect(await sixMonthCheck()).toBe('done')

    // At 10 days, the follow-up conference's record says where the children are staying.
    const followUp = (await expectJson<{ conference: ConferenceSummary }>(await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'Follow-up', kind: 'us-csc-follow-up', date: '2026-12-04', role: 'chair', follows: csc.id } }), 201)).conference
    // The case lists the initial CSC with its deadline too.
    const { conferences: inCase } = await expectJson<ConferenceCase>(await api(server.admin, `/api/conferences/${followUp.id}/case`), 200)
    expect(inCase.map((conference) => [conference.kind, conference.referral?.holdBy ?? null])).toEqual([['us-csc-initial', '2026-11-26T15:30:00.000Z'], ['us-csc-follow-up', null]])
    const followUpChair = servers.track(connectParticipant(server.admin, followUp.id))
    await followUpChair.synced()
    followUpChair.record.decision.update({ whereChildrenStay: 'with-someone-they-know' })
    await followUpChair.saved()
    const after = await expectJson<OutcomesResponse>(await api(server.admin, outcomes), 200)
    expect(after.children.map((child) => child.staying)).toEqual([
      { afterConference: 'at-home', atFollowUp: 'with-someone-they-know', atSixMonths: 'at-home' },
      { afterConference: 'with-someone-they-know', atFollowUp: 'with-someone-they-know', atSixMonths: 'in-a-placement' },
    ])
    expect((await refusal(await api(server.admin, `${outcomes}/no-such-child`, { method: 'PUT', body: { point: 'atFollowUp', staying: 'at-home' } }), 404)).code).toBe('child-not-found')
    expect((await refusal(await api(server.admin, `${outcomes}/${mia.childId}`, { method: 'PUT', body: { participation: 'attended' } }), 409)).code).toBe('outcome-not-kept')
    expect((await refusal(await api(server.admin, `${outcomes}/${mia.childId}`, { method: 'PUT', body: { point: 'atSixMonths', staying: 'on-the-moon' } }), 400)).code).toBe('invalid-request')

    // A parent gives feedback once; a professional is not asked.
    const parent = await inviteAndJoin(server.admin, csc.id, { name: 'Dana Diaz', role: 'parentOrCarer' })
    const feedback = `/api/conferences/${csc.id}/feedback`
    expect(await expectJson<FeedbackState>(await api(parent, feedback), 200)).toEqual({ asked: true, given: false })
    const answers: FeedbackInput = { answers: { listenedTo: 'yes', respected: 'yes', involved: 'partly' }, words: 'They listened to my sister too.', shareWords: true }
    expect(await expectJson<FeedbackState>(await api(parent, feedback, { method: 'POST', body: answers }), 201)).toEqual({ asked: true, given: true })
    expect(await refusal(await api(parent, feedback, { method: 'POST', body: answers }), 409)).toEqual({ code: 'feedback-given', message: 'You have already told us how the meeting went. Thank you.' })
    // Sent three times at once (a double tap on a slow line), it is still kept once.
    const secondParent = await inviteAndJoin(server.admin, csc.id, { name: 'Sam Diaz', role: 'parentOrCarer' })
    // Words programme leads read, with hidden characters in them, are refused, and she can still answer.
    expect((await refusal(await api(secondParent, feedback, { method: 'POST', body: { ...answers, words: 'They\u202E listened' } }), 400)).code).toBe('invalid-request')
    const atOnce = await Promise.all(Array.from({ length: 3 }, () => api(secondParent, feedback, { method: 'POST', body: { ...answers, words: 'Said once.' } })))
    expect(atOnce.map((response) => response.status).sort()).toEqual([201, 409, 409])
    expect((await readFile(path.join(server.dataDir, PROGRAMMES_FILE), 'utf8')).split('Said once.')).toHaveLength(2)
    expect((await refusal(await api(server.admin, feedback, { method: 'POST', body: answers }), 403)).code).toBe('not-allowed')
    expect((await refusal(await api(parent, feedback, { method: 'POST', body: { ...answers, answers: { listenedTo: 'maybe' } } }), 400)).code).toBe('invalid-request')
    // No name is taken with feedback: it would only make an answer traceable.
    expect((await refusal(await api(parent, feedback, { method: 'POST', body: { ...answers, name: 'Maria Diaz' } }), 400)).code).toBe('invalid-request')
    // Nothing stored with it leads back to the parent.
    const stored = await readFile(path.join(server.dataDir, PROGRAMMES_FILE), 'utf8')
    expect(stored).toContain('They listened to my sister too.')
    expect(stored).not.toContain(parent.participantId)
    expect(stored).not.toContain('Dana')

    const audit = await readFile(path.join(server.dataDir, 'audit.log'), 'utf8')
    expect(audit).not.toContain('feedback')

    // The programme page: not there for a professional who is not a lead; a lead sees numbers only.
    const worker = await professionalIn(server.admin, server.admin, csc.id, { name: 'Sam Social worker', email: 'sam@example.org', role: 'socialWorker' })
    expect((await refusal(await api(worker, '/api/programme/figures'), 404)).code).toBe('not-found')
    expect((await refusal(await api(parent, '/api/programme/figures'), 404)).code).toBe('not-found')
    const lead = await newProfessional(server.admin, { name: 'Lee Lead', email: 'lee@example.org', programmeLead: true })
    const figures = await expectJson<ProgrammeFigures>(await api(lead, '/api/programme/figures?from=2026-10-01&to=2026-12-31&period=month'), 200)
    const words = Object.fromEntries(figures.total.groups.flatMap((group) => group.figures.map((value) => [value.id, figureWords(value)])))
    // One CSC, two children, one parent: all small counts.
    expect(words).toMatchObject({ cscs: 'fewer than 5 (not shown)', 'csc-children': 'fewer than 5 (not shown)', responses: 'fewer than 5 (not shown)' })
    expect(figures.periods.map((period) => period.label)).toEqual(['2026-10', '2026-11', '2026-12'])
    expect(figures.parentsWords).toMatchObject([{ label: '2026 Q4', from: '2026-10-01', to: '2026-12-31', words: null }])
    const body = JSON.stringify(figures)
    for (const identifying of ['Diaz', 'Mia', csc.id, 'Dana', 'They listened']) expect(body).not.toContain(identifying)

    const csv = await api(lead, '/api/programme/figures.csv?from=2026-10-01&to=2026-12-31')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toContain('safetymap-programme-2026-10-01-to-2026-12-31.csv')
    expect(await csv.text()).toContain('All areas,Child safety conferences,Initial child safety conferences,,,,yes')
    expect((await refusal(await api(lead, '/api/programme/figures?from=2026-12-01&to=2026-01-01'), 400)).fields).toEqual({ from: 'The start must be on or before the end.' })

    // Whole months only: ranges a day apart, whose difference would be one day's conferences, give the same figures.
    const dayLater = await expectJson<ProgrammeFigures>(await api(lead, '/api/programme/figures?from=2026-10-02&to=2026-12-30&period=month'), 200)
    expect(dayLater.total).toMatchObject({ from: '2026-10-01', to: '2026-12-31' })
    expect(dayLater).toEqual(figures)
  })
})
