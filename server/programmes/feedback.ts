import { z } from 'zod'
import { FEEDBACK_ANSWERS, FEEDBACK_QUESTIONS, MAX_FEEDBACK_WORDS_LENGTH, type FeedbackInput, type FeedbackState } from '../../shared/programmes/feedback'
import { localDate } from '../../shared/timescales'
import type { ConferenceMember } from '../auth/accessControl'
import { hashSecret, newId } from '../auth/secrets'
import { HttpError } from '../http/errors'
import { textToShow } from '../http/words'
import type { Storage } from '../storage/types'
import { Turns } from '../turns'

export const feedbackBody = z.object({
  answers: z.partialRecord(z.enum(FEEDBACK_QUESTIONS.map((question) => question.id)), z.enum(FEEDBACK_ANSWERS)),
  words: textToShow({ max: MAX_FEEDBACK_WORDS_LENGTH, lines: true, optional: true }),
  shareWords: z.boolean(),
}).strict() satisfies z.ZodType<FeedbackInput>

/**
 * Parents' feedback (shared/programmes/feedback.ts). What a parent says is stored with the
 * conference and the day only; that they answered is stored apart, as a hash of their
 * participant id, so each parent answers once and neither store leads to the other. Nothing is
 * written to the audit trail, which names people.
 */
export class ParentFeedback {
  /** One answer at a time: two sent at once must not both pass the "answered already?" check. */
  private readonly answers = new Turns()

  constructor(
    private readonly storage: Storage,
    private readonly now: () => number = Date.now,
  ) {}

  state(member: ConferenceMember): FeedbackState {
    return { asked: member.can('giveFeedback'), given: this.storage.programmes.feedbackGiven.get(this.givenId(member)) !== undefined }
  }

  /** `member` may give feedback (the route checks `giveFeedback`). */
  async give(member: ConferenceMember, input: FeedbackInput): Promise<void> {
    return this.answers.run(async () => {
      const givenId = this.givenId(member)
      if (this.storage.programmes.feedbackGiven.get(givenId)) throw new HttpError(409, 'feedback-given', 'You have already told us how the meeting went. Thank you.')
      const words = input.words.trim()
      // What they said first: a crash between the two writes may let a parent answer twice, never lose an answer.
      await this.storage.programmes.feedback.put({
        id: newId(),
        conferenceId: member.participant.conferenceId,
        day: localDate(new Date(this.now())),
        answers: input.answers,
        words,
        shareWords: input.shareWords && words !== '',
      })
      await this.storage.programmes.feedbackGiven.put({ id: givenId })
    })
  }

  private givenId(member: ConferenceMember): string {
    // Participant ids are random and unguessable: only someone holding the access file could match the hash.
    return hashSecret(`feedback-given:${member.participant.id}`)
  }
}
