import { useId, useMemo, useRef, type DragEvent, type ReactNode } from 'react'
import { RecordValidationError } from '../../shared/conference/errors'
import type { MapEntryList, MapSectionId } from '../../shared/conference/map'
import type { View } from '../../shared/conference/views'
import type { Identity } from '../identity'
import { useMayRemove } from '../removing'
import { useObserved } from '../useObserved'
import type { ConferenceConnection, PresentPerson } from '../sync/conferenceConnection'
import { EntryCard } from './EntryCard'
import { droppedEntry, dropIndex, isEntryDrag } from './map/dragEntries'
import { useMapControls, type FocusRequest } from './map/mapControls'
import type { EntryCommand } from './map/mapKeys'
import type { EntryMove } from './map/MoveEntry'
import { useStrayEntries } from './strayEntries'
import { NO_VIEWS } from './map/viewsByEntry'

/** One sub-section of the map (e.g. Past harm): its entries, and (for those who may write) a button to add one. */
export function MapSection({ sectionId, title, heading, hint, connection, identity, people, views, canEdit, canAddViews }: {
  sectionId: MapSectionId
  /** Plain words: the sub-section's name in labels ("Add to Past harm"). */
  title: string
  /** The heading as shown (with its glossary terms explained). */
  heading: ReactNode
  hint: ReactNode
  connection: ConferenceConnection
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  views: ReadonlyMap<string, View[]>
  canEdit: boolean
  canAddViews: boolean
}) {
  const { map } = connection.record
  const list = useMemo(() => map.section(sectionId), [map, sectionId])
  const entries = useObserved(list, readEntries)
  const controls = useMapControls()
  const hintId = useId()
  const addButton = useRef<HTMLButtonElement>(null)

  const stray = useStrayEntries(list)
  const add = (after?: string): void => {
    const entry = list.add(identity.authorId, after === undefined ? {} : { after })
    stray.added(entry.id)
    controls.requestFocus({ entryId: entry.id, at: 'end' })
  }

  /** Where the focus goes when an entry leaves this sub-section: a neighbour (its text, or its Move button after a button was used), else Add. */
  const focusAfterLeaving = (entryId: string, at: FocusRequest['at'] = 'end'): void => {
    const index = entries.findIndex((entry) => entry.id === entryId)
    const neighbour = entries[index + 1] ?? entries[index - 1]
    if (neighbour && neighbour.id !== entryId) controls.requestFocus({ entryId: neighbour.id, at })
    else addButton.current?.focus()
  }

  const mayRemove = useMayRemove()
  const remove = (entryId: string, label: string): void => {
    focusAfterLeaving(entryId)
    const removal = list.removeUndoably(entryId)
    if (removal) controls.offerUndo(removal, entryId, label)
  }

  /** The sub-section `step` places before or after this one, if any. */
  const sectionBeside = (step: -1 | 1): MapSectionId | undefined => controls.sectionOrder[controls.sectionOrder.indexOf(sectionId) + step]

  /** The focus follows the entry: its text after a key, its Move button after a button. */
  const moveToSection = (entryId: string, to: MapSectionId, focus: FocusRequest['at']): void => {
    map.moveEntry(entryId, sectionId, to, identity.authorId)
    controls.requestFocus({ entryId, at: focus })
    controls.announce(`Moved to ${controls.sectionTitle(to)}.`)
  }

  /** To place `to` in this sub-section; `focus` null leaves the focus to the Move buttons. */
  const reorder = (entryId: string, to: number, focus: 'keep' | null): void => {
    if (to < 0 || to >= entries.length) return
    list.move(entryId, to)
    if (focus) controls.requestFocus({ entryId, at: focus })
    controls.announce(`Moved to place ${to + 1} of ${entries.length} in ${title}.`)
  }

  /** A change asked for by a key or a button; an entry someone else just removed or moved is said so, not thrown. */
  const guarded = (label: string, change: () => boolean): boolean => {
    try {
      return change()
    } catch (error) {
      if (!(error instanceof RecordValidationError)) throw error
      controls.announce(`${label} was just changed by someone else. Please try again.`)
      return true
    }
  }

  const run = (entryId: string, label: string, command: EntryCommand): boolean => guarded(label, () => runCommand(entryId, label, command))

  const move = (entryId: string, label: string, how: EntryMove): void => {
    guarded(label, () => {
      const index = entries.findIndex((entry) => entry.id === entryId)
      if (!canEdit || index < 0) return false
      if (how.kind === 'to') moveToSection(entryId, how.section, 'move')
      else if (how.kind === 'park') togglePark(entryId, false, label, 'move')
      else reorder(entryId, index + (how.kind === 'down' ? 1 : -1), null)
      return true
    })
  }

  const runCommand = (entryId: string, label: string, command: EntryCommand): boolean => {
    const index = entries.findIndex((entry) => entry.id === entryId)
    const entry = entries[index]
    // Those who only read may still go from entry to entry, never change the map.
    if (!entry || (!canEdit && !MOVING_FOCUS_ONLY.has(command))) return false
    switch (command) {
      case 'addAfter':
        add(entryId)
        return true
      case 'previousEntry':
      case 'nextEntry':
        controls.focusNeighbour(entryId, command === 'nextEntry' ? 1 : -1)
        return true
      case 'previousSection':
      case 'nextSection': {
        const to = sectionBeside(command === 'nextSection' ? 1 : -1)
        if (to) controls.focusSection(to)
        return true
      }
      case 'moveUp':
      case 'moveDown':
        reorder(entryId, index + (command === 'moveDown' ? 1 : -1), 'keep')
        return true
      case 'moveToPreviousSection':
      case 'moveToNextSection': {
        const to = sectionBeside(command === 'moveToNextSection' ? 1 : -1)
        if (to) moveToSection(entryId, to, 'end')
        return true
      }
      case 'park':
        togglePark(entryId, entry.fields.parked, label)
        return true
      case 'remove':
        if (mayRemove({ root: list.rootName, authorId: entry.authorId, scored: false, beingScored: false })) remove(entryId, label)
        else controls.announce(ONLY_YOUR_OWN)
        return true
    }
  }

  /** Parks the idea in Next steps (the note-taker stays here), or un-parks one that is parked. */
  const togglePark = (entryId: string, parked: boolean, label: string, focus: FocusRequest['at'] = 'end'): void => {
    if (parked) {
      list.get(entryId)?.update(identity.authorId, { parked: false })
      controls.announce(`${label} is no longer parked.`)
      return
    }
    if (sectionId !== 'nextSteps') focusAfterLeaving(entryId, focus)
    map.park(entryId, sectionId, identity.authorId)
    controls.announce(`Parked in ${controls.sectionTitle('nextSteps')}: ${label}.`)
  }

  const onDragOver = (event: DragEvent): void => {
    if (!canEdit || !isEntryDrag(event)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
  }
  const onDrop = (event: DragEvent): void => {
    const dragged = canEdit ? droppedEntry(event) : null
    if (!dragged) return
    event.preventDefault()
    const index = dropIndex(event, entries.map((entry) => entry.id))
    try {
      if (dragged.sectionId === sectionId) {
        const from = entries.findIndex((entry) => entry.id === dragged.entryId)
        list.move(dragged.entryId, from >= 0 && from < index ? index - 1 : index)
      } else {
        map.moveEntry(dragged.entryId, dragged.sectionId, sectionId, identity.authorId, index)
      }
    } catch (error) {
      if (!(error instanceof RecordValidationError)) throw error
      controls.announce('That entry was just changed by someone else. Please try again.')
    }
  }

  return (
    // Named by its plain title: an open explanation in the heading is not part of the name.
    <section className="map-section" aria-label={title} data-map-section={sectionId} onDragOver={onDragOver} onDrop={onDrop}>
      <h4>{heading}</h4>
      <p id={hintId} className="hint">{hint}</p>
      {entries.length > 0 && (
        <ol className="entries">
          {entries.map((entry, index) => {
            const label = `${title}, entry ${index + 1}`
            return (
              <li key={entry.id} data-map-entry={entry.id}>
                <EntryCard
                  entry={entry}
                  sectionId={sectionId}
                  label={label}
                  hintId={hintId}
                  provider={connection.provider}
                  identity={identity}
                  people={people}
                  views={views.get(entry.id) ?? NO_VIEWS}
                  viewsPart={connection.record.views}
                  canEdit={canEdit}
                  canAddViews={canAddViews}
                  place={{ index, count: entries.length }}
                  onCommand={(command) => run(entry.id, label, command)}
                  onMove={(how) => { move(entry.id, label, how) }}
                  onUnpark={() => { togglePark(entry.id, true, label) }}
                  onRemove={mayRemove({ root: list.rootName, authorId: entry.authorId, scored: false, beingScored: false }) ? () => { remove(entry.id, label) } : null}
                  onBlur={stray.onBlur}
                />
              </li>
            )
          })}
        </ol>
      )}
      {canEdit && (
        <button ref={addButton} type="button" className="add" aria-label={`Add to ${title}`} onClick={() => { add() }}>
          Add
        </button>
      )}
    </section>
  )
}

/** Said when the remove key is pressed on someone else's entry by a person who may not remove it. */
const ONLY_YOUR_OWN = 'You can remove only what you wrote. To take out something someone else wrote, ask whoever is chairing the meeting.'

const MOVING_FOCUS_ONLY: ReadonlySet<EntryCommand> = new Set(['previousEntry', 'nextEntry', 'previousSection', 'nextSection'])

/** The entries of a sub-section, re-read whenever the list or an entry in it changes. */
const readEntries = (list: MapEntryList) => list.entries()
