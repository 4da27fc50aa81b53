/**
 * Where "Leave quickly" goes, from the board (client/leaveQuickly.tsx) and from the family and
 * child versions (server/exports/html.ts): a plain static page (client/public/weather.html) that
 * says nothing about SafetyMap or the meeting.
 */
export const NEUTRAL_PAGE_PATH = '/weather.html'
