import type * as Y from 'yjs'

/**
 * The professionals-only section: the UK "private session" (when professionals share what the
 * family is not told, such as third-party information) and information from other agencies. It is
 * a separate Y.Doc with its own access list (`seeProfessionalsOnly` in shared/roles.ts), so the
 * server never sends a byte of it to a family device. The family's view only says that it exists.
 */

export const PRIVATE_SESSION_ROOT = 'professionalsOnly.privateSession'
export const THIRD_PARTY_INFORMATION_ROOT = 'professionalsOnly.thirdPartyInformation'
export const PROFESSIONALS_ONLY_ROOT_NAMES = [PRIVATE_SESSION_ROOT, THIRD_PARTY_INFORMATION_ROOT] as const

export interface ProfessionalsOnlyPart {
  /** What was said in the private session, and why it could not be said with the family there. */
  readonly privateSession: Y.XmlFragment
  /** Information from other agencies that may not be shared with the family. */
  readonly thirdPartyInformation: Y.XmlFragment
}

export function professionalsOnlyPart(doc: Y.Doc): ProfessionalsOnlyPart {
  return {
    privateSession: doc.getXmlFragment(PRIVATE_SESSION_ROOT),
    thirdPartyInformation: doc.getXmlFragment(THIRD_PARTY_INFORMATION_ROOT),
  }
}
