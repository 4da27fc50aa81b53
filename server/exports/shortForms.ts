import { isUsConference } from '../../shared/conference/agenda'
import type { ConferenceKind } from '../../shared/conference/details'

/**
 * The short forms professionals type into a record, in words a parent can follow. The family
 * version lists those its text uses, after the plan, rather than changing anyone's words (the
 * record must say what was written). Each short form is matched as a whole word, in capitals as
 * written here (or with a plural "s"), so ordinary words are never taken for one.
 */
interface ShortForm {
  /** The ways it is written (S47, s.47); the one the record uses first is shown. */
  readonly spellings: readonly string[]
  readonly meaning: string
}

const BOTH: readonly ShortForm[] = [
  { spellings: ['SW'], meaning: 'social worker' },
  { spellings: ['DV'], meaning: 'domestic violence' },
  { spellings: ['IPV'], meaning: 'intimate partner violence: violence or abuse between partners' },
  { spellings: ['CSE'], meaning: 'child sexual exploitation' },
  { spellings: ['FGC'], meaning: 'family group conference: a meeting where the family makes its own plan' },
  { spellings: ['SoS'], meaning: 'Signs of Safety: the way this meeting was run, with worries, what is working well and what needs to happen' },
]

const UK: readonly ShortForm[] = [
  { spellings: ['CP'], meaning: 'child protection' },
  { spellings: ['DA'], meaning: 'domestic abuse' },
  { spellings: ['CPP'], meaning: 'child protection plan' },
  { spellings: ['CPC'], meaning: 'child protection conference' },
  { spellings: ['ICPC'], meaning: 'initial child protection conference: the first one' },
  { spellings: ['RCPC'], meaning: 'review child protection conference' },
  { spellings: ['CIN'], meaning: 'child in need: help from the council without a child protection plan' },
  { spellings: ['CLA', 'LAC'], meaning: 'a child looked after by the council (in care)' },
  { spellings: ['LA'], meaning: 'local authority: the council' },
  { spellings: ['CSC'], meaning: 'children’s social care: the council’s social workers for children' },
  { spellings: ['CGM'], meaning: 'core group meeting: the people who carry out the plan, meeting between conferences' },
  { spellings: ['PLO'], meaning: 'Public Law Outline: formal meetings the council holds before it may go to court' },
  { spellings: ['S47', 's47', 'S.47', 's.47'], meaning: 'a section 47 enquiry: the checks social workers must make when a child may be being harmed' },
  { spellings: ['MASH'], meaning: 'multi-agency safeguarding hub: where services share worries about a child' },
  { spellings: ['HV'], meaning: 'health visitor' },
  { spellings: ['GP'], meaning: 'family doctor' },
  { spellings: ['CAMHS'], meaning: 'mental health services for children and young people' },
  { spellings: ['EHCP'], meaning: 'education, health and care plan: a plan for a child who needs extra help at school' },
  { spellings: ['SENCO'], meaning: 'the teacher who arranges extra help at school' },
  { spellings: ['DSL'], meaning: 'designated safeguarding lead: the person at school in charge of keeping children safe' },
  { spellings: ['IRO'], meaning: 'independent reviewing officer' },
  { spellings: ['LADO'], meaning: 'the council’s officer for worries about adults who work with children' },
  { spellings: ['MARAC'], meaning: 'a meeting of services about people at high risk of domestic abuse' },
  { spellings: ['IDVA'], meaning: 'independent domestic violence adviser: someone who supports people who have been abused' },
  { spellings: ['SGO'], meaning: 'special guardianship order: a court order for someone else to bring up a child' },
  { spellings: ['ICO'], meaning: 'interim care order: a court order giving the council a say in a child’s care for now' },
  { spellings: ['EPO'], meaning: 'emergency protection order: a court order to keep a child safe at once' },
]

const US: readonly ShortForm[] = [
  { spellings: ['CPS'], meaning: 'Child Protective Services' },
  { spellings: ['DA'], meaning: 'district attorney: the lawyer who brings criminal cases for the state' },
  { spellings: ['DCFS'], meaning: 'Department of Children and Family Services' },
  { spellings: ['DCF'], meaning: 'Department of Children and Families' },
  { spellings: ['CSC'], meaning: 'child safety conference: this meeting' },
  { spellings: ['CFT'], meaning: 'child and family team' },
  { spellings: ['FTM'], meaning: 'family team meeting' },
  { spellings: ['CASA'], meaning: 'court appointed special advocate: a volunteer who speaks up for the child in court' },
  { spellings: ['GAL'], meaning: 'guardian ad litem: someone the court appoints to speak for the child' },
  { spellings: ['TPR'], meaning: 'termination of parental rights: a court ending a parent’s legal rights to a child' },
  { spellings: ['IEP'], meaning: 'individualized education program: a plan for a child who needs extra help at school' },
  { spellings: ['SUD'], meaning: 'substance use disorder' },
  { spellings: ['UA'], meaning: 'urine test, for drugs or alcohol' },
  { spellings: ['ICWA'], meaning: 'Indian Child Welfare Act' },
]

export interface ShortFormUsed {
  shortForm: string
  meaning: string
}

/** The short forms the texts use, in the order they first appear, each once, as the text writes it. */
export function shortFormsIn(kind: ConferenceKind, texts: readonly string[]): ShortFormUsed[] {
  const known = isUsConference(kind) ? [...BOTH, ...US] : [...BOTH, ...UK]
  const whole = texts.join('\n')
  const used: { at: number; shortForm: string; meaning: string }[] = []
  for (const form of known) {
    const first = form.spellings.map((spelling) => ({ spelling, at: firstUse(whole, spelling) })).sort((a, b) => a.at - b.at)[0]
    if (first && Number.isFinite(first.at)) used.push({ at: first.at, shortForm: first.spelling, meaning: form.meaning })
  }
  return used.sort((a, b) => a.at - b.at).map(({ shortForm, meaning }) => ({ shortForm, meaning }))
}

/** Where the short form first stands as a word of its own (letters or digits on neither side); Infinity if nowhere. */
function firstUse(text: string, spelling: string): number {
  const escaped = spelling.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}s?(?![\\p{L}\\p{N}])`, 'u').exec(text)
  return match ? match.index : Infinity
}
