import type { Membership } from '../api'
import type { ConferenceKind } from '../../shared/conference/details'
import type { OverallScalePart } from '../../shared/conference/overallScale'
import type { ScoresPart } from '../../shared/conference/scores'
import type { Identity } from '../identity'
import type { ConferenceConnection, PresentPerson } from '../sync/conferenceConnection'
import { useObserved } from '../useObserved'
import { DangerStatements } from './DangerStatements'
import { ScalePanel } from './ScalePanel'

/**
 * Steps 4 and 5 of the meeting: the danger statements with their safety goals and a scale for each
 * pair (`part` 'dangerStatements'), or the overall progress and safety scale ('overall').
 */
export function Scales({ part, conferenceId, kind, connection, identity, people, canEdit, you }: {
  part: 'dangerStatements' | 'overall'
  conferenceId: string
  kind: ConferenceKind
  connection: ConferenceConnection
  identity: Identity
  people: ReadonlyMap<string, PresentPerson>
  canEdit: boolean
  you: Membership
}) {
  const rounds = useObserved(connection.record.scores, readRounds)
  const question = useObserved(connection.record.overallScale, readQuestion)
  return (
    <div className="scales">
      {part === 'dangerStatements' ? (
        <DangerStatements
          conferenceId={conferenceId}
          kind={kind}
          connection={connection}
          identity={identity}
          people={people}
          canEdit={canEdit}
          you={you}
          rounds={rounds}
        />
      ) : (
        <div className="overall-scale">
          <ScalePanel
            conferenceId={conferenceId}
            kind={kind}
            scale={OVERALL}
            title="Overall progress and safety scale"
            headingLevel={3}
            intro={<p className="scale-question">{question}</p>}
            rounds={rounds}
            you={you}
          />
        </div>
      )}
    </div>
  )
}

const OVERALL = { kind: 'overall' } as const

const readRounds = (scores: ScoresPart) => scores.rounds()
const readQuestion = (overall: OverallScalePart) => overall.get().question
