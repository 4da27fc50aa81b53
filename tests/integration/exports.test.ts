/**
 * The documents made from a record, end to end: a real server, a record filled in every part,
 * each document downloaded over HTTP as a member and parsed back (the .docx through its XML,
 * the PDF through its text, the JSON against the schema the server publishes).
 */
import { Validator } from '@cfworker/json-schema'
import { strFromU8, unzipSync } from 'fflate'
import { pdfText } from '../helpers/pdfText'
import { getSchema } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agendaFor, conferenceRecord, recordSnapshot, setPlainText, type RecordSnapshot } from '../../shared/conference'
import { professionalsOnlyPart } from '../../shared/conference/professionalsOnly'
import { writeScoringRound } from '../../shared/conference/scores'
import { EXPORT_DOCUMENT_INFO, EXPORT_DOCUMENTS, type ExportDocument, type SentDocument, type SentDocumentsResponse } from '../../shared/exports'
import type { Amendment } from '../../shared/api'
import { zonedTime } from '../../shared/programmes/deadlines'
import type { AuditEntry } from '../../server/audit/auditLog'
import type { ExportModel } from '../../server/exports/schema'
import { api, expectJson, inviteAndJoin, newProfessional, professionalIn, signedOutDevice, type Device } from '../helpers/devices'
import { createCsc, createTestConference, startTestServer, type TestServer } from '../helpers/server'
import { populateEveryPart } from '../fixtures/fullRecord'
import fs from 'node:fs/promises'
import path from 'node:path'
import { AUDIT_FILE } from '../../server/server'
import { readConfig } from '../../server/config'
import { FOR_PROFESSIONALS } from '../../server/http/exports'

const SECRET = 'Private session: third-party information the family must never see (fictional).'
const AMENDMENT = 'Amended after the meeting: Grandma can only stay on weekdays (fictional).'
/** A name with accents a Latin-1 PDF font could not print. */
const WORKER = 'Zoë Łukasiewicz-Þórsdóttir'
const DRAFT = 'Draft — not final yet'

let server: TestServer
let conferenceId: string
let worker: Device & { participantId: string }
let parent: Device
let outsider: Device
let snapshot: RecordSnapshot

beforeAll(async () => {
  server = await startTestServer()
  const conference = await createTestConference(server.admin, { title: 'Exports', date: '2025-03-14' })
  conferenceId = conference.id
  const professional = await professionalIn(server.admin, server.admin, conferenceId, { name: WORKER, email: 'zoe.exports@example.org', role: 'socialWorker' })
  worker = professional
  const invited = await inviteAndJoin(server.admin, conferenceId, { name: 'Jo Example', role: 'parentOrCarer' })
  parent = invited
  const parentId = invited.participantId
  outsider = await newProfessional(server.admin, { name: 'Not in it', email: 'outsider.exports@example.org' })
  await server.rooms.change(conferenceId, (room) => {
    populateEveryPart(conferenceRecord(room.doc), professional.participantId)
    writeScoringRound(room.doc, {
      id: 'round-overall',
      scale: { kind: 'overall' },
      openedAt: '2025-03-14T10:30:00.000Z',
      scored: [],
      revealedAt: '2025-03-14T10:40:00.000Z',
      scores: [
        { participantId: professional.participantId, name: WORKER, role: 'socialWorker', enteredBy: null, score: { value: 4, reason: 'A rota agreed in writing (fictional).', at: '2025-03-14T10:35:00.000Z' }, earlier: [] },
        {
          participantId: parentId,
          name: 'Jo Example',
          role: 'parentOrCarer',
          enteredBy: null,
          score: { value: 7, reason: 'Grandma helps already (fictional).', at: '2025-03-14T10:38:00.000Z' },
          earlier: [{ value: 5, reason: '', at: '2025-03-14T10:36:00.000Z' }],
        },
      ],
    })
    snapshot = recordSnapshot(room.doc)
  })
  await server.rooms.change(conferenceId, (room) => { setPlainText(professionalsOnlyPart(room.doc).privateSession, SECRET) }, 'professionalsOnly')
}, 60_000)

afterAll(async () => {
  await server.stop()
})

