import { useMemo, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { plainText } from '../../../shared/conference/richText'
import { pairViewedWords } from '../../../shared/conference/views'

/**
 * The words a view is given on, live: a map entry's text, or both halves of a danger statement
 * pair. A view keeps them, and the board says when they have changed since.
 */
export interface ViewedWords {
  readonly read: () => string
  readonly subscribe: (onChange: () => void) => () => void
}

export function fragmentWords(fragment: Y.XmlFragment): ViewedWords {
  return { read: () => plainText(fragment), subscribe: (onChange) => observeAll([fragment], onChange) }
}

export function pairWordsOf(danger: Y.XmlFragment, goal: Y.XmlFragment): ViewedWords {
  return {
    read: () => pairViewedWords({ dangerStatement: plainText(danger), safetyGoal: plainText(goal) }),
    subscribe: (onChange) => observeAll([danger, goal], onChange),
  }
}

/** Words nobody in this conference can change (a pair carried forward). */
export function fixedWords(words: string): ViewedWords {
  return { read: () => words, subscribe: () => () => undefined }
}

const NOTHING: ViewedWords = fixedWords('')

/** The words now, re-read on every change; '' without a source (nothing to compare yet). */
export function useViewedWords(source: ViewedWords | null): string {
  const { subscribe, read } = source ?? NOTHING
  return useSyncExternalStore(subscribe, read)
}

function observeAll(fragments: readonly Y.XmlFragment[], onChange: () => void): () => void {
  const listener = (): void => { onChange() }
  for (const fragment of fragments) fragment.observeDeep(listener)
  return () => { for (const fragment of fragments) fragment.unobserveDeep(listener) }
}

/** The text of a rich-text part as plain lines, live. */
export function usePlainText(fragment: Y.XmlFragment): string {
  return useViewedWords(useMemo(() => fragmentWords(fragment), [fragment]))
}
