/**
 * Parents' feedback after a conference, the questions Bexley asked its 264 parents
 * (../shared/seeds/): short, on their own phone, and anonymous: no name is asked for, since one
 * would only make an answer traceable. No one in the conference ever sees one parent's answers;
 * programme leads see them added up.
 */

export const FEEDBACK_QUESTIONS = [
  { id: 'knewFamily', question: 'Did the professionals know your family well enough?' },
  { id: 'involved', question: 'Did you feel fully involved in the meeting?' },
  { id: 'listenedTo', question: 'Did you feel listened to?' },
  { id: 'respected', question: 'Were you treated with respect?' },
  { id: 'madeDifference', question: 'Did the meeting make a positive difference for your family?' },
] as const

export type FeedbackQuestionId = (typeof FEEDBACK_QUESTIONS)[number]['id']

export const FEEDBACK_ANSWERS = ['yes', 'partly', 'no'] as const
export type FeedbackAnswer = (typeof FEEDBACK_ANSWERS)[number]

export const FEEDBACK_ANSWER_LABELS: Readonly<Record<FeedbackAnswer, string>> = { yes: 'Yes', partly: 'Partly', no: 'No' }

export const MAX_FEEDBACK_WORDS_LENGTH = 2000

/** `POST /api/conferences/:id/feedback`. A question left out was not answered. */
export interface FeedbackInput {
  answers: Partial<Record<FeedbackQuestionId, FeedbackAnswer>>
  words: string
  /** Programme leads may read these words (never with a name or the conference). */
  shareWords: boolean
}

/** `GET /api/conferences/:id/feedback`: whether this parent can still give feedback. */
export interface FeedbackState {
  /** Parents (and carers) give feedback; others are not asked. */
  asked: boolean
  given: boolean
}
