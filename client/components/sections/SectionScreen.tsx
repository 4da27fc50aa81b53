import { memo } from 'react'
import type { Membership } from '../../api'
import type { AgendaStepId } from '../../../shared/conference/agenda'
import type { ConferenceKind } from '../../../shared/conference/details'
import type { Identity } from '../../identity'
import type { ConferenceConnection, PresentPerson } from '../../sync/conferenceConnection'
import { SafetyMap } from '../SafetyMap'
import { Scales } from '../Scales'
import { Actions } from './Actions'
import { ChildsVoice } from './ChildsVoice'
import { Contingency } from './Contingency'
import { CoreGroup } from './CoreGroup'
import { Decision } from './Decision'
import { FamilyAndNetwork } from './FamilyAndNetwork'
import { Involvement } from './Involvement'
import { Plan } from './Plan'
import './sections.css'

/** What every section screen of the board is given. */
export interface SectionProps {
  conferenceId: string
  connection: ConferenceConnection
  identity: Identity
  /** Everyone who can be named as an author, by author id. */
  people: ReadonlyMap<string, PresentPerson>
  /** False for roles that only read the record (observers), and on the shared screen. */
  canEdit: boolean
  /** This person's place in the conference: their role and what it lets them do. */
  you: Membership
  kind: ConferenceKind
}

/**
 * The screen of one agenda step: the part of the record the meeting builds at that step. The
 * step's title and hint are the frame's (the board's or the shared screen's); a screen starts
 * with its own sub-headings (h3). Memoized: the board around it re-renders whenever this
 * device's "Saving…" / "Saved" changes, twice a keystroke, and the step need not.
 */
export const SectionScreen = memo(function SectionScreen({ step, ...props }: SectionProps & { step: AgendaStepId }) {
  switch (step) {
    case 'family':
      return <FamilyAndNetwork {...props} />
    case 'map':
      return (
        <SafetyMap
          connection={props.connection}
          identity={props.identity}
          people={props.people}
          kind={props.kind}
          canEdit={props.canEdit}
          // Not on the shared screen (canEdit false there), and only for roles that add views.
          canAddViews={props.canEdit && props.you.permissions.includes('addViews')}
        />
      )
    case 'childsVoice':
      return <ChildsVoice {...props} />
    case 'involvement':
      return <Involvement {...props} />
    case 'dangerStatements':
    case 'scales':
      return (
        <Scales
          part={step === 'scales' ? 'overall' : 'dangerStatements'}
          conferenceId={props.conferenceId}
          kind={props.kind}
          connection={props.connection}
          identity={props.identity}
          people={props.people}
          canEdit={props.canEdit}
          you={props.you}
        />
      )
    case 'contingency':
      return <Contingency {...props} />
    case 'decision':
      return <Decision {...props} />
    case 'plan':
      return <Plan {...props} />
    case 'actions':
      return <Actions {...props} />
    case 'coreGroup':
      return <CoreGroup {...props} />
  }
})
