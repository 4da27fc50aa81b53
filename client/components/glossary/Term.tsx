import { useEffect, useId, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react'
import type { Extension } from '@tiptap/core'
import { findTerms, type GlossaryTerm } from '../../../shared/glossary'
import { glossaryExtension } from './glossaryPlugin'
import './glossary.css'

/**
 * A label with its professional words explained: each glossary term in `text` becomes a <Term>,
 * the rest stays plain text. For headings, hints and other labels of the board.
 */
export function GlossaryText({ text }: { text: string }) {
  const parts: (string | { term: GlossaryTerm; words: string })[] = []
  let at = 0
  for (const { term, from, to } of findTerms(text)) {
    if (from > at) parts.push(text.slice(at, from))
    parts.push({ term, words: text.slice(from, to) })
    at = to
  }
  if (at < text.length) parts.push(text.slice(at))
  return (
    <>
      {parts.map((part, index) => (typeof part === 'string' ? part : <Term key={index} term={part.term}>{part.words}</Term>))}
    </>
  )
}

/**
 * One professional word with its plain explanation: a disclosure button. A tap or click keeps the
 * explanation open until tapped again, Escape, or a tap anywhere else (it covers what is under
 * it); hovering or moving onto it with the keyboard shows it while there. Not a title attribute:
 * phones and keyboards cannot reach one.
 */
export function Term({ term, children }: { term: GlossaryTerm; children: string }) {
  const explanationId = useId()
  const holder = useRef<HTMLSpanElement>(null)
  const [pinned, setPinned] = useState(false)
  const [passing, setPassing] = useState(false)
  const open = pinned || passing

  useEffect(() => {
    if (!pinned) return
    const elsewhere = (event: PointerEvent): void => {
      if (!(event.target instanceof Node) || !holder.current?.contains(event.target)) setPinned(false)
    }
    document.addEventListener('pointerdown', elsewhere)
    return () => { document.removeEventListener('pointerdown', elsewhere) }
  }, [pinned])

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !open) return
    // Escape closes the explanation only; it does not also close whatever holds the term.
    event.stopPropagation()
    setPinned(false)
    setPassing(false)
  }

  return (
    <span ref={holder} className="term" onMouseEnter={() => { setPassing(true) }} onMouseLeave={() => { setPassing(false) }} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="term-button"
        aria-expanded={open}
        aria-controls={explanationId}
        onClick={() => {
          // Open only in passing (hover, focus): a click keeps it open; a second closes it.
          setPassing(false)
          setPinned(!pinned)
        }}
        onFocus={() => { setPassing(true) }}
        onBlur={() => { setPassing(false) }}
      >
        {children}
      </button>
      <span id={explanationId} className="term-explanation" hidden={!open}>
        <TermExplanation term={term} />
      </span>
    </span>
  )
}

/** "ICPC: Initial child protection conference…": the term and its plain words. */
export function TermExplanation({ term }: { term: GlossaryTerm }) {
  return (
    <>
      <strong>{term.term}</strong>: {term.explanation}
    </>
  )
}

/**
 * The professional word the person is at inside an editor (caret, pointer or tap: see
 * glossaryPlugin.ts), explained under it, and the handlers that put the explanation away when
 * they leave: spread `leave` on the element around the editor and its explanation.
 */
export function useTermInText(): {
  glossary: Extension
  explained: ReactNode
  leave: { onMouseLeave: () => void; onBlur: (event: FocusEvent) => void }
} {
  const [term, setTerm] = useState<GlossaryTerm | null>(null)
  const glossary = useMemo(() => glossaryExtension(setTerm), [])
  return {
    glossary,
    explained: <p className="term-explained" aria-live="polite">{term && <TermExplanation term={term} />}</p>,
    leave: {
      onMouseLeave: () => { setTerm(null) },
      onBlur: (event) => { if (!event.currentTarget.contains(event.relatedTarget)) setTerm(null) },
    },
  }
}
