import type { Membership } from '../../api'
import type { AgendaStepId } from '../../../shared/conference/agenda'
import type { ConferenceKind } from '../../../shared/conference/details'
import type { Identity } from '../../identity'
import type { ConferenceConnection, PresentPerson } from '../../sync/conferenceConnection'
import { SafetyMap } from '../SafetyMap'
import { Scales } from '../Scales'

/** What every section screen of the board is given. */
export interface SectionProps {
  conferenceId: string
  connection: ConferenceConnection
  identity: Identity
  /** Everyone who can be named as an author, by author id. */
  people: ReadonlyMap<string, PresentPerson>
  /** False for roles that only read the record (observers). */
  canEdit: boolean
  /** This person's place in the conference: their role and what it lets them do. */
  you: Membership
  kind: ConferenceKind
}

/** The screen of one agenda step: the part of the record the meeting builds at that step. */
export function SectionScreen({ step, ...props }: SectionProps & { step: AgendaStepId }) {
  switch (step) {
    case 'map':
      return <SafetyMap connection={props.connection} identity={props.identity} people={props.people} kind={props.kind} canEdit={props.canEdit} />
    case 'dangerStatements':
    case 'scales':
      return <Scales conferenceId={props.conferenceId} connection={props.connection} identity={props.identity} people={props.people} canEdit={props.canEdit} you={props.you} />
    default:
      // Replaced screen by screen (client/components/sections/).
      return <p className="hint">This part of the record is not on the board yet.</p>
  }
}