function exportPath(document: ExportDocument | 'sent', conference = conferenceId): string {
  return `/api/conferences/${conference}/exports/${document}`
}

async function download(device: Device, document: ExportDocument, conference = conferenceId): Promise<{ response: Response; bytes: Uint8Array }> {
  const response = await api(device, exportPath(document, conference))
  expect(response.status, `${document}: ${response.status}`).toBe(200)
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

/** Runs of whitespace as one space: line wrapping in a PDF must not matter. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ')
}

/** A part of a .docx, as XML. */
function docxXml(bytes: Uint8Array, part = 'word/document.xml'): string {
  const xml = unzipSync(bytes)[part]
  if (!xml) throw new Error(`no ${part} in the .docx`)
  return strFromU8(xml)
}

/** The text of a .docx, paragraph by paragraph (a line break in one as a new line), read from its XML. */
function docxText(bytes: Uint8Array, part = 'word/document.xml'): string {
  const decode = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
  return [...docxXml(bytes, part).matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map(([paragraph]) => [...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map(([tag, text]) => (tag === '<w:br/>' ? '\n' : decode(text ?? ''))).join(''))
    .join('\n')
}


/** Every piece of text the fixture wrote, line by line, from the record itself. */
function everyText(record: RecordSnapshot): string[] {
  const lines = (text: string): string[] => text.split('\n').map((line) => line.trim()).filter(Boolean)
  return [
    ...record.details.children.map((child) => child.fields.name),
    ...record.network.people.map((person) => person.fields.name),
    ...Object.values(record.map).flat().flatMap((entry) => lines(entry.text.text)),
    ...record.views.map((view) => view.fields.words),
    ...Object.values(record.childsVoice.houses).flatMap(lines),
    ...lines(record.involvement),
    ...record.dangerStatements.flatMap((pair) => [...lines(pair.text.dangerStatement), ...lines(pair.text.safetyGoal)]),
    record.overallScale.question,
    ...lines(record.contingency),
    ...record.decision.recommendations.flatMap((recommendation) => [recommendation.fields.professionalName, ...lines(recommendation.text.recommendation)]),
    ...lines(record.decision.familyView),
    ...lines(record.decision.rationale),
    ...lines(record.plan.immediateSafety),
    ...lines(record.plan.bottomLines),
    ...record.plan.timeline.flatMap((step) => lines(step.text.text)),
    ...record.plan.rules.flatMap((rule) => Object.values(rule.text).flatMap(lines)),
    ...lines(record.plan.howRecordedAndShown),
    ...record.actions.flatMap((action) => [...lines(action.text.what), action.fields.who]),
    ...record.coreGroup.members.map((member) => member.fields.name),
    ...record.coreGroup.nextMeetings.flatMap((meeting) => lines(meeting.fields.note)),
  ].filter((text) => text !== '')
}

/** What the minutes must hold: every section title in agenda order, every entry, the authors and the scale. */
function expectWholeMinutes(text: string): void {
  const minutes = flat(text)
  const titles = agendaFor(snapshot.details.kind).map((step, index) => `${index + 1}. ${step.title}`)
  const at = titles.map((title) => minutes.indexOf(title))
  expect(at.every((position) => position >= 0), `section titles: ${titles.filter((_title, index) => (at[index] ?? -1) < 0).join(', ')}`).toBe(true)
  expect([...at].sort((a, b) => a - b)).toEqual(at)
  const missing = everyText(snapshot).filter((line) => !minutes.includes(flat(line)))
  expect(missing).toEqual([])
  expect(minutes).toContain(`Written by ${WORKER} (Social worker)`)
  expect(minutes).toContain('View of Someone no longer listed: I’d put it differently')
  expect(minutes).toContain('Median 5.5 (lowest 4, highest 7; 2 scores)')
  // The overall scale: the question the chair asked, and no meaning made up for its 0 and 10.
  expect(minutes).toContain(flat(`Question asked: ${snapshot.overallScale.question}`))
  expect(minutes).not.toContain('Things are so bad')
  expect(minutes).toContain('A rota agreed in writing (fictional).')
  expect(minutes).not.toContain(SECRET)
}

/** The amendment is there, after the original text of the section it corrects. */
function expectAmendedAfterOriginal(text: string): void {
  const plain = flat(text)
  const original = plain.indexOf('Grandma (fictional) looks after Sam on late shifts from tonight.')
  expect(original).toBeGreaterThanOrEqual(0)
  expect(plain.indexOf(AMENDMENT)).toBeGreaterThan(original)
}

describe('a draft', () => {
  test('says "Draft — not final yet" on every page of each document, and in its file name', async () => {
    const pdf = await download(worker, 'minutes.pdf')
    expect(pdf.response.headers.get('content-disposition')).toBe('attachment; filename="conference-minutes-2025-03-14-draft.pdf"')
    const text = await pdfText(pdf.bytes)
    const pages = Math.max(...[...text.matchAll(/Page \d+ of (\d+)/g)].map(([, total]) => Number(total)))
    expect(pages).toBeGreaterThan(1)
    // The mark at the top of every page, and the status line on the first.
    expect(text.split(DRAFT).length - 1).toBe(pages + 1)

    const docx = await download(worker, 'minutes.docx')
    expect(docxText(docx.bytes, 'word/header1.xml')).toBe(DRAFT)
    const json = JSON.parse(strFromU8((await download(worker, 'record.json')).bytes)) as ExportModel
    expect(json.status).toEqual({ state: 'draft' })
    for (const document of ['family.html', 'child.html'] as const) {
      expect(strFromU8((await download(parent, document)).bytes)).toContain(`<p class="draft" role="note">${DRAFT}</p>`)
    }
  }, 40_000)
})

describe('a finalized record with an amendment', () => {
  beforeAll(async () => {
    await expectJson(await api(server.admin, `/api/conferences/${conferenceId}/finalize`, { method: 'POST' }), 200)
    await server.storage.amendments.put({
      id: 'amendment-1',
      conferenceId,
      participantId: 'someone',
      at: '2025-03-15T09:00:00.000Z',
      by: 'Jo Example',
      role: 'parentOrCarer',
      section: 'plan',
      text: AMENDMENT,
    })
  })

  test('the Word minutes hold every section in agenda order, every entry, who wrote it, the scale and the amendment after the original', async () => {
    const { response, bytes } = await download(worker, 'minutes.docx')
    expect(response.headers.get('content-type')).toBe(EXPORT_DOCUMENT_INFO['minutes.docx'].contentType)
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="conference-minutes-2025-03-14.docx"')
    const text = docxText(bytes)
    expectWholeMinutes(text)
    expectAmendedAfterOriginal(text)
    // Where the meeting was held (TIME_ZONE, Europe/London by default), never UTC.
    expect(text).toContain('Amendment by Jo Example (Parent or carer), 15 March 2025 at 09:00 GMT')
    expect(text).not.toContain('UTC')
    expect(text).not.toContain(DRAFT)
  })

  test('the PDF minutes hold the same, with names in accents', async () => {
    const { response, bytes } = await download(worker, 'minutes.pdf')
    expect(response.headers.get('content-type')).toBe('application/pdf')
    const text = await pdfText(bytes)
    expectWholeMinutes(text)
    expectAmendedAfterOriginal(text)
    expect(text).toContain(WORKER)
    expect(text).not.toContain(DRAFT)
  }, 30_000)

  test('the JSON validates against the schema the server publishes, and holds the amendment after the original', async () => {
    const schemaResponse = await api(signedOutDevice(server.url), '/api/exports/record.schema.json')
    expect(schemaResponse.status).toBe(200)
    const schema = (await schemaResponse.json()) as Record<string, unknown>
    const { response, bytes } = await download(worker, 'record.json')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="conference-record-2025-03-14.json"')
    const raw = strFromU8(bytes)
    const record = JSON.parse(raw) as ExportModel
    const verdict = new Validator(schema, '2020-12').validate(record)
    expect(verdict.errors).toEqual([])
    expect(verdict.valid).toBe(true)
    // The validator really checks: a record with a section the agenda does not have fails.
    expect(new Validator(schema, '2020-12').validate({ ...record, sections: [{ ...record.sections[0], id: 'gossip' }] }).valid).toBe(false)
    expect(record.status).toMatchObject({ state: 'final', by: 'Ada Admin' })
    expect(record.sections.map((section) => section.id)).toEqual(agendaFor(snapshot.details.kind).map((step) => step.id))
    expect(record.sections.find((section) => section.id === 'plan')?.amendments).toEqual([{ at: '2025-03-15T09:00:00.000Z', by: 'Jo Example (Parent or carer)', text: AMENDMENT }])
    expectAmendedAfterOriginal(raw)
    expect(raw).not.toContain(SECRET)
  })

  test('the family version (web page and PDF) and the child’s version, for the family', async () => {
    const familyHtml = strFromU8((await download(parent, 'family.html')).bytes)
    const familyPdf = await pdfText((await download(parent, 'family.pdf')).bytes)
    for (const family of [familyHtml, familyPdf]) {
      for (const heading of ['Your family’s plan', 'What was decided', 'What the worries are, and what needs to be true', 'Keeping the children safe from today', 'Who will do what', 'Who is helping', 'If things do not change']) expect(flat(family)).toContain(heading)
      expect(flat(family)).toContain(snapshot.dangerStatements[0]!.text.safetyGoal)
      expect(flat(family)).toContain('Find a registered childminder.')
      expectAmendedAfterOriginal(family)
      expect(flat(family)).toContain('Changed after the meeting: the plan')
      expect(flat(family)).toContain('By Jo Example (Parent or carer), 15 March 2025 at 09:00 GMT')
      expect(family).not.toContain(SECRET)
      expect(family).not.toContain(DRAFT)
    }
    const child = await download(parent, 'child.html')
    expect(child.response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const childHtml = strFromU8(child.bytes)
    for (const house of ['Your house of worries', 'Your house of good things', 'Your house of dreams', 'Sam&#39;s fictional worries.', 'Who will help', 'Jo Example (fictional)']) expect(childHtml).toContain(house)
    expect(childHtml).toContain('<svg')
    // No picture or file from anywhere else; its one link is "Leave quickly", to the neutral page here.
    expect(childHtml.replace('<a href="/weather.html" rel="noreferrer">Leave quickly</a>', '')).not.toMatch(/<img|src=|href=|url\(/)
    // The plan, and its correction, are for the adults.
    expect(childHtml).not.toContain('Grandma (fictional) looks after Sam')
    expect(childHtml).not.toContain(AMENDMENT)
    expect(childHtml).not.toContain(SECRET)
  }, 30_000)

  test('names people as they were when the record was closed: a role changed afterwards does not change a final document', async () => {
    const byline = `${WORKER} (Social worker)`
    const writtenBy = async (): Promise<(string | null)[]> => {
      const record = JSON.parse(strFromU8((await download(server.admin, 'record.json')).bytes)) as ExportModel
      return record.sections.flatMap((section) => section.parts.flatMap((part) => part.entries.map((entry) => entry.writtenBy)))
    }
    expect(await writtenBy()).toContain(byline)
    const person = `/api/conferences/${conferenceId}/people/${worker.participantId}`
    await expectJson(await api(server.admin, person, { method: 'PATCH', body: { role: 'chair' } }), 200)
    try {
      const after = await writtenBy()
      expect(after).toContain(byline)
      expect(after.join('\n')).not.toContain(`${WORKER} (Chair)`)
      expect(docxText((await download(server.admin, 'minutes.docx')).bytes)).not.toContain(`${WORKER} (Chair)`)
    } finally {
      await expectJson(await api(server.admin, person, { method: 'PATCH', body: { role: 'socialWorker' } }), 200)
    }
  })
})

describe('the time zone documents give times in', () => {
  test('is the server’s TIME_ZONE (Europe/London unless set; a name the server does not know stops it starting); the record for other systems says which', async () => {
    expect(readConfig({}).timeZone).toBe('Europe/London')
    expect(readConfig({ TIME_ZONE: 'America/Chicago' }).timeZone).toBe('America/Chicago')
    expect(() => readConfig({ TIME_ZONE: 'Mars/Olympus Mons' })).toThrow(/^Invalid environment: TIME_ZONE: not a time zone/)

    const hawaii = await startTestServer({ timeZone: 'Pacific/Honolulu' })
    try {
      const initial = await createTestConference(hawaii.admin, { kind: 'us-csc-follow-up', date: '2025-03-14' })
      const { conference } = await expectJson<ExportModel>(await api(hawaii.admin, `/api/conferences/${initial.id}/exports/record.json`), 200)
      expect(conference.timeZone).toBe('Pacific/Honolulu')
    } finally {
      await hawaii.stop()
    }
    const { conference } = await expectJson<ExportModel>(await api(worker, `/api/conferences/${conferenceId}/exports/record.json`), 200)
    expect(conference.timeZone).toBe('Europe/London')
  })

  test('a CSC started from a referral is held where the concern was raised: a document sent there at 8 in the evening was sent that day, though it was tomorrow in UTC', async () => {
    const csc = await createCsc(server.admin, { concernRaisedAt: '2025-03-12T09:30:00-05:00' }, '2025-03-14')
    const { conference } = await expectJson<ExportModel>(await api(server.admin, `/api/conferences/${csc.id}/exports/record.json`), 200)
    expect(conference.timeZone).toBe('America/Chicago')
    const sent = await api(server.admin, `/api/conferences/${csc.id}/exports/sent`, { method: 'POST', body: { document: 'family.pdf', to: 'The Diaz family, by email', at: '2025-03-15T01:00:00.000Z' } })
    expect((await expectJson<{ sent: SentDocument }>(sent, 201)).sent).toMatchObject({ sameDay: true, onTime: true })
  })

  test('a follow-up of that CSC is held where the first conference of its case was: a document sent at 9 in the evening on its day was sent that day', async () => {
    // Another family's CSC: the same one made again so soon would be taken for a repeat.
    const csc = await createCsc(server.admin, { concernRaisedAt: '2025-03-12T09:30:00-05:00', family: 'The Ortiz family' }, '2025-03-14')
    const created = await api(server.admin, '/api/conferences', { method: 'POST', body: { title: 'The Ortiz family follow-up', kind: 'us-csc-follow-up', date: '2025-03-24', role: 'chair', follows: csc.id } })
    const { conference: followUp } = await expectJson<{ conference: { id: string } }>(created, 201)
    const { conference } = await expectJson<ExportModel>(await api(server.admin, `/api/conferences/${followUp.id}/exports/record.json`), 200)
    expect(conference.timeZone).toBe('America/Chicago')
    // 9 PM CDT on 24 March is already the 25th in London.
    const sent = await api(server.admin, `/api/conferences/${followUp.id}/exports/sent`, { method: 'POST', body: { document: 'family.pdf', to: 'The Ortiz family, by email', at: '2025-03-25T02:00:00.000Z' } })
    expect((await expectJson<{ sent: SentDocument }>(sent, 201)).sent).toMatchObject({ sameDay: true })
  })
})

describe('a very long word', () => {
  // pdfkit's time to wrap a word wider than the line grew with its square: these 20,000
  // characters took 14 s, and every live meeting on the server waited. Now well under a second.
  test('20,000 characters pasted without a space (a link, a code) come out whole in the PDFs, on lines that fit, without holding up the server', async () => {
    const { id } = await createTestConference(server.admin, { title: 'A long link', date: '2025-03-14' })
    const word = `https://example.org/${'a1b2c3d4'.repeat(2_500)}`
    await server.rooms.change(id, (room) => { setPlainText(conferenceRecord(room.doc).contingency.text, word) })
    for (const document of ['minutes.pdf', 'family.pdf'] as const) {
      const response = await api(server.admin, `/api/conferences/${id}/exports/${document}`)
      expect(response.status).toBe(200)
      // The word's lines, without the page headers and footers between them.
      const lines = (await pdfText(new Uint8Array(await response.arrayBuffer()))).split('\n').map((line) => line.replace(/[\s\u200B]/g, ''))
      const wordLines = lines.filter((line) => /^(https:\/\/example\.org\/)?[a-d1-4]+$/.test(line))
      expect(wordLines.join('')).toBe(word)
      expect(wordLines.length).toBeGreaterThan(100)
    }
  }, 8_000)
})

describe('characters a document format cannot hold', () => {
  // A control character or U+FFFE can reach the record by paste or from a broken client: in
  // a .docx it made the XML ill-formed, and Word refused the whole file.
  test('every document is still made, and the Word file is well-formed XML that shows where such a character was; lines typed in one box stay lines', async () => {
    const { id } = await createTestConference(server.admin, { title: 'Odd characters', date: '2025-03-14' })
    await server.rooms.change(id, (room) => {
      const record = conferenceRecord(room.doc)
      setPlainText(record.contingency.text, 'Bell\u0007 and \uFFFE and \uD800 end')
      record.dangerStatements.add('someone', { text: { dangerStatement: 'A worry.', safetyGoal: 'First line of the goal\nSecond line of the goal' } })
    })
    for (const document of EXPORT_DOCUMENTS) await download(server.admin, document, id)
    const { bytes } = await download(server.admin, 'minutes.docx', id)
    const xml = docxXml(bytes)
    expect(xml).toMatch(/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u)
    const text = docxText(bytes)
    expect(text).toContain('Bell\uFFFD and \uFFFD and \uFFFD end')
    expect(text).toContain('Safety goal: First line of the goal\nSecond line of the goal')
  })
})

describe('a list typed with sub-points', () => {
  test('a sub-point stays set in under its point in the Word minutes and the family web page, and follows it in the PDFs', async () => {
    const { id } = await createTestConference(server.admin, { title: 'Sub-points', date: '2025-03-14' })
    const words = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] })
    const bullets = (...items: object[]) => ({ type: 'bulletList', content: items })
    await server.rooms.change(id, (room) => {
      prosemirrorJSONToYXmlFragment(getSchema([StarterKit]), {
        type: 'doc',
        content: [bullets({ type: 'listItem', content: [words('Mum'), bullets({ type: 'listItem', content: [words('goes to the parenting group')] })] }, { type: 'listItem', content: [words('Dad')] })],
      }, conferenceRecord(room.doc).contingency.text)
    })
    const paragraphXml = (xml: string, text: string): string => [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([paragraph]) => paragraph).find((paragraph) => paragraph.includes(text)) ?? ''
    const xml = docxXml((await download(server.admin, 'minutes.docx', id)).bytes)
    expect(paragraphXml(xml, '• Mum')).not.toContain('<w:ind')
    expect(paragraphXml(xml, '• goes to the parenting group')).toMatch(/<w:ind w:left="360"\/>/)
    expect(strFromU8((await download(server.admin, 'family.html', id)).bytes)).toContain('<p class="body" style="padding-left: 1.5rem">• goes to the parenting group</p>')
    for (const document of ['minutes.pdf', 'family.pdf'] as const) {
      const text = flat(await pdfText((await download(server.admin, document, id)).bytes))
      expect(text).toContain('• Mum • goes to the parenting group • Dad')
    }
  })
})

describe('who may download what', () => {
  test('the family gets the family and child versions; the professional documents answer 403; an outsider gets 404 for all; nobody signed out gets anything', async () => {
    expect(EXPORT_DOCUMENTS.filter((document) => EXPORT_DOCUMENT_INFO[document].opensInBrowser)).toEqual(['family.html', 'child.html'])
    for (const document of EXPORT_DOCUMENTS) {
      const professionalOnly = EXPORT_DOCUMENT_INFO[document].needs === 'seeProfessionalsOnly'
      const asParent = await api(parent, exportPath(document))
      expect([document, asParent.status]).toEqual([document, professionalOnly ? 403 : 200])
      // A parent who opens a link to the minutes is told why, and where to get them: not a bare "not allowed".
      if (professionalOnly) {
        expect(await asParent.clone().json()).toMatchObject({ error: { code: 'not-allowed', message: FOR_PROFESSIONALS } })
        expect(FOR_PROFESSIONALS).toMatch(/family’s plan.*ask the social worker/)
      }
      // File names carry the date, never the family's name. The web pages open in the browser,
      // as a sandbox that may load nothing and run nothing.
      const info = EXPORT_DOCUMENT_INFO[document]
      if (!professionalOnly) expect(asParent.headers.get('content-disposition')).toBe(`${info.opensInBrowser ? 'inline' : 'attachment'}; filename="${info.fileStem}-2025-03-14.${info.extension}"`)
      if (info.opensInBrowser) expect(asParent.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*; sandbox$/)
      await asParent.arrayBuffer()
      expect([document, (await api(outsider, exportPath(document))).status]).toEqual([document, 404])
      expect([document, (await api(signedOutDevice(server.url), exportPath(document))).status]).toEqual([document, 401])
    }
  }, 30_000)
})

describe('who each document was sent to', () => {
  test('professionals record it; the list says same day, on time or late against the minutes’ timescale (the day, at most 3 days after); it is audited', async () => {
    const send = (device: Device, body: unknown): Promise<Response> => api(device, exportPath('sent'), { method: 'POST', body })
    const sameDay = await expectJson<{ sent: SentDocument }>(await send(worker, { document: 'family.pdf', to: 'Jo Example, by email', at: '2025-03-14T17:00:00.000Z' }), 201)
    expect(sameDay.sent).toMatchObject({ document: 'family.pdf', to: 'Jo Example, by email', recordedBy: WORKER, sameDay: true, onTime: true })
    await expectJson(await send(worker, { document: 'minutes.pdf', to: 'The school (fictional)', at: '2025-03-16T10:00:00.000Z' }), 201)
    await expectJson(await send(worker, { document: 'minutes.docx', to: 'The health visitor (fictional)', at: '2025-03-17T23:00:00.000Z' }), 201)
    await expectJson(await send(worker, { document: 'minutes.docx', to: 'The GP (fictional)', at: '2025-03-18T00:00:01.000Z' }), 201)

    const list = await expectJson<SentDocumentsResponse>(await api(worker, exportPath('sent')), 200)
    expect(list.dueBy).toBe('2025-03-17')
    expect(list.sent.map((sent) => [sent.to, sent.sameDay, sent.onTime, sent.early])).toEqual([
      ['Jo Example, by email', true, true, false],
      ['The school (fictional)', false, true, false],
      ['The health visitor (fictional)', false, true, false],
      ['The GP (fictional)', false, false, false],
    ])
    // Before the meeting is neither on time nor late (the meeting moved to a later day after it was sent, or a mistyped year).
    const early = await expectJson<{ sent: SentDocument }>(await send(worker, { document: 'minutes.pdf', to: 'The school (fictional)', at: '2025-03-13T12:00:00.000Z' }), 201)
    expect(early.sent).toMatchObject({ sameDay: false, onTime: false, early: true })

    expect((await send(parent, { document: 'family.pdf', to: 'Myself' })).status).toBe(403)
    expect((await api(parent, exportPath('sent'))).status).toBe(403)
    expect((await send(outsider, { document: 'family.pdf', to: 'Someone' })).status).toBe(404)
    const invalid = await send(worker, { document: 'gossip.txt', to: '', at: '2999-01-01T00:00:00.000Z' })
    expect(invalid.status).toBe(400)
    expect((await send(worker, { document: 'family.pdf', to: 'Jo', at: '2999-01-01T00:00:00.000Z' })).status).toBe(400)

    const audit = (await fs.readFile(path.join(server.dataDir, AUDIT_FILE), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry)
    expect(audit.filter((entry) => entry.action === 'document-sent' && entry.conferenceId === conferenceId)).toHaveLength(5)
    expect(audit.some((entry) => entry.action === 'record-downloaded' && entry.details?.document === 'minutes.docx')).toBe(true)
  })
})

describe('which version of the record was sent', () => {
  test('minutes downloaded and sent while the record is open stay a draft after the chair closes it; ones sent after closing are the final record, named by its hash; old sendings are unknown', async () => {
    const conference = await createTestConference(server.admin, { title: 'Sent versions', date: '2025-03-14' })
    const sentPath = exportPath('sent', conference.id)
    const send = async (body: unknown): Promise<SentDocument> => (await expectJson<{ sent: SentDocument }>(await api(server.admin, sentPath, { method: 'POST', body }), 201)).sent
    const listed = async (): Promise<[string, SentDocument['status']][]> => (await expectJson<SentDocumentsResponse>(await api(server.admin, sentPath), 200)).sent.map((sent) => [sent.to, sent.status])

    const draft = await download(server.admin, 'minutes.pdf', conference.id)
    expect(draft.response.headers.get('content-disposition')).toBe('attachment; filename="conference-minutes-2025-03-14-draft.pdf"')
    expect((await send({ document: 'minutes.pdf', to: 'Mum, by email' })).status).toEqual({ state: 'draft' })

    const { finalization } = await expectJson<{ finalization: { at: string; hash: string } }>(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    // Recorded after closing, but sent before it: that was a draft too.
    const beforeClosing = new Date(Date.parse(finalization.at) - 60_000).toISOString()
    expect((await send({ document: 'minutes.docx', to: 'Dad, by email', at: beforeClosing })).status).toEqual({ state: 'draft' })
    expect((await send({ document: 'minutes.pdf', to: 'Mum, by post' })).status).toEqual({ state: 'final', hash: finalization.hash })
    // Stored before the version was kept: neither draft nor final.
    await server.storage.sentDocuments.put({ id: 'sent-before-versions', conferenceId: conference.id, document: 'minutes.pdf', to: 'Gran, by hand', at: '2025-03-15T09:00:00.000Z', recordedBy: 'Someone', recordedById: 'participant-x', recordedAt: '2025-03-15T09:05:00.000Z' })

    expect(await listed()).toEqual([
      ['Gran, by hand', { state: 'unknown' }],
      ['Dad, by email', { state: 'draft' }],
      ['Mum, by email', { state: 'draft' }],
      ['Mum, by post', { state: 'final', hash: finalization.hash }],
    ])
    const audit = (await fs.readFile(path.join(server.dataDir, AUDIT_FILE), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry)
    expect(audit.filter((entry) => entry.action === 'document-sent' && entry.conferenceId === conference.id).map((entry) => entry.details?.state)).toEqual(['draft', 'draft', 'final'])
  }, 40_000)

  test('final minutes sent before a correction was added are listed as sent before it; the draft is not, and the corrected minutes sent again are another sending', async () => {
    const conference = await createTestConference(server.admin, { title: 'Sent before a correction', date: '2025-03-14' })
    const sentPath = exportPath('sent', conference.id)
    const send = async (body: unknown): Promise<void> => { await expectJson(await api(server.admin, sentPath, { method: 'POST', body }), 201) }
    const correct = async (text: string): Promise<void> => {
      await expectJson(await api(server.admin, `/api/conferences/${conference.id}/amendments`, { method: 'POST', body: { section: 'plan', text } }), 201)
    }
    const listed = async (): Promise<[string, string, SentDocument['correctedSince']][]> =>
      (await expectJson<SentDocumentsResponse>(await api(server.admin, sentPath), 200)).sent.map((sent) => [sent.to, sent.status.state, sent.correctedSince])

    await send({ document: 'minutes.pdf', to: 'Dad, by email' })
    await expectJson(await api(server.admin, `/api/conferences/${conference.id}/finalize`, { method: 'POST' }), 200)
    await send({ document: 'minutes.pdf', to: 'Mum, by email' })
    expect((await listed()).map(([, , since]) => since)).toEqual([null, null])
    await correct('Mum will take the children to school on Mondays.')
    await send({ document: 'minutes.pdf', to: 'Mum, by email' })
    await correct('Gran will collect them on Fridays.')
    // The day of each correction where the meeting was held (the server's TIME_ZONE, Europe/London).
    const { amendments } = await expectJson<{ amendments: Amendment[] }>(await api(server.admin, `/api/conferences/${conference.id}/amendments`), 200)
    const [first, second] = amendments.map((amendment) => zonedTime(new Date(amendment.at), 'Europe/London').date)
    expect(await listed()).toEqual([
      ['Dad, by email', 'draft', null],
      ['Mum, by email', 'final', { count: 2, firstOn: first }],
      ['Mum, by email', 'final', { count: 1, firstOn: second }],
    ])
  }, 40_000)
})
