import type { Finalization, MetaPart } from '../../../shared/conference/meta'
import type { ConferenceConnection } from '../../sync/conferenceConnection'
import { useObserved } from '../../useObserved'

type FinalizationSource = Pick<MetaPart, 'finalization' | 'observe'>

/** Before the record has arrived nothing is known to be closed, and nothing changes. */
const NOT_HERE_YET: FinalizationSource = { finalization: () => null, observe: () => () => undefined }

/**
 * Whether the chair has closed the record (when, by whom), live: the server writes it into the
 * record, so every board hears of it the moment it happens. Null while the record is open, and
 * while `connection` is null (the record has not arrived).
 */
export function useFinalization(connection: ConferenceConnection | null): Finalization | null {
  return useObserved(connection?.record.meta ?? NOT_HERE_YET, readFinalization)
}

const readFinalization = (meta: FinalizationSource) => meta.finalization()
