/**
 * Acronyms and professional words used in conferences, explained in plain words a worried
 * parent can read on a phone. The board marks them in entries and labels; tapping, hovering or
 * moving onto one shows its explanation. The family version of the minutes lists those its
 * text uses, with their explanations.
 *
 * Matching rules (see `findTerms`):
 * - acronyms (ICPC, CIN, s47...) match only as written in capitals (so "cin" or "plo" inside
 *   ordinary words never do), with an optional plural "s" (ICPCs);
 * - words and phrases match in any case, with a plural "s" or "es" on the last word, and any
 *   run of spaces between words;
 * - only whole words match, and where two terms overlap the longer one wins ("child in need
 *   plan" over "child in need").
 */

export interface GlossaryTerm {
  /** Stable key, e.g. 'icpc'. */
  id: string
  /** How the term is written in the explanation's heading. */
  term: string
  /** Plain words: what it means for the family. */
  explanation: string
  /** Ways it is written: acronyms in capitals, phrases in lower case, singular. */
  forms: readonly string[]
  /** For a role written as a short form: the words to say instead, where the words must stand alone (the child's version). */
  inFull?: string
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  { id: 'icpc', term: 'ICPC', forms: ['ICPC', 'initial child protection conference'], explanation: 'Initial child protection conference: the first meeting where family and professionals decide together whether the children need a child protection plan.' },
  { id: 'rcpc', term: 'RCPC', forms: ['RCPC', 'review child protection conference'], explanation: 'Review child protection conference: a later meeting to look at how the plan is going and whether it is still needed.' },
  { id: 'cpPlan', term: 'Child protection plan', forms: ['CP plan', 'CPP', 'child protection plan'], explanation: 'A written plan of what everyone will do to keep the children safe. It says who does what and by when, and it is checked at review meetings.' },
  { id: 'cin', term: 'Child in need', forms: ['CIN', 'child in need', 'children in need'], explanation: 'Support from children’s services for a child who needs extra help. It is a step down from a child protection plan and the family agree to it.' },
  { id: 'cinPlan', term: 'Child in need plan', forms: ['CIN plan', 'child in need plan'], explanation: 'A plan for support when children’s services and the family agree the child needs extra help, but a child protection plan is not needed.' },
  { id: 'cse', term: 'CSE', forms: ['CSE', 'child sexual exploitation'], explanation: 'Child sexual exploitation: when someone tricks, pressures or forces a child into sexual activity, often in return for something.' },
  { id: 'csc', term: 'CSC', forms: ['CSC', 'child safety conference'], explanation: 'Child safety conference (USA): a meeting with the family, their supporters and the agency to agree a plan that keeps the child safe.' },
  { id: 'coreGroup', term: 'Core group', forms: ['core group'], explanation: 'The smaller group of family members and professionals who meet between conferences to carry out the plan and check how it is going.' },
  { id: 'dangerStatement', term: 'Danger statement', forms: ['danger statement'], explanation: 'A short, clear sentence saying what harm professionals are worried could happen to the children in future if nothing changes.' },
  { id: 'safetyGoal', term: 'Safety goal', forms: ['safety goal'], explanation: 'What the adults caring for the children need to be doing, over time, for everyone to agree the children are safe.' },
  { id: 'safetyNetwork', term: 'Safety network', forms: ['safety network'], explanation: 'Family members and friends who know about the worries and help keep the children safe day to day.' },
  { id: 'pastHarm', term: 'Past harm', forms: ['past harm'], explanation: 'What has already happened to the children that worries people.' },
  { id: 'complicatingFactors', term: 'Complicating factors', forms: ['complicating factor'], explanation: 'Things that make the worries harder to sort out, such as money problems or health.' },
  { id: 'existingSafety', term: 'Existing safety', forms: ['existing safety'], explanation: 'Times the children have already been kept safe from the worries, and who did it.' },
  { id: 'lado', term: 'LADO', forms: ['LADO', 'local authority designated officer'], explanation: 'Local authority designated officer: the person who looks into worries about adults who work with children, like teachers or carers.' },
  { id: 'plo', term: 'PLO', forms: ['PLO', 'public law outline'], explanation: 'Public law outline: a formal stage before the council might go to court. Parents are sent a letter and can get free legal advice from a solicitor.' },
  { id: 's47', term: 'Section 47', forms: ['s47', 'S47', 's.47', 'section 47'], explanation: 'Section 47 enquiry: when children’s services look into whether a child is being harmed or is at risk of harm, by law they must find out what is happening.' },
  { id: 'parentPartner', term: 'Parent Partner', forms: ['parent partner'], explanation: 'A parent who has been through the child welfare system themselves and now supports other parents through it.' },
  { id: 'contingency', term: 'Contingency', forms: ['contingency', 'contingency plan'], explanation: 'What will happen if things do not change or the plan does not work. It should be explained in full, with no surprises.' },
  { id: 'sw', term: 'SW', forms: ['SW'], inFull: 'social worker', explanation: 'Social worker: the person from children’s services who works with your family.' },
  { id: 'domesticAbuse', term: 'Domestic abuse', forms: ['DV', 'domestic abuse', 'domestic violence'], explanation: 'When one adult in a family or relationship hurts, threatens, controls or frightens another. Children can be harmed by seeing or hearing it.' },
  { id: 'hv', term: 'HV', forms: ['HV', 'health visitor'], inFull: 'health visitor', explanation: 'Health visitor: a nurse who supports families with babies and young children.' },
  { id: 'gp', term: 'GP', forms: ['GP'], inFull: 'family doctor', explanation: 'General practitioner: your family doctor at the local surgery.' },
  { id: 'camhs', term: 'CAMHS', forms: ['CAMHS'], explanation: 'Child and adolescent mental health services: the NHS service that helps children and young people with their feelings and mental health.' },
  { id: 'ehcp', term: 'EHCP', forms: ['EHCP', 'education, health and care plan'], explanation: 'Education, health and care plan: a plan for a child who needs extra help at school, agreed with the council.' },
  { id: 'iro', term: 'IRO', forms: ['IRO', 'independent reviewing officer'], inFull: 'independent reviewing officer', explanation: 'Independent reviewing officer: someone who checks that the plan for a child in care is right and is carried out.' },
  { id: 'mash', term: 'MASH', forms: ['MASH', 'multi-agency safeguarding hub'], explanation: 'Multi-agency safeguarding hub: the team where police, health and children’s services share worries about a child.' },
  { id: 'marac', term: 'MARAC', forms: ['MARAC', 'multi-agency risk assessment conference'], explanation: 'Multi-agency risk assessment conference: a meeting where police, health, housing and support services plan together how to keep someone safe from serious domestic abuse.' },
  { id: 'childAndFamilyAssessment', term: 'C&F assessment', forms: ['C&F assessment', 'C&F', 'child and family assessment'], explanation: 'Child and family assessment: the social worker finds out, with the family, what the children need and what help would make a difference.' },
  { id: 'cla', term: 'Child looked after', forms: ['CLA', 'LAC', 'looked after child', 'child looked after', 'children looked after'], explanation: 'A child in the care of the council, living with foster carers, relatives or in a children’s home.' },
  { id: 'fgc', term: 'FGC', forms: ['FGC', 'family group conference'], explanation: 'Family group conference: a meeting where family and friends make their own plan for the children, with help from a coordinator.' },
  { id: 'cps', term: 'CPS', forms: ['CPS', 'child protective services'], explanation: 'Child Protective Services (USA): the agency that looks into worries about children and works with families to keep them safe.' },
  { id: 'casa', term: 'CASA', forms: ['CASA', 'court appointed special advocate'], inFull: 'special advocate', explanation: 'Court appointed special advocate (USA): a trained volunteer who gets to know the child and tells the court what they need.' },
  { id: 'gal', term: 'GAL', forms: ['GAL', 'guardian ad litem'], inFull: 'guardian', explanation: 'Guardian ad litem (USA): a person the court appoints to speak up for what is best for the child.' },
  { id: 'iep', term: 'IEP', forms: ['IEP', 'individualized education program'], explanation: 'Individualized education program (USA): a plan for a child who needs extra help at school.' },
  { id: 'bottomLines', term: 'Bottom lines', forms: ['bottom line'], explanation: 'The things that must happen, or must never happen, for the children to stay safe. They cannot be changed without agreement.' },
]

