import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2's target size too, which axe leaves off by default), and axe's best practices. */
const STANDARDS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/**
 * axe-core's serious and critical findings on the page as it is now, one line each: the rule, what
 * it asks for, and where. Moderate and minor findings are not counted here.
 */
export async function seriousProblems(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself; the default opens a blank page for each run, for
  // iframes, which these pages do not have.
  const { violations } = await new AxeBuilder({ page }).withTags(STANDARDS).setLegacyMode(true).analyze()
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact ?? ''}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
}
