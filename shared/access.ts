/**
 * Shapes of the sign-in, people and administration API (docs/http-api.md), shared by server and
 * client. Secrets (invitation links and codes, password links) appear only in the one response
 * that creates them; the server keeps only their hashes.
 */
import type { Permission, Role } from './roles'

/** A professional's account. */
export interface AccountSummary {
  id: string
  name: string
  email: string
  admin: boolean
  /** Sees the programme page: figures across conferences, never a family. */
  programmeLead: boolean
  /** A TOTP second factor is set up. */
  secondFactor: boolean
  /** The account has chosen its password (false until its set-password link is used). */
  active: boolean
  /** Disabled by an administrator: cannot sign in or be added to a conference. */
  disabled: boolean
}

/** Who is signed in on this device. */
export type SessionInfo =
  | { kind: 'account'; account: AccountSummary }
  | { kind: 'participant'; participant: ParticipantSummary }

/**
 * An invited person whose device still holds their ended session: they were taken out of their
 * conference (removed, or their invitation withdrawn), so the device drops its copy of the record.
 */
export interface TakenOut {
  conferenceId: string
  participantId: string
}

/** GET /api/session: who is signed in here; when nobody, and an invited person was taken out, who. */
export interface SessionResponse {
  session: SessionInfo | null
  takenOut?: TakenOut
}

/** Someone taking part in one conference: a professional's account or an invited person. */
export interface ParticipantSummary {
  id: string
  conferenceId: string
  name: string
  role: Role
  /** Set for professionals; invited people have no account. */
  accountId?: string
  invitation?: InvitationSummary
  /**
   * Set (for organisers) when an administrator disabled this professional's account: they can no
   * longer take part, so their role is free to give, and they may be removed whatever their role.
   */
  accountDisabled?: true
}

export interface InvitationSummary {
  id: string
  /** ISO 8601 UTC: the link and code stop working then. */
  expiresAt: string
  /** How many devices may sign in with it, and how many have. */
  maxDevices: number
  devicesUsed: number
  revoked: boolean
}

/** The one response that carries an invitation's secrets: show them, then they are gone. */
export interface NewInvitation {
  participant: ParticipantSummary
  /** Path and fragment, e.g. `/join#<token>`: the fragment never reaches server logs. */
  link: string
  /** Read out over the phone, typed at /join. */
  code: string
}

/** What the signed-in person is in one conference, and what their role lets them do. */
export interface Membership {
  participantId: string
  name: string
  role: Role
  permissions: Permission[]
}

export interface NewAccountResponse {
  account: AccountSummary
  /** One-time path where the person chooses their password, e.g. `/set-password#<token>`. */
  passwordLink: string
}

export interface SecondFactorSetup {
  /** Base32 secret and otpauth:// URI for an authenticator app. */
  secret: string
  uri: string
}

/** Stable codes of sign-in errors the client switches over (ApiErrorBody.error.code). */
export type SignInErrorCode =
  | 'sign-in-failed'
  | 'second-factor-needed'
  | 'second-factor-wrong'
  | 'too-many-attempts'
  | 'invitation-not-valid'
  | 'not-signed-in'
