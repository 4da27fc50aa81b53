import { useCallback, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type * as Y from 'yjs'
import type { Membership } from '../api'
import {
  carriedForwardPairs,
  currentWords,
  MAX_DANGER_STATEMENT_PAIRS,
  type CarriedForwardPairs,
  type DangerStatementPairs,
} from '../../shared/conference/dangerStatements'
import { pairViewedWords } from '../../shared/conference/views'
import { kindTerms } from '../../shared/conference/agenda'
import type { ConferenceKind } from '../../shared/conference/details'
import { pairBeingScored, pairWasScored, type Scale, type ScoringRound } from '../../shared/conference/scores'
import type { Identity } from '../identity'
import type { ConferenceConnection, PresentPerson } from '../sync/conferenceConnection'
import { useMayRemove } from '../removing'
import { useObserved } from '../useObserved'
import { byline } from './EntryCard'
import { EntryViews } from './map/EntryViews'
import { fixedWords, pairWordsOf, usePlainText, type ViewedWords } from './map/viewedWords'
import { NO_VIEWS, viewsByEntry } from './map/viewsByEntry'
import { useRemovedElsewhere } from './removedElsewhere'
import { RemovedElsewhereNotice } from './RemovedElsewhereNotice'
import { entryText } from './sections/entryWords'
import { SectionText } from './sections/recordFields'
import { ScalePanel } from './ScalePanel'
import { CarriedPairCard } from './scales/CarriedPair'
import './scales.css'

type Pair = ReturnType<DangerStatementPairs['entries']>[number]

/**
 * Step 4 of the meeting: 1 to 4 danger statements, each with its safety goal, and a safety scale
 * for each pair whose 0 is described by the danger statement and 10 by the safety goal. Everyone
 * who may give views can say beside each pair whether they agree: the family, above all, with
 * the most serious words in the record, including those carried forward that nobody here edits.
 */
export function DangerStatements({ conferenceId, kind, connection, identity, people, canEdit, you, rounds }: {
  conferenceId: string
  kind: ConferenceKind
  connection: ConferenceConnection
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  canEdit: boolean
  you: Membership
  rounds: readonly ScoringRound[]
}) {
  const list = connection.record.dangerStatements
  const mayRemove = useMayRemove()
  const pairs = useObserved(list, readPairs)
  // Agreed at the conference this one follows: shown first, changed only by the chair for new harm.
  const carriedPart = useMemo(() => carriedForwardPairs(connection.doc), [connection.doc])
  const carried = useObserved(carriedPart, readCarried)
  const headingId = useId()
  const hintId = useId()
  const limitId = useId()
  const addButton = useRef<HTMLButtonElement>(null)
  // The pair just added here, whose danger statement takes the focus once it exists.
  const [focusPairId, setFocusPairId] = useState<string | null>(null)
  const onFocused = useCallback(() => { setFocusPairId(null) }, [])
  const total = carried.length + pairs.length
  const lists = useMemo(() => new Map([[list.rootName, list]]), [list])
  const removedElsewhere = useRemovedElsewhere(lists, {
    quote: (pair) => entryText(pair, 'dangerStatement').trim() || entryText(pair, 'safetyGoal'),
    fromElsewhere: connection.provider,
  })
  const { told } = removedElsewhere
  const full = total >= MAX_DANGER_STATEMENT_PAIRS
  const views = useObserved(connection.record.views, viewsByEntry)
  const canAddViews = canEdit && you.permissions.includes('addViews')
  const viewsOn = (pairId: string, number: number, words: ViewedWords): ReactNode => (
    <EntryViews entryId={pairId} label={`Danger statement ${number}`} words={words} views={views.get(pairId) ?? NO_VIEWS} viewsPart={connection.record.views} identity={identity} people={people} canAddViews={canAddViews} />
  )

  const add = (): void => {
    if (full || list.isFull()) return
    setFocusPairId(list.add(identity.authorId).id)
  }

  return (
    <section className="danger-statements" aria-labelledby={headingId}>
      <h3 id={headingId}>Danger statements and safety goals</h3>
      <p id={hintId} className="hint">
        A danger statement says what people are afraid could happen to the children if nothing changes. Its safety goal
        says what the adults caring for the children need to be doing for everyone to agree they are safe. There can be
        up to {MAX_DANGER_STATEMENT_PAIRS}, and each has its own safety scale from 0 to 10.
        {carried.length > 0 && ` Those carried forward from the last conference stay as they were agreed: only the ${kindTerms(kind).chairInSentence} can change one, and only after something serious has happened since.`}
      </p>
      <RemovedElsewhereNotice
        told={told && { what: `danger statement ${String(carried.length + told.number)} and its safety goal`, authorId: told.authorId, text: told.text }}
        identity={identity}
        people={people}
        onDismiss={removedElsewhere.dismiss}
      />
      {total === 0 && <p className="waiting">No danger statements yet.</p>}
      {total > MAX_DANGER_STATEMENT_PAIRS && (
        <p className="problem">
          There are more than {MAX_DANGER_STATEMENT_PAIRS} danger statements, because two people added one at the same time.
          Please remove one, or put two together.
        </p>
      )}
      {total > 0 && (
        <ol className="pairs">
          {carried.map((pair, index) => (
            <li key={pair.id}>
              <CarriedPairCard conferenceId={conferenceId} kind={kind} pair={pair} number={index + 1} you={you} rounds={rounds} views={viewsOn(pair.id, index + 1, fixedWords(pairViewedWords(currentWords(pair))))} />
            </li>
          ))}
          {pairs.map((pair, index) => (
            <li key={pair.id}>
              <DangerStatementPair
                conferenceId={conferenceId}
                kind={kind}
                pair={pair}
                number={carried.length + index + 1}
                hintId={hintId}
                connection={connection}
                identity={identity}
                people={people}
                canEdit={canEdit}
                you={you}
                rounds={rounds}
                views={(words) => viewsOn(pair.id, carried.length + index + 1, words)}
                autoFocus={pair.id === focusPairId}
                onFocused={onFocused}
                onRemove={mayRemove({ root: list.rootName, authorId: pair.authorId, scored: pairWasScored(rounds, pair.id), beingScored: pairBeingScored(rounds, pair.id) }) ? () => {
                  list.remove(pair.id)
                  addButton.current?.focus()
                } : null}
                removableOnceScored={pairBeingScored(rounds, pair.id) && mayRemove({ root: list.rootName, authorId: pair.authorId, scored: true, beingScored: false })}
              />
            </li>
          ))}
        </ol>
      )}
      {canEdit && (
        <div className="add-pair">
          <button ref={addButton} type="button" className="add" disabled={full} aria-describedby={full ? limitId : undefined} onClick={add}>
            Add a danger statement
          </button>
          {full && (
            <p id={limitId} className="hint">
              There can be at most {MAX_DANGER_STATEMENT_PAIRS} danger statements. To add a different one, remove one first.
            </p>
          )}
        </div>
      )}
    </section>
  )
}

/** The pairs in order, re-read whenever the list or any text in it changes. */
const readPairs = (list: DangerStatementPairs) => list.entries()
const readCarried = (part: CarriedForwardPairs) => part.pairs()

interface PairProps {
  conferenceId: string
  kind: ConferenceKind
  pair: Pair
  number: number
  hintId: string
  connection: ConferenceConnection
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  canEdit: boolean
  you: Membership
  rounds: readonly ScoringRound[]
  /** People's views on this pair, given its words. */
  views: (words: ViewedWords) => ReactNode
  autoFocus: boolean
  onFocused: () => void
  /** Null when this person may not remove it: someone else wrote it, it has been scored and they do not chair, or it is being scored. */
  onRemove: (() => void) | null
  /** Its scale is being scored, and once the round is over this person may remove it: they are told so. */
  removableOnceScored: boolean
}

function DangerStatementPair(props: PairProps) {
  const { pair, number } = props
  // Only a faulty client writes a pair without its texts; what is there is still not hidden.
  if (!pair.hasRichText('dangerStatement') || !pair.hasRichText('safetyGoal')) {
    return (
      <article className="pair" aria-label={`Danger statement ${number}`}>
        <p className="problem">Danger statement {number} could not be read. Please remove it and write it again.</p>
      </article>
    )
  }
  return <PairTexts {...props} danger={pair.richText('dangerStatement')} goal={pair.richText('safetyGoal')} />
}

function PairTexts({ conferenceId, kind, pair, number, hintId, connection, identity, people, canEdit, you, rounds, views, autoFocus, onFocused, onRemove, removableOnceScored, danger, goal }: PairProps & {
  danger: Y.XmlFragment
  goal: Y.XmlFragment
}) {
  const titleId = useId()
  const [confirmingRemove, setConfirmingRemove] = useState(false)
  const dangerText = usePlainText(danger)
  const goalText = usePlainText(goal)
  const words = useMemo(() => pairWordsOf(danger, goal), [danger, goal])
  const scale = useMemo<Scale>(() => ({ kind: 'dangerStatement', pairId: pair.id }), [pair.id])
  const scored = pairWasScored(rounds, pair.id)
  const title = `Danger statement ${number}`
  // Does nothing if the pair was removed meanwhile.
  const touch = (): void => { pair.touch(identity.authorId) }

  const remove = (): void => {
    // An empty pair holds nothing anyone could miss; one with words is confirmed first.
    if (!dangerText.trim() && !goalText.trim() && !scored) onRemove?.()
    else setConfirmingRemove(true)
  }

  return (
    <article className="pair" aria-labelledby={titleId}>
      <h4 id={titleId}>{title}</h4>
      <div className="pair-texts">
        <div className="pair-text pair-danger">
          <p className="pair-label">Danger statement</p>
          <SectionText
            fragment={danger}
            provider={connection.provider}
            identity={identity}
            canEdit={canEdit}
            label={`Danger statement ${number}`}
            describedBy={hintId}
            onEdited={touch}
            autoFocus={autoFocus}
            onFocused={onFocused}
          />
        </div>
        <div className="pair-text pair-goal">
          <p className="pair-label">Safety goal</p>
          <SectionText
            fragment={goal}
            provider={connection.provider}
            identity={identity}
            canEdit={canEdit}
            label={`Safety goal ${number}`}
            describedBy={hintId}
            onEdited={touch}
          />
        </div>
      </div>
      <div className="entry-foot">
        <p className="entry-by">{byline(pair, identity, people)}</p>
        {removableOnceScored && <p className="hint">It cannot be removed while its scale is being scored. Stop or show the scores first.</p>}
        {onRemove && !confirmingRemove && (
          <button type="button" className="secondary remove" aria-label={`Remove ${title}`} onClick={remove}>
            Remove
          </button>
        )}
      </div>
      {confirmingRemove && onRemove && (
        <div className="confirm" role="group" aria-label={`Remove ${title}?`}>
          <p>
            Remove this danger statement and its safety goal for everyone?
            {scored && ' Its scale and scores will no longer be shown here; the minutes keep them, with the words that were scored.'}
          </p>
          <button type="button" className="danger" onClick={onRemove}>Yes, remove it</button>
          <button type="button" className="secondary" onClick={() => { setConfirmingRemove(false) }} autoFocus>Keep it</button>
        </div>
      )}
      {views(words)}
      <ScalePanel
        conferenceId={conferenceId}
        kind={kind}
        scale={scale}
        title={`Safety scale ${number}`}
        headingLevel={5}
        ends={{
          low: dangerText.trim() || `Danger statement ${number} is not written yet.`,
          high: goalText.trim() || `Safety goal ${number} is not written yet.`,
        }}
        rounds={rounds}
        you={you}
      />
    </article>
  )
}

