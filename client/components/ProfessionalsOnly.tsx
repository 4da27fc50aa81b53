import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { syncRoomName } from '../../shared/conference/documents'
import { professionalsOnlyPart } from '../../shared/conference/professionalsOnly'
import type { Identity } from '../identity'
import { SaveTracker, type SaveStatus } from '../sync/saveTracker'
import { statusNeedsAttention, statusWords } from '../sync/statusWords'
import { openSyncProvider } from '../sync/syncProvider'
import { holdsUnsavedWork } from '../unsavedWork'
import { RecordText } from './RecordEditor'

/**
 * The professionals-only section (the UK private session, information from other agencies): its
 * own document, which the server sends only to roles that may see it. Unlike the record, no copy
 * is kept on the device: it must not sit on a laptop longer than the meeting. So what is typed
 * here lives only in this page until the server has saved it: the section says whether it is
 * saved, keeps its words on screen when the line drops (they are sent when it is back), and
 * leaving the page before they are saved brings up the browser's warning.
 */
export function ProfessionalsOnly({ conferenceId, identity, canEdit }: { conferenceId: string; identity: Identity; canEdit: boolean }) {
  const [provider, setProvider] = useState<WebsocketProvider | null>(null)
  // Once here, the part stays on screen, offline too: hiding it would hide words not yet saved.
  const [arrived, setArrived] = useState(false)
  const [status, setStatus] = useState<SaveStatus>({ state: 'connecting' })

  useEffect(() => {
    const doc = new Y.Doc()
    const opened = openSyncProvider(syncRoomName(conferenceId, 'professionalsOnly'), doc)
    opened.awareness.setLocalStateField('user', { name: identity.name, color: identity.color, authorId: identity.authorId })
    const tracker = new SaveTracker(doc, opened)
    const onSync = (isSynced: boolean): void => { if (isSynced) setArrived(true) }
    opened.on('sync', onSync)
    tracker.on('status', setStatus)
    const releaseUnsavedWork = holdsUnsavedWork({ notSaved: () => !tracker.allSaved, lostOnLeaving: () => !tracker.allSaved })
    // The provider is an outside resource this effect owns; state is how the render sees it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setProvider(opened)
    return () => {
      releaseUnsavedWork()
      tracker.off('status', setStatus)
      opened.off('sync', onSync)
      tracker.destroy()
      opened.destroy()
      doc.destroy()
    }
  }, [conferenceId, identity])

  const part = provider ? professionalsOnlyPart(provider.doc) : null
  return (
    <section className="professionals-only" aria-labelledby="professionals-only-heading">
      <h2 id="professionals-only-heading">Professionals only</h2>
      <p className="hint">Only the professionals in this conference can see this part. It is not sent to the family’s devices, and no copy is kept on this one.</p>
      <p className={statusNeedsAttention(status) ? 'section-status status-attention' : 'section-status'} aria-live="polite">
        This part: {statusWords(status, { keptOnDevice: false, invited: false })}
      </p>
      {part && provider && arrived ? (
        <>
          <h3>Private session</h3>
          <RecordText fragment={part.privateSession} provider={provider} identity={identity} canEdit={canEdit} label="Private session" onEdited={noop} />
          <h3>Information from other agencies</h3>
          <RecordText fragment={part.thirdPartyInformation} provider={provider} identity={identity} canEdit={canEdit} label="Information from other agencies" onEdited={noop} />
        </>
      ) : (
        <p className="waiting">Getting this part…</p>
      )}
    </section>
  )
}

/** This section keeps no per-entry author stamps: its editors' names show on their carets. */
function noop(): void {
  // Nothing to record.
}

/** What a family member sees instead: that the section exists, in plain words. `chair`: who runs this kind of meeting, in lower case. */
export function ProfessionalsOnlyExists({ chair = 'chair' }: { chair?: string }) {
  return (
    <p className="professionals-only-note">
      There is also a short part of this record that only the professionals can see. It holds things they
      cannot share, such as information from other services. You can ask the {chair} what kind of information it holds.
    </p>
  )
}
