import type * as Y from 'yjs'
import { z } from 'zod'
import { FieldMap } from './fieldMap'
import type { ConferenceOrigin } from './origins'

/** Part 3 of the record: the child's voice, as "three houses", and how it reached the meeting. */

export const THREE_HOUSES = [
  { id: 'worries', title: 'House of worries', hint: 'What the child worries about.' },
  { id: 'goodThings', title: 'House of good things', hint: 'What the child likes and what is going well for them.' },
  { id: 'dreams', title: 'House of dreams', hint: 'What the child wishes for and would like to be different.' },
] as const
export type HouseId = (typeof THREE_HOUSES)[number]['id']

export const HOW_SHARED = ['attended', 'views-shared-other-means', 'relayed-by-social-worker', 'not-yet-recorded'] as const
export type HowShared = (typeof HOW_SHARED)[number]

export const HOW_SHARED_LABELS: Readonly<Record<HowShared, string>> = {
  attended: 'The child came to the meeting',
  'views-shared-other-means': 'The child shared their views another way (a letter, a drawing, a recording)',
  'relayed-by-social-worker': 'The social worker told the meeting what the child said',
  'not-yet-recorded': 'Not recorded yet',
}

export const CHILDS_VOICE_ROOT = 'childsVoice'
export function houseRootName(house: HouseId): `childsVoice.${HouseId}` {
  return `childsVoice.${house}`
}
export const CHILDS_VOICE_ROOT_NAMES: readonly string[] = [CHILDS_VOICE_ROOT, ...THREE_HOUSES.map((house) => houseRootName(house.id))]

export const childsVoiceSchema = z.object({ howShared: z.enum(HOW_SHARED) })
export type ChildsVoiceFields = z.infer<typeof childsVoiceSchema>
export const DEFAULT_CHILDS_VOICE: ChildsVoiceFields = { howShared: 'not-yet-recorded' }

export interface ChildsVoicePart {
  house(id: HouseId): Y.XmlFragment
  howShared(): HowShared
  setHowShared(value: HowShared, origin?: ConferenceOrigin): void
  observe(callback: () => void): () => void
}

export function childsVoiceFields(doc: Y.Doc): FieldMap<ChildsVoiceFields> {
  return new FieldMap(doc, doc.getMap<unknown>(CHILDS_VOICE_ROOT), { schema: childsVoiceSchema, defaults: DEFAULT_CHILDS_VOICE })
}

export function childsVoicePart(doc: Y.Doc): ChildsVoicePart {
  const fields = childsVoiceFields(doc)
  const houses = THREE_HOUSES.map((house) => doc.getXmlFragment(houseRootName(house.id)))
  return {
    house: (id) => doc.getXmlFragment(houseRootName(id)),
    howShared: () => fields.get().howShared,
    setHowShared: (howShared, origin) => {
      fields.update({ howShared }, origin)
    },
    observe(callback) {
      const listener = (): void => {
        callback()
      }
      for (const house of houses) house.observeDeep(listener)
      const stopFields = fields.observe(callback)
      return () => {
        for (const house of houses) house.unobserveDeep(listener)
        stopFields()
      }
    },
  }
}
