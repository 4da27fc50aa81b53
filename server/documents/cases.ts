import type * as Y from 'yjs'
import { caseIdOf } from '../../shared/api'
import { carriesForward, caseFamily, scaleKey, type ConferenceCase, type CaseProgress, type ProgressReading, type ScaleProgress } from '../../shared/cases'
import { conferenceRecord } from '../../shared/conference'
import {
  carriedForwardPairs,
  currentWords,
  writeCarriedPair,
  type CarriedPair,
  type NewHarm,
} from '../../shared/conference/dangerStatements'
import { EARLIER_CONFERENCE_AUTHOR, type ChildFields } from '../../shared/conference/details'
import { serverOrigin } from '../../shared/conference/origins'
import { plainText } from '../../shared/conference/richText'
import { scoresPart, summarizeScores, type ScoringRound } from '../../shared/conference/scores'
import { actorOf, type AccessControl, type ConferenceMember, type RequestContext, type Signedin } from '../auth/accessControl'
import { conferenceNotFound, HttpError, invalidRequest } from '../http/errors'
import type { ConferenceSummary, NewConference, Storage } from '../storage/types'
import { createConference } from './conferences'
import { changeOpenRecord } from './finalizing'
import { referralSummary } from '../programmes/referrals'
import type { ConferenceRooms } from './rooms'
import type { RecordReader } from './recordReader'

/** What a new version of a carried-forward pair says, and the new harm that justified it. */
export interface CarriedPairChange {
  dangerStatement: string
  safetyGoal: string
  newHarm: NewHarm
}

/** The words of one pair, read out of the earlier conference to be carried into the new one. */
type PairWords = Pick<CarriedPair, 'id'> & { dangerStatement: string; safetyGoal: string }

const pairNotFound = (): HttpError => new HttpError(404, 'pair-not-found', 'There is no danger statement carried forward with this id in this conference.')

/**
 * Cases: which conferences follow which, the danger statements carried from one to the next, and
 * each scale's revealed scores across the case. A case is never stored on its own: each
 * conference in the catalogue names the case it joined (shared/cases.ts).
 */
export class Cases {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: ConferenceRooms,
    /** Each record's scoring rounds (readScoringRounds), kept until the record changes. */
    private readonly scoring: RecordReader<readonly ScoringRound[]>,
    private readonly access: AccessControl,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Creates a conference that follows `followsId`, in its case. Only someone in the earlier
   * conference may name it (anyone else gets the same 404 as for a conference that does not
   * exist). A UK review or US follow-up starts with the earlier conference's danger statements
   * and safety goals, copied unchanged into the part only the server writes, and with its
   * children (the same children: a review that said "No children written down yet" read as if
   * nobody knew whom it was about).
   */
  async createFollowing(who: Signedin, input: Omit<NewConference, 'follows' | 'caseId'>, followsId: string): Promise<ConferenceSummary> {
    this.access.requireMember(who, followsId, 'seeRecord')
    const earlier = await this.storage.conferences.get(followsId)
    if (!earlier) throw conferenceNotFound()
    if (caseFamily(earlier.kind) !== caseFamily(input.kind)) {
      throw invalidRequest({
        follows: 'A UK child protection conference and a US child safety conference cannot be in the same case.',
      })
    }
    if (input.date < earlier.date) throw heldBeforeEarlier()
    const { area, children, pairs: carried } = await this.carriedFrom(earlier.id, carriesForward(input.kind))
    const at = this.iso()
    const from = { conferenceId: earlier.id, title: earlier.title, date: earlier.date }
    return createConference(this.storage, this.rooms, { ...input, follows: earlier.id, caseId: caseIdOf(earlier) }, (record, doc: Y.Doc) => {
      // The programme figures count a conference in its record's area (a follow-up has no referral of its own).
      if (area) record.details.update({ area }, serverOrigin)
      for (const fields of children) record.details.children.add(EARLIER_CONFERENCE_AUTHOR, { fields }, serverOrigin)
      carried.forEach((pair, position) => {
        writeCarriedPair(doc, {
          id: pair.id,
          position,
          from,
          versions: [{ dangerStatement: pair.dangerStatement, safetyGoal: pair.safetyGoal, at, by: null, newHarm: null }],
        })
      })
    })
  }

