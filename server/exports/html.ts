import { NEUTRAL_PAGE_PATH } from '../../shared/leaveQuickly'
import { draftMark, scaleSummaryWords, type Block } from './blocks'
import type { ExportModel } from './schema'

/** Text for HTML: every value from the record goes through this. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}

/** Large type, high contrast, one column: read on a phone or printed. No scripts, no external files. */
const PAGE_STYLE = `
  :root { color-scheme: light; }
  body { font-family: Verdana, Arial, sans-serif; font-size: 1.25rem; line-height: 1.6; color: #1a1a1a; background: #fff; margin: 0 auto; padding: 1rem 1.25rem 3rem; max-width: 42rem; overflow-wrap: anywhere; }
  h1 { font-size: 2rem; line-height: 1.25; }
  h2 { font-size: 1.5rem; margin-top: 2rem; border-top: 2px solid #d0d7de; padding-top: 1rem; }
  h3 { font-size: 1.3rem; }
  .lead { font-weight: bold; }
  .byline, .empty { color: #4a4a4a; font-style: italic; }
  .view { font-style: italic; margin-left: 1.5rem; }
  .amendment { color: #7a2e00; margin-left: 1.5rem; }
  .draft { background: #fff3cd; border: 2px solid #8a6d00; padding: 0.5rem 0.75rem; font-weight: bold; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
  .leave-quickly { margin: 0 0 1rem; text-align: right; }
  .leave-quickly a { display: inline-block; padding: 0.5rem 1rem; background: #b91c1c; color: #fff; font-weight: bold; text-decoration: none; border-radius: 6px; }
  @media print { .draft { position: fixed; top: 0; right: 0; } body { padding-top: 3rem; } .leave-quickly { display: none; } }
`

/** How far each level of a nested line (a sub-point in a list) is set in. */
const NESTED_REM = 1.5

/**
 * "Leave quickly" on the family and child versions, as on the board: this page opens in a tab of
 * its own, which the board's button cannot reach. A plain link (the page may run no script, so it
 * cannot take this page out of the history as the board does), sending no address with it.
 */
const LEAVE_QUICKLY = `<p class="leave-quickly"><a href="${NEUTRAL_PAGE_PATH}" rel="noreferrer">Leave quickly</a></p>`

/**
 * A whole HTML page (the family and child versions: the minutes are Word and PDF only); `extraStyle`
 * adds to the page's own CSS. "Leave quickly" comes first; a draft says so at the top (and on every printed page).
 */
export function htmlPage(model: ExportModel, title: string, body: string, extraStyle = ''): string {
  const mark = draftMark(model)
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}${extraStyle}</style>`,
    '</head>',
    '<body>',
    LEAVE_QUICKLY,
    mark ? `<p class="draft" role="note">${escapeHtml(mark)}</p>` : '',
    '<main>',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** The blocks of a document as HTML (the family version). Consecutive bullets form one list. */
export function htmlBlocks(blocks: readonly Block[]): string {
  const html: string[] = []
  let inList = false
  for (const block of blocks) {
    if (block.kind !== 'bullet' && inList) {
      html.push('</ul>')
      inList = false
    }
    switch (block.kind) {
      case 'heading':
        html.push(`<h${block.level}>${escapeHtml(block.text)}</h${block.level}>`)
        break
      case 'paragraph':
        // Padding, not margin: a nested line of a view or amendment keeps their margin too.
        html.push(`<p class="${block.style}"${block.indent ? ` style="padding-left: ${block.indent * NESTED_REM}rem"` : ''}>${escapeHtml(block.text)}</p>`)
        break
      case 'detail':
        html.push(`<p><strong>${escapeHtml(block.label)}:</strong> ${escapeHtml(block.value)}</p>`)
        break
      case 'bullet':
        if (!inList) html.push('<ul>')
        inList = true
        html.push(`<li>${escapeHtml(block.text)}</li>`)
        break
      case 'scale': {
        const { scale } = block
        const rows = scale.scores.map((score) => `<tr><td>${escapeHtml(score.name)}</td><td>${score.value}</td><td>${escapeHtml(score.reason)}</td></tr>`)
        html.push(
          `<h3>${escapeHtml(scale.title)}</h3>`,
          `<p><strong>${escapeHtml(scaleSummaryWords(scale))}</strong></p>`,
          `<table><thead><tr><th scope="col">Who</th><th scope="col">Score</th><th scope="col">What would move it up</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
        )
        break
      }
    }
  }
  if (inList) html.push('</ul>')
  return html.join('\n')
}
