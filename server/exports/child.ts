import { THREE_HOUSES, type HouseId } from '../../shared/conference/childsVoice'
import { spelledOut } from '../../shared/glossary'
import { formatDay, isCalendarDay, paragraphs } from './blocks'
import { escapeHtml, htmlBlocks, htmlPage } from './html'
import { partOf, sectionOf } from './model'
import type { ExportModel } from './schema'

/**
 * The child's version, "words and pictures": short sentences, the child's three houses in their
 * own words, who will help and when the grown-ups meet again, for a parent to read with a
 * child. Pictures are simple inline SVG drawings (no external images); each has a text
 * alternative, and the words never depend on them.
 */

// What is drawn on each house's roof: a cloud, a sun, a star.
const CLOUD = '<g fill="#ffffff" stroke="#6b7c93" stroke-width="2"><ellipse cx="60" cy="36" rx="16" ry="8"/></g>'
const SUN = '<circle cx="60" cy="34" r="8" fill="#ffd23f" stroke="#b38600" stroke-width="2"/>'
const STAR = '<polygon points="60,24 63,32 71,32 65,37 67,45 60,40 53,45 55,37 49,32 57,32" fill="#ffd23f" stroke="#b38600" stroke-width="1.5"/>'

const HOUSE_WORDS: Readonly<Record<HouseId, { title: string; intro: string; roof: string; sign: string; picture: string }>> = {
  worries: { title: 'Your house of worries', intro: 'These are the things you said you worry about.', roof: '#6b7c93', sign: CLOUD, picture: 'A drawing of a house with a cloud on its roof' },
  goodThings: { title: 'Your house of good things', intro: 'These are the good things you told us about.', roof: '#2f8f5b', sign: SUN, picture: 'A drawing of a house with a sun on its roof' },
  dreams: { title: 'Your house of dreams', intro: 'These are your wishes and dreams.', roof: '#7a4fb3', sign: STAR, picture: 'A drawing of a house with a star on its roof' },
}

function houseSvg(house: HouseId): string {
  const words = HOUSE_WORDS[house]
  return `<svg class="picture" viewBox="0 0 120 110" width="120" height="110" role="img" aria-label="${words.picture}">
  <polygon points="10,50 60,10 110,50" fill="${words.roof}"/>
  <rect x="20" y="50" width="80" height="55" fill="#f4e3c1" stroke="#5a4a2f" stroke-width="2"/>
  <rect x="50" y="72" width="20" height="33" fill="#8a5a2b"/>
  <rect x="28" y="60" width="16" height="16" fill="#cfe8ff" stroke="#5a4a2f"/>
  <rect x="76" y="60" width="16" height="16" fill="#cfe8ff" stroke="#5a4a2f"/>
  ${words.sign}
</svg>`
}

const HELPER_SVG = `<svg class="helper" viewBox="0 0 40 48" width="40" height="48" aria-hidden="true">
  <circle cx="20" cy="12" r="9" fill="#f2c9a0" stroke="#5a4a2f" stroke-width="2"/>
  <path d="M4 46 C4 30 36 30 36 46 Z" fill="#2b5c8a"/>
</svg>`

const CALENDAR_SVG = `<svg class="helper" viewBox="0 0 40 40" width="40" height="40" aria-hidden="true">
  <rect x="3" y="7" width="34" height="30" rx="3" fill="#ffffff" stroke="#2b5c8a" stroke-width="3"/>
  <rect x="3" y="7" width="34" height="9" fill="#2b5c8a"/>
</svg>`

const CHILD_STYLE = `
  .houses { list-style: none; padding: 0; }
  .houses li { display: flex; gap: 1rem; align-items: flex-start; margin-bottom: 1.5rem; }
  .picture { flex: none; }
  .helpers { list-style: none; padding: 0; }
  .helpers li { display: flex; gap: 0.75rem; align-items: center; margin-bottom: 0.75rem; }
  .helper { flex: none; }
  h1 { font-size: 2.2rem; }
  body { font-size: 1.4rem; }
`

