import { useId, useState, type ReactNode } from 'react'
import type * as Y from 'yjs'
import type { Entry } from '../../../shared/conference/entryList'
import { RecordValidationError } from '../../../shared/conference/errors'
import type { FieldValues } from '../../../shared/conference/fields'
import type { Identity } from '../../identity'
import type { ConferenceConnection } from '../../sync/conferenceConnection'
import { dateWords } from '../../words'
import { Field } from '../forms'
import { usePlainText } from '../map/viewedWords'
import { RecordText, type RecordEditorOptions } from '../RecordEditor'

/**
 * The fields of the record's section screens, each bound to one value of the record: a form
 * control writing through the part's `update` for those who may change it, the plain text for
 * everyone else (observers, the shared screen). A value the record refuses stays in the control
 * with a plain error beside it, so nothing typed is lost.
 */

interface FieldProps<T> {
  /** What the field is, as shown on screen. */
  label: string
  /** Which entry it belongs to ("Child 1"), added to what a screen reader hears: every entry has a "Name". */
  context?: string
  hint?: string
  value: T
  /** Writes the value into the record; throws a RecordValidationError when it is refused. */
  onSave: (value: T) => void
  canEdit: boolean
}

/** The name a screen reader hears: the label as shown, then the entry it is in. */
function nameOf(label: string, context: string | undefined): string {
  return context ? `${label}, ${context}` : label
}

/** A value shown, not editable: "Name: Sam". */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <p className="fact">
      <span className="fact-label">{label}:</span> {children}
    </p>
  )
}

/**
 * Writes what was typed or chosen, and keeps it (with the reason) when the record refuses it.
 * `invalid` says, in plain words, what a valid value looks like.
 */
function useRecordWrite<T>(onSave: (value: T) => void, invalid: string) {
  const [refused, setRefused] = useState<{ value: T; message: string } | null>(null)
  const write = (value: T): void => {
    try {
      onSave(value)
      setRefused(null)
    } catch (error) {
      if (!(error instanceof RecordValidationError)) throw error
      const message = error.reason === 'unknown-entry'
        ? 'Someone removed this while you were changing it, so this was not saved.'
        : invalid
      setRefused({ value, message })
    }
  }
  return { refused, write }
}

/** A line of text: a name, a relationship, an agency. */
export function RecordTextField({ label, context, hint, value, onSave, canEdit, maxLength = 200, suggestions, emptyWords = 'Not given' }: FieldProps<string> & {
  maxLength?: number
  /** Id of a <datalist> of likely answers (e.g. the names of the people in the meeting). */
  suggestions?: string
  /** Shown to readers while the value is empty. */
  emptyWords?: string
}) {
  const { refused, write } = useRecordWrite(onSave, `This could not be saved. Please keep it under ${maxLength} characters.`)
  if (!canEdit) return <Fact label={label}>{value || emptyWords}</Fact>
  return (
    <Field label={label} hint={hint} error={refused?.message}>
      {(control) => (
        <input
          {...control}
          type="text"
          aria-label={context ? nameOf(label, context) : undefined}
          value={refused?.value ?? value}
          maxLength={maxLength}
          list={suggestions}
          onChange={(event) => { write(event.target.value) }}
        />
      )}
    </Field>
  )
}

/** A date, or none yet (null). */
export function RecordDateField({ label, context, hint, value, onSave, canEdit, emptyWords = 'No date yet' }: FieldProps<string | null> & { emptyWords?: string }) {
  const { refused, write } = useRecordWrite(onSave, 'Please give the whole date: day, month and a four-figure year.')
  if (!canEdit) return <Fact label={label}>{value ? dateWords(value) : emptyWords}</Fact>
  return (
    <Field label={label} hint={hint} error={refused?.message}>
      {(control) => (
        <input
          {...control}
          type="date"
          aria-label={context ? nameOf(label, context) : undefined}
          value={refused?.value ?? value ?? ''}
          // The browser gives '' until the date is whole, or once it is cleared: no date.
          onChange={(event) => { write(event.target.value || null) }}
        />
      )}
    </Field>
  )
}

export interface Choice<T extends string> {
  value: T
  label: string
}

/** The choices offered, and the one the record holds even if it is not among them (nothing recorded is hidden). */
export function choicesWith<T extends string>(offered: readonly Choice<T>[], current: T, labelOf: (value: T) => string): readonly Choice<T>[] {
  return offered.some((choice) => choice.value === current) ? offered : [...offered, { value: current, label: labelOf(current) }]
}

