import { Extension } from '@tiptap/core'

/**
 * The note-taker's keys on the map: one table for the editor's key bindings and for the "Keys"
 * help, so the two never disagree. Chosen not to clash with Tiptap (Ctrl+B, Ctrl+Z, Tab in lists,
 * Shift+Enter for a new line), with screen readers (NVDA and JAWS use Insert or Caps Lock,
 * VoiceOver Ctrl+Option) or with the browser (Alt+Left/Right go back and forward, so they are
 * not used). Ctrl+Enter replaces Tiptap's second key for a line break; Shift+Enter still gives one.
 */

export type EntryCommand =
  | 'addAfter'
  | 'previousEntry'
  | 'nextEntry'
  | 'previousSection'
  | 'nextSection'
  | 'moveUp'
  | 'moveDown'
  | 'moveToPreviousSection'
  | 'moveToNextSection'
  | 'park'
  | 'remove'

export interface MapKey {
  /** ProseMirror's name for the key ("Mod" is Ctrl, or ⌘ on a Mac). */
  binding: string
  /** How it is written in the help. */
  keys: string
  does: string
}

export const ENTRY_KEYS: Record<EntryCommand, MapKey> = {
  addAfter: { binding: 'Mod-Enter', keys: 'Ctrl+Enter (⌘+Enter on a Mac)', does: 'Add a new entry after this one and go to it' },
  previousEntry: { binding: 'Alt-ArrowUp', keys: 'Alt+↑', does: 'Go to the entry above' },
  nextEntry: { binding: 'Alt-ArrowDown', keys: 'Alt+↓', does: 'Go to the entry below' },
  previousSection: { binding: 'Alt-PageUp', keys: 'Alt+Page Up', does: 'Go to the part of the map before this one' },
  nextSection: { binding: 'Alt-PageDown', keys: 'Alt+Page Down', does: 'Go to the next part of the map' },
  moveUp: { binding: 'Alt-Shift-ArrowUp', keys: 'Alt+Shift+↑', does: 'Move this entry up' },
  moveDown: { binding: 'Alt-Shift-ArrowDown', keys: 'Alt+Shift+↓', does: 'Move this entry down' },
  moveToPreviousSection: { binding: 'Alt-Shift-PageUp', keys: 'Alt+Shift+Page Up', does: 'Move this entry to the part of the map before' },
  moveToNextSection: { binding: 'Alt-Shift-PageDown', keys: 'Alt+Shift+Page Down', does: 'Move this entry to the next part of the map' },
  park: { binding: 'Alt-p', keys: 'Alt+P', does: 'Park this idea in Next steps to come back to (again: un-park it)' },
  remove: { binding: 'Alt-Shift-Backspace', keys: 'Alt+Shift+Backspace', does: 'Remove this entry (you can undo it for a while)' },
}

/** Works anywhere on the map, not only in an entry. */
export const UNDO_REMOVE_KEY: MapKey = { binding: 'Alt-Shift-z', keys: 'Alt+Shift+Z', does: 'Undo removing an entry, while “Undo” is shown' }

/** True for the undo key (read from a keyboard event outside the editors). */
export function isUndoRemoveKey(event: { altKey: boolean; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; code: string }): boolean {
  return event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyZ'
}

/**
 * The map's keys inside one entry's editor, ahead of Tiptap's own. `run` is read on every key
 * press (the editor is made once); it returns false when the command does not apply, and the
 * key then does what it would have done.
 */
export function entryKeysExtension(run: () => (command: EntryCommand) => boolean): Extension {
  return Extension.create({
    name: 'mapEntryKeys',
    priority: 1000,
    addKeyboardShortcuts() {
      return Object.fromEntries(
        (Object.entries(ENTRY_KEYS) as [EntryCommand, MapKey][]).map(([command, key]) => [key.binding, () => run()(command)]),
      )
    },
  })
}
