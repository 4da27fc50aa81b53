/**
 * Telling a request sent twice from a second one meant: the same words again, from a second tab
 * or device, or sent again after the answer was lost on a poor connection. Each route that makes
 * something nobody can remove checks for its own repeat inside the turn that makes it (Turns), so
 * two sent at once cannot both pass.
 */

/** Made again this soon with the same content, it is the same request sent twice; later, it is meant. */
export const REPEAT_WINDOW_MS = 10 * 60 * 1000

/** Whether something made (or sent) at `earlier` (ISO) is close enough to `now` for the same again to be a repeat. */
export function withinRepeatWindow(earlier: string, now: number): boolean {
  return Math.abs(now - Date.parse(earlier)) < REPEAT_WINDOW_MS
}
