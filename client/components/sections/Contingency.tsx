import { RichTextField } from './recordFields'
import type { SectionProps } from './SectionScreen'

/** Step 6: what happens if things do not change, in full and in plain words. */
export function Contingency({ connection, identity, canEdit }: SectionProps) {
  return (
    <div className="section-screen">
      <RichTextField
        label="What will happen if things do not change"
        hint="Say it in full, with no jargon: what would happen next, who would do it, and when, if the children are still not safe."
        fragment={connection.record.contingency.text}
        connection={connection}
        identity={identity}
        canEdit={canEdit}
      />
    </div>
  )
}
