/**
 * What leaving or signing out would cost, asked of every part of the page that holds words the
 * server has not confirmed: the record's connection and the professionals-only part.
 */
export interface UnsavedWork {
  /** Words the server has not confirmed yet (they may still be kept on this device). */
  notSaved: () => boolean
  /** Words held nowhere but this page: closing it would lose them. */
  lostOnLeaving: () => boolean
}

const holders = new Set<UnsavedWork>()

function warnBeforeLeaving(event: BeforeUnloadEvent): void {
  if ([...holders].some((holder) => holder.lostOnLeaving())) event.preventDefault()
}

/** Registers a part of the page that may hold unsaved words; returns how to take it off. */
export function holdsUnsavedWork(work: UnsavedWork): () => void {
  if (holders.size === 0) window.addEventListener('beforeunload', warnBeforeLeaving)
  holders.add(work)
  return () => {
    holders.delete(work)
    if (holders.size === 0) window.removeEventListener('beforeunload', warnBeforeLeaving)
  }
}

/** Whether anything on this page is not on the server yet: signing out now would strand it. */
export function anythingNotSaved(): boolean {
  return [...holders].some((holder) => holder.notSaved())
}
