import type { ConferenceKind } from '../../shared/conference/details'
import { MAP_COLUMNS, type MapColumn } from '../../shared/conference/map'
import type { Identity } from '../identity'
import type { ConferenceConnection, PresentPerson } from '../sync/conferenceConnection'
import { MapSection } from './MapSection'

/** At a review conference the family speaks first, so the map starts with what is working well. */
function columnsFor(kind: ConferenceKind): readonly MapColumn[] {
  if (kind !== 'uk-review') return MAP_COLUMNS
  const workingWell = MAP_COLUMNS.filter((column) => column.id === 'workingWell')
  return [...workingWell, ...MAP_COLUMNS.filter((column) => column.id !== 'workingWell')]
}

/** The three columns of the Signs of Safety map, each with its sub-sections. */
export function SafetyMap({ connection, identity, people, kind, canEdit }: {
  connection: ConferenceConnection
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  kind: ConferenceKind
  /** False for roles that only read the record (observers): no editing, no Add or Remove. */
  canEdit: boolean
}) {
  return (
    <div className="map">
      {columnsFor(kind).map((column) => (
        <section key={column.id} className="map-column" aria-labelledby={`column-${column.id}`}>
          <h2 id={`column-${column.id}`}>{column.title}</h2>
          {column.sections.map((section) => (
            <MapSection
              key={section.id}
              sectionId={section.id}
              title={section.title}
              hint={section.hint}
              connection={connection}
              identity={identity}
              people={people}
              canEdit={canEdit}
            />
          ))}
        </section>
      ))}
    </div>
  )
}
