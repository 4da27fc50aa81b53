import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { EditorContent } from '@tiptap/react'
import type { WebsocketProvider } from 'y-websocket'
import type { Entry } from '../../shared/conference/entryList'
import type { MapEntryFields, MapSectionId } from '../../shared/conference/map'
import type { View, ViewsPart } from '../../shared/conference/views'
import { entrySource } from '../../shared/conference/details'
import type { Identity } from '../identity'
import type { PresentPerson } from '../sync/conferenceConnection'
import { useTermInText } from './glossary/Term'
import { startDrag } from './map/dragEntries'
import { EntryViews } from './map/EntryViews'
import { fragmentWords } from './map/viewedWords'
import { useMapControls } from './map/mapControls'
import { entryKeysExtension, type EntryCommand } from './map/mapKeys'
import { MoveEntry, type EntryMove } from './map/MoveEntry'
import { useRecordEditor } from './RecordEditor'
import type { useStrayEntries } from './strayEntries'

type MapEntry = Entry<MapEntryFields, 'text'>

/**
 * One entry of the map: a rich-text editor bound to the record (with the map's keys and its
 * professional words explained), who wrote it, whether it is parked, people's views on it, a
 * drag handle, Move and Remove.
 */
export function EntryCard({ entry, sectionId, place, label, hintId, provider, identity, people, views, viewsPart, canEdit, canAddViews, onCommand, onMove, onUnpark, onRemove, onBlur }: {
  entry: MapEntry
  sectionId: MapSectionId
  /** Where it is in its sub-section: 0-based, of how many. */
  place: { index: number; count: number }
  /** e.g. "Past harm, entry 2": the editor's accessible name. */
  label: string
  hintId: string
  provider: WebsocketProvider
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  /** Everyone's views on this entry, oldest first. */
  views: readonly View[]
  viewsPart: ViewsPart
  /** False: the text is shown but cannot be changed, and there is no Remove. */
  canEdit: boolean
  canAddViews: boolean
  /** A map key pressed in the editor; false when it does not apply here. */
  onCommand: (command: EntryCommand) => boolean
  /** A move asked for with the Move buttons. */
  onMove: (move: EntryMove) => void
  onUnpark: () => void
  /** Null when this person may not remove it (someone else wrote it). */
  onRemove: (() => void) | null
  /** Focus left some part of the entry; told whether the entry holds nothing (no words, no views). */
  onBlur: ReturnType<typeof useStrayEntries>['onBlur']
}) {
  const [confirmingRemove, setConfirmingRemove] = useState(false)
  // The professional word the person is at (caret, pointer or tap), explained under the entry.
  const { glossary, explained, holder } = useTermInText()
  const bylineId = useId()
  const parkedId = useId()
  const { parked } = entry.fields
  const { focusRequest, requestFocus } = useMapControls()

  const latestOnCommand = useRef(onCommand)
  useEffect(() => { latestOnCommand.current = onCommand })
  // Made once with the editor: the handlers are reached through the ref.
  const extensions = useMemo(() => [
    entryKeysExtension(() => (command) => latestOnCommand.current(command)),
    glossary,
  ], [glossary])

  const fragment = entry.richText('text')
  const words = useMemo(() => fragmentWords(fragment), [fragment])
  const editor = useRecordEditor({
    fragment,
    provider,
    identity,
    canEdit,
    label,
    // Read out with the entry: who wrote it, whether it is parked, then the sub-section's hint.
    describedBy: [bylineId, parked ? parkedId : null, hintId].filter(Boolean).join(' '),
    // touch does nothing if the entry was removed meanwhile.
    onEdited: () => { entry.touch(identity.authorId) },
    extensions,
  })

  const moveButton = useRef<HTMLButtonElement>(null)

  // A new, moved or reordered entry takes the focus once it is on screen.
  useEffect(() => {
    if (focusRequest?.entryId !== entry.id) return
    if (focusRequest.at === 'move') {
      // Moved with the buttons: no caret (on a phone it would bring up the keyboard).
      moveButton.current?.focus()
      requestFocus(null)
      return
    }
    // At once, so keys typed right after Ctrl+Enter land here (Tiptap's focus waits a frame).
    editor.view.focus()
    editor.commands.focus(focusRequest.at === 'end' ? 'end' : null)
    requestFocus(null)
  }, [focusRequest, entry.id, editor, requestFocus])

  const leftEmpty = onBlur(entry.id, () => editor.isEmpty && views.length === 0)

  const remove = (): void => {
    // An empty entry holds nothing anyone could miss; one with words is confirmed first.
    if (editor.isEmpty) onRemove?.()
    else setConfirmingRemove(true)
  }

  return (
    <article
      className={parked ? 'entry parked' : 'entry'}
      aria-label={label}
      {...holder}
      // Replaces the holder's onBlur, and calls it.
      onBlur={(event) => {
        holder.onBlur(event)
        leftEmpty(event)
      }}
    >
      {parked && (
        <p id={parkedId} className="parked-note">
          <strong>Parked</strong>
          <span> — to come back to before the end</span>
          {canEdit && (
            <button type="button" className="link-button" aria-label={`Un-park ${label}`} onClick={onUnpark}>Un-park</button>
          )}
        </p>
      )}
      <EditorContent editor={editor} />
      {explained}
      <div className="entry-foot">
        {canEdit && (
          // The pointer's way to move an entry; the keyboard's is in "Keys for the map".
          <span
            className="drag-handle"
            draggable
            aria-hidden="true"
            title="Drag to move this entry"
            onDragStart={(event) => { startDrag(event, { entryId: entry.id, sectionId }) }}
          >
            ⠿
          </span>
        )}
        <p id={bylineId} className="entry-by">{byline(entry, identity, people)}</p>
        {canEdit && <MoveEntry label={label} sectionId={sectionId} place={place} parked={parked} onMove={onMove} toggleRef={moveButton} />}
        {onRemove && !confirmingRemove && (
          <button type="button" className="secondary remove" aria-label={`Remove ${label}`} onClick={remove}>
            Remove
          </button>
        )}
      </div>
      {confirmingRemove && onRemove && (
        <div className="confirm" role="group" aria-label={`Remove ${label}?`}>
          <p>Remove this entry for everyone? You can undo it for a while.</p>
          <button type="button" className="danger" onClick={onRemove}>Yes, remove it</button>
          <button type="button" className="secondary" onClick={() => { setConfirmingRemove(false) }} autoFocus>Keep it</button>
        </div>
      )}
      <EntryViews entryId={entry.id} label={label} words={words} views={views} viewsPart={viewsPart} identity={identity} people={people} canAddViews={canAddViews} />
    </article>
  )
}

export function personWords(authorId: string, identity: Identity, people: ReadonlyMap<string, PresentPerson>): string {
  if (authorId === identity.authorId) return 'you'
  return people.get(authorId)?.name ?? 'someone who is not here now'
}

/** "Written by you, last changed by Sam": who wrote an entry of the record and who changed it last. */
export function byline(entry: Pick<Entry, 'authorId' | 'updatedBy'>, identity: Identity, people: ReadonlyMap<string, PresentPerson>): string {
  const source = entrySource(entry.authorId)
  const writtenBy = source ? `From ${source}` : `Written by ${personWords(entry.authorId, identity, people)}`
  if (!entry.updatedBy || entry.updatedBy === entry.authorId) return writtenBy
  return `${writtenBy}, last changed by ${personWords(entry.updatedBy, identity, people)}`
}
