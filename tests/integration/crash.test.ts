import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { COMPACT_AFTER_RECORDS } from '../../server/documents/room'
import { CONFERENCES_DIRECTORY } from '../../server/storage/embedded'
import { scanRecords } from '../../server/storage/records'
import { plainText } from '../../shared/conference/richText'
import { MessageType } from '../../shared/protocol'
import { createTestConference, makeTempDir, removeTempDirs } from '../helpers/server'
import { spawnServer, type ServerProcess } from '../helpers/serverProcess'
import { connectParticipant, typeCharacter, type Participant } from '../helpers/participants'
import { setUpFirstAdmin, type Device } from '../helpers/devices'

let running: ServerProcess | undefined
const participants: Participant[] = []

afterAll(removeTempDirs)

afterEach(() => {
  for (const participant of participants.splice(0)) participant.destroy()
  running?.child.kill('SIGKILL')
  running = undefined
})

async function firstAdmin(server: ServerProcess): Promise<Device> {
  if (!server.setupLink) throw new Error('a fresh data dir prints a set-up link')
  return setUpFirstAdmin(server.url, server.setupLink)
}

/** A fresh server with one conference, and one person in it who has added an entry to `section`. */
async function oneTypist(section: 'pastHarm' | 'existingSafety') {
  const dataDir = await makeTempDir()
  const server = await spawnServer(dataDir)
  running = server
  const admin = await firstAdmin(server)
  const conference = await createTestConference(admin)
  const typist = connectParticipant(admin, conference.id)
  participants.push(typist)
  await typist.synced()
  const entry = typist.record.map.section(section).add(typist.authorId)
  return { server, dataDir, admin, conferenceId: conference.id, typist, entry }
}

/** Starts the server again on the same data; a fresh reader syncs the conference from it. */
async function readAfterRestart(dataDir: string, admin: Device, conferenceId: string): Promise<Participant> {
  running = await spawnServer(dataDir)
  const reader = connectParticipant({ ...admin, baseUrl: running.url }, conferenceId)
  participants.push(reader)
  await reader.synced()
  return reader
}

/** Each keystroke is one token, so the text says exactly which keystrokes arrived. */
const token = (typist: number, keystroke: number): string => `[${typist}:${keystroke}]`

describe('a server killed mid-sentence', () => {
  test('kill -9 while two people type: every keystroke confirmed as saved is there after restart', async () => {
    const dataDir = await makeTempDir()
    running = await spawnServer(dataDir)
    let admin = await firstAdmin(running)
    const conference = await createTestConference(admin)

    for (let cycle = 0; cycle < 3; cycle++) {
      const typists = [0, 1].map(() => connectParticipant(admin, conference.id))
      participants.push(...typists)
      await Promise.all(typists.map((typist) => typist.synced()))
      const fields = typists.map((typist) => {
        const entry = typist.record.map.section('pastHarm').add(typist.authorId)
        return { entry: entry.id, fragment: entry.richText('text') }
      })
      // Each typist remembers what it had typed at each of its local change counts.
      const typedAt = typists.map(() => new Map<number, number>())
      const keystrokes = [0, 0]
      const typing = setInterval(() => {
        typists.forEach((typist, index) => {
          typeCharacter(fields[index]!.fragment, token(cycle * 10 + index, keystrokes[index]!))
          keystrokes[index]!++
          typedAt[index]!.set(typist.tracker.changes.made, keystrokes[index]!)
        })
      }, 3)
      // Kill the moment a "saved" answer arrives (the worst moment for a server that answers
      // early), once every typist has some keystrokes confirmed; later each cycle.
      const server = running
      const killed = new Promise<void>((resolve) => {
        for (const typist of typists) {
          const answerSaved = typist.provider.messageHandlers[MessageType.saved]!
          typist.provider.messageHandlers[MessageType.saved] = (...args) => {
            answerSaved(...args)
            if (typists.every((each) => each.tracker.changes.confirmed > 20 + cycle * 15)) {
              server.child.kill('SIGKILL')
              resolve()
            }
          }
        }
      })
      await killed
      await running.exited
      clearInterval(typing)
      const confirmed = typists.map((typist, index) => typedAt[index]!.get(typist.tracker.changes.confirmed) ?? 0)
      for (const typist of typists) typist.destroy()

      running = await spawnServer(dataDir)
      // Sessions are stored too: the same sign-in works after the restart, on the new port.
      admin = { ...admin, baseUrl: running.url }
      const reader = connectParticipant(admin, conference.id)
      participants.push(reader)
      await reader.synced()
      fields.forEach((field, index) => {
        const entry = reader.record.map.section('pastHarm').get(field.entry)
        const text = entry ? plainText(entry.richText('text')) : ''
        for (let keystroke = 0; keystroke < confirmed[index]!; keystroke++) {
          expect(text).toContain(token(cycle * 10 + index, keystroke))
        }
      })
      expect(confirmed.every((count) => count > 0)).toBe(true)
      reader.destroy()
    }
  })

  test('SIGTERM stores everything and exits cleanly', async () => {
    const { server, dataDir, admin, conferenceId, typist, entry } = await oneTypist('existingSafety')
    for (const character of 'Grandma stays over on school nights.') typeCharacter(entry.richText('text'), character)
    await typist.saved()
    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })

    const reader = await readAfterRestart(dataDir, admin, conferenceId)
    expect(plainText(reader.record.map.section('existingSafety').get(entry.id)!.richText('text'))).toBe('Grandma stays over on school nights.')
    expect(Y.encodeStateVector(reader.doc).length).toBeGreaterThan(0)
  })

  test('a long meeting is compacted as people type: after a kill late in it, the server replays a short journal', async () => {
    const { server, dataDir, admin, conferenceId, typist, entry } = await oneTypist('pastHarm')
    // One stored update per character, as a note-taker types: more than one compaction's worth.
    const sentence = 'Dad said he would stop drinking, and Gran checks in every evening. '
    const text = sentence.repeat(Math.ceil((COMPACT_AFTER_RECORDS * 1.5) / sentence.length))
    for (const character of text) typeCharacter(entry.richText('text'), character)
    await typist.saved()
    server.child.kill('SIGKILL')
    await server.exited

    const conferenceDir = path.join(dataDir, CONFERENCES_DIRECTORY, conferenceId)
    const files = await readdir(conferenceDir)
    const generation = Math.max(...files.flatMap((name) => /^snapshot-(\d+)\.bin$/.exec(name)?.[1] ?? []).map(Number))
    expect(generation).toBeGreaterThanOrEqual(1)
    const tail = scanRecords(await readFile(path.join(conferenceDir, `journal-${generation}.log`)))
    expect(tail.records.length).toBeLessThan(COMPACT_AFTER_RECORDS)

    const reader = await readAfterRestart(dataDir, admin, conferenceId)
    expect(plainText(reader.record.map.section('pastHarm').get(entry.id)!.richText('text'))).toBe(text)
  })
})
