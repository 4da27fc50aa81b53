import { useCallback, useMemo, useState } from 'react'

/**
 * Who is typing, until sign-in exists: a display name the person chose and a random author id,
 * both remembered on this device. The id (not the name) is what entries record as their author.
 */
export interface Identity {
  authorId: string
  name: string
  /** Caret colour, #rrggbb (the only form the caret extension accepts). */
  color: string
}

const NAME_KEY = 'safetymap.displayName'
const AUTHOR_ID_KEY = 'safetymap.authorId'

/** Dark enough for white caret labels to read at WCAG AA. */
const CARET_COLORS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f']

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null // storage blocked (private mode, policy): fall back to this page only
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Not remembered; the person is asked again next time.
  }
}

function newAuthorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_')
}

function colorFor(authorId: string): string {
  let hash = 0
  for (const character of authorId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0
  return CARET_COLORS[hash % CARET_COLORS.length] ?? '#1d4ed8'
}

function loadAuthorId(): string {
  const stored = readStorage(AUTHOR_ID_KEY)
  if (stored) return stored
  const created = newAuthorId()
  writeStorage(AUTHOR_ID_KEY, created)
  return created
}

export const MAX_NAME_LENGTH = 60

/** The identity on this device, or null until the person has given a name. */
export function useIdentity(): { identity: Identity | null; setName: (name: string) => void } {
  const [authorId] = useState(loadAuthorId)
  const [name, setNameState] = useState(() => readStorage(NAME_KEY)?.trim() ?? '')
  const setName = useCallback((next: string) => {
    const trimmed = next.trim().slice(0, MAX_NAME_LENGTH)
    writeStorage(NAME_KEY, trimmed)
    setNameState(trimmed)
  }, [])
  // One object per name, so editors keyed on it are not rebuilt on every render.
  const identity = useMemo(() => (name ? { authorId, name, color: colorFor(authorId) } : null), [authorId, name])
  return { identity, setName }
}
