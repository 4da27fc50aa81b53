import type * as Y from 'yjs'
import { fieldKeys, readFields, validatePatch, type FieldSpec, type FieldValues } from './fields'
import { localEdit, type ConferenceOrigin } from './origins'

/** What a part with scalar fields offers: read, change, watch. */
export interface FieldsPart<F extends FieldValues> {
  /** Current values; a missing or invalid stored value reads as its default. */
  get(): F
  update(patch: Partial<F>, origin?: ConferenceOrigin): void
  observe(callback: () => void): () => void
}

/**
 * The scalar fields of a singleton part (conference details, the chair's decision...) in a
 * root Y.Map, one key per field, so two people changing different fields never collide.
 */
export class FieldMap<F extends FieldValues> implements FieldsPart<F> {
  constructor(
    private readonly doc: Y.Doc,
    private readonly map: Y.Map<unknown>,
    private readonly spec: FieldSpec<F>,
  ) {}

  get(): F {
    return readFields(this.spec, (key) => this.map.get(key))
  }

  update(patch: Partial<F>, origin: ConferenceOrigin = localEdit): void {
    const changes = Object.entries(validatePatch(this.spec, this.get(), patch)).filter(([key, value]) => this.map.get(key) !== value)
    if (changes.length === 0) return
    this.doc.transact(() => {
      for (const [key, value] of changes) this.map.set(key, value)
    }, origin)
  }

  observe(callback: () => void): () => void {
    const listener = (): void => {
      callback()
    }
    this.map.observe(listener)
    return () => {
      this.map.unobserve(listener)
    }
  }

  /** @internal For migrations only: writes the default of every field that has no value yet. */
  writeMissingDefaults(): void {
    for (const key of fieldKeys(this.spec)) {
      if (!this.map.has(key)) this.map.set(key, this.spec.defaults[key])
    }
  }
}
