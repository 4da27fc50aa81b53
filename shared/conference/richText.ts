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
const crossedOut = (words: string): string => `[crossed out: ${words}]`

/**
 * Plain text (as plainText writes it) without its crossed-out words, for a reader who should
 * not meet them at all: a child reading their own version. Every other document keeps them.
 */
export function withoutCrossedOut(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      // A line that began with crossed-out words loses the space after them; a nested line keeps its indentation.
      const indentation = /^ */.exec(line)?.[0] ?? ''
      const words = line.slice(indentation.length).replace(/ ?\[crossed out: [^\]]*\]/g, '').trimStart()
      return words === '' ? '' : indentation + words
    })
    .join('\n')
}

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

/** The words of an XmlText: crossed-out runs marked as such, other formatting dropped. */
function textOf(text: Y.XmlText): string {
  const delta: unknown = text.toDelta()
  if (!Array.isArray(delta)) return ''
  let words = ''
  let struck = ''
  const endStruck = (): void => {
    // Spaces around the crossed-out words stay outside the brackets.
    const [, before = '', inner = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(struck) ?? []
    words += inner ? `${before}${crossedOut(inner)}${after}` : struck
    struck = ''
  }
  for (const run of withAddresses((delta as unknown[]).flatMap((op) => runOf(op) ?? []))) {
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

function inlineText(element: Y.XmlElement): string {
  let words = ''
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) words += textOf(child)
    else if (child instanceof Y.XmlElement) words += LINE_BREAKS.has(child.nodeName) ? '\n' : inlineText(child)
  }
  return words
}

/**
 * Each item's first line after its bullet ("• ") or number ("3. "), as the editor shows it, and
 * the item's other lines (its nested lists, further paragraphs, lines after a hard break) set in
 * under it.
 */
function collectList(list: Y.XmlElement, lines: string[]): void {
  const start = Number(list.getAttribute('start'))
  const first = Number.isSafeInteger(start) ? start : 1
  list.toArray().forEach((item, index) => {
    const itemLines: string[] = []
    collectLines([item], itemLines)
    const marker = list.nodeName === 'orderedList' ? `${first + index}. ` : '• '
    const [opening = '', ...rest] = itemLines.join('\n').split('\n')
    // An empty item is an empty line, so an entry holding only that still reads as empty.
    lines.push(opening.trim() === '' ? opening : marker + opening, ...rest.map((line) => (line.trim() === '' ? line : NESTING_INDENT + line)))
  })
}

function collectLines(children: readonly (Y.XmlElement | Y.XmlText | Y.XmlHook)[], lines: string[]): void {
  for (const child of children) {
    if (child instanceof Y.XmlText) lines.push(textOf(child))
    else if (child instanceof Y.XmlElement) {
      if (LISTS.has(child.nodeName)) collectList(child, lines)
      else if (holdsText(child)) lines.push(inlineText(child))
      else collectLines(child.toArray(), lines)
    }
  }
}

/**
 * The text of a rich-text part: one line per paragraph, list items with their bullet or number,
 * a list item's further lines (a nested list, a second paragraph) set in by NESTING_INDENT per
 * level, crossed-out words marked "[crossed out: …]", a link's address after its words.
 */
export function plainText(fragment: Y.XmlFragment): string {
  const lines: string[] = []
  collectLines(fragment.toArray(), lines)
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
