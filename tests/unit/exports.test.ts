import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getSchema } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { agendaFor, CONFERENCE_KINDS, conferenceRecord, plainText, recordSnapshot, seedOrigin, setPlainText, type ConferenceKind } from '../../shared/conference'
import { writeScoringRound, type ScoringRound } from '../../shared/conference/scores'
import type { CarriedPair, CarriedPairVersion } from '../../shared/conference/dangerStatements'
import { pairViewedWords } from '../../shared/conference/views'
import { minutesBlocks } from '../../server/exports/minutes'
import { EARLIER_CONFERENCE_AUTHOR } from '../../shared/conference/details'
import { REFERRAL_AUTHOR } from '../../shared/programmes/referral'
import { buildExportModel, partOf, sectionOf, type AmendmentInput, type ExportInput, type ExportPerson } from '../../server/exports/model'
import { exportModelSchema } from '../../server/exports/schema'
import { familyBlocks } from '../../server/exports/family'
import { renderChildHtml } from '../../server/exports/child'
import { paragraphs, scaleMeaningLines, scorerWords, type Block } from '../../server/exports/blocks'
import { htmlBlocks } from '../../server/exports/html'
import { renderDocument } from '../../server/exports/documents'
import { glossaryTerm } from '../../shared/glossary'
import { populateEveryPart } from '../fixtures/fullRecord'
import { pdfText } from '../helpers/pdfText'

const PEOPLE = new Map<string, ExportPerson>([
  ['p-chair', { name: 'Zoë Łukasiewicz', role: 'chair' }],
  // The fixture's view on past harm is hers.
  ['fixture-parent', { name: 'Jo Example', role: 'parentOrCarer' }],
  ['p-worker', { name: 'Pat Sample', role: 'socialWorker' }],
])

function fixtureDoc(kind: ConferenceKind = 'uk-initial'): Y.Doc {
  const doc = new Y.Doc()
  const record = conferenceRecord(doc)
  populateEveryPart(record, 'p-chair')
  record.details.update({ kind }, seedOrigin)
  return doc
}

/** One version of a carried pair: "<words> worry." and "<words> goal."; the chair's, after new harm, or as first carried. */
function pairVersion(words: string, at: string, newHarm: CarriedPairVersion['newHarm']): CarriedPairVersion {
  return { dangerStatement: `${words} worry.`, safetyGoal: `${words} goal.`, at, by: newHarm ? 'Zoë Łukasiewicz' : null, newHarm }
}

/** A pair carried forward from the initial conference held on `fromDate`. */
function carriedPair(fromDate: string, versions: CarriedPairVersion[]): CarriedPair {
  return { id: 'pair-1', position: 0, from: { conferenceId: 'conference-0', title: 'Initial conference', date: fromDate }, versions }
}

function modelOf(doc: Y.Doc, amendments: readonly AmendmentInput[] = [], more: Partial<ExportInput> = {}) {
  return buildExportModel({
    conferenceId: 'conference-1',
    snapshot: recordSnapshot(doc),
    people: PEOPLE,
    amendments,
    finalization: null,
    generatedAt: '2025-03-14T12:00:00.000Z',
    timeZone: 'Europe/London',
    ...more,
  })
}

const revealedRound: ScoringRound = {
  id: 'round-1',
  scale: { kind: 'overall' },
  openedAt: '2025-03-14T10:30:00.000Z',
  scored: [],
  revealedAt: '2025-03-14T10:40:00.000Z',
  scores: [
    { participantId: 'p-mum', name: 'Jo Example', role: 'parentOrCarer', enteredBy: null, score: { value: 7, reason: 'Grandma is helping', at: '2025-03-14T10:35:00.000Z' }, earlier: [] },
    { participantId: null, name: 'Nan', role: null, enteredBy: 'Nell Note-taker', score: { value: 4, reason: 'Not sure yet', at: '2025-03-14T10:36:00.000Z' }, earlier: [] },
  ],
}

