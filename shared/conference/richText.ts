import * as Y from 'yjs'
import { localEdit, type ConferenceOrigin } from './origins'

/**
 * Rich text is stored the way Tiptap (y-prosemirror) stores it: a Y.XmlFragment of block
 * elements ('paragraph', 'heading', lists...) whose text lives in Y.XmlText. These helpers read
 * and write it as plain lines, for the demo seed, exports and tests.
 */

/** Inline nodes that stand for a line break inside a paragraph. */
const LINE_BREAKS: ReadonlySet<string> = new Set(['hardBreak'])

/** List elements, whose items are read with their bullet or number. */
const LISTS: ReadonlySet<string> = new Set(['bulletList', 'orderedList'])

/**
 * What sets a line inside a list item, after its first, under that item: once per level, so a
 * sub-point typed under "Mum" reads as part of it, not as a point of its own.
 */
export const NESTING_INDENT = '  '

/** How crossed-out words read in plain text: they stay (nothing typed is lost) but never read as fact. */
const markedCrossedOut = (words: string): string => `[crossed out: ${words}]`

/**
 * What becomes of crossed-out words in plain text: 'marked' keeps them as "[crossed out: …]" (every
 * document of the record); 'left out' drops them, for a reader who should not meet them at all (a
 * child reading their own version).
 */
export type CrossedOutWords = 'marked' | 'left out'

interface Run {
  words: string
  struck: boolean
  /** Where the run's link points; '' for no link. */
  href: string
}

/** A run of text and what its marks mean in plain words. Marks are stored as attributes named after them (y-prosemirror). */
function runOf(op: unknown): Run | null {
  if (typeof op !== 'object' || op === null || !('insert' in op) || typeof op.insert !== 'string') return null
  const attributes: Record<string, unknown> = 'attributes' in op && typeof op.attributes === 'object' && op.attributes !== null ? (op.attributes as Record<string, unknown>) : {}
  const has = (mark: string): boolean => Object.keys(attributes).some((name) => name === mark || name.startsWith(`${mark}--`))
  const link = attributes.link
  const href = typeof link === 'object' && link !== null && 'href' in link && typeof link.href === 'string' ? link.href : ''
  return { words: op.insert, struck: has('strike'), href }
}

/**
 * A link's words alone would lose where it points: its address follows its last run (a link
 * partly crossed out, or partly bold, is several runs), unless its words are the address.
 */
function withAddresses(runs: readonly Run[]): Run[] {
  return runs.map((run, index) => {
    if (!run.href || runs[index + 1]?.href === run.href) return run
    let first = index
    while (first > 0 && runs[first - 1]?.href === run.href) first--
    const linkWords = runs.slice(first, index + 1).map((part) => part.words).join('')
    return linkWords.trim() === run.href ? run : { ...run, words: `${run.words} (${run.href})` }
  })
}

/**
 * The words of runs without the crossed-out ones. Where they were, the spaces around them become
 * one, and none at the start or end of the line: "I miss [my old school and] my dog." reads "I miss my dog."
 */
function withoutStruck(runs: readonly Run[]): string {
  let words = ''
  // After crossed-out words: whether a space is owed before the next words ('spaced') or not ('joined').
  let seam: 'none' | 'joined' | 'spaced' = 'none'
  for (const run of runs) {
    if (run.struck && run.words.trim() !== '') {
      seam = seam === 'spaced' || /\s$/.test(words) ? 'spaced' : 'joined'
      words = words.trimEnd()
    } else if (seam === 'none') {
      words += run.words
    } else {
      const next = run.words.trimStart()
      if (next === '') {
        if (run.words !== '') seam = 'spaced'
        continue
      }
      words += words !== '' && (seam === 'spaced' || next !== run.words) ? ` ${next}` : next
      seam = 'none'
    }
  }
  return words
}

