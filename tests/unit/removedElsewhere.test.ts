import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { conferenceRecord, plainText } from '../../shared/conference'
import { MAP_SECTION_IDS } from '../../shared/conference/map'
import { watchRemovalsElsewhere, type RemovedElsewhere } from '../../client/components/removedElsewhere'
import { entryText } from '../../client/components/sections/entryWords'

/** What the sync provider does: applies another device's changes with itself as the origin. */
const PROVIDER = Symbol('provider')

/** This device's doc, and another device's, whose changes reach this one as the network's. */
function devices() {
  const [here, there] = [new Y.Doc(), new Y.Doc()]
  const fromThere = (): void => { Y.applyUpdate(here, Y.encodeStateAsUpdate(there, Y.encodeStateVector(here)), PROVIDER) }
  const toThere = (): void => { Y.applyUpdate(there, Y.encodeStateAsUpdate(here, Y.encodeStateVector(there))) }
  return { here: conferenceRecord(here), there: conferenceRecord(there), fromThere, toThere }
}

describe('entries removed on another device', () => {
  test('are reported with their place, author and words as they were; removals made here are not', () => {
    const { here, there, fromThere, toThere } = devices()
    const actions = here.actions
    for (const what of ['Book a parenting course', 'Mum rings the school each Monday', 'Gran collects on Fridays']) {
      actions.add('note-taker').richText('what').insert(0, [new Y.XmlText(what)])
    }
    toThere()
    const told: RemovedElsewhere[] = []
    const back: string[] = []
    const stop = watchRemovalsElsewhere(new Map([[actions.rootName, actions]]), { quote: (action) => entryText(action, 'what'), fromElsewhere: PROVIDER }, (removed) => { told.push(removed) }, (entryId) => { back.push(entryId) })

    const secondId = there.actions.entries()[1]!.id
    there.actions.remove(secondId)
    fromThere()
    expect(told).toEqual([{ entryId: secondId, listKey: actions.rootName, number: 2, authorId: 'note-taker', text: 'Mum rings the school each Monday' }])

    // Removed on this device: the person saw it go, and has their own undo.
    actions.remove(actions.entries()[0]!.id)
    expect(told).toHaveLength(1)

    // A newer entry arriving is news of an entry that is there, not a removal.
    there.actions.add('social-worker')
    fromThere()
    expect(told).toHaveLength(1)
    expect(back).toHaveLength(1)
    stop()
    there.actions.remove(there.actions.entries()[0]!.id)
    fromThere()
    expect(told).toHaveLength(1)
  })

  test('on the map, an entry moved to another sub-section is not reported; one removed is, under the sub-section it left', () => {
    const { here, there, fromThere, toThere } = devices()
    const { map } = here
    const moved = map.section('pastHarm').add('note-taker', { text: { text: 'Dad shouted on Friday.' } })
    const removedId = map.section('existingSafety').add('mum', { text: { text: 'Gran has the children every Saturday.' } }).id
    toThere()
    const told: RemovedElsewhere[] = []
    watchRemovalsElsewhere(
      new Map(MAP_SECTION_IDS.map((id) => [id, map.section(id)])),
      { quote: (entry) => plainText(entry.richText('text')), fromElsewhere: PROVIDER, movedTo: (entryId) => map.sectionOf(entryId) !== null },
      (entry) => { told.push(entry) },
      () => undefined,
    )

    there.map.moveEntry(moved.id, 'pastHarm', 'dangerStatements', 'chair')
    fromThere()
    expect(told).toEqual([])
    there.map.section('existingSafety').remove(removedId)
    fromThere()
    expect(told).toEqual([{ entryId: removedId, listKey: 'existingSafety', number: 1, authorId: 'mum', text: 'Gran has the children every Saturday.' }])
  })
})
