import { describe, expect, test } from 'vitest'
import { summarizeScores } from '../../shared/conference/scores'
import { revealedScoresWords } from '../../client/components/scales/scoreWords'

const wordsFor = (values: number[]) => {
  const summary = summarizeScores(values)
  if (!summary) throw new Error('no summary')
  return revealedScoresWords(summary)
}

describe('the words under revealed scores', () => {
  test('one score is not "everyone", and has no middle', () => {
    expect(wordsFor([7])).toEqual({ middle: null, spread: 'Only one score was given: 7.' })
  })

  test('the same number from several people says how many', () => {
    expect(wordsFor([6, 6, 6])).toEqual({ middle: '6', spread: 'All 3 scores are 6.' })
  })

  test('different numbers give the middle and the spread', () => {
    expect(wordsFor([3, 5, 8, 4])).toEqual({ middle: '4.5', spread: 'Scores go from 3 to 8.' })
  })
})
