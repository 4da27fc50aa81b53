import { useId, type ReactNode } from 'react'

/**
 * A part of the board folded away to one line by default, so the map keeps the screen: its title
 * is the button that opens it. What is inside stays mounted while folded (a link shown once stays
 * shown when the panel is folded and opened again).
 */
export function FoldedPanel({ title, open, onToggle, summary, children }: {
  title: string
  open: boolean
  onToggle: () => void
  /** A few words beside the title, e.g. "3 people". */
  summary?: ReactNode
  children: ReactNode
}) {
  const headingId = useId()
  const bodyId = useId()
  return (
    <section className="folded" aria-labelledby={headingId}>
      <div className="folded-bar">
        <h2 id={headingId}>
          <button type="button" className="disclosure" aria-expanded={open} aria-controls={bodyId} onClick={onToggle}>
            {title}
          </button>
        </h2>
        {summary && <span className="hint">{summary}</span>}
      </div>
      <div id={bodyId} className="folded-body" hidden={!open}>
        {children}
      </div>
    </section>
  )
}