  /**
   * The case as a member of one of its conferences sees it: each conference, and whether they are
   * in it. The family and their network see only their own conference and those it follows: a
   * later one, or one following the same conference, may have been held with other people (a
   * parent who must not learn what the other said, say).
   */
  async caseFor(who: Signedin, member: ConferenceMember): Promise<ConferenceCase> {
    const conferences = upToOwn(who, member.participant.conferenceId, await conferencesInCase(this.storage, member.participant.conferenceId))
    return {
      conferences: conferences.map((conference) => {
        const referral = referralSummary(this.storage, conference.id)
        return {
          id: conference.id,
          title: conference.title,
          kind: conference.kind,
          date: conference.date,
          follows: conference.follows ?? null,
          youAreIn: this.access.memberOf(who, conference.id)?.can('seeRecord') ?? false,
          ...(referral ? { referral } : {}),
        }
      }),
    }
  }

  /**
   * The chair records significant new harm and the pair's new words. The earlier words stay in
   * the record beside the new ones, with what happened, when, who changed them and when.
   */
  async reviseCarriedPair(member: ConferenceMember, who: Signedin, pairId: string, change: CarriedPairChange, context: RequestContext): Promise<CarriedPair> {
    const conferenceId = member.participant.conferenceId
    let revised: CarriedPair | undefined
    await changeOpenRecord(this.rooms, conferenceId, (room) => {
      const pair = carriedForwardPairs(room.doc).get(pairId)
      if (!pair) throw pairNotFound()
      const words = currentWords(pair)
      if (words.dangerStatement === change.dangerStatement && words.safetyGoal === change.safetyGoal) {
        throw invalidRequest({
          dangerStatement: 'The new words are the same as the words carried forward. Change the danger statement or the safety goal.',
        })
      }
      const next: CarriedPair = { ...pair, versions: [...pair.versions, { ...change, at: this.iso(), by: member.participant.name }] }
      writeCarriedPair(room.doc, next)
      revised = next
    })
    if (!revised) throw new Error('the danger statement was not changed')
    await this.access.record({
      action: 'danger-statement-revised',
      actor: actorOf(who),
      conferenceId,
      from: context.from,
      details: { pairId, version: revised.versions.length },
    })
    return revised
  }

  /** Each scale's revealed scores at each conference of the case (caseProgress); for the family, their own conference and those it follows, as caseFor. */
  progress(who: Signedin, conferenceId: string): Promise<CaseProgress> {
    return caseProgress(this.storage, this.scoring, conferenceId, who.kind === 'participant')
  }

  /**
   * What a following conference starts with from an earlier one's record: its area, and (with
   * `withPairs`) the pairs it has now, in order: those it carried forward (in their latest
   * words), then those agreed there.
   */
  private async carriedFrom(conferenceId: string, withPairs: boolean): Promise<{ area: string; children: ChildFields[]; pairs: PairWords[] }> {
    let area = ''
    let children: ChildFields[] = []
    const pairs: PairWords[] = []
    await this.rooms.change(conferenceId, (room) => {
      const { details } = conferenceRecord(room.doc)
      area = details.get().area.trim()
      // A child added and never named was nobody.
      children = details.children.entries().map((child) => child.fields).filter((child) => child.name.trim() !== '')
      if (!withPairs) return
      for (const pair of carriedForwardPairs(room.doc).pairs()) {
        const { dangerStatement, safetyGoal } = currentWords(pair)
        pairs.push({ id: pair.id, dangerStatement, safetyGoal })
      }
      for (const pair of conferenceRecord(room.doc).dangerStatements.entries()) {
        const dangerStatement = pair.hasRichText('dangerStatement') ? plainText(pair.richText('dangerStatement')) : ''
        const safetyGoal = pair.hasRichText('safetyGoal') ? plainText(pair.richText('safetyGoal')) : ''
        // A pair nobody wrote anything in was never agreed.
        if (dangerStatement.trim() || safetyGoal.trim()) pairs.push({ id: pair.id, dangerStatement, safetyGoal })
      }
    })
    return { area, children, pairs }
  }

  private iso(): string {
    return new Date(this.now()).toISOString()
  }
}

const heldBeforeEarlier = (): HttpError => invalidRequest({ date: 'A conference cannot be held before the one it follows.' })

/** Those of `conferences` (a case, oldest first) someone may see: a participant, their own conference and those it follows. */
function upToOwn(who: Signedin, conferenceId: string, conferences: ConferenceSummary[]): ConferenceSummary[] {
  return who.kind === 'participant' ? chainTo(conferenceId, conferences) : conferences
}

/**
 * `conferenceId` and the conferences it follows back to the first, oldest first. A case may
 * branch (a review held with each parent apart, both following the same conference): what comes
 * before a conference is its chain of `follows`, never a branch it is not on, whatever the dates.
 */
