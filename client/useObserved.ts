import { useMemo, useSyncExternalStore } from 'react'

/** A part of the record that says when it changed (EntryList, FieldMap...). */
interface Observable {
  observe(callback: () => void): () => void
}

/** Caches a value read from the record, so React gets the same snapshot until a change. */
class ObservedValue<S extends Observable, T> {
  private value: T

  constructor(private readonly source: S, private readonly read: (source: S) => T) {
    this.value = read(source)
  }

  readonly subscribe = (onChange: () => void): (() => void) => {
    // Catch up with changes made before subscribing; React compares right after this.
    this.value = this.read(this.source)
    return this.source.observe(() => {
      this.value = this.read(this.source)
      onChange()
    })
  }

  readonly get = (): T => this.value
}

/**
 * A value read from the record, re-read only when the record reports a change. `read` must be
 * a stable (module-level) function, so one cache serves each source.
 */
export function useObserved<S extends Observable, T>(source: S, read: (source: S) => T): T {
  const observed = useMemo(() => new ObservedValue(source, read), [source, read])
  return useSyncExternalStore(observed.subscribe, observed.get)
}
