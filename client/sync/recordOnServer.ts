import * as Y from 'yjs'
import { isPermanentClose } from '../../shared/protocol'
import { openSyncProvider } from './syncProvider'

/** Long enough for a slow phone line to bring a long record; after that, the person is told it did not work. */
const RECORD_ON_SERVER_WAIT_MS = 20_000

/**
 * The record as the server holds it now, read into a doc of its own that has nothing to send:
 * for telling the person which of the words kept on this device the record does not have, while
 * this device's own copy stays as it is. The connection shows nobody as present, and is closed
 * before the record is read. Resolves with the record as one update (Y.encodeStateAsUpdate).
 */
export function fetchRecordOnServer(conferenceId: string, waitMs = RECORD_ON_SERVER_WAIT_MS): Promise<Uint8Array> {
  const doc = new Y.Doc()
  const provider = openSyncProvider(conferenceId, doc, false)
  provider.awareness.setLocalState(null)
  return new Promise<Uint8Array>((resolve, reject) => {
    const finish = (error: Error | null): void => {
      clearTimeout(timer)
      provider.off('sync', onSync)
      provider.off('connection-close', onClose)
      provider.destroy()
      try {
        if (error) reject(error)
        else resolve(Y.encodeStateAsUpdate(doc))
      } catch (failure) {
        reject(failure instanceof Error ? failure : new Error('the record could not be read'))
      } finally {
        doc.destroy()
      }
    }
    const onSync = (synced: boolean): void => { if (synced) finish(null) }
    const onClose = (event: CloseEvent | null): void => {
      if (event && isPermanentClose(event.code)) finish(new Error('the server would not send the record'))
    }
    const timer = setTimeout(() => { finish(new Error('the record did not arrive in time')) }, waitMs)
    provider.on('sync', onSync)
    provider.on('connection-close', onClose)
    provider.connect()
  })
}
