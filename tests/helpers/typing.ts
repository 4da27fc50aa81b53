import * as Y from 'yjs'

/** Types one character into a rich-text field as one transaction, like a person typing. Used by tests and benchmarks. */
export function typeCharacter(fragment: Y.XmlFragment, character: string): void {
  const doc = fragment.doc
  if (!doc) throw new Error('fragment is not in a document')
  doc.transact(() => {
    let paragraph = fragment.get(fragment.length - 1)
    if (!(paragraph instanceof Y.XmlElement)) {
      paragraph = new Y.XmlElement('paragraph')
      fragment.insert(fragment.length, [paragraph])
    }
    let text = paragraph.get(0)
    if (!(text instanceof Y.XmlText)) {
      text = new Y.XmlText()
      paragraph.insert(0, [text])
    }
    text.insert(text.length, character)
  })
}
