import { scaleKey } from '../../shared/cases'
import type * as Y from 'yjs'
import { pairWords } from '../../shared/conference/dangerStatements'
import { overallScalePart } from '../../shared/conference/overallScale'
import { isBeingScored, scoresPart, writeScoringRound, type GivenScore, type Scale, type Scorer, type ScoringRound } from '../../shared/conference/scores'
import { can } from '../../shared/roles'
import { sameWords } from '../../shared/sameWords'
import { actorOf, takenOut, type ConferenceMember, type RequestContext, type Signedin } from '../auth/accessControl'
import type { AccessControl } from '../auth/accessControl'
import { newId } from '../auth/secrets'
import { HttpError } from '../http/errors'
import type { SealedScore, Storage } from '../storage/types'
import { assertNotFinal, changeOpenRecord } from './finalizing'
import type { ConferenceRoom } from './room'
import type { ConferenceRooms } from './rooms'

export interface ScoreInput {
  value: number
  reason: string
  /** The note-taker types a score in for someone in the room with no device of their own. */
  onBehalfOf?: string | undefined
}

/**
 * What people are asked to score, as it reads now, kept with a round so the record says what the
 * numbers were given to if it changes later: a pair's words, or the overall scale's question.
 * Undefined for a pair that is not (or no longer) in the conference.
 */
function askedNow(doc: Y.Doc, scale: Scale): Pick<ScoringRound, 'words' | 'question'> | undefined {
  if (scale.kind === 'overall') return { question: overallScalePart(doc).get().question }
  const words = pairWords(doc, scale.pairId)
  return words && { words }
}

const roundNotFound = (): HttpError => new HttpError(404, 'round-not-found', 'There is no scoring round with this id in this conference.')
const alreadyRevealed = (): HttpError => new HttpError(409, 'already-revealed', 'These scores have been shown already.')
const roundCancelled = (): HttpError => new HttpError(409, 'round-cancelled', 'This round of scoring was stopped. Please wait for a new one.')
const scoringAlreadyOpen = (): HttpError => new HttpError(409, 'scoring-already-open', "Scoring on this scale has already started. Show everyone's scores, or stop that round, before starting a new one.")
const isRoundCancelled = (error: unknown): boolean => error instanceof HttpError && error.code === 'round-cancelled'
const scoresShown = (): HttpError => new HttpError(409, 'scores-shown', 'Everyone’s scores have been shown, so a first score cannot be given now: nobody gives a number after seeing the others’. Those who scored can still change theirs.')

/**
 * Scoring rounds: the chair opens one for a scale, everyone who scores gives a number and what
 * would make it go up on their own device, and the chair reveals them all at once. Until then the
 * numbers are kept here (sealed-scores storage), never in the shared record: every device holds
 * all of the record, so anything in it could be read before the reveal. The record only learns
 * who has scored.
 */
