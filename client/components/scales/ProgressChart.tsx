import { useId } from 'react'
import type { ProgressReading, ScaleProgress } from '../../../shared/cases'
import type { ConferenceKind } from '../../../shared/conference/details'
import { SCALE_MAX, SCALE_MIN } from '../../../shared/conference/scores'
import { ROLE_LABELS } from '../../../shared/roles'
import { dateWords, kindWords } from '../../words'
import '../scales.css'
import { numberWords } from './scoreWords'

/**
 * One scale across the conferences of a case, first to now: each person's revealed number as a
 * small dot (joined across meetings when they scored more than once) and the middle score as a
 * bold line with its number. Hand-drawn SVG, sized for a phone first; the table under it says the
 * same for screen readers.
 */

// Drawing units: the SVG scales to its box, so these are proportions, tuned for a 320 px wide phone.
const WIDTH = 320
const HEIGHT = 210
const LEFT = 26
const RIGHT = 6
// Room above 10 for a median dot, and for "New words" where the words changed.
const TOP = 28
const BOTTOM = 46
/** Keeps the first and last meeting's dots, and the dates under them, off the edges. */
const INSET = 42
const DOT_SPREAD = 9

const SHORT_KIND: Readonly<Record<ConferenceKind, string>> = {
  'uk-initial': 'Initial',
  'uk-review': 'Review',
  'us-csc-initial': 'First meeting',
  'us-csc-follow-up': 'Follow-up',
}

