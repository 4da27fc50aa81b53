import { useCallback, useEffect, useId, useRef, useState, type InputHTMLAttributes, type ReactNode, type Ref, type RefObject } from 'react'
import { ApiError } from '../api'

/**
 * The pieces every form here is made of: labelled fields with their hint and error, a problem
 * announced when a request fails, and a secret shown once with a copy button.
 */

/** What went wrong with the last request: a message for the whole form and one per field. */
export interface Problem {
  message: string
  code: string
  fields: Readonly<Record<string, string>>
}

export function problemOf(error: unknown, fallback = 'Something went wrong. Please try again.'): Problem {
  if (error instanceof ApiError) return { message: error.message, code: error.code, fields: error.fields }
  return { message: fallback, code: 'unknown', fields: {} }
}

/**
 * Runs one request at a time for a form: `pending` while it runs, `problem` when it failed. A
 * request asked for while one runs is not sent (a second press of a button that stays focusable,
 * see SubmitButton). Answers that arrive after the form is gone are dropped.
 */
export function useRequest(): {
  pending: boolean
  problem: Problem | null
  setProblem: (problem: Problem | null) => void
  run: <T>(request: () => Promise<T>, onDone: (result: T) => void) => void
} {
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const mounted = useRef(true)
  const running = useRef(false)
  useEffect(() => {
    mounted.current = true
    return () => { mounted.current = false }
  }, [])
  const run = useCallback(<T,>(request: () => Promise<T>, onDone: (result: T) => void): void => {
    if (running.current) return
    running.current = true
    setPending(true)
    setProblem(null)
    request().then(
      (result) => {
        running.current = false
        if (!mounted.current) return
        setPending(false)
        onDone(result)
      },
      (error: unknown) => {
        running.current = false
        if (!mounted.current) return
        setPending(false)
        setProblem(problemOf(error))
      },
    )
  }, [])
  return { pending, problem, setProblem, run }
}

/**
 * `request`, also running `then` when the server refused it with `code`: a request already done
 * from another tab or device, or whose answer was lost, shows what is there now.
 */
export function whenRefused<T>(request: Promise<T>, code: string, then: () => void): Promise<T> {
  return request.catch((error: unknown) => {
    if (error instanceof ApiError && error.code === code) then()
    throw error
  })
}

/**
 * A form's submit button, shown unavailable while its request runs but never `disabled`: a
 * disabled button loses the keyboard focus to the page itself, so someone using the keyboard or a
 * screen reader would start again from the top. A press while pending does nothing (useRequest's
 * `run` sends one request at a time, and the press is cancelled here as well).
 */
export function SubmitButton({ pending, children, className }: { pending: boolean; children: ReactNode; className?: string }) {
  return (
    <button
      type="submit"
      className={className}
      aria-disabled={pending || undefined}
      onClick={(event) => { if (pending) event.preventDefault() }}
    >
      {children}
    </button>
  )
}

/** Announced as soon as it appears. `children`: what to do about it, after the server's words. */
export function FormProblem({ problem, children }: { problem: Problem | null; children?: ReactNode }) {
  if (!problem) return null
  return (
    <div role="alert" className="problem">
      <p>{problem.message}</p>
      {children}
    </div>
  )
}

/**
 * For a check made when a form is sent: `focusOnceShown(box)` moves the focus to the box found
 * wanting once its error is on the page, so a screen reader reads the error out with the box
 * (focused at once, it would be read without it). Each failed send moves the focus again.
 */
export function useFocusOnceShown(): (target: RefObject<HTMLElement | null>) => void {
  const [asked, setAsked] = useState<{ target: RefObject<HTMLElement | null> } | null>(null)
  useEffect(() => { asked?.target.current?.focus() }, [asked])
  return useCallback((target) => { setAsked({ target }) }, [])
}

/**
 * Once a check or a refusal marks boxes in error (`problem`, `checks`: new objects each time), the
 * first of them in the form takes the focus, so the person hears what to put right. A refusal
 * about none of them (too many attempts) leaves the focus on the button, under the announced problem.
 */
export function useFocusFirstInError(form: RefObject<HTMLFormElement | null>, problem: unknown, checks: unknown): void {
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [form, problem, checks])
}

/** What a form control needs from its field: its id, and what describes it and whether it is in error. */
interface ControlProps {
  id: string
  'aria-describedby': string | undefined
  'aria-invalid': true | undefined
}

/** One field's label, hint and error, tied to its control so a screen reader reads them out with it. */
export function Field({ label, hint, error, children }: {
  label: string
  hint?: ReactNode
  error?: string | undefined
  children: (control: ControlProps) => ReactNode
}) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <p id={hintId} className="hint">{hint}</p>}
      {error && <p id={errorId} className="field-error">{error}</p>}
      {children({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? true : undefined })}
    </div>
  )
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'aria-describedby' | 'aria-invalid'>

