import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'
import { SCALE_MAX, SCALE_MIN } from '../../shared/conference/scores'
import { draftMark, scaleMeaningLines, scaleSummaryWords, scorerWords, type Block, type ParagraphStyle } from './blocks'
import type { ExportModel, ExportScale } from './schema'

/*
 * PDFs with pdfkit. Its built-in fonts only know Latin-1 (no "ł", "ő", "ș"...): names with any
 * accent must print, so DejaVu Sans is embedded from the dejavu-fonts-ttf package (read from
 * disk, never fetched).
 */
const require = createRequire(import.meta.url)
const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
} as const
type FontName = keyof typeof FONT_FILES

/** Read once, on the first PDF (pdfkit would read each file again, synchronously, for every document). */
let fonts: Readonly<Record<FontName, Buffer>> | null = null
function loadedFonts(): Readonly<Record<FontName, Buffer>> {
  fonts ??= { regular: readFileSync(FONT_FILES.regular), bold: readFileSync(FONT_FILES.bold), italic: readFileSync(FONT_FILES.italic) }
  return fonts
}

/**
 * The text with a zero-width space after every 30 characters that have no space between them.
 * pdfkit's line wrapper takes time that grows with the square of a word wider than the line
 * (20,000 characters without a space, pasted by anyone, took 14 s: every live meeting on the
 * server waited). DejaVu's zero-width space draws nothing, and a line may break there.
 */
function breakable(text: string): string {
  return text.replace(/\S{30}(?=\S)/gu, '$&\u200B')
}

export interface PdfLook {
  /** Body text size in points: the minutes use 10.5, the family version 16 (large type). */
  bodySize: number
}

export const MINUTES_LOOK: PdfLook = { bodySize: 10.5 }
export const LARGE_TYPE_LOOK: PdfLook = { bodySize: 16 }

const INK = '#1a1a1a'
const QUIET = '#555555'
const AMENDED = '#7a2e00'

/** The blocks of a document as a PDF; a draft says so at the top of every page. */
export function renderPdf(model: ExportModel, blocks: readonly Block[], title: string, look: PdfLook): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margins: { top: 64, bottom: 64, left: 56, right: 56 }, bufferPages: true, info: { Title: title, Creator: 'SafetyMap' }, lang: 'en' })
  for (const [name, font] of Object.entries(loadedFonts())) pdf.registerFont(name, font)
  const chunks: Buffer[] = []
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => { resolve(Buffer.concat(chunks)) })
    pdf.on('error', reject)
  })

  pdf.font('regular').fontSize(look.bodySize).fillColor(INK)
  // DejaVu has no Chinese, Korean, most Indian scripts or emoji: a name in them prints blank. Said
  // first, rather than leave a reader to think nothing was written.
  if (blocks.some((block) => textsOf(block).some((text) => !hasEveryGlyph(pdf, 'regular', text)))) pdfBlock(pdf, { kind: 'paragraph', style: 'empty', text: MISSING_LETTERS }, look)
  for (const block of blocks) pdfBlock(pdf, block, look)
  markEveryPage(pdf, draftMark(model) ?? title)
  pdf.end()
  return done
}

