import { useEffect, useMemo, useRef } from 'react'
import { EditorContent, useEditor, type Editor, type Extensions } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import Collaboration, { isChangeOrigin } from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import type { EditorView } from '@tiptap/pm/view'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import type { Identity } from '../identity'
import type { PresentPerson } from '../sync/conferenceConnection'
import { useTermInText } from './glossary/Term'

/** Quiet time after the last keystroke before the entry records who changed it. */
const TOUCH_AFTER_MS = 1500

export interface RecordEditorOptions {
  /** The rich text of the record this editor is bound to. */
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  identity: Identity
  /** False: the text is shown but cannot be changed. */
  canEdit: boolean
  /** The editor's accessible name, e.g. "Past harm, entry 2" or "Danger statement 1". */
  label: string
  /** Id of a hint read out with the editor. */
  describedBy?: string | undefined
  /** Records who changed the text: called once per pause in typing, not per keystroke. */
  onEdited: () => void
  /** Take the focus once the editor exists (a just-added entry), then call `onFocused`. */
  autoFocus?: boolean
  onFocused?: () => void
  /**
   * More Tiptap extensions for this editor (e.g. the map's keys, glossary terms), read when the
   * editor is made: keep them stable, and let them reach changing handlers through a ref.
   */
  extensions?: Extensions
}

/**
 * One Tiptap editor bound to one rich-text part of the record: collaborative (Yjs), with other
 * people's named carets, its own undo (only this person's typing), and "who changed it"
 * recorded after each pause in typing. Every rich-text field of the board is made with this.
 */
export function useRecordEditor({ fragment, provider, identity, canEdit, label, describedBy, onEdited, autoFocus = false, onFocused, extensions = [] }: RecordEditorOptions): Editor {
  const touchPending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latestOnEdited = useRef(onEdited)
  useEffect(() => { latestOnEdited.current = onEdited })

  const editor = useEditor(
    {
      extensions: [
        // Collaboration brings its own undo, which only undoes this person's typing.
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({
          provider,
          user: { name: identity.name, color: identity.color, authorId: identity.authorId } satisfies PresentPerson,
          render: renderCaret,
        }),
        ...extensions,
      ],
      editable: canEdit,
      editorProps: { attributes: textAttributes(canEdit), ...KEEP_CLEAR_OF_THE_BAR },
      onUpdate: ({ transaction }) => {
        if (isChangeOrigin(transaction)) return // someone else's typing, arriving here
        if (touchPending.current) clearTimeout(touchPending.current)
        touchPending.current = setTimeout(recordChange, TOUCH_AFTER_MS)
      },
      onBlur: () => { if (touchPending.current) recordChange() },
    },
    [fragment, provider, identity, canEdit],
  )

  function recordChange(): void {
    if (touchPending.current) clearTimeout(touchPending.current)
    touchPending.current = null
    latestOnEdited.current()
  }

  // Leaving mid-pause still records the change (the record does nothing if the entry is gone).
  useEffect(() => () => { if (touchPending.current) recordChange() }, [])

  // The label holds the entry's position, which changes as others add and remove entries.
  useEffect(() => {
    const attributes: Record<string, string> = { ...textAttributes(canEdit), 'aria-label': label }
    if (describedBy) attributes['aria-describedby'] = describedBy
    editor.setOptions({ editorProps: { attributes, ...KEEP_CLEAR_OF_THE_BAR } })
  }, [editor, label, describedBy, canEdit])

  useEffect(() => {
    if (!autoFocus) return
    editor.commands.focus('end')
    onFocused?.()
  }, [editor, autoFocus, onFocused])

  useNamesShownAgain(editor, provider)

  return editor
}

/**
 * A caret's name fades once its owner stops (styles.css); each move or keystroke of theirs shows
 * it again here. ProseMirror keeps the caret's element as it moves, so its fade must be restarted.
 */
