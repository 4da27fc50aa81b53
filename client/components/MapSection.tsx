import { useId, useMemo, useRef, useState } from 'react'
import type { MapEntryList, MapSectionId } from '../../shared/conference/map'
import type { Identity } from '../identity'
import { useObserved } from '../useObserved'
import type { ConferenceConnection, PresentPerson } from '../sync/conferenceConnection'
import { EntryCard } from './EntryCard'

/** One sub-section of the map (e.g. Past harm): its entries, and (for those who may write) a button to add one. */
export function MapSection({ sectionId, title, hint, connection, identity, people, canEdit }: {
  sectionId: MapSectionId
  title: string
  hint: string
  connection: ConferenceConnection
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  canEdit: boolean
}) {
  const list = useMemo(() => connection.record.map.section(sectionId), [connection, sectionId])
  const entries = useObserved(list, readEntries)
  const headingId = useId()
  const hintId = useId()
  const addButton = useRef<HTMLButtonElement>(null)
  // The entry just added here, whose editor takes the focus once it exists.
  const [focusEntryId, setFocusEntryId] = useState<string | null>(null)

  const add = (): void => {
    const entry = list.add(identity.authorId)
    setFocusEntryId(entry.id)
  }

  return (
    <section className="map-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <p id={hintId} className="hint">{hint}</p>
      {entries.length > 0 && (
        <ol className="entries">
          {entries.map((entry, index) => (
            <li key={entry.id}>
              <EntryCard
                entry={entry}
                label={`${title}, entry ${index + 1}`}
                hintId={hintId}
                provider={connection.provider}
                identity={identity}
                people={people}
                canEdit={canEdit}
                autoFocus={entry.id === focusEntryId}
                onFocused={() => { setFocusEntryId(null) }}
                onRemove={() => {
                  list.remove(entry.id)
                  addButton.current?.focus()
                }}
              />
            </li>
          ))}
        </ol>
      )}
      {canEdit && (
        <button ref={addButton} type="button" className="add" aria-label={`Add to ${title}`} onClick={add}>
          Add
        </button>
      )}
    </section>
  )
}

/** The entries of a sub-section, re-read whenever the list or an entry in it changes. */
const readEntries = (list: MapEntryList) => list.entries()
