import { agendaFor, isUsConference, kindTerms, roleWords, type AgendaStepId } from '../../shared/conference/agenda'
import { scaleKey, type CaseProgress } from '../../shared/cases'
import { currentWords, type CarriedPair } from '../../shared/conference/dangerStatements'
import { ACTION_OWNERS, ACTION_STATUS_LABELS, type ActionOwner } from '../../shared/conference/actions'
import { HOW_SHARED_LABELS, THREE_HOUSES } from '../../shared/conference/childsVoice'
import { nextMeetingWords } from '../../shared/conference/coreGroup'
import { DECISION_LABELS, decisionHasCategory, decisionHeading, PLAN_CATEGORY_LABELS, WHERE_CHILDREN_STAY_LABELS, WHERE_CHILDREN_STAY_QUESTION } from '../../shared/conference/decision'
import { CONFERENCE_KIND_LABELS, entrySource } from '../../shared/conference/details'
import type { ReferralSummary } from '../../shared/programmes/referral'
import { zonedTime } from '../../shared/programmes/deadlines'
import { mapColumnsFor } from '../../shared/conference/map'
import type { Finalization } from '../../shared/conference/meta'
import { MEETING_ROLE_LABELS } from '../../shared/conference/network'
import { PLAN_RULE_PART_TITLES } from '../../shared/conference/plan'
import { summarizeScores, type ScoringRound } from '../../shared/conference/scores'
import type { EntrySnapshot, RecordSnapshot } from '../../shared/conference/snapshot'
import { oldestFirst, pairViewedWords, VIEW_STANCE_LABELS, wordsChangedSince } from '../../shared/conference/views'
import { ROLE_LABELS, type Role } from '../../shared/roles'
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type ExportDetail, type ExportEntry, type ExportModel, type ExportPart, type ExportScale, type ExportScore, type ExportSection, type ExportView } from './schema'
import { formatDay } from './blocks'

/**
 * The one model every export is built from: the record's sections in the agenda order of its
 * kind of conference, each entry with who wrote it and the views people put beside it, the
 * revealed scores of each scale, and the amendments made after finalizing, each after the
 * section it corrects. It never holds the professionals-only section: that is another document,
 * which the exports never read.
 */

/** A person named in the record: who they are in the conference. */
export interface ExportPerson {
  name: string
  role: Role
}

/** A correction after finalizing (server/storage/amendments.ts supplies them). */
export interface AmendmentInput {
  at: string
  /** The person's name, or their participant id. */
  by: string
  role?: Role
  section: AgendaStepId
  text: string
}

export interface ExportInput {
  conferenceId: string
  snapshot: RecordSnapshot
  /** The danger statements carried forward from the conference this one follows (a review), each with every version. */
  carriedForward?: readonly CarriedPair[]
  /** Each scale across the case's conferences up to this one (shared/cases.ts). */
  progress?: CaseProgress
  /** Everyone ever in the conference, by participant id (removed people too: they still wrote entries). */
  people: ReadonlyMap<string, ExportPerson>
  amendments: readonly AmendmentInput[]
  finalization: Finalization | null
  generatedAt: string
  /** The referral a US initial CSC started from (server/programmes/referrals.ts). */
  referral?: ReferralSummary
  /** Where the conference was held (timeZoneOf in server/programmes/referrals.ts): the documents give times there. */
  timeZone: string
}

const SOMEONE_UNKNOWN = 'Someone no longer listed'

