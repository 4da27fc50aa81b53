import { useEffect, useId, useState, type SubmitEvent } from 'react'
import { getProgrammeFigures, programmeFiguresCsvPath, type FiguresQuery } from '../../api'
import { DISCLOSURE_NOTE, figureWords, SMALLEST_SHOWN, type Figure, type FigureGroup, type FiguresFor, type PeriodKind, type ProgrammeFigures, type QuarterWords } from '../../../shared/programmes/figures'
import { useAnswer } from '../../useAnswer'
import { dateWords } from '../../words'
import { FormProblem, SelectField, TextField } from '../forms'
import { FigureChart } from './FigureChart'
import './programmes.css'

const PERIOD_OPTIONS: readonly { value: PeriodKind; label: string }[] = [
  { value: 'quarter', label: 'Quarter' },
  { value: 'month', label: 'Month' },
]

/** The figures the table by service area compares, one column each. */
const HEADLINE_FIGURES = ['familiar-afterConference', 'held-in-time', 'feedback-listenedTo', 'participation-attended'] as const

/**
 * `/programme`, for programme leads (and administrators): the programme's figures over a range of
 * dates, for every service area or one, with each percentage's bars by quarter or month, the
 * areas side by side, and the words parents allowed programme leads to read. Numbers only, never
 * a family; counts are rounded and small ones not shown (shared/programmes/figures.ts).
 */
export function ProgrammePage() {
  const [draft, setDraft] = useState<FiguresQuery>({ from: '', to: '', period: 'quarter', serviceArea: '' })
  const [query, setQuery] = useState<FiguresQuery>(draft)
  const figures = useAnswer(JSON.stringify(query), (signal) => getProgrammeFigures(query, signal))
  // While the next figures load, the area chosen stays among the choices.
  const areas = figures.value?.serviceAreas ?? (draft.serviceArea ? [draft.serviceArea] : [])

  useEffect(() => { document.title = 'Programme figures — SafetyMap' }, [])

  const show = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    // The same question again is asked again: the records may have changed since.
    if (JSON.stringify(draft) === JSON.stringify(query)) figures.reload()
    else setQuery(draft)
  }
  const fieldError = (field: string): string | undefined => figures.problem?.fields[field]
  const areaOptions = [{ value: '', label: 'All areas' }, ...areas.map((area) => ({ value: area, label: area }))]

  return (
    <main className="page programme-page" id="main">
      <h1>Programme figures</h1>
      <p>Numbers only: never a family, a child’s name or a conference. {DISCLOSURE_NOTE}</p>
      <form className="figures-controls" onSubmit={show} noValidate aria-label="Which figures">
        <TextField label="From" type="date" hint="Whole months: any day stands for its month. Empty: 12 months to the end." value={draft.from} onChange={(from) => { setDraft({ ...draft, from }) }} error={fieldError('from')} />
        <TextField label="To" type="date" hint="Empty: this month." value={draft.to} onChange={(to) => { setDraft({ ...draft, to }) }} error={fieldError('to')} />
        <SelectField label="Group by" value={draft.period} options={PERIOD_OPTIONS} onChange={(period) => { setDraft({ ...draft, period }) }} />
        <SelectField label="Service area" value={draft.serviceArea} options={areaOptions} onChange={(serviceArea) => { setDraft({ ...draft, serviceArea }) }} />
        <div className="actions">
          <button type="submit">Show figures</button>
        </div>
      </form>
      <FormProblem problem={figures.problem}>
        {/* Asking again helps when the server could not answer, not when the dates are wrong. */}
        {figures.problem && Object.keys(figures.problem.fields).length === 0 && <button type="button" onClick={figures.reload}>Try again</button>}
      </FormProblem>
      {figures.loading && <p className="waiting">Loading the figures…</p>}
      {figures.value && !figures.loading && <Figures figures={figures.value} query={query} />}
    </main>
  )
}

