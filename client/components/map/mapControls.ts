import { createContext, useContext } from 'react'
import type { TiptapEditorHTMLElement } from '@tiptap/core'
import type { EntryRemoval } from '../../../shared/conference/entryList'
import type { MapSectionId } from '../../../shared/conference/map'

/** An entry whose editor should take the focus once it is on screen. */
export interface FocusRequest {
  entryId: string
  /** 'end': caret at the end (a new or moved entry); 'keep': where it was (reordered); 'move': its Move button (moved with it). */
  at: 'end' | 'keep' | 'move'
}

/** What the map's sub-sections share: the order of the sub-sections, focus, undo, announcements. */
export interface MapControls {
  /** The sub-sections in the order they are shown (a review starts with what is working well). */
  sectionOrder: readonly MapSectionId[]
  sectionTitle: (id: MapSectionId) => string
  focusRequest: FocusRequest | null
  requestFocus: (request: FocusRequest | null) => void
  /** An entry was removed: offer "Removed. Undo" for a while. */
  offerUndo: (removal: EntryRemoval, entryId: string, what: string) => void
  /** Said by screen readers, politely (e.g. "Parked in Next steps"). */
  announce: (words: string) => void
  /** Focus goes to a sub-section: its first entry, or its Add button when it has none. */
  focusSection: (id: MapSectionId) => void
  /** Focus goes to the entry before or after this one on the whole map; false at either end. */
  focusNeighbour: (entryId: string, direction: -1 | 1) => boolean
}

export const MapControlsContext = createContext<MapControls | null>(null)

export function useMapControls(): MapControls {
  const controls = useContext(MapControlsContext)
  if (!controls) throw new Error('useMapControls is for the parts of a SafetyMap')
  return controls
}

/** The entry elements of the map, in reading order (column by column). */
function entryElements(map: HTMLElement): HTMLElement[] {
  return [...map.querySelectorAll<HTMLElement>('[data-map-entry]')]
}

/** Puts the caret at the end of an entry's editor (the editor element knows its Tiptap editor). */
export function focusEntryElement(entry: Element): boolean {
  const text = entry.querySelector<TiptapEditorHTMLElement>('.ProseMirror')
  if (!text) return false
  if (text.editor) text.editor.commands.focus('end')
  else text.focus()
  return true
}

export function focusNeighbourIn(map: HTMLElement, entryId: string, direction: -1 | 1): boolean {
  const entries = entryElements(map)
  const index = entries.findIndex((element) => element.dataset.mapEntry === entryId)
  const neighbour = index < 0 ? undefined : entries[index + direction]
  return neighbour ? focusEntryElement(neighbour) : false
}

export function focusSectionIn(map: HTMLElement, id: MapSectionId): void {
  const section = map.querySelector(`[data-map-section="${id}"]`)
  if (!section) return
  const first = section.querySelector('[data-map-entry]')
  if (first && focusEntryElement(first)) return
  section.querySelector<HTMLElement>('button.add')?.focus()
}
