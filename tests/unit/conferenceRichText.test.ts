import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { plainText, setPlainText } from '../../shared/conference'

function fragmentInDoc(): Y.XmlFragment {
  return new Y.Doc().getXmlFragment('test.text')
}

describe('rich text helpers', () => {
  test.each([
    ['one line', 'Sam was found alone at home.'],
    ['several lines', 'First\nSecond\nThird'],
    ['empty lines kept', 'Before\n\nAfter'],
    ['empty', ''],
    ['unicode', 'Ffion’s “safety house” ✓'],
  ])('setPlainText then plainText round-trips: %s', (_name, text) => {
    const fragment = fragmentInDoc()
    setPlainText(fragment, text)
    expect(plainText(fragment)).toBe(text)
  })

  test('writes the Tiptap shape: one paragraph element per line, text in XmlText', () => {
    const fragment = fragmentInDoc()
    setPlainText(fragment, 'a\r\nb')
    expect(fragment.toJSON()).toBe('<paragraph>a</paragraph><paragraph>b</paragraph>')
    const first = fragment.get(0)
    expect(first).toBeInstanceOf(Y.XmlElement)
    expect((first as Y.XmlElement).nodeName).toBe('paragraph')
    expect((first as Y.XmlElement).get(0)).toBeInstanceOf(Y.XmlText)
  })

  test('replaces what was there, in one transaction with the origin given', () => {
    const fragment = fragmentInDoc()
    setPlainText(fragment, 'old\nwords')
    const origins: unknown[] = []
    fragment.doc!.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin))
    setPlainText(fragment, 'new', { kind: 'seed' })
    expect(plainText(fragment)).toBe('new')
    expect(origins).toEqual([{ kind: 'seed' }])
  })

  test('reads what Tiptap writes: marks, headings, lists, quotes and hard breaks', () => {
    const fragment = fragmentInDoc()
    const heading = new Y.XmlElement('heading')
    heading.setAttribute('level', '2')
    const bold = new Y.XmlText()
    const paragraph = new Y.XmlElement('paragraph')
    const list = new Y.XmlElement('bulletList')
    const item = new Y.XmlElement('listItem')
    const itemParagraph = new Y.XmlElement('paragraph')
    const quote = new Y.XmlElement('blockquote')
    const quoted = new Y.XmlElement('paragraph')
    fragment.insert(0, [heading, paragraph, list, quote])
    heading.insert(0, [new Y.XmlText('Worries')])
    paragraph.insert(0, [bold, new Y.XmlElement('hardBreak'), new Y.XmlText('next line')])
    bold.insert(0, 'Mum ')
    bold.insert(4, 'said', { bold: true })
    list.insert(0, [item])
    item.insert(0, [itemParagraph])
    itemParagraph.insert(0, [new Y.XmlText('a list item')])
    quote.insert(0, [quoted])
    quoted.insert(0, [new Y.XmlText('a quote')])
    expect(plainText(fragment)).toBe('Worries\nMum said\nnext line\na list item\na quote')
  })

  test('refuses a fragment that is not in a doc', () => {
    expect(() => { setPlainText(new Y.XmlFragment(), 'x') }).toThrow(/Y.Doc/)
  })
})
