import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getSchema, type JSONContent } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { plainText, setPlainText } from '../../shared/conference'
import type { CrossedOutWords } from '../../shared/conference/richText'

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
    expect(plainText(fragment)).toBe('Worries\nMum said\nnext line\n• a list item\na quote')
  })

  describe('as the editor writes it (Tiptap’s own schema and Yjs binding)', () => {
    const schema = getSchema([StarterKit])
    const text = (words: string, ...marks: JSONContent['marks'] & object): JSONContent => ({ type: 'text', text: words, marks })
    const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content })
    const item = (...content: JSONContent[]): JSONContent => ({ type: 'listItem', content })
    const readAs = (crossedOut: CrossedOutWords, ...content: JSONContent[]): string => {
      const fragment = fragmentInDoc()
      prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content }, fragment)
      return plainText(fragment, crossedOut)
    }
    const read = (...content: JSONContent[]): string => readAs('marked', ...content)

    test('crossed-out words stay, marked as crossed out, so an export never shows them as fact', () => {
      const strike = { type: 'strike' }
      expect(read(paragraph(text('Dad '), text('hit Sam', strike), text(' shouted at Sam.')))).toBe('Dad [crossed out: hit Sam] shouted at Sam.')
      // One crossed-out stretch, whatever other marks part of it has; its spaces stay outside.
      expect(read(paragraph(text('Mum said '), text('never ', strike), text('again', strike, { type: 'bold' }), text(' no.')))).toBe('Mum said [crossed out: never again] no.')
      expect(read(paragraph(text('all of it', strike)))).toBe('[crossed out: all of it]')
      expect(read(paragraph(text('a', strike), text(' b '), text('c', strike)))).toBe('[crossed out: a] b [crossed out: c]')
    })

    test('left out, crossed-out words go whole, brackets in them or not, and the spaces where they were become one', () => {
      const strike = { type: 'strike' }
      const without = (...content: JSONContent[]): string => readAs('left out', ...content)
      expect(without(paragraph(text('I like school '), text('Dad [my step-dad] hits Mum', strike), text(' and my cat')))).toBe('I like school and my cat')
      expect(without(paragraph(text('I like school '), text('[crossed out: no]] hits', strike), text(' and my cat')))).toBe('I like school and my cat')
      expect(without(paragraph(text('all of it', strike)))).toBe('')
      expect(without(paragraph(text('a', strike), text(' b '), text('c', strike)))).toBe('b')
      expect(without(paragraph(text('cat'), text('s', strike), text(' and dog')))).toBe('cat and dog')
      expect(without(paragraph(text('Mum said '), text('never ', strike), text('again', strike, { type: 'bold' }), text(' no.')))).toBe('Mum said no.')
      expect(without(paragraph(text('see '), text('the report', strike, { type: 'link', attrs: { href: 'https://ex.org/r' } }), text(' now')))).toBe('see now')
    })

    test('list items keep their numbers and bullets, counting from where the list starts', () => {
      expect(
        read(
          paragraph(text('Steps:')),
          { type: 'orderedList', attrs: { start: 3 }, content: [item(paragraph(text('Call Gran'))), item(paragraph(text('Visit school')), { type: 'bulletList', content: [item(paragraph(text('Monday')))] })] },
          { type: 'orderedList', content: [item(paragraph(text('First')))] },
        ),
      ).toBe('Steps:\n3. Call Gran\n4. Visit school\n  • Monday\n1. First')
    })

    test('a nested list or a second paragraph in a list item is set in under it, so a sub-point never reads as a point of its own', () => {
      const bullets = (...items: JSONContent[]): JSONContent => ({ type: 'bulletList', content: items })
      const numbers = (...items: JSONContent[]): JSONContent => ({ type: 'orderedList', content: items })
      expect(read(bullets(item(paragraph(text('Mum')), bullets(item(paragraph(text('goes to the parenting group'))))), item(paragraph(text('Dad')))))).toBe(
        '• Mum\n  • goes to the parenting group\n• Dad',
      )
      expect(read(bullets(item(paragraph(text('Before Friday')), numbers(item(paragraph(text('Call Gran'))), item(paragraph(text('Visit school')), bullets(item(paragraph(text('with Sam')))))))))).toBe(
        '• Before Friday\n  1. Call Gran\n  2. Visit school\n    • with Sam',
      )
      expect(read(bullets(item(paragraph(text('Grandma has Sam on late shifts')), paragraph(text('from tonight, until the review'))), item(paragraph(text('Dad')))))).toBe(
        '• Grandma has Sam on late shifts\n  from tonight, until the review\n• Dad',
      )
      // A child reading their own version meets no crossed-out words, and the same nesting.
      const struckSubPoint = item(paragraph(text('shouts', { type: 'strike' }), text(' sings')))
      expect(readAs('left out', bullets(item(paragraph(text('Mum')), bullets(struckSubPoint))))).toBe('• Mum\n  • sings')
    })

    test('an empty list item reads as an empty line, so an entry holding only that is still empty', () => {
      expect(read({ type: 'bulletList', content: [item(paragraph())] })).toBe('')
      expect(read({ type: 'bulletList', content: [item(paragraph(), { type: 'bulletList', content: [item(paragraph())] })] })).toBe('\n')
    })

    test('a link keeps where it points when its words are not the address', () => {
      const link = (href: string) => ({ type: 'link', attrs: { href } })
      expect(read(paragraph(text('See the '), text('school report', link('https://school.example/report')), text('.')))).toBe('See the school report (https://school.example/report).')
      expect(read(paragraph(text('https://school.example', link('https://school.example'))))).toBe('https://school.example')
      // A link partly crossed out or partly bold is several runs: its address is given once, after it.
      const report = link('https://ex.org/r')
      expect(read(paragraph(text('see '), text('the', report, { type: 'strike' }), text(' report', report), text(' now')))).toBe('see [crossed out: the] report (https://ex.org/r) now')
      expect(read(paragraph(text('https://', report, { type: 'bold' }), text('ex.org/r', report)))).toBe('https://ex.org/r')
      expect(read(paragraph(text('one', report), text(' two', link('https://ex.org/2'))))).toBe('one (https://ex.org/r) two (https://ex.org/2)')
    })
  })

  test('refuses a fragment that is not in a doc', () => {
    expect(() => { setPlainText(new Y.XmlFragment(), 'x') }).toThrow(/Y.Doc/)
  })
})
