import type * as Y from 'yjs'

/** Part 6 of the record: what happens if things do not change, in full and without jargon. */

export const CONTINGENCY_ROOT = 'contingency.text'
export const CONTINGENCY_ROOT_NAMES = [CONTINGENCY_ROOT] as const

export interface ContingencyPart {
  readonly text: Y.XmlFragment
}

export function contingencyPart(doc: Y.Doc): ContingencyPart {
  return { text: doc.getXmlFragment(CONTINGENCY_ROOT) }
}
