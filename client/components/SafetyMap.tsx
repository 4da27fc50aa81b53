import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ConferenceKind } from '../../shared/conference/details'
import type { EntryRemoval } from '../../shared/conference/entryList'
import { MAP_SECTION_IDS, mapColumnsFor, type MapEntry, type MapSection as MapSectionSpec, type MapSectionId } from '../../shared/conference/map'
import { plainText } from '../../shared/conference/richText'
import type { Identity } from '../identity'
import { useObserved } from '../useObserved'
import type { ConferenceConnection, PresentPerson } from '../sync/conferenceConnection'
import { GlossaryText } from './glossary/Term'
import { MapControlsContext, focusNeighbourIn, focusSectionIn, type FocusRequest, type MapControls } from './map/mapControls'
import { isUndoRemoveKey } from './map/mapKeys'
import { MapKeysHelp } from './map/MapKeysHelp'
import { RemovedNotice, type OfferedUndo } from './map/RemovedNotice'
import { useRemovedElsewhere } from './removedElsewhere'
import { RemovedElsewhereNotice } from './RemovedElsewhereNotice'
import { MapSection } from './MapSection'
import './map/map.css'
import { viewsByEntry } from './map/viewsByEntry'

const quoteMapEntry = (entry: MapEntry): string => plainText(entry.richText('text'))

/** The three columns of the Signs of Safety map, each with its sub-sections, and the keys to work it. */
export function SafetyMap({ connection, identity, people, kind, canEdit, canAddViews = canEdit }: {
  connection: ConferenceConnection
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  kind: ConferenceKind
  /** False for roles that only read the record (observers): no editing, no Add or Remove. */
  canEdit: boolean
  /** Permission 'addViews' (everyone but observers, so by default the same as `canEdit`). */
  canAddViews?: boolean
}) {
  const columns = mapColumnsFor(kind)
  const mapElement = useRef<HTMLDivElement>(null)
  const views = useObserved(connection.record.views, viewsByEntry)
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null)
  const [offered, setOffered] = useState<OfferedUndo | null>(null)
  const [announcement, setAnnouncement] = useState('')

  // The undo on offer, also in a ref: offering and undoing act on it once, outside React's updates.
  const offeredRef = useRef<OfferedUndo | null>(null)
  const setOffer = useCallback((next: OfferedUndo | null) => {
    offeredRef.current = next
    setOffered(next)
  }, [])
  const offerUndo = useCallback((removal: EntryRemoval, entryId: string, what: string) => {
    // One undo at a time: the one before is no longer offered.
    offeredRef.current?.removal.forget()
    setOffer({ removal, entryId, what, key: Date.now() })
  }, [setOffer])
  const undo = useCallback(() => {
    const current = offeredRef.current
    if (!current) return
    setOffer(null)
    const restored = current.removal.undo()
    setAnnouncement(restored ? `${current.what} is back.` : `${current.what} could not be brought back.`)
    if (restored) setFocusRequest({ entryId: current.entryId, at: 'end' })
  }, [setOffer])
  const expire = useCallback(() => {
    offeredRef.current?.removal.forget()
    setOffer(null)
  }, [setOffer])
  // Nothing is kept for an undo once the map is gone.
  useEffect(() => () => { offeredRef.current?.removal.forget() }, [])
  // Nor once this person may no longer change the record (the chair closed it): an undo then
  // would be refused by the server, and their connection closed with it.
  useEffect(() => {
    if (!canEdit && offeredRef.current) expire()
  }, [canEdit, expire])

  const sections = useMemo(() => columns.flatMap((column): readonly MapSectionSpec[] => column.sections), [columns])
  const sectionTitle = useCallback((id: MapSectionId): string => sections.find((section) => section.id === id)?.title ?? id, [sections])
  const { map } = connection.record
  const mapSections = useMemo(() => new Map(MAP_SECTION_IDS.map((id) => [id, map.section(id)])), [map])
  const removedElsewhere = useRemovedElsewhere(mapSections, {
    quote: quoteMapEntry,
    fromElsewhere: connection.provider,
    // An entry moved to another sub-section has not been removed.
    movedTo: (entryId) => map.sectionOf(entryId) !== null,
  })
  const { told } = removedElsewhere

  const controls = useMemo<MapControls>(() => {
    return {
      sectionOrder: sections.map((section) => section.id),
      sectionTitle,
      focusRequest,
      requestFocus: setFocusRequest,
      offerUndo,
      announce: setAnnouncement,
      focusSection: (id) => { if (mapElement.current) focusSectionIn(mapElement.current, id) },
      focusNeighbour: (entryId, direction) => (mapElement.current ? focusNeighbourIn(mapElement.current, entryId, direction) : false),
    }
  }, [sections, focusRequest, offerUndo, sectionTitle])

  const onKeyDown = (event: KeyboardEvent): void => {
    if (!canEdit || !offeredRef.current || !isUndoRemoveKey(event)) return
    event.preventDefault()
    undo()
  }

  return (
    <MapControlsContext value={controls}>
      {/* Keys pressed anywhere on the map reach here; the one for Undo is handled at this level. */}
      <div className="map-area" ref={mapElement} onKeyDown={onKeyDown}>
        <div className="map-tools">
          {/* Keys for those who write; the shared screen and observers have no editing chrome. */}
          {canEdit && <MapKeysHelp />}
          <div className="map-notices">
            <RemovedElsewhereNotice
              told={told && { what: `an entry from ${sectionTitle(told.listKey)}`, authorId: told.authorId, text: told.text }}
              identity={identity}
              people={people}
              onDismiss={removedElsewhere.dismiss}
            />
            <RemovedNotice offered={offered} onUndo={undo} onExpired={expire} />
          </div>
          <p className="visually-hidden" aria-live="polite">{announcement}</p>
        </div>
        <div className="map">
          {columns.map((column) => (
            <section key={column.id} className="map-column" aria-labelledby={`column-${column.id}`}>
              <h3 id={`column-${column.id}`}>{column.title}</h3>
              {column.sections.map((section) => (
                <MapSection
                  key={section.id}
                  sectionId={section.id}
                  title={section.title}
                  hint={<GlossaryText text={section.hint} />}
                  heading={<GlossaryText text={section.title} />}
                  connection={connection}
                  identity={identity}
                  people={people}
                  views={views}
                  canEdit={canEdit}
                  canAddViews={canAddViews}
                />
              ))}
            </section>
          ))}
        </div>
      </div>
    </MapControlsContext>
  )
}
