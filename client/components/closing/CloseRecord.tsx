import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { cancelScoringRound, finalizeRecord } from '../../api'
import type { AgendaStepId } from '../../../shared/conference/agenda'
import { carriedForwardPairs, type CarriedForwardPairs, type DangerStatementPairs } from '../../../shared/conference/dangerStatements'
import { isBeingScored, type ScoresPart, type ScoringRound } from '../../../shared/conference/scores'
import type { Identity } from '../../identity'
import type { ConferenceConnection } from '../../sync/conferenceConnection'
import { useAllSaved, useOnline } from '../../sync/useConference'
import { useObserved } from '../../useObserved'
import { FormProblem, useRequest } from '../forms'
import './closing.css'

/**
 * For the chair, at the end of the meeting: closes the record for good, after saying in plain
 * words what that means. Offered only once everything typed on this device has reached the
 * server, or the chair's own last words would be refused with everyone else's; and not while a
 * scale is being scored (the server refuses it too): its sealed scores would never be seen.
 */
export function CloseRecord({ conferenceId, connection, identity, onLook }: {
  conferenceId: string
  connection: ConferenceConnection
  identity: Identity
  /** Shows a step of the meeting on this device: where the scale being scored is. */
  onLook: (step: AgendaStepId) => void
}) {
  const allSaved = useAllSaved(connection)
  const openRound = useObserved(connection.record.scores, firstBeingScored)
  const scoring = openRound !== undefined
  const headingId = useId()
  const questionId = useId()
  const [confirming, setConfirming] = useState(false)
  const request = useRequest()
  const question = useRef<HTMLParagraphElement>(null)
  const start = useRef<HTMLButtonElement>(null)
  // Where the focus goes when the question opens or closes: set by this person's own click only.
  const moveFocus = useRef(false)

  useEffect(() => {
    if (!moveFocus.current) return
    moveFocus.current = false
    if (confirming) question.current?.focus()
    else start.current?.focus()
  }, [confirming])

  const ask = (open: boolean): void => {
    moveFocus.current = true
    request.setProblem(null)
    setConfirming(open)
  }
  const close = (): void => {
    // Once the server has closed it, the board hears so through the record and this goes away.
    request.run(() => finalizeRecord(conferenceId), () => undefined)
  }

  return (
    <section className="close-record" aria-labelledby={headingId}>
      <h2 id={headingId}>Close the record</h2>
      {confirming ? (
        <div role="group" aria-labelledby={questionId}>
          <p id={questionId} ref={question} tabIndex={-1} className="close-question">Close the record now?</p>
          <ul className="close-consequences">
            <li>Nobody can change it after this, you included.</li>
            <li>A copy is kept exactly as it is now. The minutes and the family’s version are made from it.</li>
            <li>People taking part can still add a correction below each part. It is shown after what was written, with their name and the date.</li>
            <OthersConnected connection={connection} you={identity.authorId} />
          </ul>
          {!allSaved && <p className="hint">Your own last changes are still being saved. You can close the record once they are.</p>}
          {openRound && <StillScored conferenceId={conferenceId} connection={connection} round={openRound} onLook={onLook} />}
          <FormProblem problem={request.problem} />
          <div className="close-buttons">
            <button type="button" className="danger" disabled={!allSaved || scoring || request.pending} onClick={close}>
              {request.pending ? 'Closing…' : 'Yes, close the record'}
            </button>
            <button type="button" className="secondary" disabled={request.pending} onClick={() => { ask(false) }}>Not yet</button>
          </div>
        </div>
      ) : (
        <>
          <p className="hint">When everything is written down and checked, at the end of the meeting.</p>
          <button ref={start} type="button" className="secondary" onClick={() => { ask(true) }}>Close the record…</button>
        </>
      )}
    </section>
  )
}

const firstBeingScored = (scores: ScoresPart): ScoringRound | undefined => scores.rounds().find(isBeingScored)

/**
 * Which scale is still being scored, and the way to it: its Show and Stop buttons are on its
 * panel. A pair removed while it was scored (before that was refused) has no panel left, so its
 * round is stopped from here.
 */
function StillScored({ conferenceId, connection, round, onLook }: {
  conferenceId: string
  connection: ConferenceConnection
  round: ScoringRound
  onLook: (step: AgendaStepId) => void
}) {
  const carriedPart = useMemo(() => carriedForwardPairs(connection.doc), [connection.doc])
  const carried = useObserved(carriedPart, readCarriedIds)
  const pairs = useObserved(connection.record.dangerStatements, readPairIds)
  const stop = useRequest()
  const why = 'Show the scores, or stop that round, first: once the record is closed, nobody could see them.'
  if (round.scale.kind === 'overall') {
    return <ScaleToVisit name="Overall progress and safety scale" step="scales" why={why} onLook={onLook} />
  }
  // Numbered as on the danger statements step: those carried forward first.
  const index = [...carried, ...pairs].indexOf(round.scale.pairId)
  if (index >= 0) return <ScaleToVisit name={`Safety scale ${String(index + 1)}`} step="dangerStatements" why={why} onLook={onLook} />
  return (
    <div className="hint">
      <p>The scale of a danger statement that has since been removed is still being scored. Stop that round first: its scores will not be kept, and nobody will see them.</p>
      <FormProblem problem={stop.problem} />
      <button type="button" className="secondary" disabled={stop.pending} onClick={() => { stop.run(() => cancelScoringRound(conferenceId, round.id), () => undefined) }}>
        Stop that round
      </button>
    </div>
  )
}

function ScaleToVisit({ name, step, why, onLook }: { name: string; step: AgendaStepId; why: string; onLook: (step: AgendaStepId) => void }) {
  return (
    <div className="hint">
      <p>Still being scored: {name}. {why}</p>
      <button type="button" className="secondary" onClick={() => { onLook(step) }}>Go to {name}</button>
    </div>
  )
}

const readCarriedIds = (part: CarriedForwardPairs): string[] => part.pairs().map((pair) => pair.id)
const readPairIds = (list: DangerStatementPairs): string[] => list.entries().map((pair) => pair.id)

/** How many others are connected now: what they have not saved yet will be refused. */
function OthersConnected({ connection, you }: { connection: ConferenceConnection; you: string }) {
  const online = useOnline(connection)
  const others = online && [...online.keys()].filter((authorId) => authorId !== you).length
  const who =
    others === null ? 'This device is offline, so it cannot tell who else is connected.'
    : others === 0 ? 'Nobody else is connected now.'
    : others === 1 ? '1 other person is connected now.'
    : `${others} other people are connected now.`
  return <li>{who} Anything not yet saved on another device will not be added to the record.</li>
}
