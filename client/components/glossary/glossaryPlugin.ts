import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { findTerms, glossaryTerm, type GlossaryTerm } from '../../../shared/glossary'

/** The attribute a marked term carries in the editor's DOM: the glossary id. */
const TERM_ATTRIBUTE = 'data-glossary'

/** Marks every glossary term in the text (a decoration: the record itself is not changed). */
function decorate(doc: ProseMirrorNode): DecorationSet {
  const decorations: Decoration[] = []
  doc.descendants((node, position) => {
    if (!node.isText || !node.text) return
    for (const { term, from, to } of findTerms(node.text)) {
      decorations.push(Decoration.inline(position + from, position + to, { class: 'glossary-term', [TERM_ATTRIBUTE]: term.id }, { termId: term.id }))
    }
  })
  return DecorationSet.create(doc, decorations)
}

/** The term under the caret, if any. */
function termAtCaret(key: PluginKey<DecorationSet>, state: EditorState): GlossaryTerm | null {
  const { from } = state.selection
  const [found] = key.getState(state)?.find(from, from) ?? []
  const spec: unknown = found?.spec
  const termId = typeof spec === 'object' && spec !== null && 'termId' in spec ? spec.termId : null
  return typeof termId === 'string' ? glossaryTerm(termId) ?? null : null
}

function termOfElement(target: EventTarget | null): GlossaryTerm | null {
  if (!(target instanceof Element)) return null
  const id = target.closest(`[${TERM_ATTRIBUTE}]`)?.getAttribute(TERM_ATTRIBUTE)
  return id ? glossaryTerm(id) ?? null : null
}

/** How the person reached a term: a tap (finger or pen), the mouse pointer, or the caret. */
export type TermReached = 'tap' | 'pointer' | 'caret'

/**
 * Marks glossary terms inside an entry and says which one the person is at: the caret moved
 * into it (keyboard), the pointer is over it or clicked it, or a finger or pen tapped it. `onTerm`
 * gets the term, or null when they left it, and how; the editor's owner shows the explanation.
 */
export function glossaryExtension(onTerm: (term: GlossaryTerm | null, how: TermReached) => void): Extension {
  return Extension.create({
    name: 'glossaryTerms',
    addProseMirrorPlugins() {
      const key = new PluginKey<DecorationSet>('glossaryTerms')
      return [
        new Plugin<DecorationSet>({
          key,
          state: {
            init: (_config, state) => decorate(state.doc),
            apply: (transaction, decorations) => (transaction.docChanged ? decorate(transaction.doc) : decorations),
          },
          props: {
            decorations: (state) => key.getState(state),
            handleDOMEvents: {
              // A tap on a marked word (a finger or a pen) is to learn what it means: it must not put
              // the caret in the entry and bring up the keyboard, where one stray key would change
              // someone else's words under this person's name.
              pointerdown: (_view, event) => {
                const term = event.pointerType !== 'mouse' ? termOfElement(event.target) : null
                if (!term) return false
                event.preventDefault()
                onTerm(term, 'tap')
                return true
              },
              mouseover: (_view, event) => {
                const term = termOfElement(event.target)
                if (term) onTerm(term, 'pointer')
                return false
              },
              click: (_view, event) => {
                const term = termOfElement(event.target)
                if (term) onTerm(term, 'pointer')
                return false
              },
            },
          },
          view: () => ({
            update: (view, previous) => {
              // Only this person's own caret: others' typing must not open explanations here.
              if (!view.hasFocus() || view.state.selection.eq(previous.selection)) return
              onTerm(termAtCaret(key, view.state), 'caret')
            },
          }),
        }),
      ]
    },
  })
}
