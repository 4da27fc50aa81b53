import type { Figure } from '../../../shared/programmes/figures'

/**
 * One percentage across the periods of the range, oldest first, as small bars from 0 to 100%: a
 * period whose figure is not shown (a small count) has no bar and a "×", one with nothing to count
 * yet a "–", and the legend under the chart says so in words. Screen readers hear the same as one
 * sentence (the SVG is an image named by it).
 */

// Drawing units: the SVG scales to its box (at most about 24rem wide).
const WIDTH = 320
const HEIGHT = 120
const TOP = 16
const BOTTOM = 22
const NOT_SHOWN = '×'
const NONE_YET = '–'

export interface PeriodFigure {
  /** "2026 Q3" or "2026-07". */
  label: string
  /** Undefined when the period has no such figure. */
  figure: Figure | undefined
}

export function FigureChart({ title, periods }: {
  /** What the figure is, said before the numbers in the chart's name. */
  title: string
  periods: readonly PeriodFigure[]
}) {
  const slot = WIDTH / Math.max(periods.length, 1)
  const barWidth = Math.min(slot * 0.6, 36)
  const plotHeight = HEIGHT - TOP - BOTTOM
  const marks = new Set(periods.map(({ figure }) => markOf(figure)).filter((mark) => mark !== null))

  return (
    <div className="figure-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${describe(periods)}`}>
        <line className="chart-base" x1={0} x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} />
        {periods.map(({ label, figure }, index) => {
          const middle = slot * index + slot / 2
          const mark = markOf(figure)
          const percent = figure?.percent ?? 0
          const barHeight = (plotHeight * percent) / 100
          return (
            <g key={label}>
              {mark === null ? (
                <>
                  <rect className="chart-bar" x={middle - barWidth / 2} y={HEIGHT - BOTTOM - barHeight} width={barWidth} height={barHeight} />
                  <text className="chart-value" x={middle} y={HEIGHT - BOTTOM - barHeight - 3} textAnchor="middle">{percent}</text>
                </>
              ) : (
                <text className="chart-mark" x={middle} y={HEIGHT - BOTTOM - 4} textAnchor="middle">{mark}</text>
              )}
              <text className="chart-period" x={middle} y={HEIGHT - 6} textAnchor="middle">{shortPeriod(label)}</text>
            </g>
          )
        })}
      </svg>
      {marks.size > 0 && (
        <p className="hint chart-legend" aria-hidden="true">
          {marks.has(NOT_SHOWN) && <span>{NOT_SHOWN} not shown (fewer than 5)</span>}
          {marks.has(NONE_YET) && <span>{NONE_YET} nothing to count yet</span>}
        </p>
      )}
    </div>
  )
}

/** Null when the period has a bar. */
function markOf(figure: Figure | undefined): string | null {
  if (figure?.suppressed) return NOT_SHOWN
  if (figure?.percent === null || figure?.percent === undefined) return NONE_YET
  return null
}

/** "2026 Q3" stays; a month "2026-07" becomes "Jul". */
function shortPeriod(label: string): string {
  if (!/^\d{4}-\d{2}$/.test(label)) return label
  return new Date(`${label}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', timeZone: 'UTC' })
}

/** "2026 Q1: 80%; 2026 Q2: not shown; 2026 Q3: nothing to count yet". */
function describe(periods: readonly PeriodFigure[]): string {
  return periods.map(({ label, figure }) => {
    const mark = markOf(figure)
    const words = mark === NOT_SHOWN ? 'not shown' : mark === NONE_YET ? 'nothing to count yet' : `${figure?.percent ?? 0}%`
    return `${label}: ${words}`
  }).join('; ')
}