function chainTo(conferenceId: string, conferences: ConferenceSummary[]): ConferenceSummary[] {
  const byId = new Map(conferences.map((conference) => [conference.id, conference]))
  const chain = new Set<string>()
  for (let at = byId.get(conferenceId); at && !chain.has(at.id); at = at.follows ? byId.get(at.follows) : undefined) chain.add(at.id)
  return conferences.filter((conference) => chain.has(conference.id))
}

/**
 * A conference moved to another day keeps its place in its case, which reads oldest first: not
 * before the conference it follows, not after one that follows it.
 */
export async function checkPlaceInCase(storage: Storage, conferenceId: string, date: string): Promise<void> {
  const conference = await storage.conferences.get(conferenceId)
  if (!conference) throw conferenceNotFound()
  const earlier = conference.follows ? await storage.conferences.get(conference.follows) : undefined
  if (earlier && date < earlier.date) throw heldBeforeEarlier()
  const later = (await storage.conferences.list()).filter((candidate) => candidate.follows === conferenceId)
  if (later.some((candidate) => date > candidate.date)) throw invalidRequest({ date: 'A conference cannot be moved after one that follows it.' })
}

/** The conferences of the case `conferenceId` belongs to, oldest first. */
export async function conferencesInCase(storage: Storage, conferenceId: string): Promise<ConferenceSummary[]> {
  const conference = await storage.conferences.get(conferenceId)
  if (!conference) throw conferenceNotFound()
  const caseId = caseIdOf(conference)
  return (await storage.conferences.list())
    .filter((candidate) => caseIdOf(candidate) === caseId)
    .sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

/** What caseProgress reads from each record, through a RecordReader. */
export function readScoringRounds(doc: Y.Doc): readonly ScoringRound[] {
  return scoresPart(doc).rounds()
}

/**
 * Each scale's revealed scores at each conference of the case, oldest conference first; with
 * `upToThis`, only `conferenceId` and those it follows (its minutes show the case as it was then,
 * and never another branch of it).
 * Read from the records' scores part, which holds numbers only once they were revealed: a
 * sealed score is never read here.
 */
export async function caseProgress(storage: Storage, scoring: RecordReader<readonly ScoringRound[]>, conferenceId: string, upToThis = false): Promise<CaseProgress> {
  const inCase = await conferencesInCase(storage, conferenceId)
  const conferences = upToThis ? chainTo(conferenceId, inCase) : inCase
  const scales = new Map<string, ScaleProgress>()
  // What each scale's last reading was scored against.
  const askedBefore = new Map<string, string | null>()
  for (const conference of conferences) {
    // Everyone's board asks at the same moment when scores are shown: earlier records are read once.
    for (const [key, reading] of latestReadings(conference, await scoring.read(conference.id))) {
      const scale = scales.get(key) ?? { scale: reading.scale, readings: [] }
      const before = askedBefore.get(key)
      // A round from before rounds kept their words says nothing about a change.
      scale.readings.push({ ...reading.reading, wordsChanged: before !== undefined && reading.asked !== null && before !== null && before !== reading.asked })
      askedBefore.set(key, reading.asked)
      scales.set(key, scale)
    }
  }
  // The overall scale last, as on the board.
  return { scales: [...scales.values()].sort((a, b) => Number(a.scale.kind === 'overall') - Number(b.scale.kind === 'overall')) }
}

/** For each scale, the last round revealed (and not stopped) at this conference, as a reading. */
function latestReadings(conference: ConferenceSummary, rounds: readonly ScoringRound[]): Map<string, { scale: ScoringRound['scale']; asked: string | null; reading: Omit<ProgressReading, 'wordsChanged'> }> {
  const readings = new Map<string, { scale: ScoringRound['scale']; asked: string | null; reading: Omit<ProgressReading, 'wordsChanged'> }>()
  const revealed = rounds
    .filter((round): round is ScoringRound & { revealedAt: string } => round.revealedAt !== null && round.cancelledAt === undefined)
    .sort((a, b) => a.revealedAt.localeCompare(b.revealedAt))
  for (const round of revealed) {
    const summary = summarizeScores(round.scores.map((entry) => entry.score.value))
    if (!summary) continue
    readings.set(scaleKey(round.scale), {
      scale: round.scale,
      // The words shown when the numbers were: a pair's, or the overall question.
      asked: round.words || round.question ? JSON.stringify(round.words ?? round.question) : null,
      reading: {
        conferenceId: conference.id,
        title: conference.title,
        kind: conference.kind,
        date: conference.date,
        revealedAt: round.revealedAt,
        scores: round.scores.map((entry) => ({ name: entry.name, role: entry.role, value: entry.score.value })),
        median: summary.median,
      },
    })
  }
  return readings
}