describe('the export model', () => {
  test.each(CONFERENCE_KINDS)('has every section in the agenda order of a %s, and validates against its schema', (kind) => {
    const model = modelOf(fixtureDoc(kind))
    expect(model.sections.map((section) => section.id)).toEqual(agendaFor(kind).map((step) => step.id))
    expect(model.sections.map((section) => section.title)).toEqual(agendaFor(kind).map((step) => step.title))
    expect(exportModelSchema.safeParse(model).success).toBe(true)
  })

  test('the map’s parts come in the board’s order: a review starts with what is working well', () => {
    const partsOfMap = (kind: ConferenceKind): string[] => sectionOf(modelOf(fixtureDoc(kind)), 'map').parts.map((part) => part.title)
    expect(partsOfMap('uk-review')).toEqual([
      'Existing strengths (What\'s working well?)',
      'Existing safety (What\'s working well?)',
      'Past harm (What are we worried about?)',
      'Danger statements (What are we worried about?)',
      'Complicating factors (What are we worried about?)',
      'Safety goals (What needs to happen?)',
      'Family goals (What needs to happen?)',
      'Next steps (What needs to happen?)',
    ])
    expect(partsOfMap('uk-initial').slice(0, 4)).toEqual(['Past harm (What are we worried about?)', 'Danger statements (What are we worried about?)', 'Complicating factors (What are we worried about?)', 'Existing strengths (What\'s working well?)'])
    // The minutes print them in that order.
    const headings = minutesBlocks(modelOf(fixtureDoc('uk-review'))).flatMap((block) => (block.kind === 'heading' && block.level === 3 ? [block.text] : []))
    expect(headings.indexOf('Existing strengths (What\'s working well?)')).toBeLessThan(headings.indexOf('Past harm (What are we worried about?)'))
  })

  test('says who wrote each entry, by name and role; someone no longer listed is said so, never an id', () => {
    const doc = fixtureDoc()
    const record = conferenceRecord(doc)
    const pastHarm = record.map.section('pastHarm').entries()[0]!
    pastHarm.update('fixture-parent', { parked: true })
    record.map.section('complicatingFactors').add('someone-removed', { text: { text: 'Written by a stranger' } })
    const model = modelOf(doc)
    const entries = partOf(model, 'map', 'map.pastHarm')!.entries
    expect(entries[0]).toMatchObject({ writtenBy: 'Zoë Łukasiewicz (Chair)', changedBy: 'Jo Example (Parent or carer)', text: 'Fictional pastHarm entry.\nSecond line.' })
    expect(partOf(model, 'map', 'map.complicatingFactors')!.entries.at(-1)).toMatchObject({ writtenBy: 'Someone no longer listed', text: 'Written by a stranger' })
    // Text the meeting wrote together has no single author.
    expect(partOf(model, 'contingency', 'contingency')!.entries[0]).toMatchObject({ writtenBy: null })
  })

  test('names the chair as a US child safety conference names them: the facilitator', () => {
    const model = modelOf(fixtureDoc('us-csc-initial'))
    expect(partOf(model, 'map', 'map.pastHarm')!.entries[0]).toMatchObject({ writtenBy: 'Zoë Łukasiewicz (Facilitator)' })
  })

  test('puts each view beside the entry it is about, with its stance and words', () => {
    const doc = fixtureDoc()
    const record = conferenceRecord(doc)
    const entry = record.map.section('pastHarm').entries()[0]!
    record.views.give('p-worker', entry.id, { stance: 'agree', words: '', about: '' })
    const model = modelOf(doc)
    // Oldest first: the fixture's view from the family, then the social worker's.
    expect(partOf(model, 'map', 'map.pastHarm')!.entries[0]!.views).toEqual([
      { by: 'Jo Example (Parent or carer)', at: expect.any(String) as string, stance: 'I’d put it differently', text: 'It happened once, not every week (fictional).', earlierWords: null },
      { by: 'Pat Sample (Social worker)', at: expect.any(String) as string, stance: 'I agree', text: '', earlierWords: null },
    ])
    expect(partOf(model, 'map', 'map.familyGoals')!.entries[0]!.views).toEqual([])
    const blocks = minutesBlocks(model)
    const entryAt = blocks.findIndex((block) => block.kind === 'paragraph' && block.text === 'Second line.')
    const views = blocks.flatMap((block, at) => (block.kind === 'paragraph' && block.style === 'view' ? [[at, block.text] as const] : []))
    expect(views.map(([, text]) => text)).toEqual([
      'View of Jo Example (Parent or carer): I’d put it differently. It happened once, not every week (fictional).',
      'View of Pat Sample (Social worker): I agree',
    ])
    // Right after the entry and its byline.
    expect(views[0]![0]).toBe(entryAt + 2)
  })

  test('a view given before the words changed says, in the minutes, what they were when it was given', () => {
    const doc = fixtureDoc()
    const record = conferenceRecord(doc)
    const entry = record.map.section('pastHarm').entries()[0]!
    record.views.give('p-worker', entry.id, { stance: 'agree', words: '', about: plainText(entry.richText('text')) })
    setPlainText(entry.richText('text'), 'Dad hit Sam every week (fictional).')
    const pairs = record.dangerStatements
    const pair = pairs.add('p-chair', { text: { dangerStatement: 'Sam could be hurt.', safetyGoal: 'Sam is safe at home.' } })
    record.views.give('fixture-parent', pair.id, { stance: 'agree', words: '', about: pairViewedWords({ dangerStatement: 'Sam could be hurt.', safetyGoal: 'Sam is safe at home.' }) })
    const model = modelOf(doc)
    // Both views on the map entry were given on the fixture's two lines, shown on one.
    expect(partOf(model, 'map', 'map.pastHarm')!.entries[0]!.views.map((view) => view.earlierWords)).toEqual(['Fictional pastHarm entry.\nSecond line.', 'Fictional pastHarm entry.\nSecond line.'])
    expect(partOf(model, 'dangerStatements', 'pairs')!.entries.at(-1)!.views.map((view) => view.earlierWords)).toEqual([null])
    expect(minutesBlocks(model).filter((block) => block.kind === 'paragraph' && block.style === 'view').map((block) => block.kind === 'paragraph' && block.text)).toEqual([
      'View of Jo Example (Parent or carer): I’d put it differently. It happened once, not every week (fictional).',
      'Given when it said: “Fictional pastHarm entry. Second line.”',
      'View of Pat Sample (Social worker): I agree',
      'Given when it said: “Fictional pastHarm entry. Second line.”',
      'View of Jo Example (Parent or carer): I agree',
    ])

    // The safety goal is half of what a view on a pair is about.
    setPlainText(pair.richText('safetyGoal'), 'Sam is safe at home and at school.')
    expect(partOf(modelOf(doc), 'dangerStatements', 'pairs')!.entries.at(-1)!.views.map((view) => view.earlierWords)).toEqual(['Sam could be hurt. / Sam is safe at home.'])
  })

  test('an amendment goes after the original section it corrects, which stays as it was, in the minutes and the family version', () => {
    const doc = fixtureDoc()
    const amendment: AmendmentInput = { at: '2025-03-15T09:00:00.000Z', by: 'Jo Example', role: 'parentOrCarer', section: 'plan', text: 'Grandma can only stay on weekdays.' }
    const model = modelOf(doc, [amendment])
    expect(sectionOf(model, 'plan').amendments).toEqual([{ at: amendment.at, by: 'Jo Example (Parent or carer)', text: amendment.text }])
    expect(model.sections.filter((section) => section.id !== 'plan').every((section) => section.amendments.length === 0)).toBe(true)
    expect(partOf(model, 'plan', 'immediateSafety')!.entries[0]!.text).toBe('Grandma (fictional) looks after Sam on late shifts from tonight.')

    for (const blocks of [minutesBlocks(model), familyBlocks(model)]) {
      const texts = blocks.map((block) => ('text' in block ? block.text : ''))
      const original = texts.indexOf('Grandma (fictional) looks after Sam on late shifts from tonight.')
      const amended = texts.indexOf('Grandma can only stay on weekdays.')
      expect(original).toBeGreaterThan(-1)
      expect(amended).toBeGreaterThan(original)
    }
    // In the minutes, after the whole plan section and before the next one.
    const minutes = minutesBlocks(model)
    const amendedAt = minutes.findIndex((block) => block.kind === 'paragraph' && block.text === amendment.text)
    const nextSectionAt = minutes.findIndex((block) => block.kind === 'heading' && block.level === 2 && block.text.endsWith('Actions'))
    const lastPlanText = minutes.findIndex((block) => block.kind === 'paragraph' && block.text === 'A picture version for Sam and a family group chat (fictional).')
    expect(amendedAt).toBeGreaterThan(lastPlanText)
    expect(amendedAt).toBeLessThan(nextSectionAt)
  })

  test('the family version puts each correction under a heading of its own naming the part it corrects, and says so of parts it leaves out', async () => {
    const at = '2025-03-15T09:00:00.000Z'
    const corrections: AmendmentInput[] = [
      { at, by: 'Zoë Łukasiewicz', role: 'chair', section: 'decision', text: 'The plan starts on Monday, not today.' },
      { at, by: 'Jo Example', role: 'parentOrCarer', section: 'map', text: 'Grandad no longer drives: he cannot do the school run.' },
      { at, by: 'Pat Sample', role: 'socialWorker', section: 'family', text: 'Nan’s surname is Smith.' },
      { at, by: 'Pat Sample', role: 'socialWorker', section: 'scales', text: 'The health visitor’s score was 6.' },
    ]
    const model = modelOf(fixtureDoc(), corrections)
    const texts = familyBlocks(model).map((block) => ('text' in block ? block.text : ''))
    const headed = (text: string): string[] => texts.slice(texts.indexOf(text) - 2, texts.indexOf(text) + 1)
    // Not straight after the family's own words, as if it changed them.
    expect(headed('The plan starts on Monday, not today.')).toEqual([
      'Changed after the meeting: what was decided',
      'By Zoë Łukasiewicz (Chair), 15 March 2025 at 09:00 GMT:',
      'The plan starts on Monday, not today.',
    ])
    expect(texts.indexOf('Changed after the meeting: what was decided')).toBeGreaterThan(texts.indexOf('What your family said about it'))
    // A correction to the map may be about a worry: it is not put under "What is going well".
    expect(headed('Grandad no longer drives: he cannot do the school run.')[0]).toBe('Changed after the meeting: what people are worried about and what is going well')
    // Parts the family version leaves out: the corrections are in the minutes; here, one line that they exist and whom to ask.
    expect(texts).not.toContain('Nan’s surname is Smith.')
    expect(texts).not.toContain('The health visitor’s score was 6.')
    expect(texts).toContain(
      'Something in the full minutes was changed after the meeting, about who is in the family and network and the safety scores. It is not part of this plan. Ask your social worker or the chair what was changed.',
    )
    // The web page is made from the same blocks.
    expect(String(await renderDocument('family.html', model))).toContain('Changed after the meeting: what was decided')
    // With no corrections, none of these headings.
    expect(familyBlocks(modelOf(fixtureDoc())).filter((block) => 'text' in block && block.text.startsWith('Changed after the meeting'))).toEqual([])
  })

  test('gives times where the conference was held, never in UTC: summer time in the UK, US time in the US', () => {
    const byline = (model: ReturnType<typeof modelOf>, blocks: (model: ReturnType<typeof modelOf>) => Block[]): string | undefined =>
      blocks(model).map((block) => ('text' in block ? block.text : '')).find((text) => /\bby Jo Example \(Parent or carer\)/i.test(text))
    // 23:30 UTC on 14 July is half past midnight on the 15th in London.
    const summer: AmendmentInput = { at: '2025-07-14T23:30:00.000Z', by: 'Jo Example', role: 'parentOrCarer', section: 'plan', text: 'Grandma can only stay on weekdays.' }
    const uk = modelOf(fixtureDoc(), [summer])
    expect(uk.conference.timeZone).toBe('Europe/London')
    expect(byline(uk, minutesBlocks)).toBe('Amendment by Jo Example (Parent or carer), 15 July 2025 at 00:30 BST')
    expect(byline(uk, familyBlocks)).toBe('By Jo Example (Parent or carer), 15 July 2025 at 00:30 BST:')
    const winter = modelOf(fixtureDoc(), [{ ...summer, at: '2025-01-14T09:05:00.000Z' }])
    expect(byline(winter, minutesBlocks)).toBe('Amendment by Jo Example (Parent or carer), 14 January 2025 at 09:05 GMT')

    const referral = { concernRaisedAt: '2025-07-14T09:30:00-05:00', timeZone: 'America/Chicago', holdBy: '2025-07-17T14:30:00.000Z', afterRemoval: false, serviceArea: 'Eastern', facilitator: { name: 'Frankie Facilitator', organisation: 'Linn County Family Mediation', independent: true } }
    const csc = modelOf(fixtureDoc('us-csc-initial'), [summer], { referral, timeZone: 'America/Chicago' })
    expect(csc.conference.timeZone).toBe('America/Chicago')
    expect(byline(csc, minutesBlocks)).toBe('Amendment by Jo Example (Parent or carer), July 14, 2025 at 6:30 PM CDT')
    expect(exportModelSchema.safeParse(csc).success).toBe(true)
  })

  test('a carried pair’s change is dated by the day it was where the conference was held, not the UTC day', () => {
    // 23:30 UTC on 14 July is half past midnight on the 15th in London, still the 14th in Chicago.
    const carried = carriedPair('2025-03-14', [
      pairVersion('A', '2025-03-14T11:00:00.000Z', null),
      pairVersion('A new', '2025-07-14T23:30:00.000Z', { what: 'A new injury.', when: 'Last night' }),
    ])
    const changedOn = (model: ReturnType<typeof modelOf>): string | undefined =>
      partOf(model, 'dangerStatements', 'pairs')!.entries[0]!.details.find((detail) => detail.label.startsWith('Changed on'))?.label
    expect(changedOn(modelOf(fixtureDoc('uk-review'), [], { carriedForward: [carried] }))).toBe('Changed on 15 July 2025 by Zoë Łukasiewicz')
    expect(changedOn(modelOf(fixtureDoc('us-csc-follow-up'), [], { carriedForward: [carried], timeZone: 'America/Chicago' }))).toBe('Changed on July 14, 2025 by Zoë Łukasiewicz')
  })

  test('the minutes spell out every day as they spell the meeting’s own (UK and US), not as the record stores it', () => {
    const carried = carriedPair('2024-12-09', [
      pairVersion('A', '2024-12-09T11:00:00.000Z', null),
      pairVersion('A new', '2025-03-14T10:10:00.000Z', { what: 'A new injury.', when: 'Last week' }),
    ])
    const details = (kind: ConferenceKind): string[] =>
      minutesBlocks(modelOf(fixtureDoc(kind), [], { carriedForward: [carried] })).flatMap((block) => (block.kind === 'detail' ? [`${block.label}: ${block.value}`] : []))
    const uk = details('uk-review')
    expect(uk).toEqual(expect.arrayContaining([
      'Date: 14 March 2025',
      'By when: 21 March 2025',
      'By when: No date agreed',
      'Date: 4 April 2025',
      'Date: To be booked',
      'Carried forward from: Initial conference (9 December 2024)',
      'Changed on 14 March 2025 by Zoë Łukasiewicz: after new harm: A new injury. (Last week). Changed to: A new worry. / A new goal.',
    ]))
    expect(details('us-csc-follow-up')).toEqual(expect.arrayContaining(['By when: March 21, 2025', 'Carried forward from: Initial conference (December 9, 2024)']))
    expect(uk.filter((line) => /\d{4}-\d{2}-\d{2}/.test(line))).toEqual([])
  })

  test('a carried pair changed twice keeps every version’s words, the middle one too, as the board lists them', () => {
    const carried = carriedPair('2024-12-09', [
      pairVersion('First', '2024-12-09T11:00:00.000Z', null),
      pairVersion('Middle', '2025-01-20T10:00:00.000Z', { what: 'A bruise.', when: 'Last week' }),
      pairVersion('Latest', '2025-03-14T10:10:00.000Z', { what: 'A burn.', when: 'Last week' }),
    ])
    const model = modelOf(fixtureDoc('uk-review'), [], { carriedForward: [carried] })
    const entry = partOf(model, 'dangerStatements', 'pairs')!.entries[0]!
    expect(entry.text).toBe('Latest worry.')
    expect(entry.details).toEqual([
      { label: 'Safety goal', value: 'Latest goal.' },
      { label: 'Carried forward from', value: 'Initial conference (9 December 2024)' },
      { label: 'As first agreed', value: 'First worry. / First goal.' },
      { label: 'Changed on 20 January 2025 by Zoë Łukasiewicz', value: 'after new harm: A bruise. (Last week). Changed to: Middle worry. / Middle goal.' },
      { label: 'Changed on 14 March 2025 by Zoë Łukasiewicz', value: 'after new harm: A burn. (Last week). Changed to: Latest worry. / Latest goal.' },
    ])
    // In the minutes, and in record.json.
    const minutes = minutesBlocks(model).flatMap((block) => (block.kind === 'detail' ? [block.value] : []))
    expect(minutes.filter((value) => value.includes('Middle worry.') && value.includes('Middle goal.'))).toHaveLength(1)
    expect(JSON.stringify(model)).toContain('Middle worry. / Middle goal.')
  })

  test('shows revealed scores with the median, and nothing of a round not yet revealed', () => {
    const doc = fixtureDoc()
    writeScoringRound(doc, revealedRound)
    writeScoringRound(doc, { ...revealedRound, id: 'round-2', openedAt: '2025-03-14T10:50:00.000Z', scored: [revealedRound.scores[0]!], revealedAt: null, scores: [] })
    const scales = sectionOf(modelOf(doc), 'scales').scales
    expect(scales).toHaveLength(1)
    expect(scales[0]).toMatchObject({
      title: 'Overall safety scale',
      summary: { count: 2, lowest: 4, highest: 7, median: 5.5 },
      scores: [
        { name: 'Jo Example', role: 'Parent or carer', value: 7, reason: 'Grandma is helping', enteredBy: null },
        { name: 'Nan', role: null, value: 4, enteredBy: 'Nell Note-taker' },
      ],
    })
    // Named the same way in the Word and PDF minutes, with no stray space before the comma.
    expect(scales[0]!.scores.map(scorerWords)).toEqual(['Jo Example (Parent or carer)', 'Nan, typed in by Nell Note-taker'])
  })

  test('the overall scale says what people were asked, the chair’s own question, and invents no meaning for its 0 and 10', () => {
    const doc = fixtureDoc()
    writeScoringRound(doc, revealedRound)
    const model = modelOf(doc)
    const [overall] = sectionOf(model, 'scales').scales
    expect(overall).toMatchObject({ question: 'Fictional scale question: where are things today, from 0 to 10?', zero: null, ten: null })
    expect(scaleMeaningLines(overall!)).toEqual([{ label: 'Question asked', value: 'Fictional scale question: where are things today, from 0 to 10?' }])
    expect(JSON.stringify(model)).not.toMatch(/Things are so bad|safe enough for the case to close/)
    expect(exportModelSchema.safeParse(model).success).toBe(true)
    // A danger statement's scale keeps its own words for 0 and 10.
    const pair = conferenceRecord(doc).dangerStatements.entries()[0]!
    writeScoringRound(doc, { ...revealedRound, id: 'round-pair', scale: { kind: 'dangerStatement', pairId: pair.id }, openedAt: '2025-03-14T10:50:00.000Z' })
    const pairScale = sectionOf(modelOf(doc), 'scales').scales[1]!
    expect(pairScale.question).toBeNull()
    expect(scaleMeaningLines(pairScale)).toEqual([
      { label: '0 means', value: 'Everyone is worried that Sam (fictional) could be left alone at night again and be hurt.' },
      { label: '10 means', value: 'Sam is always looked after by an adult everyone agrees on when Mum works late.' },
    ])
  })

  test('a draft says so; a final record says when and by whom', () => {
    const doc = fixtureDoc()
    expect(modelOf(doc).status).toEqual({ state: 'draft' })
    const final = buildExportModel({
      conferenceId: 'conference-1',
      snapshot: recordSnapshot(doc),
      people: PEOPLE,
      amendments: [],
      finalization: { at: '2025-03-14T12:00:00.000Z', by: 'Zoë Łukasiewicz', hash: 'a'.repeat(64) },
      generatedAt: '2025-03-14T12:05:00.000Z',
      timeZone: 'Europe/London',
    })
    expect(final.status).toEqual({ state: 'final', at: '2025-03-14T12:00:00.000Z', by: 'Zoë Łukasiewicz', hash: 'a'.repeat(64) })
    expect(minutesBlocks(final).some((block) => block.kind === 'detail' && block.value.startsWith('Final. Closed by Zoë Łukasiewicz'))).toBe(true)
  })
})

