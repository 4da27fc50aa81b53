/** Shapes of the HTTP API shared by server and client (docs/http-api.md). */
import type { ConferenceKind } from './conference/details'

export interface ConferenceSummary {
  id: string
  title: string
  kind: ConferenceKind
  /** The day the conference meets, YYYY-MM-DD. */
  date: string
  /** When the record was created, ISO 8601 UTC. */
  createdAt: string
  /** Demo conferences hold invented families only. */
  demo: boolean
}

/** Every API error has this one JSON shape; `code` is stable, `message` is for people. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> }
}
