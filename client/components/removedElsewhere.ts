import { useEffect, useRef, useState } from 'react'
import type { Entry, EntryList } from '../../shared/conference/entryList'
import type { FieldValues } from '../../shared/conference/fields'

/** An entry someone removed on another device, as it read just before. */
export interface RemovedElsewhere<K extends string = string> {
  entryId: string
  /** The list it was in: a map sub-section's id, or the list's root name. */
  listKey: K
  /** Its place in that list just before, from 1: "Action 2". */
  number: number
  authorId: string
  /** Its words, as the list's `quote` gives them. */
  text: string
}

interface LastSeen {
  number: number
  authorId: string
  text: string
}

export interface RemovalWatch<F extends FieldValues, R extends string> {
  /** The words that tell people which entry went. */
  quote: (entry: Entry<F, R>) => string
  /** The origin of changes that came over the network (the sync provider). */
  fromElsewhere: unknown
  /** True when the entry is still in the record, moved to another of the lists: not removed. */
  movedTo?: (entryId: string) => boolean
}

/**
 * Watches lists of the record for entries removed on another device, so the screen can say so:
 * an entry that silently vanishes from the shared screen leaves people wondering whether
 * something broke, and which words went. Yjs cannot read an entry once it is removed, so each
 * entry's author, place and words are remembered as last seen, refreshed whenever its list
 * changes. Removals made on this device are not reported: the person saw them happen.
 *
 * `onBack` hears of every entry that appears, so a notice about one brought back can go.
 */
export function watchRemovalsElsewhere<K extends string, F extends FieldValues, R extends string>(
  lists: ReadonlyMap<K, EntryList<F, R>>,
  watch: RemovalWatch<F, R>,
  onRemoved: (removed: RemovedElsewhere<K>) => void,
  onBack: (entryId: string) => void,
): () => void {
  const { quote, fromElsewhere, movedTo = () => false } = watch
  const seen = new Map<K, ReadonlyMap<string, LastSeen>>()
  const read = (list: EntryList<F, R>): ReadonlyMap<string, LastSeen> =>
    new Map(list.entries().map((entry, index) => [entry.id, { number: index + 1, authorId: entry.authorId, text: quote(entry) }]))

  const unsubscribes = [...lists].map(([listKey, list]) => {
    seen.set(listKey, read(list))
    return list.observe((origin) => {
      const before = seen.get(listKey) ?? new Map<string, LastSeen>()
      const now = read(list)
      seen.set(listKey, now)
      for (const [entryId, was] of before) {
        if (now.has(entryId) || origin !== fromElsewhere || movedTo(entryId)) continue
        onRemoved({ entryId, listKey, ...was })
      }
      for (const entryId of now.keys()) if (!before.has(entryId)) onBack(entryId)
    })
  })
  return () => { for (const unsubscribe of unsubscribes) unsubscribe() }
}

/**
 * The last entry removed elsewhere from `lists`, until this person dismisses it or the entry comes
 * back. `lists` must keep its identity between renders (memoize it); `quote` need not.
 */
export function useRemovedElsewhere<K extends string, F extends FieldValues, R extends string>(
  lists: ReadonlyMap<K, EntryList<F, R>>,
  watch: RemovalWatch<F, R>,
): { told: RemovedElsewhere<K> | null; dismiss: () => void } {
  const [told, setTold] = useState<RemovedElsewhere<K> | null>(null)
  const latest = useRef(watch)
  useEffect(() => { latest.current = watch })
  const { fromElsewhere } = watch
  useEffect(() => watchRemovalsElsewhere(
    lists,
    { fromElsewhere, quote: (entry) => latest.current.quote(entry), movedTo: (entryId) => latest.current.movedTo?.(entryId) ?? false },
    setTold,
    (entryId) => { setTold((current) => (current?.entryId === entryId ? null : current)) },
  ), [lists, fromElsewhere])
  return { told, dismiss: () => { setTold(null) } }
}
