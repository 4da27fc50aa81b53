import { useEffect, useRef, useState } from 'react'
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import Collaboration, { isChangeOrigin } from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import type { WebsocketProvider } from 'y-websocket'
import type { Entry } from '../../shared/conference/entryList'
import type { MapEntryFields } from '../../shared/conference/map'
import type { Identity } from '../identity'
import type { PresentPerson } from '../sync/conferenceConnection'

type MapEntry = Entry<MapEntryFields, 'text'>

/** Quiet time after the last keystroke before the entry records who changed it. */
const TOUCH_AFTER_MS = 1500

/** One entry of the map: a rich-text editor bound to the record, who wrote it, and Remove. */
export function EntryCard({ entry, label, hintId, provider, identity, people, canEdit, autoFocus, onFocused, onRemove }: {
  entry: MapEntry
  /** e.g. "Past harm, entry 2": the editor's accessible name. */
  label: string
  hintId: string
  provider: WebsocketProvider
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  /** False: the text is shown but cannot be changed, and there is no Remove. */
  canEdit: boolean
  autoFocus: boolean
  onFocused: () => void
  onRemove: () => void
}) {
  const [confirmingRemove, setConfirmingRemove] = useState(false)
  const touchPending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latest = useRef({ entry, authorId: identity.authorId })
  useEffect(() => { latest.current = { entry, authorId: identity.authorId } })

  const fragment = entry.richText('text')
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
      ],
      editable: canEdit,
      editorProps: { attributes: textAttributes(canEdit) },
      onUpdate: ({ transaction }) => {
        if (isChangeOrigin(transaction)) return // someone else's typing, arriving here
        if (touchPending.current) clearTimeout(touchPending.current)
        touchPending.current = setTimeout(recordChange, TOUCH_AFTER_MS)
      },
      onBlur: () => { if (touchPending.current) recordChange() },
    },
    [fragment, provider, identity, canEdit],
  )

  /** Records who last changed the entry: once per pause in typing, not per keystroke. */
  function recordChange(): void {
    if (touchPending.current) clearTimeout(touchPending.current)
    touchPending.current = null
    latest.current.entry.touch(latest.current.authorId)
  }

  // Leaving mid-pause still records the change; touch does nothing if the entry was removed.
  useEffect(() => () => { if (touchPending.current) recordChange() }, [])

  // The label holds the entry's position, which changes as others add and remove entries.
  useEffect(() => {
    editor.setOptions({
      editorProps: { attributes: { ...textAttributes(canEdit), 'aria-label': label, 'aria-describedby': hintId } },
    })
  }, [editor, label, hintId, canEdit])

  useEffect(() => {
    if (!autoFocus) return
    editor.commands.focus('end')
    onFocused()
  }, [editor, autoFocus, onFocused])

  const remove = (): void => {
    // An empty entry holds nothing anyone could miss; one with words is confirmed first.
    if (editor.isEmpty) onRemove()
    else setConfirmingRemove(true)
  }

  return (
    <article className="entry" aria-label={label}>
      <EditorContent editor={editor} />
      <div className="entry-foot">
        <p className="entry-by">{byline(entry, identity, people)}</p>
        {canEdit && !confirmingRemove && (
          <button type="button" className="secondary remove" aria-label={`Remove ${label}`} onClick={remove}>
            Remove
          </button>
        )}
      </div>
      {confirmingRemove && (
        <div className="confirm" role="group" aria-label={`Remove ${label}?`}>
          <p>Remove this entry for everyone?</p>
          <button type="button" className="danger" onClick={onRemove}>Yes, remove it</button>
          <button type="button" className="secondary" onClick={() => { setConfirmingRemove(false) }} autoFocus>Keep it</button>
        </div>
      )}
    </article>
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
  const label = document.createElement('span')
  label.className = 'collaboration-carets__label'
  label.style.backgroundColor = color
  label.textContent = typeof user.name === 'string' ? user.name : ''
  caret.append(label)
  return caret
}

function personWords(authorId: string, identity: Identity, people: ReadonlyMap<string, PresentPerson>): string {
  if (authorId === identity.authorId) return 'you'
  return people.get(authorId)?.name ?? 'someone who is not here now'
}

function byline(entry: MapEntry, identity: Identity, people: ReadonlyMap<string, PresentPerson>): string {
  const writtenBy = `Written by ${personWords(entry.authorId, identity, people)}`
  if (!entry.updatedBy || entry.updatedBy === entry.authorId) return writtenBy
  return `${writtenBy}, last changed by ${personWords(entry.updatedBy, identity, people)}`
}
