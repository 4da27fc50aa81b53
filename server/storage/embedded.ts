import path from 'node:path'
import { createLogger, errorMessage, type Logger } from '../log'
import { LowdbAccessStore } from './access'
import { LowdbConferenceCatalog } from './catalog'
import { openSealedScores } from './sealedScores'
import { openAmendments } from './amendments'
import { openSentDocuments } from './sentDocuments'
import { openProgrammes } from './programmes'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { ensureDirectory, isNotFound, replaceFileDurably, type StorageHooks } from './durable'
import { ConferenceNotFoundError, StorageError } from './errors'
import { isConferenceId } from './ids'
import { openFileJournal } from './journal'
import type { AccessStore, ConferenceCatalog, ProgrammeRecords, RecordSet, SealedScore, Storage, StoredAmendment, StoredSentDocument, UpdateJournal } from './types'
import type { ConferenceDocument } from '../../shared/conference/documents'

export type { CompactionStep, StorageHooks, SyncTarget } from './durable'

export interface EmbeddedStorageOptions {
  log?: Logger
  /** Test hooks (fsync counting, failure and crash injection); see StorageHooks. */
  hooks?: StorageHooks
}

/** Name of the catalog file in the data directory. */
export const CATALOG_FILE = 'safetymap.json'
/** Name of the file of accounts, participants, sessions and password links. */
export const ACCESS_FILE = 'access.json'
/** Name of the file of scores waiting for their reveal. */
export const SEALED_SCORES_FILE = 'sealed-scores.json'
/** Name of the file of corrections made after records were finalized. */
export const AMENDMENTS_FILE = 'amendments.json'
/** Name of the file of who each conference document was sent to, and when. */
export const SENT_DOCUMENTS_FILE = 'sent-documents.json'
/** Name of the file of referrals, Parent Partner offers, children's outcomes and parents' feedback. */
export const PROGRAMMES_FILE = 'programmes.json'
/** Inside a conference's directory: the professionals-only section's journal. */
export const PROFESSIONALS_ONLY_DIRECTORY = 'professionals-only'
/** A finalized record's copy, named by its SHA-256, beside the journal. */
const finalCopyFile = (hash: string): string => `final-${hash}.ydoc`
/** Directory of the per-conference journal directories. */
export const CONFERENCES_DIRECTORY = 'conferences'

/**
 * Storage in one directory, no server needed:
 *
 *   <dataDir>/safetymap.json              lowdb catalog: { version, conferences }
 *   <dataDir>/access.json                 lowdb: accounts, participants, sessions, password links
 *   <dataDir>/sealed-scores.json          lowdb: scores given before their round's reveal
 *   <dataDir>/amendments.json             lowdb: corrections made after records were finalized
 *   <dataDir>/sent-documents.json         lowdb: who each conference document was sent to, and when
 *   <dataDir>/programmes.json             lowdb: referrals, Parent Partner offers, outcomes, feedback
 *   <dataDir>/conferences/<id>/           one directory per conference (see journal.ts): its record
 *   <dataDir>/conferences/<id>/professionals-only/   and its professionals-only section
 *   <dataDir>/conferences/<id>/final-<sha256>.ydoc   the copy kept when the record was finalized
 *
 * Per-keystroke updates never go through lowdb: it rewrites its whole file on every write.
 */
export async function openEmbeddedStorage(dataDir: string, options: EmbeddedStorageOptions = {}): Promise<Storage> {
  const log = options.log ?? createLogger('info')
  const hooks = options.hooks ?? {}
  const conferencesDirectory = path.join(dataDir, CONFERENCES_DIRECTORY)
  await ensureDirectory(conferencesDirectory, hooks)
  const catalog = await LowdbConferenceCatalog.open(path.join(dataDir, CATALOG_FILE), {
    hooks,
    afterCreate: async (conference) => {
      // The conference is already durable; its directory is also made lazily on first open.
      try {
        await ensureDirectory(path.join(conferencesDirectory, conference.id), hooks)
      } catch (error) {
        log.warn('storage.conference-directory-failed', { conferenceId: conference.id, error: errorMessage(error) })
      }
    },
  })
  const access = await LowdbAccessStore.open(path.join(dataDir, ACCESS_FILE), hooks)
  const sealed = await openSealedScores(path.join(dataDir, SEALED_SCORES_FILE), hooks)
  const amendments = await openAmendments(path.join(dataDir, AMENDMENTS_FILE), hooks)
  const sent = await openSentDocuments(path.join(dataDir, SENT_DOCUMENTS_FILE), hooks)
  const programmes = await openProgrammes(path.join(dataDir, PROGRAMMES_FILE), hooks)
  return new EmbeddedStorage(catalog, access, sealed, amendments, sent, programmes, conferencesDirectory, log, hooks)
}

