import { describe, expect, test } from 'vitest'
import { findTerms, GLOSSARY, glossaryTerm, spelledOut } from '../../shared/glossary'

/** The terms found in a text, as written there, with the id of what they stand for. */
function found(text: string): [string, string][] {
  return findTerms(text).map(({ term, from, to }) => [text.slice(from, to), term.id])
}

describe('the glossary', () => {
  test('every term has a plain explanation, its own id and at least one form', () => {
    const ids = new Set(GLOSSARY.map((term) => term.id))
    expect(ids.size).toBe(GLOSSARY.length)
    for (const term of GLOSSARY) {
      expect(term.forms.length).toBeGreaterThan(0)
      expect(term.explanation.length).toBeGreaterThan(20)
      expect(glossaryTerm(term.id)).toBe(term)
    }
  })

  test('finds acronyms as written in capitals, with a plural', () => {
    expect(found('The ICPC is on Monday; two RCPCs followed.')).toEqual([['ICPC', 'icpc'], ['RCPCs', 'rcpc']])
    expect(found('She asked about the LADO and the PLO letter.')).toEqual([['LADO', 'lado'], ['PLO', 'plo']])
  })

  test('finds the short forms professionals type in a plan, and their words written out', () => {
    expect(found('The SW and the HV will ask the GP about CAMHS; DV was discussed.')).toEqual([['SW', 'sw'], ['HV', 'hv'], ['GP', 'gp'], ['CAMHS', 'camhs'], ['DV', 'domesticAbuse']])
    expect(found('A looked after child with an EHCP, then a family group conference.')).toEqual([['looked after child', 'cla'], ['EHCP', 'ehcp'], ['family group conference', 'fgc']])
    expect(found('Swimming, gravel, iron, hvac')).toEqual([])
  })

  test('spells out the short forms of roles, and leaves everything else as written', () => {
    expect(spelledOut('SW, Oakfield children’s services')).toBe('social worker, Oakfield children’s services')
    expect(spelledOut('HV and GP; two SWs')).toBe('health visitor and family doctor; two social workers')
    // Words already in full, short forms with no plain role name, and look-alikes stay as they are.
    expect(spelledOut('Health visitor, CAMHS, Swindon, sw')).toBe('Health visitor, CAMHS, Swindon, sw')
  })

  test('never finds an acronym inside an ordinary word or in lower case', () => {
    expect(found('cinema, explore, Cincinnati, plot, csc')).toEqual([])
  })

  test('finds words and phrases in any case, plural, across line-wrapped spaces', () => {
    expect(found('Core Group members agreed two danger statements and a safety  goal.')).toEqual([
      ['Core Group', 'coreGroup'],
      ['danger statements', 'dangerStatement'],
      ['safety  goal', 'safetyGoal'],
    ])
    expect(found('The bottom lines and the CONTINGENCY plan.')).toEqual([['bottom lines', 'bottomLines'], ['CONTINGENCY plan', 'contingency']])
  })

  test('the longer term wins where two overlap', () => {
    expect(found('Stepped down to a child in need plan.')).toEqual([['child in need plan', 'cinPlan']])
    expect(found('A CIN plan, not a CP plan.')).toEqual([['CIN plan', 'cinPlan'], ['CP plan', 'cpPlan']])
    expect(found('The child in need meeting.')).toEqual([['child in need', 'cin']])
  })

  test('section 47 is found however it is written', () => {
    expect(found('A s47 enquiry, an S47, a s.47 and a Section 47.')).toEqual([
      ['s47', 's47'],
      ['S47', 's47'],
      ['s.47', 's47'],
      ['Section 47', 's47'],
    ])
    expect(found('section 470 and s477')).toEqual([])
  })

  test('offsets point into the text, so a label can be split around them', () => {
    const text = 'Safety goals'
    const [term] = findTerms(text)
    expect(term).toMatchObject({ from: 0, to: text.length, term: { id: 'safetyGoal' } })
  })
})