export function ProgressChart({ progress, title, conferenceId }: {
  progress: ScaleProgress
  /** e.g. "Safety scale 1": the chart is "Safety scale 1 over time". */
  title: string
  /** The conference on screen, named "This meeting" on the chart. */
  conferenceId: string
}) {
  const titleId = useId()
  const descId = useId()
  const { readings } = progress
  const chartTitle = `${title} over time`
  const plotWidth = WIDTH - LEFT - RIGHT - 2 * INSET
  const x = (index: number): number => LEFT + INSET + (readings.length === 1 ? plotWidth / 2 : (plotWidth * index) / (readings.length - 1))
  const y = (value: number): number => TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN))
  // The median line breaks where the words changed: the numbers either side answer different questions.
  const stretches = stretchesOfSameWords(readings)
  const changedAt = readings.flatMap((reading, index) => (reading.wordsChanged && index > 0 ? [index] : []))

  return (
    <figure className="scale-history" aria-labelledby={titleId}>
      <figcaption id={titleId}>{chartTitle}</figcaption>
      <svg className="history-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId}-svg`} aria-describedby={descId}>
        <title id={`${titleId}-svg`}>{chartTitle}</title>
        <desc id={descId}>{describe(readings)}</desc>
        {[SCALE_MIN, (SCALE_MIN + SCALE_MAX) / 2, SCALE_MAX].map((tick) => (
          <g key={tick} className="history-grid">
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} />
            <text x={LEFT - 6} y={y(tick)} dy="0.35em" textAnchor="end">{tick}</text>
          </g>
        ))}
        {personLines(readings).map((points) => <polyline key={points.key} className="history-person-line" points={points.points.map(([index, value]) => `${x(index)},${y(value)}`).join(' ')} />)}
        {readings.map((reading, index) => (
          <g key={reading.conferenceId}>
            {spread(reading).map(({ value, offset }, dot) => <circle key={dot} className="history-person" cx={x(index) + offset} cy={y(value)} r={4.5} />)}
            <text className="history-date" x={x(index)} y={HEIGHT - BOTTOM + 18} textAnchor="middle">{shortDate(reading.date)}</text>
            <text className="history-kind" x={x(index)} y={HEIGHT - BOTTOM + 34} textAnchor="middle">
              {reading.conferenceId === conferenceId ? 'This meeting' : SHORT_KIND[reading.kind]}
            </text>
          </g>
        ))}
        {stretches.map((indexes) => (
          <polyline key={indexes[0]} className="history-median-line" points={indexes.map((index) => `${x(index)},${y(readings[index]?.median ?? 0)}`).join(' ')} />
        ))}
        {changedAt.map((index) => (
          <g key={`changed-${index}`} className="history-words-changed">
            <line x1={(x(index - 1) + x(index)) / 2} x2={(x(index - 1) + x(index)) / 2} y1={TOP - 8} y2={HEIGHT - BOTTOM} />
            <text x={(x(index - 1) + x(index)) / 2} y={TOP - 14} textAnchor="middle">New words</text>
          </g>
        ))}
        {readings.map((reading, index) => (
          <g key={reading.conferenceId} className="history-median">
            <circle cx={x(index)} cy={y(reading.median)} r={13} />
            <text x={x(index)} y={y(reading.median)} dy="0.35em" textAnchor="middle">{numberWords(reading.median)}</text>
          </g>
        ))}
      </svg>
      <p className="history-legend" aria-hidden="true">
        <span className="history-key-median">Middle score</span>
        <span className="history-key-person">Each person’s number</span>
      </p>
      {changedAt.map((index) => (
        <p key={`changed-${index}`} className="hint">
          The words changed before the {kindWords(readings[index]?.kind ?? 'uk-review').toLowerCase()} on {dateWords(readings[index]?.date ?? '')}: the scores before and after answer different questions.
        </p>
      ))}
      {/* Hidden by its box: a table laid out inside a 1 px box itself would still push the page wide. */}
      <div className="visually-hidden">
        <table>
          <caption>{chartTitle}, as a table</caption>
          <thead>
            <tr><th scope="col">Conference</th><th scope="col">Middle score</th><th scope="col">Everyone’s scores</th></tr>
          </thead>
          <tbody>
            {readings.map((reading) => (
              <tr key={reading.conferenceId}>
                <th scope="row">{kindWords(reading.kind)}, {dateWords(reading.date)}{reading.wordsChanged && ' (scored against new words)'}</th>
                <td>{numberWords(reading.median)}</td>
                <td>{reading.scores.map((entry) => `${entry.name} (${entry.role ? ROLE_LABELS[entry.role] : 'in the room'}): ${entry.value}`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}

function shortDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return isoDate
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
}

/** One sentence a screen reader reads with the chart: the middle score at each meeting. */
function describe(readings: readonly ProgressReading[]): string {
  const parts = readings.map((reading) => `${reading.wordsChanged ? 'against new words, ' : ''}${numberWords(reading.median)} at the ${kindWords(reading.kind).toLowerCase()} on ${dateWords(reading.date)}`)
  return `The middle score was ${parts.join(', then ')}.`
}

/** The readings' indexes in runs scored against the same words. */
function stretchesOfSameWords(readings: readonly ProgressReading[]): number[][] {
  const stretches: number[][] = []
  readings.forEach((reading, index) => {
    const current = stretches.at(-1)
    if (current && !reading.wordsChanged) current.push(index)
    else stretches.push([index])
  })
  return stretches
}

/** Where each person's dot goes at one meeting: side by side when several gave the same number. */
function spread(reading: ProgressReading): { value: number; offset: number }[] {
  const counts = new Map<number, number>()
  for (const entry of reading.scores) counts.set(entry.value, (counts.get(entry.value) ?? 0) + 1)
  const placed = new Map<number, number>()
  return reading.scores.map((entry) => {
    const count = counts.get(entry.value) ?? 1
    const index = placed.get(entry.value) ?? 0
    placed.set(entry.value, index + 1)
    return { value: entry.value, offset: (index - (count - 1) / 2) * DOT_SPREAD }
  })
}

/** The same person (same name and role) at several meetings: their numbers joined by a faint line. */
function personLines(readings: readonly ProgressReading[]): { key: string; points: [number, number][] }[] {
  const people = new Map<string, [number, number][]>()
  readings.forEach((reading, index) => {
    for (const entry of reading.scores) {
      const key = `${entry.role ?? ''}:${entry.name.trim().toLowerCase()}`
      people.set(key, [...(people.get(key) ?? []), [index, entry.value]])
    }
  })
  return [...people].filter(([, points]) => points.length > 1).map(([key, points]) => ({ key, points }))
}
