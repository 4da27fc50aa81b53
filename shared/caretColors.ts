/** Dark enough for white caret labels to read at WCAG AA. */
const CARET_COLORS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f']

/**
 * A person's caret colour, #rrggbb (the only form the caret extension accepts): the same for the
 * same participant on every device. The server sets it in awareness; the client uses it locally.
 */
export function caretColor(participantId: string): string {
  let hash = 0
  for (const character of participantId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0
  return CARET_COLORS[hash % CARET_COLORS.length] ?? '#1d4ed8'
}