export function buildExportModel(input: ExportInput): ExportModel {
  const { snapshot } = input
  const kind = snapshot.details.kind
  const terms = kindTerms(kind)
  const nameOf = (id: string): string => {
    const person = input.people.get(id)
    return person ? `${person.name} (${roleWords(person.role, kind)})` : entrySource(id) ?? SOMEONE_UNKNOWN
  }
  const givenViews = [...snapshot.views].sort(oldestFirst)
  /** The views on an entry whose words are now `wordsNow`: one given on other words says what they were. */
  const viewsOn = (entryId: string, wordsNow: string): ExportView[] => givenViews
    .filter((view) => view.fields.entryId === entryId)
    .map((view) => ({
      by: nameOf(view.authorId),
      at: view.updatedAt,
      stance: VIEW_STANCE_LABELS[view.fields.stance],
      text: view.fields.words,
      earlierWords: wordsChangedSince(view.fields, wordsNow) ? view.fields.about : null,
    }))

  const entry = (snapshotEntry: EntrySnapshot, text: string, title: string | null = null, details: ExportDetail[] = []): ExportEntry => ({
    id: snapshotEntry.id,
    title,
    text,
    details: details.filter((detail) => detail.value !== ''),
    writtenBy: nameOf(snapshotEntry.authorId),
    writtenAt: snapshotEntry.createdAt,
    changedBy: snapshotEntry.updatedBy && snapshotEntry.updatedBy !== snapshotEntry.authorId ? nameOf(snapshotEntry.updatedBy) : null,
    views: viewsOn(snapshotEntry.id, text),
  })
  /** A part that is one piece of text the meeting wrote together (no single author). */
  const together = (id: string, title: string, text: string): ExportPart => ({ id, title, entries: text.trim() === '' ? [] : [writtenTogether(text)] })
  const dateOrNone = (date: string | null): string => date ?? 'No date agreed'

  const pairs = snapshot.dangerStatements
  const carried = input.carriedForward ?? []
  const partsOf = (step: AgendaStepId): ExportPart[] => {
    switch (step) {
      case 'family':
        return [
          {
            id: 'children',
            title: 'The children',
            entries: snapshot.details.children.map((child) => entry(child, '', child.fields.name, [{ label: 'Date of birth', value: child.fields.dateOfBirth ?? '' }])),
          },
          {
            id: 'people',
            title: 'Who is here and who is in the network',
            entries: snapshot.network.people.map((person) =>
              entry(person, '', person.fields.name, [
                { label: 'Relationship', value: person.fields.relationship },
                { label: 'In the meeting as', value: MEETING_ROLE_LABELS[person.fields.roleInMeeting] },
                { label: 'Agency', value: person.fields.agency },
                { label: 'At the meeting', value: person.fields.present ? 'Yes' : 'No' },
                { label: `In the ${terms.coreGroup}`, value: person.fields.inSafetyNetwork ? 'Yes' : 'No' },
              ]),
            ),
          },
        ]
      case 'map':
        // In the board's order: a review starts with what is working well.
        return mapColumnsFor(kind).flatMap((column) =>
          column.sections.map((section) => ({
            id: `map.${section.id}`,
            title: `${section.title} (${column.title})`,
            entries: snapshot.map[section.id].map((mapEntry) => entry(mapEntry, mapEntry.text.text, null, mapEntry.fields.parked ? [{ label: 'Parked', value: 'to come back to before the end' }] : [])),
          })),
        )
      case 'childsVoice':
        return [
          together('howShared', 'How the child’s views were shared', HOW_SHARED_LABELS[snapshot.childsVoice.howShared]),
          ...THREE_HOUSES.map((house) => together(`houses.${house.id}`, house.title, snapshot.childsVoice.houses[house.id])),
        ]
      case 'involvement':
        return [together('involvement', 'How the children and parents took part', snapshot.involvement)]
      case 'dangerStatements':
        return [
          {
            id: 'pairs',
            title: 'Danger statements and safety goals',
            // As on the board: those carried forward first, numbered on from them the ones agreed here.
            entries: [
              ...carried.map((pair, index) => carriedEntry(pair, index + 1, (day) => formatDay({ conference: { kind } }, day), input.timeZone, viewsOn(pair.id, pairViewedWords(currentWords(pair))))),
              ...pairs.map((pair, index) => ({
                ...entry(pair, pair.text.dangerStatement, `Danger statement ${carried.length + index + 1}`, [{ label: 'Safety goal', value: pair.text.safetyGoal }]),
                // A view on a pair is about both its halves.
                views: viewsOn(pair.id, pairViewedWords(pair.text)),
              })),
            ],
          },
        ]
      case 'scales':
        return [together('overallScale', 'The overall scale', snapshot.overallScale.question)]
      case 'contingency':
        return [together('contingency', 'What happens if things do not change', snapshot.contingency)]
      case 'decision':
        return [
          {
            id: 'recommendations',
            title: 'Recommendations',
            entries: snapshot.decision.recommendations.map((recommendation) =>
              entry(recommendation, recommendation.text.recommendation, [recommendation.fields.professionalName, recommendation.fields.roleOrAgency].filter(Boolean).join(', ') || null),
            ),
          },
          together('familyView', 'The family’s view', snapshot.decision.familyView),
          {
            id: 'decision',
            // As the board heads it: a US decision-maker approves the plan.
            title: decisionHeading(kind),
            entries: [
              {
                ...writtenTogether(DECISION_LABELS[snapshot.decision.decision]),
                details: [
                  // Only a plan has a category: one left set from before the decision changed names a plan there is not.
                  ...(snapshot.decision.category && decisionHasCategory(snapshot.decision.decision) ? [{ label: 'Category', value: PLAN_CATEGORY_LABELS[snapshot.decision.category] }] : []),
                  // Asked in a US child safety conference only (client/components/sections/Decision.tsx).
                  ...(isUsConference(kind) ? [{ label: WHERE_CHILDREN_STAY_QUESTION, value: WHERE_CHILDREN_STAY_LABELS[snapshot.decision.whereChildrenStay] }] : []),
                ],
              },
            ],
          },
          together('rationale', 'Why', snapshot.decision.rationale),
        ]
      case 'plan':
        return [
          together('immediateSafety', 'Immediate safety', snapshot.plan.immediateSafety),
          together('bottomLines', 'Bottom lines', snapshot.plan.bottomLines),
          {
            id: 'timeline',
            title: 'Timeline',
            entries: snapshot.plan.timeline.map((step) => entry(step, step.text.text, null, [{ label: 'By when', value: dateOrNone(step.fields.byWhen) }])),
          },
          {
            id: 'rules',
            title: 'Plan rules',
            entries: snapshot.plan.rules.map((rule) =>
              entry(rule, rule.text.behaviour, PLAN_RULE_PART_TITLES.behaviour, [
                { label: PLAN_RULE_PART_TITLES.whatWorks, value: rule.text.whatWorks },
                { label: PLAN_RULE_PART_TITLES.triggersAndRedFlags, value: rule.text.triggersAndRedFlags },
                { label: PLAN_RULE_PART_TITLES.whoDoesWhat, value: rule.text.whoDoesWhat },
              ]),
            ),
          },
          together('howRecordedAndShown', 'How the plan is recorded and shown', snapshot.plan.howRecordedAndShown),
        ]
      case 'actions':
        return ACTION_OWNERS.map((owner) => ({
          id: `actions.${owner}`,
          title: ACTION_OWNER_TITLES[owner],
          entries: snapshot.actions
            .filter((action) => action.fields.ownedBy === owner)
            .map((action) =>
              entry(action, action.text.what, null, [
                { label: 'Who', value: action.fields.who },
                { label: 'By when', value: dateOrNone(action.fields.byWhen) },
                { label: 'Status', value: ACTION_STATUS_LABELS[action.fields.status] },
              ]),
            ),
        }))
      case 'coreGroup':
        return [
          {
            id: 'members',
            title: `Members of the ${terms.coreGroup}`,
            entries: snapshot.coreGroup.members.map((member) => entry(member, '', member.fields.name, [{ label: 'Role or agency', value: member.fields.roleOrAgency }])),
          },
          {
            id: 'nextMeetings',
            title: 'Next meetings',
            entries: snapshot.coreGroup.nextMeetings.map((meeting) =>
              entry(meeting, meeting.fields.note, nextMeetingWords(meeting.fields.kind, kind), [{ label: 'Date', value: meeting.fields.date ?? 'To be booked' }]),
            ),
          },
        ]
    }
  }

  const scales = revealedScales(snapshot, carried, input.progress)
  const sections = agendaFor(kind).map((step): ExportSection => ({
    id: step.id,
    title: step.title,
    parts: partsOf(step.id),
    scales: step.id === 'scales' ? scales : [],
    amendments: input.amendments
      .filter((amendment) => amendment.section === step.id)
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((amendment) => ({
        at: amendment.at,
        by: input.people.has(amendment.by) ? nameOf(amendment.by) : amendment.role ? `${amendment.by} (${roleWords(amendment.role, kind)})` : amendment.by,
        text: amendment.text,
      })),
  }))

  const final = input.finalization
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    generatedAt: input.generatedAt,
    status: final ? { state: 'final', at: final.at, by: final.by, hash: final.hash } : { state: 'draft' },
    conference: {
      id: input.conferenceId,
      title: snapshot.details.title,
      kind,
      kindLabel: CONFERENCE_KIND_LABELS[kind],
      date: snapshot.details.date,
      area: snapshot.details.area,
      timeZone: input.timeZone,
      terms: { chair: terms.chair, conference: terms.conference, plan: terms.plan, coreGroup: terms.coreGroup },
      ...(input.referral ? { referral: referralFacts(input.referral) } : {}),
    },
    children: snapshot.details.children.map((child) => ({ name: child.fields.name, dateOfBirth: child.fields.dateOfBirth })),
    sections,
    forTheChild: { houses: snapshot.childsVoice.housesForChild },
  }
}