function pdfBlock(pdf: PDFKit.PDFDocument, block: Block, look: PdfLook): void {
  const size = look.bodySize
  const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right
  const x = pdf.page.margins.left
  switch (block.kind) {
    case 'heading': {
      const headingSize = size * ({ 1: 1.9, 2: 1.45, 3: 1.15 } as const)[block.level]
      // A heading is never left alone at the foot of a page.
      if (pdf.y + headingSize * 3.5 > pdf.page.height - pdf.page.margins.bottom) pdf.addPage()
      pdf.moveDown(block.level === 3 ? 0.4 : 0.8)
      pdf.font('bold').fontSize(headingSize).fillColor(INK).text(breakable(block.text), x, pdf.y, { width })
      pdf.moveDown(0.3)
      return
    }
    case 'paragraph': {
      const style = PARAGRAPH_LOOK[block.style]
      // A view or an amendment is set in, and so is each level of a nested line (a sub-point in a list).
      const indent = ((block.style === 'view' || block.style === 'amendment' ? 1 : 0) + (block.indent ?? 0)) * size * 1.5
      pdf.font(faceFor(pdf, style.font, block.text)).fontSize(size * style.scale).fillColor(style.color).text(breakable(block.text), x + indent, pdf.y, { width: width - indent })
      pdf.moveDown(0.25)
      return
    }
    case 'detail':
      pdf.font('bold').fontSize(size).fillColor(INK).text(breakable(`${block.label}: `), x, pdf.y, { width, continued: true }).font('regular').text(breakable(block.value))
      pdf.moveDown(0.2)
      return
    case 'bullet':
      pdf.font('regular').fontSize(size).fillColor(INK).text(`•  ${breakable(block.text)}`, x + size, pdf.y, { width: width - size, indent: 0 })
      pdf.moveDown(0.25)
      return
    case 'scale':
      scaleChart(pdf, block.scale, size)
      return
  }
}

const PARAGRAPH_LOOK: Readonly<Record<ParagraphStyle, { font: FontName; scale: number; color: string }>> = {
  body: { font: 'regular', scale: 1, color: INK },
  lead: { font: 'bold', scale: 1, color: INK },
  byline: { font: 'italic', scale: 0.85, color: QUIET },
  view: { font: 'italic', scale: 1, color: INK },
  amendment: { font: 'regular', scale: 1, color: AMENDED },
  empty: { font: 'italic', scale: 1, color: QUIET },
}

/** pdfkit's embedded font wraps fontkit's, which knows which characters it has a glyph for. */
interface EmbeddedFont {
  font: { hasGlyphForCodePoint(codePoint: number): boolean }
}

/** Spaces, zero-width joiners and emoji variation selectors: no glyph is missing for them. */
const DRAWS_NOTHING = /^(?:\s|\u200B|\u200C|\u200D|\uFE0E|\uFE0F)$/u

/** Whether `font` draws every character of `text` (pdfkit has no public way to ask). Leaves `font` set. */
function hasEveryGlyph(pdf: PDFKit.PDFDocument, font: FontName, text: string): boolean {
  pdf.font(font)
  const glyphs = (pdf as unknown as { _font: EmbeddedFont })._font.font
  // Code point by code point: that is what a font has glyphs for.
  for (const character of text) {
    if (!DRAWS_NOTHING.test(character) && !glyphs.hasGlyphForCodePoint(character.codePointAt(0) ?? 0)) return false
  }
  return true
}

/**
 * The face to set a paragraph in: the regular face when the oblique one lacks a glyph for any
 * of its characters. DejaVu Sans Oblique has no Arabic (among others), so a parent's view in
 * Arabic, or an Arabic name in a byline, printed as blank boxes; the regular face has them.
 */
function faceFor(pdf: PDFKit.PDFDocument, font: FontName, text: string): FontName {
  return font !== 'italic' || hasEveryGlyph(pdf, font, text) ? font : 'regular'
}

const MISSING_LETTERS = 'Some words in this document are written in letters this PDF cannot show, so they print as blank spaces. The web page or Word version of this document shows every word.'

/** Every piece of text a block prints. */
function textsOf(block: Block): string[] {
  switch (block.kind) {
    case 'detail':
      return [block.label, block.value]
    case 'scale':
      return [block.scale.title, ...scaleMeaningLines(block.scale).map(({ value }) => value), ...block.scale.scores.flatMap((score) => [scorerWords(score), score.reason])]
    default:
      return [block.text]
  }
}

/**
 * A scale as a line from 0 to 10 with a dot for each person's number (stacked when several
 * gave the same), the median marked under the line, then each number with its reason.
 */
