import { useCallback, useEffect, useId, useState, type SubmitEvent } from 'react'
import type { Membership } from '../../../shared/access'
import { dateWords } from '../../words'
import { EXPORT_DOCUMENT_INFO, EXPORT_DOCUMENTS, type ExportDocument, type SentDocument } from '../../../shared/exports'
import { exportPath, listSentDocuments, recordSentDocument } from '../../api'
import { FormProblem, SelectField, SubmitButton, TextField, useRequest, whenRefused } from '../forms'
import { sentBeforeCorrectionWords, sentLate, sentTimingWords, sentVersionWords } from './sentWords'
import './Downloads.css'

/**
 * The documents made from the record, as links (a file to save, or a page opened in a new tab):
 * for professionals every document and the list of who each was sent to (against the target of
 * the same day, at most 72 hours); for the family the family version and the child's version
 * only. The server decides who may download what (shared/exports.ts); this only leaves out links
 * that would be refused.
 */
export function Downloads({ conferenceId, you, final }: {
  conferenceId: string
  /** The person's membership (GET /api/conferences/:id): their permissions decide the links. */
  you: Pick<Membership, 'permissions'>
  /** The chair has closed the record; until then every document is marked as a draft. */
  final: boolean
}) {
  const headingId = useId()
  const professional = you.permissions.includes('seeProfessionalsOnly')
  const documents = EXPORT_DOCUMENTS.filter((document) => you.permissions.includes(EXPORT_DOCUMENT_INFO[document].needs))
  return (
    <section className="downloads" aria-labelledby={headingId}>
      <h2 id={headingId}>Documents</h2>
      <p className="hint">
        {final
          ? 'The record is closed. These documents are the final record; any correction made since is shown after the part it corrects.'
          : 'The record is not closed yet. Each document says “Draft — not final yet” on every page.'}
      </p>
      <ul className="download-list">
        {documents.map((document) => (
          <li key={document}>
            {EXPORT_DOCUMENT_INFO[document].opensInBrowser ? (
              // A new tab, so the board stays where it was, and an invited person's tab still holds
              // one page of SafetyMap (navigation.ts). The page has its own "Leave quickly"
              // (server/exports/html.ts): the board's cannot reach this tab.
              <a href={exportPath(conferenceId, document)} target="_blank" rel="noopener">{EXPORT_DOCUMENT_INFO[document].label}</a>
            ) : (
              <a href={exportPath(conferenceId, document)} download>{EXPORT_DOCUMENT_INFO[document].label}</a>
            )}
            <span className="hint">{EXPORT_DOCUMENT_INFO[document].hint}</span>
          </li>
        ))}
      </ul>
      {professional && <SentDocuments conferenceId={conferenceId} />}
    </section>
  )
}

const DOCUMENT_OPTIONS = EXPORT_DOCUMENTS.map((document) => ({ value: document, label: EXPORT_DOCUMENT_INFO[document].label }))

function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** Who each document went to and when, and a form to record one more. */
function SentDocuments({ conferenceId }: { conferenceId: string }) {
  const headingId = useId()
  const [sent, setSent] = useState<SentDocument[] | null>(null)
  const [dueBy, setDueBy] = useState<string | null>(null)
  const [document, setDocument] = useState<ExportDocument>('minutes.pdf')
  const [to, setTo] = useState('')
  const [when, setWhen] = useState('')
  const loading = useRequest()
  const saving = useRequest()
  const { run: load } = loading

  const reload = useCallback(() => {
    load(() => listSentDocuments(conferenceId), (answer) => {
      setSent(answer.sent)
      setDueBy(answer.dueBy)
    })
  }, [conferenceId, load])
  useEffect(reload, [reload])

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (to.trim() === '') {
      const missing = 'Say who it was sent to.'
      saving.setProblem({ message: missing, code: 'invalid-request', fields: { to: missing } })
      return
    }
    // A time typed here is the person's local time; the server keeps UTC.
    const at = when ? new Date(when).toISOString() : undefined
    // Recorded already (from another tab or person, or the answer was lost): the list shows it, and the form is cleared as after recording.
    const recording = (): Promise<SentDocument> => whenRefused(recordSentDocument(conferenceId, { document, to, ...(at ? { at } : {}) }), 'sending-already-recorded', () => {
      setTo('')
      setWhen('')
      reload()
    })
    saving.run(recording, (recorded) => {
      setSent((current) => [...(current ?? []), recorded].sort((a, b) => a.at.localeCompare(b.at)))
      setTo('')
      setWhen('')
    })
  }

  return (
    <section className="sent-documents" aria-labelledby={headingId}>
      <h3 id={headingId}>Sent to</h3>
      {dueBy && <p className="hint">Target: the same day, and by the end of {dateWords(dueBy)} at the latest.</p>}
      <FormProblem problem={loading.problem} />
      {sent !== null && sent.length === 0 && <p>Nothing has been recorded as sent yet.</p>}
      {sent !== null && sent.length > 0 && (
        <ul className="sent-list">
          {sent.map((record) => (
            <li key={record.id}>
              <span>{EXPORT_DOCUMENT_INFO[record.document].label} to {record.to}, {dateTime(record.at)}</span>
              <span className={`sent-version sent-${record.status.state}`}>{sentVersionWords(record.status)}</span>
              <strong className={sentLate(record) ? 'sent-late' : 'sent-on-time'}>{sentTimingWords(record)}</strong>
              {record.correctedSince && <span className="sent-corrected">{sentBeforeCorrectionWords(record)}</span>}
            </li>
          ))}
        </ul>
      )}
      <form className="stack-form" onSubmit={submit} noValidate>
        <SelectField label="Document" value={document} options={DOCUMENT_OPTIONS} onChange={setDocument} />
        <TextField label="Sent to" hint="A name and how, for example “Jo, by email”." value={to} onChange={setTo} maxLength={200} error={saving.problem?.fields.to} />
        <TextField label="When (leave empty for now)" type="datetime-local" value={when} onChange={setWhen} error={saving.problem?.fields.at} />
        <FormProblem problem={saving.problem} />
        <SubmitButton pending={saving.pending}>{saving.pending ? 'Recording…' : 'Record as sent'}</SubmitButton>
      </form>
    </section>
  )
}