function referralFacts({ concernRaisedAt, holdBy, timeZone, afterRemoval, facilitator }: ReferralSummary): NonNullable<ExportModel['conference']['referral']> {
  return { concernRaisedAt: new Date(concernRaisedAt).toISOString(), holdBy, timeZone, afterRemoval, facilitator }
}

/**
 * A carried-forward pair: its words now, where they were agreed, and each change made for new harm
 * with the words it changed them to.
 * `day` spells out the days inside these sentences, as every document shows them; a change is
 * dated by the day it was where the conference was held (`timeZone`), not in UTC. `views` are
 * what people in this conference said of it.
 */
function carriedEntry(pair: CarriedPair, number: number, day: (isoDay: string) => string, timeZone: string, views: ExportView[]): ExportEntry {
  const [first, ...changes] = pair.versions
  const latest = pair.versions.at(-1) ?? first
  const details = [
    { label: 'Safety goal', value: latest?.safetyGoal ?? '' },
    { label: 'Carried forward from', value: `${pair.from.title} (${day(pair.from.date)})` },
    ...(first && changes.length > 0 ? [{ label: 'As first agreed', value: pairViewedWords(first) }] : []),
    // Each change gives the words it made, so every version's words are in the record, as on the board.
    ...changes.map((version) => ({
      label: `Changed on ${day(zonedTime(new Date(version.at), timeZone).date)}${version.by ? ` by ${version.by}` : ''}`,
      value: `${version.newHarm ? `after new harm: ${version.newHarm.what} (${version.newHarm.when}). ` : ''}Changed to: ${pairViewedWords(version)}`,
    })),
  ]
  return { id: pair.id, title: `Danger statement ${number}`, text: latest?.dangerStatement ?? '', details: details.filter((detail) => detail.value !== ''), writtenBy: null, writtenAt: first?.at ?? null, changedBy: null, views }
}