/** A labelled text input (any text-like type), with an optional hint and error, both read out with it. */
export function TextField({ label, value, onChange, hint, error, ref, ...input }: InputProps & {
  label: string
  value: string
  onChange: (value: string) => void
  hint?: ReactNode
  error?: string | undefined
  /** For a form that moves the focus to the field. */
  ref?: Ref<HTMLInputElement>
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <input {...input} {...control} ref={ref} type={input.type ?? 'text'} value={value} onChange={(event) => { onChange(event.target.value) }} />
      )}
    </Field>
  )
}

/** A labelled box for a sentence or two, with an optional hint and error, both read out with it. */
export function TextAreaField({ label, value, onChange, hint, error, maxLength, disabled, ref }: {
  label: string
  value: string
  onChange: (value: string) => void
  hint?: ReactNode
  error?: string | undefined
  maxLength?: number
  disabled?: boolean
  /** For a form that moves the focus to the box. */
  ref?: Ref<HTMLTextAreaElement>
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <textarea {...control} ref={ref} rows={3} value={value} maxLength={maxLength} disabled={disabled} onChange={(event) => { onChange(event.target.value) }} />
      )}
    </Field>
  )
}

/** A labelled choice from a short list. */
export function SelectField<T extends string>({ label, value, options, onChange, hint, error, disabled, autoFocus, ref }: {
  label: string
  value: T
  options: readonly { value: T; label: string }[]
  onChange: (value: T) => void
  hint?: ReactNode
  error?: string | undefined
  disabled?: boolean
  /** For a choice shown in answer to a button: the focus moves to it. */
  autoFocus?: boolean
  /** For a form that moves the focus to the choice. */
  ref?: Ref<HTMLSelectElement>
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <select
          {...control}
          ref={ref}
          value={value}
          disabled={disabled}
          autoFocus={autoFocus}
          onChange={(event) => {
            const chosen = options.find((option) => option.value === event.target.value)
            if (chosen) onChange(chosen.value)
          }}
        >
          {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
      )}
    </Field>
  )
}

/**
 * A labelled group of choices, one of which may be picked (`null`: none yet), as radio buttons: the
 * question is the legend, so each button is read out with it. Big enough to tap on a phone.
 */
export function ChoiceField<T extends string>({ legend, value, options, onChange, error }: {
  legend: string
  value: T | null
  options: readonly { value: T; label: string }[]
  onChange: (value: T) => void
  error?: string | undefined
}) {
  const id = useId()
  const errorId = `${id}-error`
  return (
    <fieldset className="choice-field" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {error && <p id={errorId} className="field-error">{error}</p>}
      <div className="choices">
        {options.map((option) => (
          <label key={option.value} className="choice">
            <input type="radio" name={id} value={option.value} checked={value === option.value} onChange={() => { onChange(option.value) }} />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

/** Yes or no, as a choice of two. */
export const YES_NO: readonly { value: 'yes' | 'no'; label: string }[] = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]

/** A labelled checkbox, with an optional hint read out with it. */
export function CheckField({ label, checked, onChange, hint }: {
  label: string
  checked: boolean
  onChange: (checked: boolean) => void
  hint?: ReactNode
}) {
  const id = useId()
  const hintId = `${id}-hint`
  return (
    <div className="check-field">
      <input id={id} type="checkbox" checked={checked} aria-describedby={hint ? hintId : undefined} onChange={(event) => { onChange(event.target.checked) }} />
      <label htmlFor={id}>{label}</label>
      {hint && <p id={hintId} className="hint">{hint}</p>}
    </div>
  )
}

/**
 * A secret shown once (an invitation link or code, a password link): read-only, selectable, and a
 * copy button. When the browser will not copy (an address without https), the text is selected
 * so the person can copy it themselves.
 */
export function CopyableSecret({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null)

  const copy = (): void => {
    const selectIt = (): void => {
      input.current?.focus()
      input.current?.select()
      setCopied('failed')
    }
    if (!('clipboard' in navigator) || !window.isSecureContext) {
      selectIt()
      return
    }
    navigator.clipboard.writeText(value).then(() => { setCopied('copied') }, selectIt)
  }

  return (
    <div className="field secret">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input
          ref={input}
          id={id}
          type="text"
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(event) => { event.currentTarget.select() }}
        />
        <button type="button" className="secondary" onClick={copy}>{copyLabel}</button>
      </div>
      {/* Not role="status": the board's save status is the one status on the page. */}
      <p aria-live="polite" className="hint">
        {copied === 'copied' && 'Copied.'}
        {copied === 'failed' && 'It could not be copied here. It is selected: copy it yourself (Ctrl+C, or press and hold on a phone).'}
      </p>
    </div>
  )
}