class EmbeddedStorage implements Storage {
  /** Journals open now (or opening), by `<conference id>/<document>`: one writer per journal file. */
  private readonly journals = new Map<string, Promise<UpdateJournal>>()
  private closing: Promise<void> | null = null

  constructor(
    private readonly catalog: LowdbConferenceCatalog,
    private readonly accessStore: LowdbAccessStore,
    private readonly sealed: { scores: RecordSet<SealedScore>; close: () => Promise<void> },
    private readonly corrections: { amendments: RecordSet<StoredAmendment>; close: () => Promise<void> },
    private readonly sent: { sentDocuments: RecordSet<StoredSentDocument>; close: () => Promise<void> },
    private readonly programmeFile: { programmes: ProgrammeRecords; close: () => Promise<void> },
    private readonly conferencesDirectory: string,
    private readonly log: Logger,
    private readonly hooks: StorageHooks,
  ) {}

  get conferences(): ConferenceCatalog {
    return this.catalog
  }

  get access(): AccessStore {
    return this.accessStore
  }

  get sealedScores(): RecordSet<SealedScore> {
    return this.sealed.scores
  }

  get amendments(): RecordSet<StoredAmendment> {
    return this.corrections.amendments
  }

  get sentDocuments(): RecordSet<StoredSentDocument> {
    return this.sent.sentDocuments
  }

  get programmes(): ProgrammeRecords {
    return this.programmeFile.programmes
  }

  async openJournal(conferenceId: string, document: ConferenceDocument = 'record'): Promise<UpdateJournal> {
    this.assertOpen()
    // Checked before anything touches the filesystem: no path is ever built from a bad id.
    if (!isConferenceId(conferenceId) || !(await this.catalog.get(conferenceId))) throw new ConferenceNotFoundError(conferenceId)
    this.assertOpen()
    const key = `${conferenceId}/${document}`
    if (this.journals.has(key)) throw new StorageError('journal-busy', 'this conference journal is already open')
    const opening = this.open(conferenceId, document, key)
    this.journals.set(key, opening)
    opening.catch(() => this.journals.delete(key))
    return opening
  }

  async keepFinalCopy(conferenceId: string, state: Uint8Array): Promise<string> {
    this.assertOpen()
    if (!isConferenceId(conferenceId) || !(await this.catalog.get(conferenceId))) throw new ConferenceNotFoundError(conferenceId)
    const hash = createHash('sha256').update(state).digest('hex')
    const directory = path.join(this.conferencesDirectory, conferenceId)
    await ensureDirectory(directory, this.hooks)
    await replaceFileDurably(path.join(directory, finalCopyFile(hash)), state, 'snapshot', this.hooks)
    return hash
  }

  async readFinalCopy(conferenceId: string, hash: string): Promise<Uint8Array | undefined> {
    this.assertOpen()
    if (!isConferenceId(conferenceId) || !/^[0-9a-f]{64}$/.test(hash)) return undefined
    try {
      return new Uint8Array(await readFile(path.join(this.conferencesDirectory, conferenceId, finalCopyFile(hash))))
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const journals = await Promise.allSettled(this.journals.values())
      const opened = journals.filter((journal) => journal.status === 'fulfilled').map((journal) => journal.value)
      await Promise.all(opened.map((journal) => journal.close()))
      await this.catalog.close()
      await this.accessStore.close()
      await this.sealed.close()
      await this.corrections.close()
      await this.sent.close()
      await this.programmeFile.close()
    })()
    return this.closing
  }

  private assertOpen(): void {
    if (this.closing) throw new StorageError('closed', 'storage is closed')
  }

  private async open(conferenceId: string, document: ConferenceDocument, key: string): Promise<UpdateJournal> {
    const conferenceDirectory = path.join(this.conferencesDirectory, conferenceId)
    const directory = document === 'record' ? conferenceDirectory : path.join(conferenceDirectory, PROFESSIONALS_ONLY_DIRECTORY)
    await ensureDirectory(directory, this.hooks)
    return openFileJournal({
      directory,
      conferenceId,
      log: this.log,
      hooks: this.hooks,
      onClosed: () => this.journals.delete(key),
    })
  }
}
