import { kindTerms } from '../../../shared/conference/agenda'
import { RichTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

/** Step 3, continued: how the children and the parents took part in the meeting and got ready for it. */
export function Involvement({ connection, identity, canEdit, kind }: SectionProps) {
  return (
    <div className="section-screen">
      <RichTextField
        label="How the children and parents took part"
        hint={`Did the children come, or share their views another way? How did the parents get ready for the meeting, and who supported them (${kindTerms(kind).parentSupporters})?`}
        fragment={connection.record.involvement.text}
        connection={connection}
        identity={identity}
        canEdit={canEdit}
      />
    </div>
  )
}
