import type { DragEvent } from 'react'
import type { MapSectionId } from '../../../shared/conference/map'
import { MAP_SECTION_IDS } from '../../../shared/conference/map'

/**
 * Dragging an entry by its handle, to another place in its sub-section or into another one. The
 * pointer's way only: the keyboard's is Alt+Shift+arrows and Alt+Shift+Page Up/Down, which
 * screen readers can use too (native drag and drop has no accessible way of its own).
 */

const ENTRY_TYPE = 'application/x-safetymap-entry'

export interface DraggedEntry {
  entryId: string
  sectionId: MapSectionId
}

export function startDrag(event: DragEvent, dragged: DraggedEntry): void {
  event.dataTransfer.setData(ENTRY_TYPE, JSON.stringify(dragged))
  event.dataTransfer.effectAllowed = 'move'
  // The whole entry is shown moving, not only its handle.
  const entry = event.currentTarget.closest('[data-map-entry]')
  if (entry) event.dataTransfer.setDragImage(entry, 16, 16)
}

/** True while an entry (not text or a file) is dragged over: only the types can be read then. */
export function isEntryDrag(event: DragEvent): boolean {
  return event.dataTransfer.types.includes(ENTRY_TYPE)
}

/** The entry dropped, or null for anything else. */
export function droppedEntry(event: DragEvent): DraggedEntry | null {
  try {
    const parsed: unknown = JSON.parse(event.dataTransfer.getData(ENTRY_TYPE))
    if (typeof parsed !== 'object' || parsed === null || !('entryId' in parsed) || !('sectionId' in parsed)) return null
    const { entryId, sectionId } = parsed
    if (typeof entryId !== 'string' || !(MAP_SECTION_IDS as readonly unknown[]).includes(sectionId)) return null
    return { entryId, sectionId: sectionId as MapSectionId }
  } catch {
    return null
  }
}

/** Where among `entryIds` the drop puts the entry: before the first entry whose middle is below the pointer. */
export function dropIndex(event: DragEvent, entryIds: readonly string[]): number {
  const section = event.currentTarget
  for (const [index, id] of entryIds.entries()) {
    const element = section.querySelector(`[data-map-entry="${CSS.escape(id)}"]`)
    if (!element) continue
    const box = element.getBoundingClientRect()
    if (event.clientY < box.top + box.height / 2) return index
  }
  return entryIds.length
}
