import { useId, useRef, useState, type SubmitEvent } from 'react'
import { changeTitleOrDate } from '../../api'
import { dateWords } from '../../words'
import { FormProblem, SubmitButton, TextField, useRequest } from '../forms'

/**
 * For the people who arrange a conference (the `changeTitleOrDate` permission): move it to another
 * day, or put right a title or date typed wrong, until the record is closed. The record's details
 * change for everyone at once, so the heading above shows the new ones without a reload.
 */
export function ChangeTitleOrDate({ conferenceId, title, date }: { conferenceId: string; title: string; date: string }) {
  const formId = useId()
  const [open, setOpen] = useState(false)
  const [draft, setDraft] = useState({ title, date })
  const [missing, setMissing] = useState<{ title?: string; date?: string }>({})
  const [saved, setSaved] = useState('')
  const { pending, problem, setProblem, run } = useRequest()
  const toggleButton = useRef<HTMLButtonElement>(null)

  const toggle = (): void => {
    setDraft({ title, date })
    setMissing({})
    setProblem(null)
    setSaved('')
    setOpen(!open)
  }

  /** The form goes, and with it the button pressed: the focus goes back to the one that opened it. */
  const close = (): void => {
    setOpen(false)
    toggleButton.current?.focus()
  }

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const newTitle = draft.title.trim()
    const found = {
      ...(newTitle ? {} : { title: 'Please give the conference a title.' }),
      ...(draft.date ? {} : { date: 'Please choose the day of the conference.' }),
    }
    setMissing(found)
    if (found.title ?? found.date) return
    const change = { ...(newTitle === title ? {} : { title: newTitle }), ...(draft.date === date ? {} : { date: draft.date }) }
    if (change.title === undefined && change.date === undefined) {
      close()
      return
    }
    run(() => changeTitleOrDate(conferenceId, change), (conference) => {
      close()
      setSaved(change.date === undefined
        ? 'Saved. Everyone now sees the new title.'
        : `Saved. The conference is now on ${dateWords(conference.date)}. Invitation links work until a week after that day.`)
    })
  }

  return (
    <div className="change-title-or-date">
      <button type="button" ref={toggleButton} aria-expanded={open} aria-controls={open ? formId : undefined} onClick={toggle}>
        Change title or date
      </button>
      <p role="status" className="hint">{saved}</p>
      {open && (
        <form id={formId} className="stack-form" onSubmit={submit} noValidate aria-label="Change title or date">
          <FormProblem problem={problem} />
          <TextField label="Title" maxLength={200} autoComplete="off" value={draft.title} onChange={(value) => { setDraft({ ...draft, title: value }) }} error={missing.title ?? problem?.fields.title} />
          <TextField
            label="Date"
            type="date"
            hint="If the meeting has moved to another day. Everyone’s invitation link will then work until a week after the new day."
            value={draft.date}
            onChange={(value) => { setDraft({ ...draft, date: value }) }}
            error={missing.date ?? problem?.fields.date}
          />
          <div className="actions">
            <SubmitButton pending={pending}>Save</SubmitButton>
            <button type="button" onClick={close}>Cancel</button>
          </div>
        </form>
      )}
    </div>
  )
}
