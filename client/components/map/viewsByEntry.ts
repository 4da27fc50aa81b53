import { oldestFirst, type View, type ViewsPart } from '../../../shared/conference/views'

/** People's views by the entry they are about (a map entry, a danger statement), oldest first. */
export function viewsByEntry(views: ViewsPart): ReadonlyMap<string, View[]> {
  const byEntry = new Map<string, View[]>()
  for (const view of views.list.entries()) {
    const { entryId } = view.fields
    byEntry.set(entryId, [...(byEntry.get(entryId) ?? []), view])
  }
  for (const list of byEntry.values()) list.sort(oldestFirst)
  return byEntry
}

/** For an entry nobody has given a view on: one array, so memoised children do not redraw. */
export const NO_VIEWS: readonly View[] = []
