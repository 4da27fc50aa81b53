import { dayOrWords, DRAFT_MARK, formatDay, formatMoment, paragraphs, viewBlocks, type Block } from './blocks'
import type { ExportEntry, ExportModel, ExportSection } from './schema'
import { deadlineWords } from '../../shared/programmes/deadlines'

/**
 * The minutes: every section of the record in agenda order, each entry with who wrote it and
 * the views beside it, the scales with every number and the median, and each amendment after
 * the section it corrects.
 */
export function minutesBlocks(model: ExportModel): Block[] {
  const { conference } = model
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `Minutes of the ${conference.kindLabel}` },
    { kind: 'paragraph', text: conference.title, style: 'lead' },
    { kind: 'detail', label: 'Date', value: formatDay(model, conference.date) || 'Not recorded' },
    ...(conference.area ? [{ kind: 'detail', label: 'Area', value: conference.area } as const] : []),
    { kind: 'detail', label: 'Children', value: model.children.map((child) => child.name).join(', ') || 'Not recorded' },
    ...referralBlocks(model),
    {
      kind: 'detail',
      label: 'Status',
      value:
        model.status.state === 'final'
          ? `Final. Closed by ${model.status.by} on ${formatMoment(model, model.status.at)}. Copy kept under SHA-256 ${model.status.hash}.`
          : `${DRAFT_MARK}. This record may still change.`,
    },
    { kind: 'paragraph', text: 'The professionals-only section is not part of these minutes.', style: 'byline' },
  ]
  model.sections.forEach((section, index) => {
    blocks.push({ kind: 'heading', level: 2, text: `${index + 1}. ${section.title}` }, ...sectionBody(model, section))
  })
  return blocks
}

/** A CSC's referral: its 72 hours, and whether the facilitator is independent (families asked for one who is). */
function referralBlocks({ conference }: ExportModel): Block[] {
  const referral = conference.referral
  if (!referral) return []
  const { facilitator, timeZone } = referral
  return [
    { kind: 'detail', label: 'Concern raised', value: deadlineWords(new Date(referral.concernRaisedAt), timeZone) },
    { kind: 'detail', label: 'To be held by', value: `${deadlineWords(new Date(referral.holdBy), timeZone)} (within 72 hours)` },
    ...(referral.afterRemoval ? [{ kind: 'detail', label: 'Held after a removal', value: 'Yes: to help the children come home' } as const] : []),
    { kind: 'detail', label: 'Facilitator', value: `${facilitator.name}, ${facilitator.organisation}: ${facilitator.independent ? 'independent of the child welfare agency' : 'not independent of the child welfare agency'}` },
  ]
}

function sectionBody(model: ExportModel, section: ExportSection): Block[] {
  const blocks: Block[] = []
  for (const part of section.parts) {
    blocks.push({ kind: 'heading', level: 3, text: part.title })
    if (part.entries.length === 0) blocks.push({ kind: 'paragraph', text: 'Nothing recorded.', style: 'empty' })
    for (const entry of part.entries) blocks.push(...entryBlocks(model, entry))
  }
  if (section.id === 'scales') {
    if (section.scales.length === 0) blocks.push({ kind: 'paragraph', text: 'No scores were shown at this meeting.', style: 'empty' })
    for (const scale of section.scales) {
      blocks.push({ kind: 'scale', scale })
      if (scale.acrossTheCase.length > 0) blocks.push({ kind: 'paragraph', text: `${scale.title} across the case, first conference to this one:`, style: 'byline' })
      for (const reading of scale.acrossTheCase) {
        const numbers = reading.scores.map((given) => `${given.name} ${given.value}`).join(', ')
        const changed = reading.wordsChanged ? ' (scored against changed words)' : ''
        blocks.push({ kind: 'detail', label: `${reading.conference} (${formatDay(model, reading.date)})${changed}`, value: `middle score ${reading.median}: ${numbers}` })
      }
    }
  }
  if (section.amendments.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: 'Amendments made after the record was closed' })
    for (const amendment of section.amendments) {
      blocks.push({ kind: 'paragraph', text: `Amendment by ${amendment.by}, ${formatMoment(model, amendment.at)}`, style: 'byline' })
      blocks.push(...paragraphs(amendment.text, 'amendment'))
    }
  }
  return blocks
}

function entryBlocks(model: ExportModel, entry: ExportEntry): Block[] {
  const blocks: Block[] = []
  if (entry.title) blocks.push({ kind: 'paragraph', text: entry.title, style: 'lead' })
  blocks.push(...paragraphs(entry.text, 'body'))
  // A day as the rest of the minutes spell it ("By when: 21 March 2025"), not as the record stores it.
  for (const { label, value } of entry.details) blocks.push({ kind: 'detail', label, value: dayOrWords(model, value) })
  if (entry.writtenBy) {
    const written = `Written by ${entry.writtenBy}${entry.writtenAt ? `, ${formatMoment(model, entry.writtenAt)}` : ''}`
    blocks.push({ kind: 'paragraph', text: entry.changedBy ? `${written}; last changed by ${entry.changedBy}` : written, style: 'byline' })
  }
  for (const view of entry.views) blocks.push(...viewBlocks(view))
  return blocks
}
