import { useState } from 'react'
import { EditorContent } from '@tiptap/react'
import type { WebsocketProvider } from 'y-websocket'
import type { Entry } from '../../shared/conference/entryList'
import type { MapEntryFields } from '../../shared/conference/map'
import type { Identity } from '../identity'
import type { PresentPerson } from '../sync/conferenceConnection'
import { useRecordEditor } from './RecordEditor'

type MapEntry = Entry<MapEntryFields, 'text'>

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
  const editor = useRecordEditor({
    fragment: entry.richText('text'),
    provider,
    identity,
    canEdit,
    label,
    describedBy: hintId,
    // touch does nothing if the entry was removed meanwhile.
    onEdited: () => { entry.touch(identity.authorId) },
    autoFocus,
    onFocused,
  })

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

function personWords(authorId: string, identity: Identity, people: ReadonlyMap<string, PresentPerson>): string {
  if (authorId === identity.authorId) return 'you'
  return people.get(authorId)?.name ?? 'someone who is not here now'
}

/** "Written by you, last changed by Sam": who wrote an entry of the record and who changed it last. */
export function byline(entry: Pick<Entry, 'authorId' | 'updatedBy'>, identity: Identity, people: ReadonlyMap<string, PresentPerson>): string {
  const writtenBy = `Written by ${personWords(entry.authorId, identity, people)}`
  if (!entry.updatedBy || entry.updatedBy === entry.authorId) return writtenBy
  return `${writtenBy}, last changed by ${personWords(entry.updatedBy, identity, people)}`
}