/** The words of an XmlText, crossed-out runs as `crossedOut` says, other formatting dropped. */
function textOf(text: Y.XmlText, crossedOut: CrossedOutWords): string {
  const delta: unknown = text.toDelta()
  if (!Array.isArray(delta)) return ''
  const runs = withAddresses((delta as unknown[]).flatMap((op) => runOf(op) ?? []))
  if (crossedOut === 'left out') return withoutStruck(runs)
  let words = ''
  let struck = ''
  const endStruck = (): void => {
    // Spaces around the crossed-out words stay outside the brackets.
    const [, before = '', inner = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(struck) ?? []
    words += inner ? `${before}${markedCrossedOut(inner)}${after}` : struck
    struck = ''
  }
  for (const run of runs) {
    if (run.struck) struck += run.words
    else {
      endStruck()
      words += run.words
    }
  }
  endStruck()
  return words
}

/** True for a block that holds text directly (a paragraph, heading, code block). */
function holdsText(element: Y.XmlElement): boolean {
  if (element.length === 0) return true
  return element.toArray().some((child) => child instanceof Y.XmlText || (child instanceof Y.XmlElement && LINE_BREAKS.has(child.nodeName)))
}

function inlineText(element: Y.XmlElement, crossedOut: CrossedOutWords): string {
  let words = ''
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) words += textOf(child, crossedOut)
    else if (child instanceof Y.XmlElement) words += LINE_BREAKS.has(child.nodeName) ? '\n' : inlineText(child, crossedOut)
  }
  return words
}

/**
 * Each item's first line after its bullet ("• ") or number ("3. "), as the editor shows it, and
 * the item's other lines (its nested lists, further paragraphs, lines after a hard break) set in
 * under it.
 */
function collectList(list: Y.XmlElement, lines: string[], crossedOut: CrossedOutWords): void {
  const start = Number(list.getAttribute('start'))
  const first = Number.isSafeInteger(start) ? start : 1
  list.toArray().forEach((item, index) => {
    const itemLines: string[] = []
    collectLines([item], itemLines, crossedOut)
    const marker = list.nodeName === 'orderedList' ? `${first + index}. ` : '• '
    const [opening = '', ...rest] = itemLines.join('\n').split('\n')
    // An empty item is an empty line, so an entry holding only that still reads as empty.
    lines.push(opening.trim() === '' ? opening : marker + opening, ...rest.map((line) => (line.trim() === '' ? line : NESTING_INDENT + line)))
  })
}

function collectLines(children: readonly (Y.XmlElement | Y.XmlText | Y.XmlHook)[], lines: string[], crossedOut: CrossedOutWords): void {
  for (const child of children) {
    if (child instanceof Y.XmlText) lines.push(textOf(child, crossedOut))
    else if (child instanceof Y.XmlElement) {
      if (LISTS.has(child.nodeName)) collectList(child, lines, crossedOut)
      else if (holdsText(child)) lines.push(inlineText(child, crossedOut))
      else collectLines(child.toArray(), lines, crossedOut)
    }
  }
}

/**
 * The text of a rich-text part: one line per paragraph, list items with their bullet or number,
 * a list item's further lines (a nested list, a second paragraph) set in by NESTING_INDENT per
 * level, crossed-out words marked "[crossed out: …]" (or left out), a link's address after its words.
 */
export function plainText(fragment: Y.XmlFragment, crossedOut: CrossedOutWords = 'marked'): string {
  const lines: string[] = []
  collectLines(fragment.toArray(), lines, crossedOut)
  return lines.join('\n')
}

/** Replaces the content with plain paragraphs, one per line. The fragment must be in a doc. */
export function setPlainText(fragment: Y.XmlFragment, text: string, origin: ConferenceOrigin = localEdit): void {
  const doc = fragment.doc
  if (!doc) throw new Error('setPlainText needs a fragment that is part of a Y.Doc')
  doc.transact(() => {
    if (fragment.length > 0) fragment.delete(0, fragment.length)
    const paragraphs = text.split(/\r?\n/).map((line) => {
      const paragraph = new Y.XmlElement('paragraph')
      // An empty paragraph has no text node, as y-prosemirror writes it.
      if (line.length > 0) paragraph.insert(0, [new Y.XmlText(line)])
      return paragraph
    })
    fragment.insert(0, paragraphs)
  }, origin)
}
