import { useCallback, useEffect, useId, useMemo, useRef, useState, type FocusEvent, type ReactNode } from 'react'
import type { Entry, EntryList } from '../../../shared/conference/entryList'
import type { FieldValues } from '../../../shared/conference/fields'
import type { Identity } from '../../identity'
import type { ConferenceConnection, PresentPerson } from '../../sync/conferenceConnection'
import { useMayRemove } from '../../removing'
import { useObserved } from '../../useObserved'
import { byline } from '../EntryCard'
import { useRemovedElsewhere } from '../removedElsewhere'
import { RemovedElsewhereNotice } from '../RemovedElsewhereNotice'
import { useStrayEntries } from '../strayEntries'
import { isBlankEntry } from './entryWords'

/**
 * One list of the record (the children, the people, the actions...) under its own heading: each
 * entry with its fields, who wrote it and Remove (where this person may remove it), and Add for those who may write. A new entry's
 * first field takes the focus; an entry with anything in it is confirmed before it goes. When
 * someone else removes an entry, this person is told which one went.
 */
export function EntryListSection<F extends FieldValues, R extends string>({ list, connection, quote, blank, title, hint, entryName, addLabel, emptyWords, identity, people, canEdit, children }: {
  list: EntryList<F, R>
  connection: ConferenceConnection
  /** The words that tell people which entry it was, when someone else removes it: an action's "what". */
  quote: (entry: Entry<F, R>) => string
  /** The fields of a new entry: an entry still like this, with no text, is removed without asking. */
  blank: F
  title: string
  hint?: string
  /** What one entry is called: "Child" labels them "Child 1", "Child 2"... */
  entryName: string
  addLabel: string
  /** Shown while the list is empty. */
  emptyWords: string
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  canEdit: boolean
  /** The fields of one entry; `label` ("Child 2") tells its fields apart from the other entries'. */
  children: (entry: Entry<F, R>, label: string) => ReactNode
}) {
  const entries = useObserved(list, readEntries)
  const mayRemove = useMayRemove()
  const headingId = useId()
  const addButton = useRef<HTMLButtonElement>(null)
  // The entry just added here, whose first field takes the focus once it is on screen.
  const [focusEntryId, setFocusEntryId] = useState<string | null>(null)
  const onFocused = useCallback(() => { setFocusEntryId(null) }, [])
  const lists = useMemo(() => new Map([[list.rootName, list]]), [list])
  const removedElsewhere = useRemovedElsewhere(lists, { quote, fromElsewhere: connection.provider })
  const { told } = removedElsewhere
  const stray = useStrayEntries(list)

  return (
    <section className="record-list" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {hint && <p className="hint">{hint}</p>}
      <RemovedElsewhereNotice
        told={told && { what: `${entryName} ${String(told.number)}`, authorId: told.authorId, text: told.text }}
        identity={identity}
        people={people}
        onDismiss={removedElsewhere.dismiss}
      />
      {entries.length === 0 ? (
        <p className="waiting">{emptyWords}</p>
      ) : (
        <ol className="record-entries">
          {entries.map((entry, index) => {
            const label = `${entryName} ${index + 1}`
            return (
              <li key={entry.id}>
                <ListEntry
                  label={label}
                  byWords={byline(entry, identity, people)}
                  blank={isBlankEntry(entry, blank, list.richTextParts)}
                  autoFocus={entry.id === focusEntryId}
                  onFocused={onFocused}
                  onBlur={stray.onBlur(entry.id, () => isBlankEntry(entry, blank, list.richTextParts))}
                  onRemove={mayRemove({ root: list.rootName, authorId: entry.authorId, scored: false, beingScored: false }) ? () => {
                    list.remove(entry.id)
                    addButton.current?.focus()
                  } : null}
                >
                  {children(entry, label)}
                </ListEntry>
              </li>
            )
          })}
        </ol>
      )}
      {canEdit && (
        <button ref={addButton} type="button" className="add" onClick={() => {
          const { id } = list.add(identity.authorId)
          stray.added(id)
          setFocusEntryId(id)
        }}>
          {addLabel}
        </button>
      )}
    </section>
  )
}

function ListEntry({ label, byWords, blank, autoFocus, onFocused, onBlur, onRemove, children }: {
  label: string
  byWords: string
  blank: boolean
  autoFocus: boolean
  onFocused: () => void
  onBlur: (event: FocusEvent<HTMLElement>) => void
  /** Null when this person may not remove it (someone else wrote it). */
  onRemove: (() => void) | null
  children: ReactNode
}) {
  const article = useRef<HTMLElement>(null)
  const [confirmingRemove, setConfirmingRemove] = useState(false)

  useEffect(() => {
    if (!autoFocus) return
    article.current?.querySelector<HTMLElement>('input, select, textarea, [contenteditable="true"]')?.focus()
    onFocused()
  }, [autoFocus, onFocused])

  return (
    <article ref={article} className="entry record-entry" aria-label={label} onBlur={onBlur}>
      <p className="record-entry-title">{label}</p>
      <div className="record-fields">{children}</div>
      <div className="entry-foot">
        <p className="entry-by">{byWords}</p>
        {onRemove && !confirmingRemove && (
          <button
            type="button"
            className="secondary remove"
            aria-label={`Remove ${label}`}
            onClick={() => {
              // An entry nobody has filled in holds nothing anyone could miss.
              if (blank) onRemove()
              else setConfirmingRemove(true)
            }}
          >
            Remove
          </button>
        )}
      </div>
      {confirmingRemove && onRemove && (
        <div className="confirm" role="group" aria-label={`Remove ${label}?`}>
          <p>Remove {label.toLowerCase()} for everyone?</p>
          <button type="button" className="danger" onClick={onRemove}>Yes, remove it</button>
          <button type="button" className="secondary" onClick={() => { setConfirmingRemove(false) }} autoFocus>Keep it</button>
        </div>
      )}
    </article>
  )
}

/** The entries in order, re-read whenever the list or anything in it changes. */
function readEntries<F extends FieldValues, R extends string>(list: EntryList<F, R>): Entry<F, R>[] {
  return list.entries()
}