describe('a list typed with sub-points', () => {
  /** "• Mum" with "goes to the parenting group" typed as a sub-point under it, then "• Dad", as the editor stores it. */
  function withSubPoint(fragment: Y.XmlFragment): void {
    const words = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] })
    const bullets = (...items: object[]) => ({ type: 'bulletList', content: items })
    prosemirrorJSONToYXmlFragment(getSchema([StarterKit]), {
      type: 'doc',
      content: [bullets({ type: 'listItem', content: [words('Mum'), bullets({ type: 'listItem', content: [words('goes to the parenting group')] })] }, { type: 'listItem', content: [words('Dad')] })],
    }, fragment)
  }

  test('each line keeps how deep it was typed, from its indentation; empty lines still go', () => {
    expect(paragraphs('• Mum\n  • goes to the parenting group\n    1. on Tuesdays\n\n   \nDad', 'body')).toEqual([
      { kind: 'paragraph', text: '• Mum', style: 'body' },
      { kind: 'paragraph', text: '• goes to the parenting group', style: 'body', indent: 1 },
      { kind: 'paragraph', text: '1. on Tuesdays', style: 'body', indent: 2 },
      { kind: 'paragraph', text: 'Dad', style: 'body' },
    ])
  })

  test('the sub-point stays under its point in the minutes and the family version, set in on the web page', () => {
    const doc = fixtureDoc()
    withSubPoint(conferenceRecord(doc).plan.immediateSafety)
    const model = modelOf(doc)
    for (const blocks of [minutesBlocks(model), familyBlocks(model)]) {
      const mum = blocks.findIndex((block) => block.kind === 'paragraph' && block.text === '• Mum')
      expect(blocks.slice(mum, mum + 3)).toEqual([
        { kind: 'paragraph', text: '• Mum', style: 'body' },
        { kind: 'paragraph', text: '• goes to the parenting group', style: 'body', indent: 1 },
        { kind: 'paragraph', text: '• Dad', style: 'body' },
      ])
    }
    expect(htmlBlocks(familyBlocks(model))).toContain(
      '<p class="body">• Mum</p>\n<p class="body" style="padding-left: 1.5rem">• goes to the parenting group</p>\n<p class="body">• Dad</p>',
    )
  })

  test('the sub-point a child said stays under its point in the child’s version too', () => {
    const doc = fixtureDoc()
    const worries = conferenceRecord(doc).childsVoice.house('worries')
    worries.delete(0, worries.length)
    withSubPoint(worries)
    expect(renderChildHtml(modelOf(doc))).toContain(
      '<p class="body">• Mum</p>\n<p class="body" style="padding-left: 1.5rem">• goes to the parenting group</p>\n<p class="body">• Dad</p>',
    )
  })
})

