import { useId } from 'react'
import { HOW_SHARED, HOW_SHARED_LABELS, THREE_HOUSES, type ChildsVoicePart } from '../../../shared/conference/childsVoice'
import { useObserved } from '../../useObserved'
import { nothingToStamp, RecordChoice, SectionText } from './recordFields'
import type { SectionProps } from './SectionScreen'

const HOW_SHARED_CHOICES = HOW_SHARED.map((way) => ({ value: way, label: HOW_SHARED_LABELS[way] }))

/** Step 3: the child's worries, good things and dreams (the "three houses"), and how the meeting heard them. */
export function ChildsVoice(props: SectionProps) {
  const { childsVoice } = props.connection.record
  const howShared = useObserved(childsVoice, readHowShared)
  return (
    <div className="section-screen">
      <div className="houses">
        {THREE_HOUSES.map((house) => <House key={house.id} house={house} {...props} />)}
      </div>
      <RecordChoice
        label="How the child’s views were shared"
        value={howShared}
        choices={HOW_SHARED_CHOICES}
        canEdit={props.canEdit}
        onSave={(way) => { childsVoice.setHowShared(way) }}
      />
    </div>
  )
}

function House({ house, connection, identity, canEdit }: SectionProps & { house: (typeof THREE_HOUSES)[number] }) {
  const headingId = useId()
  const hintId = useId()
  return (
    <section className={`house house-${house.id}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{house.title}</h3>
      <p id={hintId} className="hint">{house.hint}</p>
      <SectionText
        fragment={connection.record.childsVoice.house(house.id)}
        provider={connection.provider}
        identity={identity}
        canEdit={canEdit}
        label={house.title}
        describedBy={hintId}
        onEdited={nothingToStamp}
      />
    </section>
  )
}

const readHowShared = (part: ChildsVoicePart) => part.howShared()
