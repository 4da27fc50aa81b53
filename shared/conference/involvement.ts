import type * as Y from 'yjs'

/** Part 3 of the record: how the child and the parents took part in the meeting. */

export const INVOLVEMENT_ROOT = 'involvement.text'
export const INVOLVEMENT_ROOT_NAMES = [INVOLVEMENT_ROOT] as const

export interface InvolvementPart {
  readonly text: Y.XmlFragment
}

export function involvementPart(doc: Y.Doc): InvolvementPart {
  return { text: doc.getXmlFragment(INVOLVEMENT_ROOT) }
}
