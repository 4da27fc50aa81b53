import * as Y from 'yjs'
import { localEdit, type ConferenceOrigin } from './origins'

/**
 * Rich text is stored the way Tiptap (y-prosemirror) stores it: a Y.XmlFragment of block
 * elements ('paragraph', 'heading', lists...) whose text lives in Y.XmlText. These helpers read
 * and write it as plain lines, for the demo seed, exports and tests.
 */

/** Inline nodes that stand for a line break inside a paragraph. */
const LINE_BREAKS: ReadonlySet<string> = new Set(['hardBreak'])

/** The text of an XmlText without its formatting marks. */
function textOf(text: Y.XmlText): string {
  const delta: unknown = text.toDelta()
  if (!Array.isArray(delta)) return ''
  let words = ''
  for (const op of delta as unknown[]) {
    if (typeof op === 'object' && op !== null && 'insert' in op && typeof op.insert === 'string') words += op.insert
  }
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

function collectLines(children: readonly (Y.XmlElement | Y.XmlText | Y.XmlHook)[], lines: string[]): void {
  for (const child of children) {
    if (child instanceof Y.XmlText) lines.push(textOf(child))
    else if (child instanceof Y.XmlElement) {
      if (holdsText(child)) lines.push(inlineText(child))
      else collectLines(child.toArray(), lines)
    }
  }
}

/** The text of a rich-text part: one line per paragraph (list items and quotes included). */
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