describe('the family and child versions', () => {
  const textsOf = (blocks: readonly Block[]): string[] => blocks.map((block) => ('text' in block ? block.text : ''))

  test('a draft family version says it is what has been written so far, and reasons given before a decision are said to be so', () => {
    const doc = fixtureDoc()
    conferenceRecord(doc).decision.update({ decision: 'not-yet-decided' })
    const texts = textsOf(familyBlocks(modelOf(doc)))
    expect(texts.some((text) => text.startsWith('This is what has been written so far at the'))).toBe(true)
    expect(texts.some((text) => text.startsWith('This is what was agreed'))).toBe(false)
    const decided = texts.indexOf('What was decided')
    expect(texts[decided + 1]).toBe('Not decided yet')
    expect(texts.indexOf('What has been said about it so far:')).toBeGreaterThan(decided)
  })

  test('the family version holds each danger statement with its safety goal, numbered as in the minutes', () => {
    const texts = textsOf(familyBlocks(modelOf(fixtureDoc())))
    const heading = texts.indexOf('What the worries are, and what needs to be true')
    expect(heading).toBeGreaterThan(texts.indexOf('What was decided'))
    expect(heading).toBeLessThan(texts.indexOf('Keeping the children safe from today'))
    expect(texts.slice(heading + 2, heading + 10)).toEqual([
      'Worry 1',
      'Everyone is worried that Sam (fictional) could be left alone at night again and be hurt.',
      'What needs to be true',
      'Sam is always looked after by an adult everyone agrees on when Mum works late.',
      'Worry 2',
      'A second fictional danger statement.',
      'What needs to be true',
      'A second fictional safety goal.',
    ])
  })

  test('with worries on the map and no danger statement yet, the family version does not say nothing worries anyone', () => {
    const doc = fixtureDoc()
    const pairs = conferenceRecord(doc).dangerStatements
    for (const pair of pairs.entries()) pairs.remove(pair.id)
    const model = modelOf(doc)
    expect(partOf(model, 'map', 'map.pastHarm')!.entries.length).toBeGreaterThan(0)
    const texts = textsOf(familyBlocks(model))
    const heading = texts.indexOf('What the worries are, and what needs to be true')
    expect(texts[heading + 1]).toBe('The worries, and what needs to be true for the children, have not been agreed yet. What people are worried about is in the full minutes.')
    expect(texts.filter((text) => /no worries/i.test(text))).toEqual([])
  })

  test('the family version prints the views beside each worry, carried forward or agreed here, as the minutes do', () => {
    const doc = fixtureDoc('uk-review')
    const record = conferenceRecord(doc)
    const carried = { ...carriedPair('2024-12-09', [pairVersion('A carried', '2024-12-09T11:00:00.000Z', null)]), id: 'carried-1' }
    record.views.give('fixture-parent', carried.id, { stance: 'disagree', words: 'Sam was never left alone.', about: pairViewedWords(carried.versions[0]!) })
    const pair = record.dangerStatements.entries()[0]!
    const agreedWords = { dangerStatement: plainText(pair.richText('dangerStatement')), safetyGoal: plainText(pair.richText('safetyGoal')) }
    record.views.give('p-worker', pair.id, { stance: 'agree', words: '', about: pairViewedWords(agreedWords) })
    setPlainText(pair.richText('safetyGoal'), 'Grandma looks after Sam.')
    const model = modelOf(doc, [], { carriedForward: [carried] })
    const texts = textsOf(familyBlocks(model))

    const carriedGoal = texts.indexOf('A carried goal.')
    expect(texts.slice(carriedGoal + 1, carriedGoal + 3)).toEqual(['What people said about this worry', 'View of Jo Example (Parent or carer): I disagree. Sam was never left alone.'])
    const agreedGoal = texts.indexOf('Grandma looks after Sam.')
    expect(texts.slice(agreedGoal + 1, agreedGoal + 4)).toEqual([
      'What people said about this worry',
      'View of Pat Sample (Social worker): I agree',
      `Given when it said: “${pairViewedWords(agreedWords)}”`,
    ])
    // A worry nobody gave a view on has no such heading.
    expect(texts.filter((text) => text === 'What people said about this worry')).toHaveLength(2)
    // The same lines as the minutes, from the same words.
    const viewLines = (blocks: readonly Block[]) => blocks.filter((block) => block.kind === 'paragraph' && block.style === 'view' && !block.text.includes('pastHarm') && !block.text.includes('once, not every week'))
    expect(viewLines(familyBlocks(model))).toEqual(viewLines(minutesBlocks(model)))
  })

  test('the family version holds the family’s own view of the decision, and what is going well as well as the worries', () => {
    const doc = fixtureDoc()
    const texts = textsOf(familyBlocks(modelOf(doc)))
    const said = texts.indexOf('What your family said about it')
    expect(said).toBeGreaterThan(texts.indexOf('What was decided'))
    expect(texts[said + 1]).toBe('Mum agrees help is needed with late shifts (fictional).')
    const goingWell = texts.indexOf('What is going well')
    expect(goingWell).toBeGreaterThan(said)
    expect(goingWell).toBeLessThan(texts.indexOf('What the worries are, and what needs to be true'))
    expect(texts.slice(goingWell + 1, goingWell + 3)).toEqual(['Fictional existingStrengths entry. Second line.', 'Fictional existingSafety entry. Second line.'])

    // Left empty, it says so, and how to put it right.
    setPlainText(conferenceRecord(doc).decision.familyView, '')
    const unsaid = textsOf(familyBlocks(modelOf(doc)))
    expect(unsaid[unsaid.indexOf('What your family said about it') + 1]).toBe('Nothing was written down about what your family thinks. You can ask for it to be added.')
  })

  test('each action in the family version reads as sentences: what, by when, and where it stands, one full stop each', () => {
    const doc = fixtureDoc()
    conferenceRecord(doc).actions.add('p-chair', { fields: { who: 'Mum', ownedBy: 'family-and-network', byWhen: null, status: 'open' }, text: { what: 'Call the GP' } })
    const texts = textsOf(familyBlocks(modelOf(doc)))
    const actions = texts.slice(texts.indexOf('Who will do what') + 1, texts.indexOf('Who is helping'))
    expect(actions).toEqual([
      'Jo Example (fictional): Ask Grandma about late shifts. No date agreed yet. Now: done.',
      'Mum: Call the GP. No date agreed yet. Now: to do.',
      'Pat Sample (fictional): Find a registered childminder. By 28 March 2025. Now: to do.',
    ])
  })

  test('a plan’s category is named only when the decision is a plan: one left set from before says nothing', () => {
    const doc = fixtureDoc()
    const { decision } = conferenceRecord(doc)
    decision.update({ decision: 'child-protection-plan', category: 'sexual-abuse' })
    expect(textsOf(familyBlocks(modelOf(doc)))).toContain('The main worry is called: Sexual abuse.')
    expect(minutesBlocks(modelOf(doc))).toContainEqual({ kind: 'detail', label: 'Category', value: 'Sexual abuse' })

    decision.update({ decision: 'no-plan' })
    const model = modelOf(doc)
    expect(textsOf(familyBlocks(model)).filter((text) => text.includes('Sexual abuse'))).toEqual([])
    expect(minutesBlocks(model).filter((block) => block.kind === 'detail' && block.label === 'Category')).toEqual([])
    expect(JSON.stringify(model)).not.toContain('Sexual abuse')
  })

  test('a US record says where the children are staying, in the minutes and the family version; a UK one never asks', () => {
    const doc = fixtureDoc('us-csc-initial')
    conferenceRecord(doc).decision.update({ whereChildrenStay: 'with-someone-they-know' })
    const model = modelOf(doc)
    expect(partOf(model, 'decision', 'decision')?.entries[0]?.details).toContainEqual({ label: 'Where the children are staying', value: 'With someone the children know (family or a friend)' })
    expect(textsOf(familyBlocks(model))).toContain('Where the children are staying: With someone the children know (family or a friend).')
    expect(minutesBlocks(model)).toContainEqual({ kind: 'detail', label: 'Where the children are staying', value: 'With someone the children know (family or a friend)' })

    // Not recorded yet: the minutes say so; the family version does not guess.
    conferenceRecord(doc).decision.update({ whereChildrenStay: 'not-yet-recorded' })
    expect(textsOf(familyBlocks(modelOf(doc))).some((text) => text.startsWith('Where the children are staying'))).toBe(false)
    expect(JSON.stringify(modelOf(fixtureDoc('uk-initial')))).not.toContain('Where the children are staying')
  })

  test('crossed-out words are never shown as fact: every document marks them crossed out', () => {
    const doc = fixtureDoc()
    const { plan } = conferenceRecord(doc)
    setPlainText(plan.immediateSafety, '')
    const paragraph = new Y.XmlElement('paragraph')
    plan.immediateSafety.insert(0, [paragraph])
    const words = new Y.XmlText()
    paragraph.insert(0, [words])
    // As the editor stores a strike-through: a 'strike' mark on the run.
    words.insert(0, 'Sam stays with Grandma. ')
    words.insert(words.length, 'Dad hits Sam.', { strike: {} })
    const model = modelOf(doc)
    const marked = 'Sam stays with Grandma. [crossed out: Dad hits Sam.]'
    expect(textsOf(minutesBlocks(model))).toContain(marked)
    expect(textsOf(familyBlocks(model))).toContain(marked)
    expect(JSON.stringify(model)).not.toMatch(/Grandma\. Dad hits Sam/)
  })

  test('the family version explains the short forms and professional words its text uses, once each, in the order they appear', () => {
    const doc = fixtureDoc()
    const { plan } = conferenceRecord(doc)
    setPlainText(plan.immediateSafety, 'The SW visits after school. CIN was discussed; the s.47 enquiry ends. Swimming and LAW classes go on; SWs check in.')
    const blocks = familyBlocks(modelOf(doc))
    const heading = blocks.findIndex((block) => block.kind === 'heading' && block.text === 'Words used in this plan')
    expect(heading).toBeGreaterThan(textsOf(blocks).indexOf('If things do not change'))
    const listed = blocks.slice(heading + 1).filter((block) => block.kind === 'bullet').map((block) => block.text.split(':')[0])
    // The decision (a child protection plan) comes first, then the worries' introduction, then
    // the plan's own words, then the core group further down.
    // Short forms are listed as the text writes them, so a parent who read "CIN" finds "CIN".
    expect(listed).toEqual(['Child protection plan', 'Danger statement', 'Safety goal', 'SW', 'CIN (Child in need)', 's.47 (Section 47)', 'Core group'])
    expect(blocks.find((block) => block.kind === 'bullet' && block.text.startsWith('SW:'))).toEqual({ kind: 'bullet', text: `SW: ${glossaryTerm('sw')!.explanation}` })
    // Nobody's words are changed.
    expect(textsOf(blocks)).toContain('The SW visits after school. CIN was discussed; the s.47 enquiry ends. Swimming and LAW classes go on; SWs check in.')
  })

  test('a US record uses the US board’s words: the decision-maker’s approval and safety network meetings, and its word list never explains “Core group”', () => {
    const us = modelOf(fixtureDoc('us-csc-initial'))
    expect(partOf(us, 'decision', 'decision')!.title).toBe('The decision-maker’s approval')
    expect(partOf(us, 'coreGroup', 'nextMeetings')!.entries.map((meeting) => meeting.title)).toEqual(['Safety network meeting', 'Review conference'])
    const listed = (blocks: readonly Block[]): string[] => {
      const heading = blocks.findIndex((block) => block.kind === 'heading' && block.text === 'Words used in this plan')
      return blocks.slice(heading + 1).filter((block) => block.kind === 'bullet').map((block) => block.text.split(':')[0]!)
    }
    expect(textsOf(familyBlocks(us))).toContain('Safety network meeting: April 4, 2025. At the fictional family centre, 10am.')
    expect(listed(familyBlocks(us))).toContain('Safety network')
    expect(listed(familyBlocks(us))).not.toContain('Core group')
    // A UK record keeps its own.
    const uk = modelOf(fixtureDoc('uk-initial'))
    expect(partOf(uk, 'decision', 'decision')!.title).toBe('The chair’s decision')
    expect(partOf(uk, 'coreGroup', 'nextMeetings')!.entries[0]!.title).toBe('Core group meeting')
  })

  test('the family and child versions start with "Leave quickly", a plain link to the same neutral page as the board’s, sending no address', async () => {
    const model = modelOf(fixtureDoc())
    for (const document of ['family.html', 'child.html'] as const) {
      const html = String(await renderDocument(document, model))
      const body = html.slice(html.indexOf('<body>') + '<body>'.length).trimStart()
      expect(body.startsWith('<p class="leave-quickly"><a href="/weather.html" rel="noreferrer">Leave quickly</a></p>'), document).toBe(true)
    }
  })

  test('the child’s version never prints the plan, which is written for adults', () => {
    const doc = fixtureDoc()
    const amendment: AmendmentInput = { at: '2025-03-15T09:00:00.000Z', by: 'Jo Example', role: 'parentOrCarer', section: 'plan', text: 'Dad may not visit until the assessment ends.' }
    const html = renderChildHtml(modelOf(doc, [amendment]))
    expect(html).toContain('The grown-ups made a plan to help keep you safe.')
    expect(html).not.toContain('Grandma (fictional) looks after Sam on late shifts from tonight.')
    expect(html).not.toContain('Sam is never left alone at home (fictional).')
    expect(html).not.toContain(amendment.text)
    // The child's own words are there.
    expect(html).toContain('Your house of worries')
  })

  test('the child’s version says a part was changed after the meeting, but never prints the correction, an adult’s words', () => {
    const doc = fixtureDoc()
    const correction = (section: AmendmentInput['section'], text: string): AmendmentInput => ({ at: '2025-03-15T09:00:00.000Z', by: 'Pat Sample', role: 'socialWorker', section, text })
    const changed = 'Something here was changed after the meeting. The grown-up reading this with you can tell you what.'
    expect(renderChildHtml(modelOf(doc))).not.toContain(changed)
    const html = renderChildHtml(modelOf(doc, [
      correction('childsVoice', 'These worries were told to the teacher, not said at the meeting.'),
      correction('coreGroup', 'Dad is no longer in the core group until the police enquiry ends.'),
    ]))
    expect(html).not.toContain('told to the teacher')
    expect(html).not.toContain('police enquiry')
    // Once after the houses, once after the meetings.
    expect(html.split(changed)).toHaveLength(3)
  })

  test('the child’s version leaves out crossed-out words, which the minutes keep as crossed out', () => {
    const doc = fixtureDoc()
    const worries = conferenceRecord(doc).childsVoice.house('worries')
    doc.transact(() => {
      worries.delete(0, worries.length)
      const paragraph = new Y.XmlElement('paragraph')
      worries.insert(0, [paragraph])
      const words = new Y.XmlText()
      paragraph.insert(0, [words])
      words.insert(0, 'I miss my dog.')
      // Brackets in the crossed-out words do not end them early.
      words.insert(7, 'my old school [Dad] hits Mum and ', { strike: true })
    })
    const model = modelOf(doc)
    expect(partOf(model, 'childsVoice', 'houses.worries')!.entries[0]!.text).toBe('I miss [crossed out: my old school [Dad] hits Mum and] my dog.')
    const html = renderChildHtml(model)
    expect(html).toContain('<p class="body">I miss my dog.</p>')
    expect(html).not.toContain('old school')
    expect(html).not.toContain('hits Mum')
  })

  test('the child’s version gives each day the grown-ups meet again once, soonest first, and “choose a day” only when no day is set', () => {
    const meetingLines = (doc: Y.Doc): string[] => [...renderChildHtml(modelOf(doc)).matchAll(/<span>(They [^<]*)<\/span>/g)].map(([, line]) => line!)
    // The fixture has a core group on 4 April and a review not yet booked.
    const doc = fixtureDoc()
    const { coreGroup } = conferenceRecord(doc)
    coreGroup.nextMeetings.add('author-1', { fields: { kind: 'core-group', date: '2025-03-28', note: '' } })
    coreGroup.nextMeetings.add('author-1', { fields: { kind: 'review-conference', date: '2025-04-04', note: '' } })
    expect(meetingLines(doc)).toEqual(['They will meet again on 28 March 2025.', 'They will meet again on 4 April 2025.'])

    const undated = new Y.Doc()
    for (const kind of ['core-group', 'review-conference'] as const) conferenceRecord(undated).coreGroup.nextMeetings.add('author-1', { fields: { kind, date: null, note: '' } })
    expect(meetingLines(undated)).toEqual(['They will choose a day to meet again.'])
  })

  test('children brought from the referral or the last conference are said to come from there in the minutes, not from someone unknown', () => {
    const doc = fixtureDoc('uk-review')
    const { details } = conferenceRecord(doc)
    details.children.add(EARLIER_CONFERENCE_AUTHOR, { fields: { name: 'Mia (fictional)' } })
    details.children.add(REFERRAL_AUTHOR, { fields: { name: 'Leo (fictional)' } })
    const bylines = minutesBlocks(modelOf(doc)).flatMap((block) => (block.kind === 'paragraph' && block.style === 'byline' ? [block.text] : []))
    expect(bylines.filter((text) => text.startsWith('Written by the last conference'))).toHaveLength(1)
    expect(bylines.filter((text) => text.startsWith('Written by the referral'))).toHaveLength(1)
  })

  test('the child’s version names the people who will help by their role in words, not short forms', () => {
    const doc = fixtureDoc()
    const { coreGroup } = conferenceRecord(doc)
    coreGroup.members.add('author-1', { fields: { name: 'Priya Patel (fictional)', roleOrAgency: 'SW' } })
    coreGroup.members.add('author-1', { fields: { name: 'Dr Lee (fictional)', roleOrAgency: 'GP, Elm Street surgery' } })
    const html = renderChildHtml(modelOf(doc))
    expect(html).toContain('<span>Priya Patel (fictional), social worker</span>')
    expect(html).toContain('<span>Dr Lee (fictional), family doctor, Elm Street surgery</span>')
    expect(html).toContain('<span>Jo Example (fictional), Mum</span>')
  })
})

