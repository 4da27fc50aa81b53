import { useId, useState, type SubmitEvent } from 'react'
import { MAX_NAME_LENGTH } from '../identity'

/** Asked once per device, before a person can write in a record (sign-in comes later). */
export function NameForm({ heading, initialName, onName, onCancel }: {
  heading: string
  initialName: string
  onName: (name: string) => void
  onCancel?: () => void
}) {
  const inputId = useId()
  const hintId = useId()
  const errorId = useId()
  const [name, setName] = useState(initialName)
  const [error, setError] = useState('')

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!name.trim()) {
      setError('Please type your name.')
      return
    }
    onName(name)
  }

  return (
    <form className="name-form" onSubmit={submit} noValidate>
      <h1>{heading}</h1>
      <label htmlFor={inputId}>Your name, as others will see it</label>
      <p id={hintId} className="hint">For example “Sam Jones (Mum)” or “Alex, social worker”.</p>
      {error && <p id={errorId} className="field-error">{error}</p>}
      <input
        id={inputId}
        name="name"
        type="text"
        autoComplete="name"
        maxLength={MAX_NAME_LENGTH}
        value={name}
        aria-describedby={error ? `${errorId} ${hintId}` : hintId}
        aria-invalid={error ? true : undefined}
        onChange={(event) => {
          setName(event.target.value)
          setError('')
        }}
        autoFocus
      />
      <div className="actions">
        <button type="submit">Continue</button>
        {onCancel && <button type="button" className="secondary" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  )
}
