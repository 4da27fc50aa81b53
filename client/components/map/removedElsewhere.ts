import { plainText } from '../../../shared/conference'
import { MAP_SECTION_IDS, type MapPart, type MapSectionId } from '../../../shared/conference/map'

/** An entry someone removed on another device, as it read just before. */
export interface RemovedElsewhere {
  entryId: string
  sectionId: MapSectionId
  authorId: string
  text: string
}

interface LastSeen {
  authorId: string
  text: string
}

/**
 * Watches the map for entries removed on another device, so the board can say so: an entry that
 * silently vanishes from the shared screen leaves people wondering whether something broke, and
 * which words went. Yjs cannot read an entry once it is removed, so each entry's author and text
 * are remembered as last seen, refreshed whenever its sub-section changes. An entry moved to
 * another sub-section has not been removed; removals made on this device offer their own undo.
 *
 * `fromElsewhere` is the origin of changes that came over the network (the sync provider).
 * `onBack` hears of every entry that appears, so a notice about one brought back can go.
 */
export function watchRemovalsElsewhere(
  map: MapPart,
  fromElsewhere: unknown,
  onRemoved: (removed: RemovedElsewhere) => void,
  onBack: (entryId: string) => void,
): () => void {
  const seen = new Map<MapSectionId, ReadonlyMap<string, LastSeen>>()
  const read = (sectionId: MapSectionId): ReadonlyMap<string, LastSeen> =>
    new Map(map.section(sectionId).entries().map((entry) => [entry.id, { authorId: entry.authorId, text: plainText(entry.richText('text')) }]))

  const unsubscribes = MAP_SECTION_IDS.map((sectionId) => {
    seen.set(sectionId, read(sectionId))
    return map.section(sectionId).observe((origin) => {
      const before = seen.get(sectionId) ?? new Map<string, LastSeen>()
      const now = read(sectionId)
      seen.set(sectionId, now)
      for (const [entryId, was] of before) {
        if (now.has(entryId) || origin !== fromElsewhere || map.sectionOf(entryId) !== null) continue
        onRemoved({ entryId, sectionId, ...was })
      }
      for (const entryId of now.keys()) if (!before.has(entryId)) onBack(entryId)
    })
  })
  return () => { for (const unsubscribe of unsubscribes) unsubscribe() }
}
