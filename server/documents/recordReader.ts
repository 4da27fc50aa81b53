import type * as Y from 'yjs'
import type { ConferenceRooms } from './rooms'

/**
 * Reads one kind of thing from conferences' records (what the dashboard, the programme figures or a
 * case's progress need) and keeps each answer until that record changes, so a page that lists every conference
 * does not open every record each time it is asked for. Everything that changes a record goes
 * through its room, which counts the change (ConferenceRooms.revisionOf).
 *
 * `extract` must not keep the document: what it returns is shared by every later read, so it
 * should be plain data, and callers must not change it.
 */
export class RecordReader<T> {
  private readonly answers = new Map<string, { revision: number; value: T }>()

  constructor(
    private readonly rooms: ConferenceRooms,
    private readonly extract: (doc: Y.Doc) => T,
  ) {}

  async read(conferenceId: string): Promise<T> {
    const kept = this.answers.get(conferenceId)
    if (kept && kept.revision === this.rooms.revisionOf(conferenceId)) return kept.value
    const read = await this.rooms.read(conferenceId, this.extract)
    this.answers.set(conferenceId, read)
    return read.value
  }
}
