import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react'
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
 * One professional word with its plain explanation: a disclosure button. A tap, click or Enter
 * keeps the explanation open until pressed again, Escape, or a tap anywhere else (it covers what
 * is under it); hovering shows it while there. Tabbing onto the word does not open it: someone
 * moving through a heading to the entries below would have them covered, and the heading read
 * with the explanation in it. Not a title attribute: phones and keyboards cannot reach one.
 */
export function Term({ term, children }: { term: GlossaryTerm; children: string }) {
  const explanationId = useId()
  const [holder, setHolder] = useState<HTMLSpanElement | null>(null)
  const [pinned, setPinned] = useState(false)
  const [passing, setPassing] = useState(false)
  const open = pinned || passing

  usePutAwayOnTapElsewhere(holder, pinned, () => { setPinned(false) })
  const explanation = useRef<HTMLSpanElement>(null)
  useLayoutEffect(() => { if (open && explanation.current) keepOnScreen(explanation.current) }, [open])

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !open) return
    // Escape closes the explanation only; it does not also close whatever holds the term.
    event.stopPropagation()
    setPinned(false)
    setPassing(false)
  }

  return (
    <span ref={setHolder} className="term" onMouseEnter={() => { setPassing(true) }} onMouseLeave={() => { setPassing(false) }} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="term-button"
        aria-expanded={open}
        aria-controls={explanationId}
        onClick={() => {
          // Open only in passing (hover): a click keeps it open; a second closes it.
          setPassing(false)
          setPinned(!pinned)
        }}
      >
        {children}
      </button>
      <span ref={explanation} id={explanationId} className="term-explanation" hidden={!open}>
        <TermExplanation term={term} />
      </span>
    </span>
  )
}

/** Space kept between an explanation and the edge of the screen, in CSS pixels. */
const SCREEN_MARGIN = 8

/**
 * Moves an open explanation left as far as it sticks out past the right of the screen: a word
 * near the right edge, or large text on a phone, would otherwise leave half of it unreadable.
 */
function keepOnScreen(box: HTMLElement): void {
  box.style.left = ''
  const { left, right } = box.getBoundingClientRect()
  const over = right - (document.documentElement.clientWidth - SCREEN_MARGIN)
  const shift = Math.max(0, Math.min(over, left - SCREEN_MARGIN))
  if (shift > 0) box.style.left = `${String(-shift)}px`
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
 * While `open`, a tap or click anywhere outside `holder` calls `putAway`: an open explanation
 * covers what is under it. A click, not the press: a finger that swipes to scroll (to read the
 * explanation) presses too, but makes no click.
 */
function usePutAwayOnTapElsewhere(holder: HTMLElement | null, open: boolean, putAway: () => void): void {
  const latestPutAway = useRef(putAway)
  useEffect(() => { latestPutAway.current = putAway })
  useEffect(() => {
    if (!open) return
    const elsewhere = (event: MouseEvent): void => {
      if (!(event.target instanceof Node) || !holder?.contains(event.target)) latestPutAway.current()
    }
    document.addEventListener('click', elsewhere)
    return () => { document.removeEventListener('click', elsewhere) }
  }, [holder, open])
}

/**
 * The professional word the person is at inside an editor (caret, pointer or tap: see
 * glossaryPlugin.ts), explained under it. Spread `holder` on the element around the editor and
 * its explanation: it puts the explanation away when they leave. One opened by the pointer or
 * the caret goes when they move off; one opened by a tap stays until a tap elsewhere, as on a
 * label's <Term>, so that a stray mouse event (a laptop with a touch screen, the page moving
 * under a still pointer) does not take it away while it is being read.
 */
export function useTermInText(): {
  glossary: Extension
  explained: ReactNode
  holder: { ref: (element: HTMLElement | null) => void; onMouseLeave: () => void; onBlur: (event: FocusEvent) => void }
} {
  const [shown, setShown] = useState<{ term: GlossaryTerm; tapped: boolean } | null>(null)
  const [element, setElement] = useState<HTMLElement | null>(null)
  const glossary = useMemo(() => glossaryExtension((term, how) => {
    setShown((current) => {
      if (!term) return null
      // Once tapped, the mouse changes nothing: the browser's own mouse events after a tap, a stray one.
      if (current?.tapped && how === 'pointer') return current
      return { term, tapped: how === 'tap' }
    })
  }), [])
  usePutAwayOnTapElsewhere(element, shown?.tapped ?? false, () => { setShown(null) })
  return {
    glossary,
    explained: <p className="term-explained" aria-live="polite">{shown && <TermExplanation term={shown.term} />}</p>,
    holder: {
      ref: setElement,
      onMouseLeave: () => { setShown((current) => (current?.tapped ? current : null)) },
      onBlur: (event) => { if (!event.currentTarget.contains(event.relatedTarget)) setShown(null) },
    },
  }
}