describe('PDFs in any script', () => {
  /**
   * Whether each Arabic word is in the text: a PDF reader may put right-to-left words in either
   * order, with or without spaces (and a ligature such as lam-alef may come out reversed, so the
   * words here have none).
   */
  const holdsEveryWord = (text: string, words: string): boolean => words.split(' ').every((word) => text.replace(/\s/gu, '').includes(word))

  test('a view and a name in Arabic print in the minutes and the family PDF, though the slanted face has no Arabic letters', async () => {
    const doc = fixtureDoc()
    const record = conferenceRecord(doc)
    const view = 'هذا غير صحيح'
    record.views.give('fixture-parent', record.map.section('pastHarm').entries()[0]!.id, { stance: 'disagree', words: view, about: '' })
    const pair = record.dangerStatements.entries()[0]!
    record.views.give('fixture-parent', pair.id, { stance: 'disagree', words: view, about: pairViewedWords({ dangerStatement: plainText(pair.richText('dangerStatement')), safetyGoal: plainText(pair.richText('safetyGoal')) }) })
    const name = 'مريم حداد'
    const model = modelOf(doc, [{ at: '2025-03-15T09:00:00.000Z', by: name, role: 'parentOrCarer', section: 'plan', text: 'Grandma can only stay on weekdays.' }])

    for (const document of ['minutes.pdf', 'family.pdf'] as const) {
      const text = await pdfText(new Uint8Array((await renderDocument(document, model)) as Buffer))
      expect(holdsEveryWord(text, view), `${document}: ${text}`).toBe(true)
      expect(holdsEveryWord(text, name), `${document}: ${text}`).toBe(true)
      expect(text).not.toContain('letters this PDF cannot show')
    }
  })

  test('words in letters no embedded font has (Chinese, emoji) are said at the top to print blank, pointing to the web page or Word version', async () => {
    const doc = fixtureDoc()
    const record = conferenceRecord(doc)
    setPlainText(record.plan.immediateSafety, 'Grandma 王芳 stays every night 🙂')
    const model = modelOf(doc)
    for (const document of ['minutes.pdf', 'family.pdf'] as const) {
      const text = (await pdfText(new Uint8Array((await renderDocument(document, model)) as Buffer))).replace(/\s+/gu, ' ')
      expect(text, document).toContain('Some words in this document are written in letters this PDF cannot show, so they print as blank spaces. The web page or Word version of this document shows every word.')
    }
  })
})
