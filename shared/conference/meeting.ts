import type * as Y from 'yjs'
import { z } from 'zod'
import { AGENDA_STEP_IDS, type AgendaStepId } from './agenda'
import { FieldMap, type FieldsPart } from './fieldMap'
import { shortText } from './fields'

/**
 * Where the meeting is: the agenda step the chair or note-taker has moved it to. Everyone's board
 * follows it unless they choose to look elsewhere. Only roles that may move the agenda write this
 * root (shared/conference/documents.ts, ROOTS_NEEDING).
 */

export const MEETING_ROOT = 'meeting'
export const MEETING_ROOT_NAMES = [MEETING_ROOT] as const

export const meetingStateSchema = z.object({
  /** The current step; 'family' until the meeting is moved on. */
  step: z.enum(AGENDA_STEP_IDS),
  /** Author id of who moved it last ('' before anyone has). */
  movedBy: z.union([shortText, z.literal('')]),
  /** ISO 8601, or '' before anyone has. */
  movedAt: z.string().max(40),
})
export type MeetingState = z.infer<typeof meetingStateSchema>

export const DEFAULT_MEETING_STATE: MeetingState = { step: 'family', movedBy: '', movedAt: '' }

export interface MeetingPart extends FieldsPart<MeetingState> {
  /** Moves the meeting to `step`, saying who did. */
  moveTo(step: AgendaStepId, authorId: string): void
}

export function meetingPart(doc: Y.Doc): MeetingPart {
  const fields = new FieldMap(doc, doc.getMap<unknown>(MEETING_ROOT), { schema: meetingStateSchema, defaults: DEFAULT_MEETING_STATE })
  return {
    get: () => fields.get(),
    update: (patch, origin) => {
      fields.update(patch, origin)
    },
    observe: (callback) => fields.observe(callback),
    moveTo: (step, authorId) => {
      fields.update({ step, movedBy: authorId, movedAt: new Date().toISOString() })
    },
  }
}
