import type { conferenceRecord } from '../shared/conference'
import { setPlainText } from '../shared/conference/richText'
import { createConference } from './documents/conferences'
import type { ConferenceRooms } from './documents/rooms'
import type { ConferenceSummary, Storage } from './storage/types'

type ConferenceRecord = ReturnType<typeof conferenceRecord>

/** Author id of what the demo says: plainly not a person. */
const DEMO_AUTHOR = 'demo'

/**
 * On the very first start (no conferences at all), creates one demo conference so there is
 * something to open. Every name in it is invented and says so.
 */
export async function seedDemoConference(storage: Storage, rooms: ConferenceRooms): Promise<ConferenceSummary | null> {
  if ((await storage.conferences.list()).length > 0) return null
  const today = new Date().toISOString().slice(0, 10)
  return createConference(
    storage,
    rooms,
    { title: 'Demo: the Example family (fictional)', kind: 'uk-initial', date: today, demo: true },
    fillDemoRecord,
  )
}

function fillDemoRecord(record: ConferenceRecord): void {
  const map = record.map
  const write = (section: Parameters<typeof map.section>[0], lines: readonly string[]): void => {
    for (const line of lines) setPlainText(map.section(section).add(DEMO_AUTHOR).richText('text'), line)
  }
  write('pastHarm', [
    'Sam (7, fictional) was found alone at home late one evening in October, for about two hours.',
  ])
  write('dangerStatements', [
    'Social care are worried that if nothing changes Sam could be left alone again and get hurt or be very frightened.',
  ])
  write('complicatingFactors', ['Mum works late shifts and the childminder stopped in September.'])
  write('existingStrengths', ['Sam is at school every day, clean and happy, and talks warmly about Mum.'])
  write('existingSafety', ['Grandma has looked after Sam on three late shifts since October.'])
  write('safetyGoals', ['Sam is always looked after by an adult Mum and social care agree on when Mum is at work.'])
  write('familyGoals', ['Mum wants Sam to stay at home and to find a childminder she trusts.'])
  write('nextSteps', ['Agree a rota of who looks after Sam on late shifts (parked: revisit before the end).'])
}
