import type * as Y from 'yjs'

/**
 * The scores on every scale (each danger statement pair's and the overall one), reserved here
 * and read-only for now. A score must say truly who gave it, and chairs, advocates and
 * note-takers do not score, so only the server (which knows who is signed in) will write it,
 * in a later issue. No client code may write this root; the server refuses updates to it.
 */

export const SCORES_ROOT = 'scores'
export const SCORES_ROOT_NAMES = [SCORES_ROOT] as const

export interface ScoresPart {
  /** Everything stored so far, as plain JSON (its shape is defined by the later issue). */
  snapshot(): Readonly<Record<string, unknown>>
  observe(callback: () => void): () => void
}

export function scoresPart(doc: Y.Doc): ScoresPart {
  const scores = doc.getMap<unknown>(SCORES_ROOT)
  return {
    snapshot: () => scores.toJSON(),
    observe(callback) {
      const listener = (): void => {
        callback()
      }
      scores.observeDeep(listener)
      return () => {
        scores.unobserveDeep(listener)
      }
    },
  }
}