/** One choice from a short list, as a drop-down. */
export function RecordSelect<T extends string>({ label, context, hint, value, onSave, canEdit, choices }: FieldProps<T> & { choices: readonly Choice<T>[] }) {
  const { refused, write } = useRecordWrite(onSave, 'This could not be saved. Please choose again.')
  if (!canEdit) return <Fact label={label}>{choices.find((choice) => choice.value === value)?.label ?? value}</Fact>
  return (
    <Field label={label} hint={hint} error={refused?.message}>
      {(control) => (
        <select
          {...control}
          aria-label={context ? nameOf(label, context) : undefined}
          value={refused?.value ?? value}
          onChange={(event) => {
            const chosen = choices.find((choice) => choice.value === event.target.value)
            if (chosen) write(chosen.value)
          }}
        >
          {choices.map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
        </select>
      )}
    </Field>
  )
}

/** One choice from a few, all in view (radio buttons): easier on a phone than a drop-down. */
export function RecordChoice<T extends string>({ label, hint, value, onSave, canEdit, choices }: FieldProps<T> & { choices: readonly Choice<T>[] }) {
  const name = useId()
  const hintId = useId()
  const errorId = useId()
  const { refused, write } = useRecordWrite(onSave, 'This could not be saved. Please choose again.')
  if (!canEdit) return <Fact label={label}>{choices.find((choice) => choice.value === value)?.label ?? value}</Fact>
  const shown = refused?.value ?? value
  const describedBy = [refused ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined
  return (
    <fieldset className="record-choice" aria-describedby={describedBy}>
      <legend>{label}</legend>
      {hint && <p id={hintId} className="hint">{hint}</p>}
      {refused && <p id={errorId} className="field-error">{refused.message}</p>}
      {choices.map((choice) => (
        <label key={choice.value} className="record-choice-option">
          <input type="radio" name={name} value={choice.value} checked={shown === choice.value} onChange={() => { write(choice.value) }} />
          <span>{choice.label}</span>
        </label>
      ))}
    </fieldset>
  )
}

/** Yes or no. */
export function RecordCheckbox({ label, context, hint, value, onSave, canEdit }: FieldProps<boolean>) {
  const id = useId()
  const hintId = useId()
  const errorId = useId()
  const { refused, write } = useRecordWrite(onSave, 'This could not be saved. Please try again.')
  if (!canEdit) return <Fact label={label}>{value ? 'Yes' : 'No'}</Fact>
  const describedBy = [refused ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className="check-field record-check">
      <input
        id={id}
        type="checkbox"
        aria-label={context ? nameOf(label, context) : undefined}
        aria-describedby={describedBy}
        checked={refused?.value ?? value}
        onChange={(event) => { write(event.target.checked) }}
      />
      <label htmlFor={id}>{label}</label>
      {hint && <p id={hintId} className="hint">{hint}</p>}
      {refused && <p id={errorId} className="field-error">{refused.message}</p>}
    </div>
  )
}

/** For texts that are no list entry (the houses, the plan...): nobody's name is kept on them. */
export const nothingToStamp = (): void => undefined

/** A piece of rich text of the record (Tiptap, shared live), with its label and hint shown above it. */
export function RichTextField({ label, context, hint, fragment, connection, identity, canEdit, onEdited = nothingToStamp }: {
  label: string
  context?: string
  hint?: string
  fragment: Y.XmlFragment
  connection: ConferenceConnection
  identity: Identity
  canEdit: boolean
  /** Records who changed the text, for an entry of a list. */
  onEdited?: () => void
}) {
  const hintId = useId()
  return (
    <div className="field rich-field">
      {/* The editor's own name is the same words, so what is seen is what is heard (WCAG 2.5.3). */}
      <p className="field-label">{label}</p>
      {hint && <p id={hintId} className="hint">{hint}</p>}
      <SectionText
        fragment={fragment}
        provider={connection.provider}
        identity={identity}
        canEdit={canEdit}
        label={nameOf(label, context)}
        describedBy={hint ? hintId : undefined}
        onEdited={onEdited}
      />
    </div>
  )
}

/**
 * A rich text of a section screen. For those who only read it, an empty one says so, as the other
 * fields do, rather than showing an empty box on the shared screen; only readers watch for that:
 * it is not worth a re-read per keystroke for those typing.
 */
export function SectionText(options: RecordEditorOptions) {
  return options.canEdit ? <RecordText {...options} /> : <ReadOnlyText {...options} />
}

function ReadOnlyText(options: RecordEditorOptions) {
  const words = usePlainText(options.fragment)
  if (words.trim() === '') return <p className="waiting">Not written down yet</p>
  return <RecordText {...options} />
}

/** One rich-text part of a list entry: typing in it records who changed the entry. */
export function EntryTextField<F extends FieldValues, R extends string>({ entry, part, ...field }: Omit<Parameters<typeof RichTextField>[0], 'fragment' | 'onEdited'> & {
  entry: Entry<F, R>
  part: R
}) {
  // Only a faulty client writes an entry without its texts; the rest of the entry still shows.
  if (!entry.hasRichText(part)) {
    return <p className="problem">“{field.label}” could not be read. Please remove this entry and write it again.</p>
  }
  // touch does nothing if the entry was removed meanwhile.
  return <RichTextField {...field} fragment={entry.richText(part)} onEdited={() => { entry.touch(field.identity.authorId) }} />
}
