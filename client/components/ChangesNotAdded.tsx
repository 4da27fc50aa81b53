import { useState } from 'react'
import type { ConferenceConnection } from '../sync/conferenceConnection'
import { changesNotAddedReason, type NotAddedReason } from '../sync/statusWords'
import { useConnectionState } from '../sync/useConference'

const WHY: Record<NotAddedReason, string> = {
  // For those who may not add corrections themselves (see RECORD_FINAL_YOU_CORRECT).
  recordFinal: 'The record was closed before they reached it. If something you wrote matters, ask whoever is chairing the meeting to add it as a correction.',
  readOnly: 'Your part in this conference changed, and you can now read the record but not change it.',
  messageTooBig: 'They were too big to send in one go (perhaps a very long paste). You can add the words again in smaller parts.',
  updateRejected: 'They changed something your part in this conference does not allow, such as taking out words someone else wrote. If something should change, ask whoever is chairing the meeting.',
}

/** Whoever may correct entries adds corrections to a closed record themselves, the family too. */
const RECORD_FINAL_YOU_CORRECT = 'The record was closed before they reached it. If something you wrote matters, copy it now. Once you see the record as it is, you can add it yourself as a correction, in the box at the end of that part of the record.'

/**
 * When the server refused for good what this device still had to send, the copy kept here would
 * send it again on every visit and be refused again, and the person would never see the record
 * as it is. Say so plainly, and let them put that copy aside to see the record now.
 */
export function ChangesNotAdded({ connection, mayCorrect }: {
  connection: ConferenceConnection | null
  /** Whether this person may add corrections once the record is closed. */
  mayCorrect: boolean
}) {
  const reason = useConnectionState(connection, (state) => changesNotAddedReason(state.status))
  const [failed, setFailed] = useState(false)
  if (!reason) return null

  const showRecordNow = (): void => {
    setFailed(false)
    if (!connection) return
    connection.deviceCopy.remove().then(
      () => { window.location.reload() },
      () => { setFailed(true) },
    )
  }

  return (
    <section className="changes-not-added" aria-labelledby="changes-not-added-title">
      <h2 id="changes-not-added-title">Your last changes were not added</h2>
      <p>{reason === 'recordFinal' && mayCorrect ? RECORD_FINAL_YOU_CORRECT : WHY[reason]}</p>
      <p>They are only on this device. To see the record as it is now, this device has to let them go.</p>
      <button type="button" onClick={showRecordNow}>Show the record as it is now</button>
      {failed && <p role="alert">That did not work. Please try again.</p>}
    </section>
  )
}