function useNamesShownAgain(editor: Editor, provider: WebsocketProvider): void {
  useEffect(() => {
    const { awareness } = provider
    const onChange = ({ updated }: { updated: number[] }): void => {
      if (!editor.isInitialized) return
      for (const clientId of updated) {
        const user: unknown = awareness.getStates().get(clientId)?.user
        const authorId = typeof user === 'object' && user !== null && 'authorId' in user && typeof user.authorId === 'string' ? user.authorId : null
        if (authorId === null) continue
        for (const name of editor.view.dom.querySelectorAll(`[data-caret-of="${CSS.escape(authorId)}"] > .collaboration-carets__label`)) {
          for (const fade of name.getAnimations()) {
            fade.currentTime = 0
            fade.play()
          }
        }
      }
    }
    awareness.on('change', onChange)
    return () => { awareness.off('change', onChange) }
  }, [editor, provider])
}

/**
 * Where the text being typed is scrolled to: never under the board's sticky status bar (about
 * 53 px high, more when its words wrap), so the caret stays in sight (WCAG 2.4.11). ProseMirror
 * does its own scrolling, which the page's `scroll-padding-top` does not reach.
 */
const CLEAR_OF_THE_BAR = { top: 80, bottom: 16, left: 0, right: 0 }
const KEEP_CLEAR_OF_THE_BAR = {
  scrollThreshold: CLEAR_OF_THE_BAR,
  scrollMargin: CLEAR_OF_THE_BAR,
  handleScrollToSelection: caretAlreadyInSight,
}

/**
 * ProseMirror brings the caret into view after every keystroke by measuring each of the editor's
 * ancestors up to the page: about 90 layout reads a keystroke on the board. While the caret is
 * already in sight, clear of the bar, and nothing between the editor and the page scrolls, one
 * measurement of the caret shows there is nothing to do (true: handled).
 */
function caretAlreadyInSight(view: EditorView): boolean {
  if (!scrollsWithThePageOnly(view.dom)) return false
  const caret = view.coordsAtPos(view.state.selection.head)
  return caret.top >= CLEAR_OF_THE_BAR.top && caret.bottom <= window.innerHeight - CLEAR_OF_THE_BAR.bottom
    && caret.left >= 0 && caret.right <= window.innerWidth
}

const pageOnly = new WeakMap<Element, boolean>()

/** No ancestor of the editor (below the body) scrolls or clips: only the page's scrolling moves it. Read once per editor. */
function scrollsWithThePageOnly(dom: Element): boolean {
  let known = pageOnly.get(dom)
  if (known === undefined) {
    if (!dom.isConnected) return false
    known = true
    for (let parent = dom.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      const { overflowX, overflowY } = getComputedStyle(parent)
      if (overflowX !== 'visible' || overflowY !== 'visible') {
        known = false
        break
      }
    }
    pageOnly.set(dom, known)
  }
  return known
}

/**
 * A rich-text field of the record on its own: the editor, and under it the plain meaning of the
 * professional word the person is at (a contingency that says "PLO" needs it most).
 */
export function RecordText(options: RecordEditorOptions) {
  const { glossary, explained, holder } = useTermInText()
  const { extensions: more } = options
  const extensions = useMemo(() => [...(more ?? []), glossary], [more, glossary])
  const editor = useRecordEditor({ ...options, extensions })
  return (
    <div className="record-text" {...holder}>
      <EditorContent editor={editor} />
      {explained}
    </div>
  )
}

/** The editor's element: a multi-line text box, marked read-only for those who may not write. */
function textAttributes(canEdit: boolean): Record<string, string> {
  const attributes: Record<string, string> = { class: 'entry-text', role: 'textbox', 'aria-multiline': 'true' }
  if (!canEdit) attributes['aria-readonly'] = 'true'
  return attributes
}

/**
 * Someone else's caret with their name. Hidden from screen readers: the name sits inside the
 * text and would be read out as if it were part of the entry.
 */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : 'transparent'
  const caret = document.createElement('span')
  caret.className = 'collaboration-carets__caret'
  caret.setAttribute('aria-hidden', 'true')
  caret.style.borderColor = color
  if (typeof user.authorId === 'string') caret.dataset.caretOf = user.authorId
  const label = document.createElement('span')
  label.className = 'collaboration-carets__label'
  label.style.backgroundColor = color
  label.textContent = typeof user.name === 'string' ? user.name : ''
  caret.append(label)
  return caret
}