export interface FoundTerm {
  term: GlossaryTerm
  /** Offsets in the text: `text.slice(from, to)` is the words as written. */
  from: number
  to: number
}

/** Acronyms: no lower-case letter in them (ICPC, CP plan is a phrase, s47 counts as a code). */
function isAcronym(form: string): boolean {
  return !/\s/.test(form) && (form === form.toUpperCase() || /\d/.test(form))
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A phrase with any run of spaces between words and a plural on its last word. */
function phrasePattern(form: string): string {
  return form.trim().split(/\s+/).map(escapeForRegExp).join('\\s+') + '(?:e?s)?'
}

interface Matcher {
  regex: RegExp
  /** Which term each capture group stands for. */
  terms: GlossaryTerm[]
}

/** Longest forms first, so the longest term wins where forms begin at the same place. */
function matcher(forms: { form: string; term: GlossaryTerm }[], caseSensitive: boolean, pattern: (form: string) => string): Matcher {
  const sorted = [...forms].sort((a, b) => b.form.length - a.form.length)
  // Letters and digits around a match mean it is part of a longer word.
  const source = sorted.map(({ form }) => `(${pattern(form)})`).join('|')
  return { regex: new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu'), terms: sorted.map(({ term }) => term) }
}

const allForms = GLOSSARY.flatMap((term) => term.forms.map((form) => ({ form, term })))
const MATCHERS: readonly Matcher[] = [
  matcher(allForms.filter(({ form }) => isAcronym(form)), true, (form) => `${escapeForRegExp(form)}s?`),
  matcher(allForms.filter(({ form }) => !isAcronym(form)), false, phrasePattern),
]

/** Every glossary term in `text`, in order, never overlapping (the longer wins). */
export function findTerms(text: string): FoundTerm[] {
  const found: FoundTerm[] = []
  for (const { regex, terms } of MATCHERS) {
    regex.lastIndex = 0
    for (const match of text.matchAll(regex)) {
      // Groups that did not take part are undefined (the types say string).
      const group = (match.slice(1) as (string | undefined)[]).findIndex((value) => value !== undefined)
      const term = terms[group]
      if (term) found.push({ term, from: match.index, to: match.index + match[0].length })
    }
  }
  found.sort((a, b) => a.from - b.from || b.to - a.to)
  const kept: FoundTerm[] = []
  for (const candidate of found) {
    const last = kept[kept.length - 1]
    if (!last || candidate.from >= last.to) kept.push(candidate)
    else if (candidate.to - candidate.from > last.to - last.from) kept[kept.length - 1] = candidate
  }
  return kept
}

/** `text` with each short form that has words in full written out: "Priya, SW" → "Priya, social worker". */
export function spelledOut(text: string): string {
  let result = ''
  let at = 0
  for (const { term, from, to } of findTerms(text)) {
    const written = text.slice(from, to)
    // Only short forms: "health visitor" stays as written.
    if (term.inFull === undefined || written.includes(' ')) continue
    result += text.slice(at, from) + term.inFull + (written.endsWith('s') && !term.forms.includes(written) ? 's' : '')
    at = to
  }
  return result + text.slice(at)
}

export function glossaryTerm(id: string): GlossaryTerm | undefined {
  return GLOSSARY.find((term) => term.id === id)
}
