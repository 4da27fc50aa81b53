import type { MouseEvent } from 'react'
import { navigate, signInPath } from '../navigation'
import { refreshSession, useSession } from '../session'
import type { ConferenceConnection } from '../sync/conferenceConnection'
import { statusNeedsAttention, statusWords } from '../sync/statusWords'
import { useConnectionState } from '../sync/useConference'

/** Always visible: whether what this person typed is safely saved. */
export function StatusLine({ connection }: { connection: ConferenceConnection | null }) {
  const status = useConnectionState(connection, (state) => state.status)
  const keptOnDevice = useConnectionState(connection, (state) => state.keptOnDevice)
  const signedOut = status.state === 'stopped' && status.reason === 'unauthorized'
  const session = useSession()
  // Families have no password: they come back in with their link or code.
  const invited = session.state === 'known' && (session.session?.kind === 'participant' || session.invitedEnded !== null)
  return (
    <div className="status-line">
      <p role="status" aria-live="polite" className={`status status-${status.state}${statusNeedsAttention(status) ? ' status-attention' : ''}`}>
        {statusWords(status, { keptOnDevice, invited })}
      </p>
      {/* Beside the status, not in it: the status text stays exactly the words above. */}
      {signedOut && !invited && <a className="sign-in-again" href={signInPath(window.location.pathname)} onClick={signInAgain}>Sign in</a>}
      {signedOut && invited && <a className="sign-in-again" href="/join" onClick={signInAgain}>Use your link or code again</a>}
    </div>
  )
}

/**
 * The server closed the connection because this device is no longer signed in. Ask it who is
 * signed in (nobody, now) before going to the sign-in page (which then brings the person back
 * here) or, for an invited person, to the page for their link or code.
 */
function signInAgain(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  const target = event.currentTarget.pathname + event.currentTarget.search
  void refreshSession().then(() => { navigate(target) })
}
