/**
 * The figures a programme lead sees (`GET /api/programme/figures`): counts and percentages only,
 * never a family, a child's name or a conference. Statistical disclosure control as the ONS does
 * it, so that nobody can pick out a family from a figure: a number from 1 to 4, or a percentage
 * whose count, total or the difference between them is from 1 to 4, is shown as "fewer than 5";
 * every other count and total is rounded to the nearest 5, and percentages are worked out from the
 * rounded numbers. Suppression alone is undone by subtraction (all areas minus the other areas, or
 * January to April minus January to March); rounding leaves the difference unknown.
 */

/** Counts from 1 to this minus one are never shown. */
export const SMALLEST_SHOWN = 5

/** Every count and total shown is a multiple of this. */
export const ROUNDED_TO = 5

/** What the programme page and the CSV say about the figures, in plain words. */
export const DISCLOSURE_NOTE = 'Counts are rounded to the nearest 5, and counts under 5 are not shown, so that no family can be worked out from the figures.'

/** One figure: `count` of `of` (a percentage), or a count alone when `of` is null. Both rounded to the nearest 5. */
export interface Figure {
  id: string
  label: string
  /** Null when suppressed. */
  count: number | null
  of: number | null
  /** Whole per cent of the rounded numbers, null when suppressed, when `of` is null or 0. */
  percent: number | null
  suppressed: boolean
}

export interface FigureGroup {
  id: 'csc' | 'parentPartner' | 'uk' | 'feedback'
  title: string
  figures: Figure[]
}

/** The figures of one stretch of time (a quarter, say) for one service area or all of them. */
export interface FiguresFor {
  /** Inclusive, YYYY-MM-DD. */
  from: string
  to: string
  /** "2026 Q3". */
  label: string
  /** Null for every area together. */
  serviceArea: string | null
  groups: FigureGroup[]
}

export const PERIOD_KINDS = ['quarter', 'month'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]

/** `GET /api/programme/figures?from&to&period&serviceArea` */
export interface ProgrammeFigures {
  /** Every area that has a conference, or is configured for Parent Partner places. */
  serviceAreas: string[]
  /** The whole range, for the chosen area (or all). */
  total: FiguresFor
  /** The same figures for each period of the range, oldest first (the charts). */
  periods: FiguresFor[]
  /** The same figures for each area over the whole range. */
  byArea: FiguresFor[]
  /** Parents' own words, per calendar quarter that overlaps the range, oldest first. */
  parentsWords: QuarterWords[]
}

/**
 * The words parents of one whole calendar quarter allowed programme leads to read, for every
 * service area together: fixed quarters and no area, so that no two answers differ by one family.
 */
export interface QuarterWords {
  /** "2026 Q3". */
  label: string
  /** Inclusive, YYYY-MM-DD: the whole quarter, even where the range asked for is shorter. */
  from: string
  to: string
  /**
   * Whether the quarter is over. Words are shown only then: while it runs, each new answer would
   * stand out from the day before's list as one family's words.
   */
  ended: boolean
  /** Sorted, not in the order given. Null until the quarter has ended, and when fewer than SMALLEST_SHOWN parents of it shared words. */
  words: string[] | null
}

/** A figure with small counts suppressed and the rest rounded. */
export function figure(id: string, label: string, count: number, of: number | null = null): Figure {
  const small = (n: number): boolean => n > 0 && n < SMALLEST_SHOWN
  const suppressed = small(count) || (of !== null && (small(of) || small(of - count)))
  if (suppressed) return { id, label, count: null, of: null, percent: null, suppressed }
  const shownCount = rounded(count)
  const shownOf = of === null ? null : rounded(of)
  return { id, label, count: shownCount, of: shownOf, percent: shownOf ? Math.round((shownCount / shownOf) * 100) : null, suppressed }
}

function rounded(n: number): number {
  return Math.round(n / ROUNDED_TO) * ROUNDED_TO
}

/** How a figure reads: "96% (213 of 222)", "123", "fewer than 5". */
export function figureWords(value: Figure): string {
  if (value.suppressed) return 'fewer than 5 (not shown)'
  if (value.of === null) return String(value.count)
  if (value.percent === null) return 'none yet'
  return `${value.percent}% (${value.count} of ${value.of})`
}