export class ScoringRounds {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: ConferenceRooms,
    private readonly access: AccessControl,
    private readonly now: () => number = Date.now,
  ) {}

  async open(member: ConferenceMember, scale: Scale): Promise<ScoringRound> {
    const conferenceId = member.participant.conferenceId
    let opened: ScoringRound | undefined
    await this.changeRecord(conferenceId, (room) => {
      const asked = askedNow(room.doc, scale)
      // A pair agreed here, or one carried forward (it keeps its id, so its progress can be followed across the case).
      if (!asked) throw new HttpError(404, 'pair-not-found', 'There is no danger statement with this id in this conference.')
      // The board shows a scale's newest round only: scores given in an older one still open would
      // never be seen, and the record could not be closed. Checked here, where changes go one at a time.
      if (scoresPart(room.doc).rounds().some((round) => isBeingScored(round) && scaleKey(round.scale) === scaleKey(scale))) throw scoringAlreadyOpen()
      const round: ScoringRound = { id: newId(), scale, openedAt: this.iso(), scored: [], revealedAt: null, scores: [], ...asked }
      writeScoringRound(room.doc, round)
      opened = round
    })
    if (!opened) throw new Error('the round was not opened')
    return opened
  }

  /**
   * Before the reveal the number is sealed and only "has scored" reaches the record; after it, the
   * record gets the new number and keeps the old. Once the scores are shown only those who gave
   * one may change it: nobody gives a first number after seeing everyone else's.
   */
  async give(member: ConferenceMember, roundId: string, input: ScoreInput): Promise<ScoringRound> {
    const conferenceId = member.participant.conferenceId
    const scorer = this.scorerFor(member, input.onBehalfOf)
    await assertNotFinal(this.rooms, conferenceId)
    const score: GivenScore = { value: input.value, reason: input.reason, at: this.iso() }
    const round = await this.currentRound(conferenceId, roundId)
    if (round.cancelledAt !== undefined) throw roundCancelled()
    if (round.revealedAt !== null && !hasScore(round, scorer)) throw scoresShown()
    const sealedId = `${conferenceId}/${roundId}/${scorerKey(scorer)}`
    const sealedFirst = round.revealedAt === null
    // Sealed first: once "has scored" shows, the number must already be safe on disk.
    if (sealedFirst) await this.storage.sealedScores.put({ id: sealedId, conferenceId, roundId, scorer, score })
    let updated: ScoringRound | undefined
    await this.changeRecord(conferenceId, (room) => {
      const latest = scoresPart(room.doc).round(roundId)
      if (!latest) throw roundNotFound()
      if (latest.cancelledAt !== undefined) throw roundCancelled()
      updated = latest
      let next: ScoringRound
      if (latest.revealedAt === null) next = { ...latest, scored: [...latest.scored.filter((other) => scorerKey(other) !== scorerKey(scorer)), scorer] }
      // Revealed while this number was being sealed (given before anyone's was shown): the reveal
      // took it, or it came just after and joins the others; either way once, never as a change.
      else if (sealedFirst && latest.scores.some((entry) => scorerKey(entry) === scorerKey(scorer) && entry.score.at === score.at)) return
      else next = { ...latest, scores: withScore(latest.scores, scorer, score) }
      writeScoringRound(room.doc, next)
      updated = next
    }).catch(async (error: unknown) => {
      // Stopped between our read and the write: the round's sealed numbers are thrown away, this one too.
      if (isRoundCancelled(error) && sealedFirst) await this.storage.sealedScores.delete(sealedId)
      throw error
    })
    if (!updated) throw new Error('the score was not recorded')
    // In the record now, or taken by the reveal: its sealed copy has done its job.
    if (sealedFirst && updated.revealedAt !== null) await this.storage.sealedScores.delete(sealedId)
    return updated
  }

  async reveal(member: ConferenceMember, who: Signedin, roundId: string, context: RequestContext): Promise<ScoringRound> {
    const conferenceId = member.participant.conferenceId
    let sealed: SealedScore[] = []
    let revealed: ScoringRound | undefined
    await this.changeRecord(conferenceId, (room) => {
      const round = scoresPart(room.doc).round(roundId)
      if (!round) throw roundNotFound()
      if (round.revealedAt !== null) throw alreadyRevealed()
      if (round.cancelledAt !== undefined) throw roundCancelled()
      // Read here, where changes to the record go one at a time: a number sealed after this is
      // written in by its own give(), which finds the round revealed.
      sealed = this.sealedFor(conferenceId, roundId)
      const scores = sealed.map((entry) => ({ ...entry.scorer, score: entry.score, earlier: [] }))
      // What everyone saw last; a pair removed meanwhile keeps the words it had when the round opened.
      const next: ScoringRound = { ...round, revealedAt: this.iso(), scores, ...askedNow(room.doc, round.scale) }
      writeScoringRound(room.doc, next)
      revealed = next
    })
    if (!revealed) throw new Error('the round was not revealed')
    // On disk in the record now: the sealed copies have done their job.
    for (const entry of sealed) await this.storage.sealedScores.delete(entry.id)
    await this.access.record({ action: 'scores-revealed', actor: actorOf(who), conferenceId, from: context.from, details: { roundId, scores: sealed.length } })
    return revealed
  }

  /**
   * The chair stops a round nobody should use any more (opened by mistake, or on the wrong
   * scale): the record says it was stopped, and every sealed score in it is thrown away unseen.
   */
  async cancel(member: ConferenceMember, who: Signedin, roundId: string, context: RequestContext): Promise<ScoringRound> {
    const conferenceId = member.participant.conferenceId
    let cancelled: ScoringRound | undefined
    await this.changeRecord(conferenceId, (room) => {
      const round = scoresPart(room.doc).round(roundId)
      if (!round) throw roundNotFound()
      if (round.revealedAt !== null) throw alreadyRevealed()
      if (round.cancelledAt !== undefined) throw roundCancelled()
      const next: ScoringRound = { ...round, cancelledAt: this.iso() }
      writeScoringRound(room.doc, next)
      cancelled = next
    })
    if (!cancelled) throw new Error('the round was not stopped')
    // Read after the record says "stopped": no score can be sealed into this round from now on.
    const sealed = this.sealedFor(conferenceId, roundId)
    for (const entry of sealed) await this.storage.sealedScores.delete(entry.id)
    await this.access.record({ action: 'scoring-round-cancelled', actor: actorOf(who), conferenceId, from: context.from, details: { roundId, discarded: sealed.length } })
    return cancelled
  }

  /** The score this person gave in a round not yet revealed (their own device shows it back to them). */
  async ownSealedScore(member: ConferenceMember, roundId: string): Promise<GivenScore | null> {
    const scorer = this.scorerFor(member, undefined)
    await this.currentRound(member.participant.conferenceId, roundId)
    return this.storage.sealedScores.get(`${member.participant.conferenceId}/${roundId}/${scorerKey(scorer)}`)?.score ?? null
  }

  private scorerFor(member: ConferenceMember, onBehalfOf: string | undefined): Scorer {
    const { participant } = member
    if (onBehalfOf !== undefined) {
      if (!member.can('scoreForSomeoneElse')) throw new HttpError(403, 'not-allowed', 'Only the note-taker can type in a score for someone else.')
      // Typed in for someone who also scores on their own device, they would count twice. Only
      // those who have one: signed in with their link, or a professional's account.
      const ownDevice = this.storage.access.participants.find((other) =>
        other.conferenceId === participant.conferenceId && !takenOut(other) && can(other.role, 'score') && sameWords(other.name, onBehalfOf)
        && (other.invitation ? other.invitation.devices.length > 0 && Date.parse(other.invitation.expiresAt) > this.now() : other.accountId !== null))
      if (ownDevice) {
        throw new HttpError(409, 'scores-on-own-device', `${ownDevice.name} is in this conference and gives their own score on their device, so it is not typed in for them. If their device is not working, type their name with a note, for example “${ownDevice.name} (on paper)”.`, { onBehalfOf: 'Already scores on their own device.' })
      }
      return { participantId: null, name: onBehalfOf, role: null, enteredBy: participant.name }
    }
    if (!member.can('score')) throw new HttpError(403, 'not-allowed', 'Your role in this conference does not give a score.')
    return { participantId: participant.id, name: participant.name, role: participant.role, enteredBy: null }
  }

  private async currentRound(conferenceId: string, roundId: string): Promise<ScoringRound> {
    let round: ScoringRound | undefined
    await this.rooms.change(conferenceId, (room) => { round = scoresPart(room.doc).round(roundId) })
    if (!round) throw roundNotFound()
    return round
  }

  private sealedFor(conferenceId: string, roundId: string): SealedScore[] {
    return this.storage.sealedScores
      .all((entry) => entry.conferenceId === conferenceId && entry.roundId === roundId)
      .sort((a, b) => a.score.at.localeCompare(b.score.at))
  }

  /** Runs `change` on the open record as the server, and waits until what it wrote is on disk. */
  private async changeRecord(conferenceId: string, change: (room: ConferenceRoom) => void): Promise<void> {
    await changeOpenRecord(this.rooms, conferenceId, change)
  }

  private iso(): string {
    return new Date(this.now()).toISOString()
  }
}

/** Whether this person's score is among a revealed round's. */
function hasScore(round: ScoringRound, scorer: Scorer): boolean {
  return round.scores.some((entry) => scorerKey(entry) === scorerKey(scorer))
}

/** One score per person per round: a participant by id, someone without a device by name. */
function scorerKey(scorer: Scorer): string {
  return scorer.participantId ?? `in-the-room:${scorer.name.trim().toLowerCase()}`
}

function withScore(scores: ScoringRound['scores'], scorer: Scorer, score: GivenScore): ScoringRound['scores'] {
  const existing = scores.find((entry) => scorerKey(entry) === scorerKey(scorer))
  if (!existing) return [...scores, { ...scorer, score, earlier: [] }]
  return scores.map((entry) => (entry === existing ? { ...entry, score, earlier: [...entry.earlier, entry.score] } : entry))
}
