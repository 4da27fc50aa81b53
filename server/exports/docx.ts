import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx'
import { SCALE_MAX, SCALE_MIN } from '../../shared/conference/scores'
import { draftMark, scaleMeaningLines, scaleSummaryWords, scorerWords, type Block, type ParagraphStyle } from './blocks'
import type { ExportModel, ExportScale } from './schema'

/** Characters XML 1.0 cannot hold (control characters, U+FFFE/U+FFFF, lone surrogates): one would make Word refuse the whole file. */
const NOT_IN_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/**
 * The runs of a text: each line after a line break, as typed (Word shows a newline inside a run
 * as a space), a character XML cannot hold as the replacement character "�", so it shows it was
 * there. Options typed on their own: TextRun also takes a string, whose deprecated `bold()` the
 * linter would otherwise see.
 */
function runs(text: string, options: IRunOptions = {}): TextRun[] {
  return text
    .replace(NOT_IN_XML, '\uFFFD')
    .split(/\r?\n/)
    .map((line, index) => new TextRun({ ...options, text: line, ...(index > 0 ? { break: 1 } : {}) }))
}

const STRONG: IRunOptions = { bold: true }

/** A quarter inch: how far a view or an amendment, and each level of a nested line, is set in. */
const INDENT_TWIPS = 360

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const

/** How each paragraph style looks in Word (sizes in half-points). */
const RUN_STYLE: Readonly<Record<ParagraphStyle, IRunOptions>> = {
  body: {},
  lead: STRONG,
  byline: { italics: true, size: 18, color: '555555' },
  view: { italics: true },
  amendment: { color: '7A2E00' },
  empty: { italics: true, color: '555555' },
}

/** The blocks of a document as a Word file (.docx): a draft says so in the header of every page. */
export async function renderDocx(model: ExportModel, blocks: readonly Block[], title: string): Promise<Buffer> {
  const mark = draftMark(model)
  const document = new Document({
    title,
    creator: 'SafetyMap',
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    sections: [
      {
        headers: {
          default: new Header({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: runs(mark ?? title, { ...(mark === null ? {} : STRONG), size: 18 }) })],
          }),
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ size: 18, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })] })],
          }),
        },
        children: blocks.flatMap(docxBlock),
      },
    ],
  })
  return Packer.toBuffer(document)
}

function docxBlock(block: Block): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ children: runs(block.text), heading: HEADINGS[block.level] })]
    case 'paragraph': {
      const left = (block.style === 'view' || block.style === 'amendment' ? INDENT_TWIPS : 0) + (block.indent ?? 0) * INDENT_TWIPS
      return [new Paragraph({ children: runs(block.text, RUN_STYLE[block.style]), ...(left > 0 ? { indent: { left } } : {}) })]
    }
    case 'detail':
      return [new Paragraph({ children: [...runs(`${block.label}: `, STRONG), ...runs(block.value)] })]
    case 'bullet':
      return [new Paragraph({ children: runs(block.text), bullet: { level: 0 } })]
    case 'scale':
      return scaleTables(block.scale)
  }
}

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: '999999' }
const borders = { top: cellBorder, bottom: cellBorder, left: cellBorder, right: cellBorder }

function cell(text: string, options: { bold?: boolean; fill?: string; center?: boolean } = {}): TableCell {
  return new TableCell({
    borders,
    ...(options.fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: options.fill } } : {}),
    children: [new Paragraph({ ...(options.center ? { alignment: AlignmentType.CENTER } : {}), children: runs(text, options.bold ? STRONG : {}) })],
  })
}

/**
 * A scale as two tables: the line from 0 to 10 with how many people gave each number (the
 * median's column shaded), then each person's number and what would move it up.
 */
function scaleTables(scale: ExportScale): (Paragraph | Table)[] {
  const values = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_unused, index) => SCALE_MIN + index)
  const median = scale.summary?.median
  // A median between two numbers (e.g. 5.5) shades both.
  const isMedian = (value: number): boolean => median !== undefined && Math.abs(value - median) <= 0.5
  const count = (value: number): number => scale.scores.filter((score) => score.value === value).length
  const line = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ children: values.map((value) => cell(String(value), { bold: true, center: true, ...(isMedian(value) ? { fill: 'FFE9A8' } : {}) })) }),
      new TableRow({ children: values.map((value) => cell('●'.repeat(count(value)), { center: true, ...(isMedian(value) ? { fill: 'FFE9A8' } : {}) })) }),
    ],
  })
  const people = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: ['Who', 'Score', 'What would move the number up'].map((heading) => cell(heading, { bold: true, fill: 'EEEEEE' })) }),
      ...scale.scores.map(
        (score) =>
          new TableRow({
            children: [
              cell(scorerWords(score)),
              cell(score.earlier.length > 0 ? `${score.value} (earlier ${score.earlier.join(', ')})` : String(score.value), { center: true }),
              cell(score.reason),
            ],
          }),
      ),
    ],
  })
  return [
    new Paragraph({ children: runs(scale.title), heading: HeadingLevel.HEADING_3 }),
    ...scaleMeaningLines(scale).map(({ label, value }) => new Paragraph({ children: [...runs(`${label}: `, STRONG), ...runs(value)] })),
    line,
    new Paragraph({ children: runs(scaleSummaryWords(scale), STRONG) }),
    people,
    new Paragraph({ text: '' }),
  ]
}
