import { useEffect, useId, useState } from 'react'
import type { ConferenceConnection } from '../sync/conferenceConnection'
import { fetchRecordOnServer } from '../sync/recordOnServer'
import { changesNotAddedReason, type NotAddedReason } from '../sync/statusWords'
import { useConnectionState } from '../sync/useConference'
import { missingWordsToCopy, whereWordsWere, wordsNotSent, type MissingWords } from '../sync/wordsNotInRecord'
import './closing/closing.css'

const WHY: Record<NotAddedReason, string> = {
  // For those who may not add corrections themselves (see RECORD_FINAL_YOU_CORRECT).
  recordFinal: 'The record was closed before they reached it. If something you wrote matters, copy it now and ask whoever is chairing the meeting to add it as a correction.',
  readOnly: 'Your part in this conference changed, and you can now read the record but not change it.',
  messageTooBig: 'They were too big to send in one go (perhaps a very long paste). You can add the words again in smaller parts.',
  updateRejected: 'One of them changed something your part in this conference does not allow, such as taking out words someone else wrote, so none of them were added. If something should change, ask whoever is chairing the meeting.',
}

/** Whoever may correct entries adds corrections to a closed record themselves, the family too. */
const RECORD_FINAL_YOU_CORRECT = 'The record was closed before they reached it. If something you wrote matters, copy it now. Once you see the record as it is, you can add it yourself as a correction, in the box at the end of that part of the record.'

type Check =
  | { state: 'checking' }
  | { state: 'done'; missing: MissingWords[] }
  | { state: 'failed' }

/**
 * When the server refused for good what this device still had to send, the copy kept here would
 * send it again on every visit and be refused again, and the person would never see the record
 * as it is. Say so plainly, show them the words of theirs the record does not have (read from
 * the server into a doc of its own, and compared entry by entry with this device's copy), let
 * them copy those words, and only then let them put this device's copy aside to see the record.
 */
export function ChangesNotAdded({ connection, mayCorrect }: {
  connection: ConferenceConnection | null
  /** Whether this person may add corrections once the record is closed. */
  mayCorrect: boolean
}) {
  const reason = useConnectionState(connection, (state) => changesNotAddedReason(state.status))
  const [failed, setFailed] = useState(false)
  const [check, setCheck] = useState<Check>({ state: 'checking' })
  const [attempt, setAttempt] = useState(0)
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null)
  const whatGoesId = useId()

  const refused = reason !== null
  useEffect(() => {
    if (!refused || !connection) return
    let current = true
    fetchRecordOnServer(connection.conferenceId).then(
      (onServer) => {
        if (current) setCheck({ state: 'done', missing: wordsNotSent(connection.doc, onServer) })
      },
      () => { if (current) setCheck({ state: 'failed' }) },
    )
    return () => { current = false }
  }, [refused, connection, attempt])

  if (!reason) return null

  const showRecordNow = (): void => {
    setFailed(false)
    if (!connection) return
    connection.deviceCopy.remove().then(
      () => { window.location.reload() },
      () => { setFailed(true) },
    )
  }

  const copyWords = (missing: readonly MissingWords[]): void => {
    setCopied(null)
    // Without a clipboard (a page not served over https), this fails and says so.
    Promise.resolve().then(() => navigator.clipboard.writeText(missingWordsToCopy(missing))).then(() => { setCopied('yes') }, () => { setCopied('no') })
  }

  const correctHere = reason === 'recordFinal' && mayCorrect
  const missing = check.state === 'done' ? check.missing : []

  return (
    <section className="changes-not-added" aria-labelledby="changes-not-added-title">
      <h2 id="changes-not-added-title">Your changes were not added</h2>
      <p>{correctHere ? RECORD_FINAL_YOU_CORRECT : WHY[reason]}</p>
      <div aria-live="polite">
        {check.state === 'checking' && <p>Checking which of your words are not in the record…</p>}
        {check.state === 'failed' && (
          <>
            <p>We could not check which of your words are not in the record. Look through what you wrote on this device, and copy anything that matters, before you go on.</p>
            <button type="button" onClick={() => { setCheck({ state: 'checking' }); setAttempt((n) => n + 1) }}>Check again</button>
          </>
        )}
        {check.state === 'done' && missing.length === 0 && (
          <p>Every word you wrote on this device is in the record. What was not added was another kind of change, such as a choice from a list, or taking something out.</p>
        )}
        {check.state === 'done' && missing.length > 0 && (
          <>
            <p>These words of yours are not in the record. They are only on this device:</p>
            <ul className="missing-words">
              {missing.map((item, index) => (
                <li key={index}>
                  <p className="missing-words-where">{whereWordsWere(item)}</p>
                  <blockquote className="kept-words">{item.words}</blockquote>
                  {correctHere && <p className="hint">To add them as a correction: open the page with {item.part}, and use the box “Add a correction to this part” at its end.</p>}
                </li>
              ))}
            </ul>
            <p>Until you choose “Show the record as it is now”, the record on this screen shows them as if they were in it. They are not.</p>
            <button type="button" onClick={() => { copyWords(missing) }}>Copy these words</button>
            {copied === 'yes' && <p>Copied. You can paste them into a message or a note to keep them.</p>}
            {copied === 'no' && <p>Copying did not work on this device. Press and hold the words above to copy them.</p>}
          </>
        )}
      </div>
      <p id={whatGoesId}>
        {missing.length > 0
          ? '“Show the record as it is now” takes the words above off this device for good, with any other change made here that was not added.'
          : 'To see the record as it is now, this device has to let go of the changes that were not added.'}
      </p>
      <button type="button" aria-describedby={whatGoesId} disabled={check.state === 'checking'} onClick={showRecordNow}>Show the record as it is now</button>
      {failed && <p role="alert">That did not work. Please try again.</p>}
    </section>
  )
}
