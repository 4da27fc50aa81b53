import { z } from 'zod'
import { FEEDBACK_ANSWERS, FEEDBACK_QUESTIONS, MAX_FEEDBACK_WORDS_LENGTH, type FeedbackInput, type FeedbackState } from '../../shared/programmes/feedback'
import type { ConferenceMember } from '../auth/accessControl'
import { hashSecret, keyedHash, newId } from '../auth/secrets'
import { HttpError } from '../http/errors'
import { textToShow } from '../http/words'
import { wordsKey } from '../../shared/sameWords'
import type { Storage, StoredParticipant } from '../storage/types'
import { Turns } from '../turns'

export const feedbackBody = z.object({
  answers: z.partialRecord(z.enum(FEEDBACK_QUESTIONS.map((question) => question.id)), z.enum(FEEDBACK_ANSWERS)),
  words: textToShow({ max: MAX_FEEDBACK_WORDS_LENGTH, lines: true, optional: true }),
  shareWords: z.boolean(),
}).strict() satisfies z.ZodType<FeedbackInput>

/** The name of the server key file (server/auth/secrets.ts `serverKey`) in the data directory. */
export const FEEDBACK_KEY_FILE = 'feedback-marks.key'

/**
 * Parents' feedback (shared/programmes/feedback.ts). What a parent says is stored with the
 * conference only; that they answered is stored apart, as a mark keyed with a server key, so each
 * parent answers once and neither store leads to the other: both are kept in the order of their
 * random-looking ids, not the order given, and neither holds a time. Nothing is written to the
 * audit trail, which names people.
 */
export class ParentFeedback {
  /** One answer at a time: two sent at once must not both pass the "answered already?" check. */
  private readonly answers = new Turns()

  constructor(
    private readonly storage: Storage,
    private readonly key: Uint8Array,
  ) {}

  state(member: ConferenceMember): FeedbackState {
    return { asked: member.can('giveFeedback'), given: this.storage.programmes.feedbackGiven.get(feedbackMark(this.key, member.participant)) !== undefined }
  }

  /** `member` may give feedback (the route checks `giveFeedback`). */
  async give(member: ConferenceMember, input: FeedbackInput): Promise<void> {
    return this.answers.run(async () => {
      const mark = feedbackMark(this.key, member.participant)
      if (this.storage.programmes.feedbackGiven.get(mark)) throw new HttpError(409, 'feedback-given', 'You have already told us how the meeting went. Thank you.')
      const words = input.words.trim()
      // What they said first: a crash between the two writes may let a parent answer twice, never lose an answer.
      await this.storage.programmes.feedback.put({
        id: newId(),
        conferenceId: member.participant.conferenceId,
        answers: input.answers,
        words,
        shareWords: input.shareWords && words !== '',
      })
      await this.storage.programmes.feedbackGiven.put({ id: mark })
    })
  }
}

/**
 * That this person answered at this conference. By name, not participant: a parent whose
 * invitation was withdrawn and given again is a new participant, and must not be asked twice.
 * Keyed, so that the names and ids in access.json do not lead to the mark.
 */
function feedbackMark(key: Uint8Array, participant: Pick<StoredParticipant, 'conferenceId' | 'name'>): string {
  return keyedHash(key, `feedback-given:${participant.conferenceId}:${wordsKey(participant.name)}`)
}

/**
 * Marks made before they were keyed were an unkeyed hash of the participant id, which anyone with
 * access.json could match: each becomes a keyed mark, once, at start.
 */
export async function upgradeFeedbackMarks(storage: Storage, key: Uint8Array): Promise<void> {
  const marks = storage.programmes.feedbackGiven
  for (const participant of storage.access.participants.all()) {
    const unkeyed = hashSecret(`feedback-given:${participant.id}`)
    if (!marks.get(unkeyed)) continue
    await marks.put({ id: feedbackMark(key, participant) })
    await marks.delete(unkeyed)
  }
}