export function renderChildHtml(model: ExportModel): string {
  const firstNames = model.children.map((child) => child.name.split(' ')[0] ?? '').filter(Boolean)
  const day = formatDay(model, model.conference.date)
  const helpers = partOf(model, 'coreGroup', 'members')?.entries ?? []
  const meetings = partOf(model, 'coreGroup', 'nextMeetings')?.entries ?? []
  // The child's page does not say which meeting is which, so each day is said once, soonest
  // first, and "choose a day" only when no day is set: beside a date it read as a contradiction.
  const meetingDays = [...new Set(meetings.map((meeting) => meeting.details.find((detail) => detail.label === 'Date')?.value ?? '').filter(isCalendarDay))].sort()
  const meetingLines =
    meetingDays.length > 0 ? meetingDays.map((date) => `They will meet again on ${formatDay(model, date)}.`) : meetings.length > 0 ? ['They will choose a day to meet again.'] : []
  // A correction is any adult's words about adults, like the plan, so it is not printed here: the
  // child hears that something changed where they would look for it, and the grown-up has the rest.
  const changedAfter = (section: 'childsVoice' | 'coreGroup'): string =>
    sectionOf(model, section).amendments.length > 0 ? '<p class="amendment">Something here was changed after the meeting. The grown-up reading this with you can tell you what.</p>' : ''
  // A child meets no crossed-out words (model.forTheChild leaves them out). A sub-point stays set in under its point.
  const lines = (text: string): string => htmlBlocks(paragraphs(text, 'body'))

  const body = [
    `<h1>${escapeHtml(firstNames.length > 0 ? `For ${firstNames.join(' and ')}` : 'For you')}</h1>`,
    `<p>Some grown-ups who care about you met${day ? ` on ${escapeHtml(day)}` : ''}.</p>`,
    '<p>They talked about how to keep you safe and happy.</p>',
    '<p>This is what they said. You can read it with a grown-up you trust.</p>',

    '<h2>Your three houses</h2>',
    '<ul class="houses">',
    ...THREE_HOUSES.map((house) => {
      const words = HOUSE_WORDS[house.id]
      const said = model.forTheChild.houses[house.id]
      return `<li>${houseSvg(house.id)}<div><h3>${escapeHtml(words.title)}</h3><p>${escapeHtml(words.intro)}</p>${said ? lines(said) : '<p class="empty">Nothing was written here.</p>'}</div></li>`
    }),
    '</ul>',
    changedAfter('childsVoice'),

    // The plan itself is written for adults, about adults (who may not be alone with whom, and
    // why): a child hears it from someone who can answer their questions, not from this page.
    '<h2>What will happen</h2>',
    '<p>The grown-ups made a plan to help keep you safe.</p>',
    '<p>The grown-up reading this with you can tell you about it. You can ask them anything.</p>',

    '<h2>Who will help</h2>',
    helpers.length > 0
      ? `<ul class="helpers">${helpers.map((helper) => `<li>${HELPER_SVG}<span>${escapeHtml(helperWords(helper))}</span></li>`).join('')}</ul>`
      : '<p class="empty">The grown-ups will tell you who is helping.</p>',
    '<p>If you are worried, you can tell one of them.</p>',

    '<h2>When the grown-ups meet again</h2>',
    meetingLines.length > 0
      ? `<ul class="helpers">${meetingLines.map((line) => `<li>${CALENDAR_SVG}<span>${escapeHtml(line)}</span></li>`).join('')}</ul>`
      : '<p class="empty">They have not chosen a day yet.</p>',
    changedAfter('coreGroup'),
  ].join('\n')
  return htmlPage(model, 'What the grown-ups agreed', body, CHILD_STYLE)
}

/** "Priya Patel, social worker": a child cannot look up what "SW" means. */
function helperWords(helper: { title: string | null; details: readonly { label: string; value: string }[] }): string {
  const role = helper.details.find((detail) => detail.label === 'Role or agency')?.value
  return [helper.title, role && spelledOut(role)].filter(Boolean).join(', ')
}