function Figures({ figures, query }: { figures: ProgrammeFigures; query: FiguresQuery }) {
  const { total } = figures
  return (
    <>
      <p className="figures-range">
        {dateWords(total.from)} to {dateWords(total.to)}, {total.serviceArea ?? 'all areas'}.{' '}
        <a href={programmeFiguresCsvPath(query)} download>Download as CSV</a>
      </p>
      {total.groups.map((group) => <FigureGroupSection key={group.id} group={group} periods={figures.periods} period={query.period} />)}
      <ByServiceArea figures={figures} />
      <ParentsWords quarters={figures.parentsWords} />
    </>
  )
}

function figureIn(set: FiguresFor, id: string): Figure | undefined {
  return set.groups.flatMap((group) => group.figures).find((candidate) => candidate.id === id)
}

/**
 * A percentage with something to draw: a count of a total (a suppressed figure does not say which
 * it is) in some period, or not shown in one. One with nothing to count in any period has no chart.
 */
function hasChart(figure: Figure, periods: readonly FiguresFor[]): boolean {
  const inPeriods = periods.map((set) => figureIn(set, figure.id))
  const percentage = [figure, ...inPeriods].some((value) => (value?.of ?? null) !== null)
  return percentage && inPeriods.some((value) => value?.suppressed === true || (value?.percent ?? null) !== null)
}

function FigureGroupSection({ group, periods, period }: { group: FigureGroup; periods: readonly FiguresFor[]; period: PeriodKind }) {
  const headingId = useId()
  return (
    <section className="figure-group" aria-labelledby={headingId}>
      <h2 id={headingId}>{group.title}</h2>
      <ul className="figures">
        {group.figures.map((figure) => (
          <li key={figure.id} className="figure">
            <span className="figure-label">{figure.label}</span>
            <strong className="figure-value">{figureWords(figure)}</strong>
            {hasChart(figure, periods) && (
              <FigureChart
                title={`${figure.label}, by ${period}`}
                periods={periods.map((set) => ({ label: set.label, figure: figureIn(set, figure.id) }))}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function ByServiceArea({ figures }: { figures: ProgrammeFigures }) {
  const headingId = useId()
  const columns = HEADLINE_FIGURES.map((id) => ({ id, label: figureIn(figures.total, id)?.label ?? id }))
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>By service area</h2>
      {figures.byArea.length === 0 ? <p>There are no service areas yet.</p> : (
        <div className="table-scroll">
          <table aria-labelledby={headingId} className="by-area">
            <thead>
              <tr>
                <th scope="col">Service area</th>
                {columns.map((column) => <th key={column.id} scope="col">{column.label}</th>)}
              </tr>
            </thead>
            <tbody>
              {figures.byArea.map((area) => (
                <tr key={area.serviceArea}>
                  <th scope="row">{area.serviceArea}</th>
                  {columns.map((column) => {
                    const figure = figureIn(area, column.id)
                    return <td key={column.id}>{figure ? figureWords(figure) : '—'}</td>
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function ParentsWords({ quarters }: { quarters: readonly QuarterWords[] }) {
  const headingId = useId()
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Parents’ own words</h2>
      <p className="hint">
        Only words parents allowed programme leads to read, without their names, in no order. They are given for whole
        calendar quarters and all service areas together, and only when at least {SMALLEST_SHOWN} parents shared
        their words, so that no family’s words can be picked out.
      </p>
      {quarters.map((quarter) => (
        <section key={quarter.label} aria-label={quarter.label}>
          <h3>{quarter.label} ({dateWords(quarter.from)} to {dateWords(quarter.to)})</h3>
          {!quarter.ended ? <p>Not shown until the quarter has ended, so that new words cannot be told apart from one day to the next.</p>
            : quarter.words === null ? <p>Not shown: fewer than {SMALLEST_SHOWN} parents shared their words.</p> : (
            <ul className="parents-words">
              {quarter.words.map((text, index) => <li key={index}>{text}</li>)}
            </ul>
          )}
        </section>
      ))}
    </section>
  )
}