function scaleChart(pdf: PDFKit.PDFDocument, scale: ExportScale, size: number): void {
  const left = pdf.page.margins.left
  const width = pdf.page.width - left - pdf.page.margins.right
  const counts = new Map<number, number>()
  for (const score of scale.scores) counts.set(score.value, (counts.get(score.value) ?? 0) + 1)
  const tallest = Math.max(1, ...counts.values())
  const dot = size * 0.45
  const chartHeight = tallest * dot * 2.4 + size * 4
  if (pdf.y + chartHeight + size * 6 > pdf.page.height - pdf.page.margins.bottom) pdf.addPage()

  pdf.moveDown(0.4)
  pdf.font('bold').fontSize(size * 1.1).fillColor(INK).text(breakable(scale.title), left, pdf.y, { width })
  pdf.fontSize(size)
  for (const { label, value } of scaleMeaningLines(scale)) pdf.font('bold').text(`${label}: `, { continued: true }).font('regular').text(breakable(value) || '—')
  pdf.moveDown(0.5)

  const axisY = pdf.y + tallest * dot * 2.4 + dot
  const step = (width - size * 2) / (SCALE_MAX - SCALE_MIN)
  const xOf = (value: number): number => left + size + (value - SCALE_MIN) * step
  pdf.save().lineWidth(1).strokeColor(INK).moveTo(xOf(SCALE_MIN), axisY).lineTo(xOf(SCALE_MAX), axisY).stroke()
  for (let value = SCALE_MIN; value <= SCALE_MAX; value++) {
    pdf.moveTo(xOf(value), axisY - 3).lineTo(xOf(value), axisY + 3).stroke()
    pdf.font('regular').fontSize(size * 0.85).fillColor(INK).text(String(value), xOf(value) - 10, axisY + 5, { width: 20, align: 'center', lineBreak: false })
    for (let placed = 0; placed < (counts.get(value) ?? 0); placed++) {
      pdf.circle(xOf(value), axisY - dot * 1.4 - placed * dot * 2.4, dot).fillColor('#2b5c8a').fill()
    }
  }
  if (scale.summary) {
    const medianX = xOf(scale.summary.median)
    const top = axisY + size * 1.6
    pdf.polygon([medianX, top], [medianX - 5, top + 7], [medianX + 5, top + 7]).fillColor('#b35c00').fill()
    pdf.restore()
    pdf.font('bold').fontSize(size * 0.85).fillColor('#b35c00').text(`median ${scale.summary.median}`, medianX - 40, top + 9, { width: 80, align: 'center', lineBreak: false })
  } else {
    pdf.restore()
  }
  pdf.x = left
  pdf.y = axisY + size * 4
  pdf.font('bold').fontSize(size).fillColor(INK).text(scaleSummaryWords(scale), left, pdf.y, { width })
  pdf.moveDown(0.3)
  for (const score of scale.scores) {
    const who = scorerWords(score)
    const earlier = score.earlier.length > 0 ? ` (earlier ${score.earlier.join(', ')})` : ''
    pdf.font('bold').text(breakable(`${who}: ${score.value}${earlier}`), left, pdf.y, { width, continued: score.reason !== '' })
    if (score.reason) pdf.font('regular').text(breakable(`. ${score.reason}`))
    pdf.moveDown(0.2)
  }
}

/** The header (the draft mark, or the title) and "Page n of m" on every page. */
function markEveryPage(pdf: PDFKit.PDFDocument, header: string): void {
  const range = pdf.bufferedPageRange()
  for (let index = range.start; index < range.start + range.count; index++) {
    pdf.switchToPage(index)
    const { margins, width, height } = pdf.page
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = margins.bottom
    margins.bottom = 0
    pdf.font('bold').fontSize(9).fillColor(QUIET).text(header, margins.left, 28, { width: width - margins.left - margins.right, align: 'right', lineBreak: false })
    pdf.font('regular').fontSize(9).text(`Page ${index + 1 - range.start} of ${range.count}`, margins.left, height - 40, { width: width - margins.left - margins.right, align: 'center', lineBreak: false })
    margins.bottom = bottom
  }
}
