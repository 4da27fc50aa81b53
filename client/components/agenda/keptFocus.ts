import { useEffect, type RefObject } from 'react'

/**
 * When what has the focus inside `area` is taken off the page (the meeting moved on to another
 * step, someone removed the entry being read), the browser drops the focus to the page itself,
 * and a keyboard or screen-reader user starts again from the top. Instead it goes to the part of
 * the record it was in (its section), or to the step's heading when the whole step changed.
 * Never taken from anywhere else: only a focus the page has lost is put back.
 */
export function useFocusKeptInside(area: RefObject<HTMLElement | null>, heading: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = area.current
    if (!root) return
    // The focused element and its parents up to the area, as they were when it took the focus:
    // once it is off the page, the first of them still on it is where it was.
    let path: HTMLElement[] = []
    const onFocusIn = (event: FocusEvent): void => {
      path = []
      for (let at = event.target instanceof HTMLElement ? event.target : null; at && at !== root; at = at.parentElement) path.push(at)
    }
    // Focus the person moved elsewhere themselves (a click on the page, another part of the
    // board): nothing to put back when that element goes later. Looked at once the removal, if
    // that is what took the focus, has been dealt with: the browser says focusout for both.
    const onFocusOut = (event: FocusEvent): void => {
      const left = event.target
      const next = event.relatedTarget
      if (next instanceof Node && root.contains(next)) return
      setTimeout(() => { if (left instanceof HTMLElement && left.isConnected && path[0] === left) path = [] }, 0)
    }
    const observer = new MutationObserver(() => {
      const focused = path[0]
      if (!focused || focused.isConnected) return
      const still = path.find((element) => element.isConnected) ?? root
      path = []
      if (document.activeElement && document.activeElement !== document.body) return
      const part = still.closest<HTMLElement>('section, [role="region"]')
      const stepChanged = !part || !root.contains(part) || (heading.current !== null && part.contains(heading.current))
      const target = stepChanged ? heading.current : part
      if (!target) return
      if (!target.hasAttribute('tabindex')) target.tabIndex = -1
      target.focus()
    })
    root.addEventListener('focusin', onFocusIn)
    root.addEventListener('focusout', onFocusOut)
    observer.observe(root, { childList: true, subtree: true })
    return () => {
      root.removeEventListener('focusin', onFocusIn)
      root.removeEventListener('focusout', onFocusOut)
      observer.disconnect()
    }
  }, [area, heading])
}