function writtenTogether(text: string): ExportEntry {
  return { id: null, title: null, text, details: [], writtenBy: null, writtenAt: null, changedBy: null, views: [] }
}

const ACTION_OWNER_TITLES: Readonly<Record<ActionOwner, string>> = {
  professionals: 'Professionals’ actions',
  'family-and-network': 'The family’s and network’s actions',
}

/** Every revealed scoring round, oldest first; a round not yet revealed shows nothing (its numbers are sealed). */
function revealedScales(snapshot: RecordSnapshot, carried: readonly CarriedPair[], progress: CaseProgress = { scales: [] }): ExportScale[] {
  const acrossTheCase = (scale: ScoringRound['scale']): ExportScale['acrossTheCase'] => {
    const readings = progress.scales.find((each) => scaleKey(each.scale) === scaleKey(scale))?.readings ?? []
    // Only worth showing when the case has more than this meeting.
    if (readings.length < 2) return []
    return readings.map((reading) => ({
      conference: reading.title,
      date: reading.date,
      median: reading.median,
      scores: reading.scores.map((given) => ({ name: given.name, role: given.role ? ROLE_LABELS[given.role] : null, value: given.value })),
      wordsChanged: reading.wordsChanged,
    }))
  }
  // Numbered as in the danger statements section: carried forward first.
  const pairs = [
    ...carried.map((pair) => ({ id: pair.id, text: { dangerStatement: pair.versions.at(-1)?.dangerStatement ?? '', safetyGoal: pair.versions.at(-1)?.safetyGoal ?? '' } })),
    ...snapshot.dangerStatements.map((pair) => ({ id: pair.id, text: pair.text })),
  ]
  const revealed = snapshot.scores.filter((round): round is ScoringRound & { revealedAt: string } => round.revealedAt !== null)
  return revealed.map((round) => {
    const scale = round.scale
    const pairIndex = scale.kind === 'dangerStatement' ? pairs.findIndex((pair) => pair.id === scale.pairId) : -1
    const pair = pairs[pairIndex]
    const described =
      scale.kind === 'overall'
        ? // The board shows only the question: nothing else is said of its 0 and 10. As it read
          // when the numbers were revealed, if the round kept it: what people answered.
          { title: 'Overall safety scale', question: round.question ?? snapshot.overallScale.question, zero: null, ten: null }
        : {
            title: pair ? `Scale for danger statement ${pairIndex + 1}` : 'Scale for a danger statement since removed',
            question: null,
            // The words as they read when the numbers were revealed: what people scored.
            zero: round.words?.dangerStatement ?? pair?.text.dangerStatement ?? '',
            ten: round.words?.safetyGoal ?? pair?.text.safetyGoal ?? '',
          }
    const scores = round.scores.map((given): ExportScore => ({
      name: given.name,
      role: given.role ? ROLE_LABELS[given.role] : null,
      value: given.score.value,
      reason: given.score.reason,
      enteredBy: given.enteredBy,
      earlier: given.earlier.map((earlier) => earlier.value),
    }))
    return { id: round.id, ...described, revealedAt: round.revealedAt, scores, summary: summarizeScores(scores.map((score) => score.value)), acrossTheCase: acrossTheCase(scale) }
  })
}

/** Finds a part of a section by ids, for the documents that pick what they show (family, child). */
export function partOf(model: ExportModel, section: AgendaStepId, part: string): ExportPart | undefined {
  return model.sections.find((candidate) => candidate.id === section)?.parts.find((candidate) => candidate.id === part)
}

export function sectionOf(model: ExportModel, section: AgendaStepId): ExportSection {
  const found = model.sections.find((candidate) => candidate.id === section)
  if (!found) throw new Error(`every kind of conference has every agenda step; ${section} is missing`)
  return found
}
