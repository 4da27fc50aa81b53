import type { AccountSummary, InvitationSummary, Membership, NewAccountResponse, ParticipantSummary, SessionInfo, TakenOut } from '../../shared/access'
import { can, isProfessionalRole, mayManage, permissionsOf, ROLE_LABELS, type Permission, type Role } from '../../shared/roles'
import type { AuditActor, AuditEvent, AuditLog } from '../audit/auditLog'
import { conferenceNotFound, HttpError } from '../http/errors'
import { errorMessage, type Logger } from '../log'
import { isStorageError } from '../storage/errors'
import type { ConferenceChange, ConferenceSummary, Storage, StoredAccount, StoredParticipant, StoredPasswordLink, StoredSession } from '../storage/types'
import { sameWords } from '../../shared/sameWords'
import { Turns } from '../turns'
import { inConferenceYears, type IsoDate } from '../../shared/timescales'
import type { ConferenceDocument } from '../../shared/conference/documents'
import { hashPassword, needsRehash, passwordMatches, passwordProblem } from './passwords'
import { hashSecret, newId, newReadableCode, newSecretToken, normalizeReadableCode } from './secrets'
import { SignInThrottle, type ThrottleKeys } from './throttle'
import { newTotpSecret, totpSetupUri, verifyTotp } from './totp'

/** Signed out after this long without a request or a live connection. */
export const IDLE_LIMIT_MS = 30 * 60 * 1000
/** Signed out this long after signing in, whatever happens. */
export const ABSOLUTE_LIMIT_MS = 12 * 60 * 60 * 1000
/** A session's last-seen time is written at most this often (each write rewrites the access file). */
const LAST_SEEN_WRITE_MS = 60 * 1000
/** Invitations work until the end of the conference day plus this many days. */
export const INVITATION_GRACE_DAYS = 7
/** Devices one invitation may sign in (a phone, a tablet, a borrowed laptop). */
export const INVITATION_MAX_DEVICES = 3
const PASSWORD_LINK_MS = 7 * 24 * 60 * 60 * 1000

const DAY_MS = 24 * 60 * 60 * 1000

/** Who a request or connection is, once its session cookie checked out. */
export type Signedin =
  | { kind: 'account'; session: StoredSession; account: StoredAccount }
  | { kind: 'participant'; session: StoredSession; participant: StoredParticipant }

/** What someone is in one conference. */
export interface ConferenceMember {
  participant: StoredParticipant
  role: Role
  can(permission: Permission): boolean
}

/** Told when people must be disconnected at once (revoked, removed, signed out, role changed). */
export interface AccessListener {
  /** `stillIn` is false when they were removed or their invitation withdrawn; true for a role change. */
  participantChanged?(participantId: string, stillIn: boolean): void
  sessionEnded?(sessionId: string): void
}

export interface RequestContext {
  /** Client address, for the audit trail and throttling. */
  from: string
  /** Device id from its long-lived cookie: an invitation counts each device once. */
  deviceId?: string
}

const invitationNotValid = (): HttpError =>
  new HttpError(400, 'invitation-not-valid', 'That link or code did not work. Check it against the message you were sent: it may also have expired, been withdrawn or been used on too many devices.')

const alreadyInvited = (name: string): HttpError =>
  new HttpError(409, 'already-invited', `${name} has already been invited to this conference, and their link still works. If their link and code are lost, withdraw that invitation, then invite them again. If this is someone else with the same name, add something to tell them apart, for example “Jo, family friend”.`)

/** Removed from their conference, or their invitation withdrawn: for good (inviting them again makes a new participant). */
export const takenOut = (participant: Readonly<StoredParticipant>): boolean => participant.removed || participant.invitation?.revoked === true

const auditUnavailable = (): HttpError =>
  new HttpError(503, 'audit-unavailable', 'The server cannot keep its record of who did what just now, so it has not made this change. Please try again in a few minutes, or tell your administrator.')

const notAudited = (): HttpError =>
  new HttpError(500, 'not-audited', 'The server could not add this to its record of who did what. If you were changing something, the change may have been made: check before trying again, and tell your administrator.')

/** An administrator who can sign in: one reset (no password yet) or disabled cannot run SafetyMap. */
const canAdminister = (account: Readonly<StoredAccount>): boolean => account.admin && !account.disabled && account.passwordHash !== null

const signInFailed = (): HttpError => new HttpError(401, 'sign-in-failed', 'That email address and password do not match an account.')


/**
 * Accounts, sessions, invitations and who is in which conference: every decision about access is
 * made here, and every one leaves an entry in the audit trail.
 */
export class AccessControl {
  private readonly throttle = new SignInThrottle()
  private readonly listeners = new Set<AccessListener>()
  /** Last-seen times not yet written, by session id. */
  private readonly lastSeen = new Map<string, number>()
  /**
   * Decisions that check the access records and then change them take turns: otherwise two made
   * at once both pass the check (a one-time link used twice, a withdrawn invitation redeemed as it
   * is withdrawn, four devices on a link for three). Password hashing stays outside: it is slow.
   */
  private readonly decisions = new Turns()

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditLog,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  listen(listener: AccessListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  // ---- first start ----------------------------------------------------------------------------

  get setupNeeded(): boolean {
    return !this.storage.access.accounts.some((account) => account.admin && account.passwordHash !== null)
  }

  /** On a start with no administrator yet, a fresh one-time link for setting one up (older links stop working). */
  async newSetupLink(): Promise<string | null> {
    if (!this.setupNeeded) return null
    for (const link of this.storage.access.passwordLinks.all()) {
      if (link.accountId === null) await this.storage.access.passwordLinks.delete(link.id)
    }
    const token = newSecretToken()
    await this.storage.access.passwordLinks.put({ id: hashSecret(token), accountId: null, expiresAt: this.isoIn(PASSWORD_LINK_MS) })
    return `/welcome#${token}`
  }

  async setUpFirstAdmin(input: { token: string; name: string; email: string; password: string }, context: RequestContext): Promise<{ token: string; session: SessionInfo }> {
    const usableLink = (): StoredPasswordLink => {
      const link = this.storage.access.passwordLinks.get(hashSecret(input.token))
      if (!this.setupNeeded || link?.accountId !== null || this.expired(link.expiresAt)) {
        throw new HttpError(400, 'link-not-valid', 'This set-up link does not work any more. Restart SafetyMap to get a new one.')
      }
      return link
    }
    usableLink()
    this.assertPasswordAcceptable(input.password)
    this.assertEmailFree(input.email)
    const passwordHash = await hashPassword(input.password)
    return this.decisions.run(async () => {
      // Checked again in turn: the same link may have been used while the password was hashed.
      const link = usableLink()
      this.assertEmailFree(input.email)
      const account: StoredAccount = {
        id: newId(),
        name: input.name,
        email: normalizeEmail(input.email),
        admin: true,
        passwordHash,
        totp: null,
        disabled: false,
        createdAt: this.iso(),
      }
      await this.storage.access.accounts.put(account)
      await this.storage.access.passwordLinks.delete(link.id)
      // The demo conference is there to be looked at, and conferences made before sign-in existed
      // would otherwise belong to nobody: the first administrator chairs them.
      const withPeople = new Set(this.storage.access.participants.all().map((participant) => participant.conferenceId))
      for (const conference of await this.storage.conferences.list()) {
        if (conference.demo || !withPeople.has(conference.id)) await this.addParticipant(conference.id, { name: account.name, role: 'chair', accountId: account.id })
      }
      this.throttle.succeeded(throttleKeys(account.email, context))
      await this.record({ action: 'admin-setup', actor: accountActor(account), from: context.from })
      return this.startSession('account', account.id, accountActor(account), context)
    })
  }

  // ---- accounts ---------------------------------------------------------------------------------

  async createAccount(by: StoredAccount, input: { name: string; email: string; admin: boolean; programmeLead: boolean }, context: RequestContext): Promise<NewAccountResponse> {
    return this.decisions.run(async () => {
      this.assertEmailFree(input.email)
      const account: StoredAccount = {
        id: newId(),
        name: input.name,
        email: normalizeEmail(input.email),
        admin: input.admin,
        programmeLead: input.programmeLead,
        passwordHash: null,
        totp: null,
        disabled: false,
        createdAt: this.iso(),
      }
      await this.storage.access.accounts.put(account)
      const passwordLink = await this.newPasswordLink(account.id)
      await this.record({ action: 'account-created', actor: accountActor(by), from: context.from, details: { accountName: account.name, accountId: account.id, admin: account.admin, programmeLead: input.programmeLead } })
      return { account: accountSummary(account), passwordLink }
    })
  }

  /**
   * For someone who lost the phone with their second sign-in step, or forgot their password: an
   * administrator clears both, signs them out everywhere and gets a new password link to hand
   * over in person. The password goes too, so a reset asked for by someone who only knows the
   * password (the very thing the second step guards against) gets them nothing.
   */
  async resetSignIn(by: StoredAccount, accountId: string, context: RequestContext): Promise<NewAccountResponse> {
    return this.decisions.run(async () => {
      const account = this.storage.access.accounts.get(accountId)
      if (!account) throw new HttpError(404, 'account-not-found', 'There is no such account.')
      // Otherwise a session left open on an administrator's computer could take the second step off it.
      if (account.id === by.id) throw new HttpError(409, 'own-account', 'You cannot reset your own sign-in. Ask another administrator.')
      if (account.disabled) throw new HttpError(409, 'account-disabled', 'This account is disabled: enable it again before resetting its sign-in.')
      this.assertStillAdministrator(by)
      return this.resetAccount(account, accountActor(by), context)
    })
  }

  /**
   * The way back when no administrator can sign in (the only one forgot their password or lost
   * their phone): whoever runs SafetyMap starts it with SAFETYMAP_RESET_SIGN_IN set to that
   * administrator's email, and the start prints a one-time password link, as a reset would give.
   * Someone who can start the server can read its data already: this gives them nothing more.
   * Audited as a reset by the system.
   */
  async resetAdministratorAtStart(email: string): Promise<NewAccountResponse> {
    return this.decisions.run(async () => {
      const account = this.storage.access.accounts.find((candidate) => candidate.email === normalizeEmail(email))
      if (!account?.admin) throw new Error(`SAFETYMAP_RESET_SIGN_IN: there is no administrator with the email address ${email}.`)
      if (account.disabled) throw new Error(`SAFETYMAP_RESET_SIGN_IN: the account of ${email} is disabled; another administrator can enable it.`)
      return this.resetAccount(account, { kind: 'system', name: 'SAFETYMAP_RESET_SIGN_IN at start' }, { from: 'server console' })
    })
  }

  /** Clears the password and second step, signs the account out everywhere, and gives a new password link. */
  private async resetAccount(account: StoredAccount, actor: AuditActor, context: RequestContext): Promise<NewAccountResponse> {
    const reset = await this.storage.access.accounts.update(account.id, (current) => ({ ...current, passwordHash: null, totp: null }))
    // Only the newest link works: one handed out earlier may be in the wrong hands.
    for (const link of this.storage.access.passwordLinks.all()) {
      if (link.accountId === account.id) await this.storage.access.passwordLinks.delete(link.id)
    }
    const passwordLink = await this.newPasswordLink(account.id)
    for (const session of this.storage.access.sessions.all()) {
      if (session.kind === 'account' && session.subjectId === account.id) await this.endSession(session.id)
    }
    // Locks and failures go too: otherwise whoever kept them out by failing on purpose still would.
    this.throttle.forgetAccount(account.email)
    await this.record({ action: 'sign-in-reset', actor, from: context.from, details: { accountName: account.name, accountId: account.id } })
    return { account: accountSummary(reset ?? account), passwordLink }
  }

  /**
   * For a professional who has left, or whose account must stop working: they are signed out on
   * every device at once (open records close), cannot sign in or use a password link, and cannot
   * be added to a conference. What they wrote stays. Not your own account, nor the last
   * administrator: nobody would be left to run SafetyMap.
   */
  async disableAccount(by: StoredAccount, accountId: string, context: RequestContext): Promise<AccountSummary> {
    return this.decisions.run(async () => {
      const account = this.storage.access.accounts.get(accountId)
      if (!account) throw new HttpError(404, 'account-not-found', 'There is no such account.')
      if (account.id === by.id) throw new HttpError(409, 'own-account', 'You cannot disable your own account. Ask another administrator.')
      if (account.disabled) return accountSummary(account)
      this.assertStillAdministrator(by)
      const disabled = await this.storage.access.accounts.update(account.id, (current) => ({ ...current, disabled: true }))
      // A link handed out before stops working for good: enabling the account again does not bring it back.
      for (const link of this.storage.access.passwordLinks.all()) {
        if (link.accountId === account.id) await this.storage.access.passwordLinks.delete(link.id)
      }
      for (const session of this.storage.access.sessions.all()) {
        if (session.kind === 'account' && session.subjectId === account.id) await this.endSession(session.id)
      }
      await this.record({ action: 'account-disabled', actor: accountActor(by), from: context.from, details: { accountName: account.name, accountId: account.id } })
      return accountSummary(disabled ?? { ...account, disabled: true })
    })
  }

  /** A disabled account works again, with the password and second step it had. */
  async enableAccount(by: StoredAccount, accountId: string, context: RequestContext): Promise<AccountSummary> {
    return this.decisions.run(async () => {
      const account = this.storage.access.accounts.get(accountId)
      if (!account) throw new HttpError(404, 'account-not-found', 'There is no such account.')
      if (!account.disabled) return accountSummary(account)
      const enabled = await this.storage.access.accounts.update(account.id, (current) => ({ ...current, disabled: false }))
      await this.record({ action: 'account-enabled', actor: accountActor(by), from: context.from, details: { accountName: account.name, accountId: account.id } })
      return accountSummary(enabled ?? { ...account, disabled: false })
    })
  }

  /**
   * Checked in the decision's turn, since another administrator may have reset or disabled `by`
   * meanwhile: two acting on each other at once would both succeed and leave nobody who can sign
   * in as administrator. It also keeps the last administrator: `by` is one, and is not the target.
   */
  private assertStillAdministrator(by: StoredAccount): void {
    const current = this.storage.access.accounts.get(by.id)
    if (!current || !canAdminister(current)) {
      throw new HttpError(401, 'not-signed-in', 'Another administrator has just reset your sign-in or disabled your account, so this was not done. Please sign in again.')
    }
  }

  /** The account a professional is added to a conference by; a disabled one is refused by name. */
  private professionalByEmail(email: string): StoredAccount {
    const account = this.storage.access.accounts.find((candidate) => candidate.email === normalizeEmail(email))
    if (!account) throw new HttpError(404, 'account-not-found', 'Nobody has a SafetyMap account with that email address. Ask your administrator to add them.')
    if (account.disabled) {
      throw new HttpError(409, 'account-disabled', `${account.name}’s account is disabled, so they cannot be added to a conference. Ask your administrator if it should be enabled again.`, { email: 'account disabled' })
    }
    return account
  }

  /** A one-time path where the account's owner chooses a password, e.g. `/set-password#<token>`. */
  private async newPasswordLink(accountId: string): Promise<string> {
    const token = newSecretToken()
    await this.storage.access.passwordLinks.put({ id: hashSecret(token), accountId, expiresAt: this.isoIn(PASSWORD_LINK_MS) })
    return `/set-password#${token}`
  }

  listAccounts(): AccountSummary[] {
    return this.storage.access.accounts.all().map(accountSummary)
  }

  async setPassword(input: { token: string; password: string }, context: RequestContext): Promise<{ token: string; session: SessionInfo }> {
    const usableLink = (): { link: StoredPasswordLink; account: StoredAccount } => {
      const link = this.storage.access.passwordLinks.get(hashSecret(input.token))
      const account = link?.accountId ? this.storage.access.accounts.get(link.accountId) : undefined
      if (!link || !account || account.disabled || this.expired(link.expiresAt)) {
        throw new HttpError(400, 'link-not-valid', 'This link does not work any more. Ask your SafetyMap administrator for a new one.')
      }
      return { link, account }
    }
    usableLink()
    this.assertPasswordAcceptable(input.password)
    const passwordHash = await hashPassword(input.password)
    return this.decisions.run(async () => {
      // Checked again in turn: the same link may have been used while the password was hashed.
      const { link, account } = usableLink()
      await this.storage.access.passwordLinks.delete(link.id)
      await this.storage.access.accounts.update(account.id, (current) => ({ ...current, passwordHash }))
      // The link proves it is the owner: the account's locks go, and this browser is trusted.
      this.throttle.forgetAccount(account.email)
      this.throttle.succeeded(throttleKeys(account.email, context))
      return this.startSession('account', account.id, accountActor(account), context)
    })
  }

  async signIn(input: { email: string; password: string; code?: string | undefined }, context: RequestContext): Promise<{ token: string; session: SessionInfo }> {
    const email = normalizeEmail(input.email)
    const verdict = this.throttle.attempt(throttleKeys(email, context), this.now())
    if (!verdict.allowed) {
      const minutes = Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60))
      throw new HttpError(429, 'too-many-attempts', `Too many attempts to sign in. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`)
    }
    let account: StoredAccount
    try {
      account = await this.passwordAndCode(email, input, context)
    } catch (error) {
      // A right password still waiting for its code is not a wrong guess; nor is a failed write.
      const wrongGuess = error instanceof HttpError && error.code !== 'second-factor-needed'
      this.throttle.settle(verdict.attempt, wrongGuess ? 'failed' : 'neither', this.now())
      throw error
    }
    // This browser is trusted from now on: failures by others no longer keep it out (throttle.ts).
    this.throttle.settle(verdict.attempt, 'succeeded', this.now())
    if (account.passwordHash && needsRehash(account.passwordHash)) {
      // The only moment the password is known: store it again under today's settings.
      const passwordHash = await hashPassword(input.password)
      await this.storage.access.accounts.update(account.id, (current) => ({ ...current, passwordHash }))
    }
    return this.startSession('account', account.id, accountActor(account), context)
  }

  /** The account whose password (and code, when it has a second step) these are; throws an HttpError otherwise. */
  private async passwordAndCode(email: string, input: { password: string; code?: string | undefined }, context: RequestContext): Promise<StoredAccount> {
    const account = this.storage.access.accounts.find((candidate) => candidate.email === email)
    const passwordOk = await passwordMatches(input.password, account?.passwordHash)
    if (!account || account.disabled || !passwordOk) {
      await this.record({ action: 'sign-in-failed', actor: account ? accountActor(account) : { kind: 'anonymous' }, from: context.from, details: { reason: 'password' } })
      throw signInFailed()
    }
    if (!account.totp?.confirmed) return account
    const { code } = input
    if (!code) throw new HttpError(401, 'second-factor-needed', 'Enter the 6-digit code from your authenticator app.')
    // A code of its own, so the page tells a wrong code apart from the first request for one.
    const codeRefused = new HttpError(401, 'second-factor-wrong', 'That code did not work. Enter the current 6-digit code from your authenticator app.')
    // Checked against the account as stored when the write's turn comes: one code signs in once,
    // even when sent twice at the same moment.
    let stored: StoredAccount | undefined
    try {
      stored = await this.storage.access.accounts.update(account.id, (current) => {
        const totp = current.totp
        const checked = totp?.confirmed ? verifyTotp(totp.secret, code, { now: this.now(), ...(totp.lastStep === null ? {} : { lastUsedStep: totp.lastStep }) }) : null
        if (!totp || !checked?.ok) throw codeRefused
        return { ...current, totp: { ...totp, lastStep: checked.step } }
      })
    } catch (error) {
      if (error !== codeRefused) throw error
    }
    if (!stored) {
      await this.record({ action: 'sign-in-failed', actor: accountActor(account), from: context.from, details: { reason: 'second-factor' } })
      throw codeRefused
    }
    return stored
  }

  /**
   * Asks for the password again: a signed-in session alone (a computer left open) must not be
   * able to add a second step, which would lock the account's owner out.
   */
  async startSecondFactor(signedIn: StoredAccount, password: string, context: RequestContext): Promise<{ secret: string; uri: string }> {
    const verdict = this.throttle.attempt(throttleKeys(signedIn.email, context), this.now())
    if (!verdict.allowed) throw new HttpError(429, 'too-many-attempts', 'Too many attempts. Please wait a few minutes and try again.')
    const passwordOk = await passwordMatches(password, this.storedAccount(signedIn).passwordHash)
    this.throttle.settle(verdict.attempt, passwordOk ? 'neither' : 'failed', this.now())
    if (!passwordOk) throw new HttpError(400, 'password-wrong', 'That is not your password. Type the password you sign in with.', { password: 'That is not your password.' })
    return this.decisions.run(async () => {
      const account = this.storedAccount(signedIn)
      // Starting again would replace a working second step, and with it the point of having one:
      // whoever holds a signed-in session (a shared computer left open) must not be able to.
      if (account.totp?.confirmed) {
        throw new HttpError(409, 'second-factor-already-set-up', 'Your second sign-in step is already set up. To use a new phone, move it there with your password and a code from your old phone.')
      }
      const secret = newTotpSecret()
      await this.storage.access.accounts.put({ ...account, totp: { secret, confirmed: false, lastStep: null } })
      return { secret, uri: totpSetupUri(secret, account.email) }
    })
  }

  /**
   * Checks the password (counted by the sign-in throttle, so a session left open cannot be used to
   * guess it); a wrong one is audited as a failed sign-in and refused with `password-wrong`.
   * `field` is the form field the refusal is shown under; `extraCheck`, run only after a right
   * password, may refuse too (a wrong code), counted and audited the same way.
   */
  private async assertOwnPassword(signedIn: StoredAccount, password: string, field: string, context: RequestContext, extraCheck?: (account: StoredAccount) => HttpError | null): Promise<void> {
    const verdict = this.throttle.attempt(throttleKeys(signedIn.email, context), this.now())
    if (!verdict.allowed) {
      const minutes = Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60))
      throw new HttpError(429, 'too-many-attempts', `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`)
    }
    let refusal: HttpError | null = null
    try {
      const account = this.storedAccount(signedIn)
      if (!(await passwordMatches(password, account.passwordHash))) {
        refusal = new HttpError(400, 'password-wrong', 'That is not your password. Type the password you sign in with.', { [field]: 'That is not your password.' })
        await this.record({ action: 'sign-in-failed', actor: accountActor(account), from: context.from, details: { reason: 'password', while: 'signed-in' } })
      } else {
        refusal = extraCheck ? extraCheck(this.storedAccount(signedIn)) : null
        if (refusal) await this.record({ action: 'sign-in-failed', actor: accountActor(account), from: context.from, details: { reason: 'second-factor', while: 'signed-in' } })
      }
    } finally {
      this.throttle.settle(verdict.attempt, refusal ? 'failed' : 'neither', this.now())
    }
    if (refusal) throw refusal
  }

  /**
   * A new password, chosen while signed in: the current one first (a session left open must not
   * be enough). The account's other sessions end, so whoever holds one (a stolen cookie, a
   * computer left signed in elsewhere) is cut off; this one stays. A password link given before
   * stops working too.
   */
  async changePassword(who: Extract<Signedin, { kind: 'account' }>, input: { currentPassword: string; password: string }, context: RequestContext): Promise<AccountSummary> {
    this.assertPasswordAcceptable(input.password)
    await this.assertOwnPassword(who.account, input.currentPassword, 'currentPassword', context)
    // Checked once the current password is known to be right: otherwise "the same" would be a guess.
    if (input.password === input.currentPassword) {
      const same = 'That is the password you have now. Choose a new one.'
      throw new HttpError(400, 'password-unchanged', same, { password: same })
    }
    const passwordHash = await hashPassword(input.password)
    return this.decisions.run(async () => {
      const account = this.storedAccount(who.account)
      const updated = await this.storage.access.accounts.update(account.id, (current) => ({ ...current, passwordHash }))
      for (const link of this.storage.access.passwordLinks.all()) {
        if (link.accountId === account.id) await this.storage.access.passwordLinks.delete(link.id)
      }
      let ended = 0
      for (const session of this.storage.access.sessions.all()) {
        if (session.kind === 'account' && session.subjectId === account.id && session.id !== who.session.id) {
          await this.endSession(session.id)
          ended++
        }
      }
      // Whoever signed in with the old password no longer has a browser the throttle trusts; this one does.
      this.throttle.forgetAccount(account.email)
      this.throttle.succeeded(throttleKeys(account.email, context))
      await this.record({ action: 'password-changed', actor: accountActor(account), from: context.from, details: { otherSessionsEnded: ended } })
      return accountSummary(updated ?? { ...account, passwordHash })
    })
  }

  /**
   * Moving the second step to a new phone: the password and a current code from the old phone's
   * app show it is the account's owner, not whoever holds a session. The new phone's secret is
   * kept beside the old one, which goes on working until a code from the new app is confirmed
   * (confirmSecondFactor). Someone whose old phone is lost asks an administrator to reset their sign-in.
   */
  async moveSecondFactor(signedIn: StoredAccount, input: { password: string; code: string }, context: RequestContext): Promise<{ secret: string; uri: string }> {
    const codeRefused = new HttpError(400, 'code-not-valid', 'That code did not work. Type the current code from the authenticator app on your old phone.', { code: 'That code did not work.' })
    let step = 0
    await this.assertOwnPassword(signedIn, input.password, 'password', context, (account) => {
      const totp = account.totp
      if (!totp?.confirmed) return null
      const checked = verifyTotp(totp.secret, input.code, { now: this.now(), ...(totp.lastStep === null ? {} : { lastUsedStep: totp.lastStep }) })
      if (!checked.ok) return codeRefused
      step = checked.step
      return null
    })
    return this.decisions.run(async () => {
      const account = this.storedAccount(signedIn)
      const totp = account.totp
      if (!totp?.confirmed) throw new HttpError(409, 'no-second-factor', 'Your second sign-in step is not set up, so there is nothing to move. Set it up instead.')
      // Checked again in turn: the same code may have been used meanwhile (a sign-in, or this sent twice).
      if (totp.lastStep !== null && step <= totp.lastStep) throw codeRefused
      const newSecret = newTotpSecret()
      await this.storage.access.accounts.put({ ...account, totp: { ...totp, lastStep: step, newSecret } })
      return { secret: newSecret, uri: totpSetupUri(newSecret, account.email) }
    })
  }

  async confirmSecondFactor(signedIn: StoredAccount, code: string, context: RequestContext): Promise<AccountSummary> {
    return this.decisions.run(async () => {
      const account = this.storedAccount(signedIn)
      const moving = account.totp?.confirmed === true ? account.totp.newSecret : undefined
      if (moving !== undefined) {
        const checked = verifyTotp(moving, code, { now: this.now() })
        if (!checked.ok) throw new HttpError(400, 'code-not-valid', 'That code did not work. Check the time on your new phone and try the current code.')
        // From here only the new phone's codes work.
        const updated: StoredAccount = { ...account, totp: { secret: moving, confirmed: true, lastStep: checked.step } }
        await this.storage.access.accounts.put(updated)
        await this.record({ action: 'second-factor-moved', actor: accountActor(account), from: context.from })
        return accountSummary(updated)
      }
      if (!account.totp || account.totp.confirmed) throw new HttpError(400, 'no-second-factor-pending', 'Start setting up the second step first.')
      const checked = verifyTotp(account.totp.secret, code, { now: this.now() })
      if (!checked.ok) throw new HttpError(400, 'code-not-valid', 'That code did not work. Check the time on your phone and try the current code.')
      const updated: StoredAccount = { ...account, totp: { ...account.totp, confirmed: true, lastStep: checked.step } }
      await this.storage.access.accounts.put(updated)
      await this.record({ action: 'second-factor-enabled', actor: accountActor(account), from: context.from })
      return accountSummary(updated)
    })
  }

  // ---- sessions ---------------------------------------------------------------------------------

  /** The signed-in person behind a session cookie, or null (unknown, expired, revoked, removed). */
  async resolveSession(token: string | undefined): Promise<Signedin | null> {
    const session = token ? this.storage.access.sessions.get(hashSecret(token)) : undefined
    const subject = session ? await this.liveSubject(session) : null
    if (!session || !subject) return null
    const now = this.now()
    this.lastSeen.set(session.id, now)
    if (now - Date.parse(session.lastSeenAt) > LAST_SEEN_WRITE_MS) {
      // An update, not a put: a sign-out at the same moment must not bring the session back.
      await this.storage.access.sessions.update(session.id, (current) => ({ ...current, lastSeenAt: new Date(now).toISOString() }))
    }
    return subject
  }

  /**
   * The invited person behind this cookie, when they were taken out of their conference (removed,
   * or their invitation withdrawn): their device is told, whatever it asks first, so it drops its
   * copy of the record. Null for anyone else.
   */
  takenOutParticipant(token: string | undefined): TakenOut | null {
    const session = token ? this.storage.access.sessions.get(hashSecret(token)) : undefined
    if (session?.kind !== 'participant') return null
    const participant = this.storage.access.participants.get(session.subjectId)
    return participant && takenOut(participant) ? { conferenceId: participant.conferenceId, participantId: participant.id } : null
  }

  /**
   * Whether the person behind this cookie was in `conferenceId` and has been taken out of it
   * (removed, or their invitation withdrawn), and is not back in it. A device of theirs coming
   * back after being offline is then told "no longer in this conference", as it would have been
   * online, and drops its copy of the record: not asked to sign in again, or told the conference
   * does not exist. Never true for anyone who was not in it: to them it stays out of sight.
   */
  takenOutOf(token: string | undefined, conferenceId: string): boolean {
    const session = token ? this.storage.access.sessions.get(hashSecret(token)) : undefined
    if (!session) return false
    if (session.kind === 'participant') return this.takenOutParticipant(token)?.conferenceId === conferenceId
    const account = this.storage.access.accounts.get(session.subjectId)
    if (!account || account.disabled) return false
    const there = this.storage.access.participants.all((participant) => participant.accountId === account.id && participant.conferenceId === conferenceId)
    return there.length > 0 && there.every((participant) => participant.removed)
  }

  /** A live connection counts as activity: someone following the meeting is not idle. */
  touch(sessionId: string): void {
    this.lastSeen.set(sessionId, this.now())
  }

  /** For open connections, checked every heartbeat: false once the session expired or ended. */
  async isSessionLive(sessionId: string): Promise<boolean> {
    const session = this.storage.access.sessions.get(sessionId)
    return session ? (await this.liveSubject(session)) !== null : false
  }

  async signOut(who: Signedin, context: RequestContext): Promise<void> {
    await this.endSession(who.session.id)
    // Signed out whatever the audit trail does ("Leave quickly" on a shared phone depends on it):
    // an entry that cannot be written is logged whole as audit.not-recorded, by record().
    await this.record({ action: 'sign-out', actor: actorOf(who), from: context.from }).catch((error: unknown) => {
      if (!(error instanceof HttpError && error.code === 'not-audited')) throw error
    })
  }

  sessionInfo(who: Signedin): SessionInfo {
    return who.kind === 'account'
      ? { kind: 'account', account: accountSummary(who.account) }
      : { kind: 'participant', participant: this.participantSummary(who.participant, false) }
  }

  // ---- conferences and people -------------------------------------------------------------------

  /** The conferences this person is in, newest first. */
  async conferencesOf(who: Signedin): Promise<ConferenceSummary[]> {
    const ids = new Set(this.participantsOf(who).map((participant) => participant.conferenceId))
    return (await this.storage.conferences.list()).filter((conference) => ids.has(conference.id))
  }

  /** What this person is in the conference; undefined when they are not in it (or it does not exist). */
  memberOf(who: Signedin, conferenceId: string): ConferenceMember | undefined {
    const [participant] = this.participantsOf(who, conferenceId)
    if (!participant) return undefined
    return { participant, role: participant.role, can: (permission) => can(participant.role, permission) }
  }

  /** Like memberOf, but a 404 for non-members (never a 403: that would say the conference exists) and a 403 without the permission. */
  /** `refusal` is what a member whose role may not do this is told, when there is more to say than no. */
  requireMember(who: Signedin, conferenceId: string, permission: Permission, refusal = 'Your role in this conference does not let you do that.'): ConferenceMember {
    const member = this.memberOf(who, conferenceId)
    if (!member?.can('seeRecord')) throw conferenceNotFound()
    if (!member.can(permission)) throw new HttpError(403, 'not-allowed', refusal)
    return member
  }

  membership(member: ConferenceMember): Membership {
    return { participantId: member.participant.id, name: member.participant.name, role: member.role, permissions: [...permissionsOf(member.role)] }
  }

  /**
   * Who is in the conference. Organisers also see those whose invitation was withdrawn (marked so);
   * everyone else sees only who is still in it: a withdrawn name listed again after a new
   * invitation would read as two people.
   */
  people(member: ConferenceMember): ParticipantSummary[] {
    const organiser = member.can('invite')
    return this.storage.access.participants
      .all((participant) => participant.conferenceId === member.participant.conferenceId && !participant.removed && (organiser || !takenOut(participant)))
      .map((participant) => this.participantSummary(participant, organiser))
  }

  async recordView(who: Signedin, conferenceId: string, context: RequestContext): Promise<void> {
    await this.recordLook({ action: 'record-viewed', actor: actorOf(who), conferenceId, from: context.from })
  }

  /**
   * `document` says whether the family record or the professionals-only section was opened. A join
   * is audited before anything is sent; a leave has happened, so an unwritten one is owed.
   */
  async recordConnection(action: 'join' | 'leave', who: Signedin, conferenceId: string, document: ConferenceDocument, context: RequestContext): Promise<void> {
    const event: AuditEvent = { action, actor: actorOf(who), conferenceId, from: context.from, details: { document } }
    await (action === 'join' ? this.recordLook(event) : this.record(event))
  }

  /** Makes the creator of a new conference its first member, in the role they chose. */
  async addCreator(conference: ConferenceSummary, account: StoredAccount, role: Role, context: RequestContext): Promise<void> {
    await this.addParticipant(conference.id, { name: account.name, role, accountId: account.id })
    await this.record({ action: 'conference-created', actor: accountActor(account), conferenceId: conference.id, from: context.from, details: { role } })
  }

  /**
   * Moves a conference to another day or corrects its title, as one decision: `changeRecord`
   * changes its record and catalogue (server/documents/conferences.ts). Its invitations work until
   * a week after the new date, so a family's link still opens a meeting that was put back. They
   * move first: a board that reloads its people on seeing the record's new date must find the new
   * expiry. Nothing else about access is decided meanwhile, so an invitation made during the move
   * expires after the new date, not the old one. A change refused or failed gives the invitations
   * their expiries back and is not audited; one made is audited with the dates, never the title
   * (it names the family).
   */
  async changeConference(who: Signedin, conferenceId: string, change: ConferenceChange, changeRecord: () => Promise<ConferenceSummary>, context: RequestContext): Promise<ConferenceSummary> {
    return this.decisions.run(async () => {
      const before = await this.storage.conferences.get(conferenceId)
      if (!before) throw conferenceNotFound()
      const date = change.date ?? before.date
      const moved: { participantId: string; expiresAt: string }[] = []
      let after: ConferenceSummary
      try {
        if (date !== before.date) {
          const invited = this.storage.access.participants.all((participant) => participant.conferenceId === conferenceId && participant.invitation !== null && !participant.invitation.revoked)
          for (const participant of invited) {
            await this.setInvitationExpiry(participant.id, this.invitationExpiry(date))
            if (participant.invitation) moved.push({ participantId: participant.id, expiresAt: participant.invitation.expiresAt })
          }
        }
        after = await changeRecord()
      } catch (error) {
        await this.putBackExpiries(conferenceId, moved)
        throw error
      }
      await this.record({
        action: 'conference-changed',
        actor: actorOf(who),
        conferenceId,
        from: context.from,
        details: { dateBefore: before.date, date: after.date, titleChanged: after.title !== before.title },
      })
      return after
    })
  }

  private async setInvitationExpiry(participantId: string, expiresAt: string): Promise<void> {
    await this.storage.access.participants.update(participantId, (participant) =>
      participant.invitation ? { ...participant, invitation: { ...participant.invitation, expiresAt } } : participant)
  }

  /** After a move that did not happen: each invitation as it was. One that cannot be written back is logged, and the rest still are. */
  private async putBackExpiries(conferenceId: string, moved: readonly { participantId: string; expiresAt: string }[]): Promise<void> {
    for (const { participantId, expiresAt } of moved) {
      try {
        await this.setInvitationExpiry(participantId, expiresAt)
      } catch (error) {
        this.log.error('invitation-expiry-not-restored', { conferenceId, participantId, expiresAt, error: errorMessage(error) })
      }
    }
  }

  async addProfessional(by: ConferenceMember, who: Signedin, input: { email: string; role: Role }, context: RequestContext): Promise<ParticipantSummary> {
    return this.decisions.run(async () => {
      this.assertMayManage(by, input.role, 'give')
      const conferenceId = by.participant.conferenceId
      const account = this.professionalByEmail(input.email)
      if (this.memberOf({ kind: 'account', session: who.session, account }, conferenceId)) {
        throw new HttpError(409, 'already-in-conference', 'That person is already in this conference.')
      }
      const participant = await this.addParticipant(conferenceId, { name: account.name, role: input.role, accountId: account.id })
      await this.record({ action: 'member-added', actor: actorOf(who), conferenceId, from: context.from, details: { participantId: participant.id, role: input.role } })
      return this.participantSummary(participant, true)
    })
  }

  /**
   * A new invited person, with their link and code (shown once). One whose name already has a
   * working invitation here is refused, unless `sameNameAgain` (a Parent Partner invited for a
   * second parent they support: the acceptance is already kept, and the link must be handed over).
   */
  async invite(by: ConferenceMember, who: Signedin, input: { name: string; role: Role }, context: RequestContext, sameNameAgain = false): Promise<{ participant: ParticipantSummary; link: string; code: string }> {
    return this.decisions.run(async () => {
      this.assertMayManage(by, input.role, 'give')
      const conferenceId = by.participant.conferenceId
      const conference = await this.storage.conferences.get(conferenceId)
      if (!conference) throw conferenceNotFound()
      // A second working link for one person is a repeat (or a lost link, which withdrawing puts right).
      const invited = this.storage.access.participants.find((participant) =>
        participant.conferenceId === conferenceId && !participant.removed && sameWords(participant.name, input.name)
        && participant.invitation !== null && !participant.invitation.revoked && !this.expired(participant.invitation.expiresAt))
      if (invited && !sameNameAgain) throw alreadyInvited(invited.name)
      const token = newSecretToken()
      const code = newReadableCode()
      const participant = await this.addParticipant(conferenceId, {
        name: input.name,
        role: input.role,
        accountId: null,
        invitation: {
          id: newId(),
          tokenHash: hashSecret(token),
          codeHash: hashSecret(normalizeReadableCode(code) ?? code),
          expiresAt: this.invitationExpiry(conference.date),
          maxDevices: INVITATION_MAX_DEVICES,
          devices: [],
          revoked: false,
        },
      })
      await this.record({ action: 'invitation-created', actor: actorOf(who), conferenceId, from: context.from, details: { participantId: participant.id, role: input.role } })
      return { participant: this.participantSummary(participant, true), link: `/join#${token}`, code }
    })
  }

  /** Signs a device in with an invitation link's token or its spoken code. */
  async redeem(input: { token?: string | undefined; code?: string | undefined }, context: RequestContext): Promise<{ token: string; session: SessionInfo; conferenceId: string }> {
    return this.decisions.run(async () => {
      const normalizedCode = input.code === undefined ? null : normalizeReadableCode(input.code)
      const wanted = input.token !== undefined ? { tokenHash: hashSecret(input.token) } : normalizedCode !== null ? { codeHash: hashSecret(normalizedCode) } : null
      const participant = wanted
        ? this.storage.access.participants.find((candidate) =>
            'tokenHash' in wanted ? candidate.invitation?.tokenHash === wanted.tokenHash : candidate.invitation?.codeHash === wanted.codeHash)
        : undefined
      // A link's token (256 random bits) cannot be guessed, so a real one is never throttled: a
      // family's link works wherever it is opened. Codes can be, and a link that is no
      // invitation's is junk or a guess: both are counted per address, apart from failed sign-ins
      // (a busy office's typos must not keep a parent there out), which also bounds how many
      // refusals anyone can make the audit trail write.
      const guessed = input.token === undefined || !participant
      const verdict = guessed ? this.throttle.checkCode(context.from, this.now()) : { allowed: true }
      if (!verdict.allowed) throw new HttpError(429, 'too-many-attempts', 'Too many attempts. Please wait a few minutes and try again.')
      const invitation = participant?.invitation
      const device = hashSecret(context.deviceId ?? newSecretToken())
      const refusal =
        !participant || !invitation ? 'unknown'
        : participant.removed ? 'removed'
        : invitation.revoked ? 'revoked'
        : this.expired(invitation.expiresAt) ? 'expired'
        : !invitation.devices.includes(device) && invitation.devices.length >= invitation.maxDevices ? 'too-many-devices'
        : null
      if (refusal !== null || !participant || !invitation) {
        if (guessed) this.throttle.codeFailed(context.from, this.now())
        await this.record({ action: 'invitation-refused', actor: participant ? participantActor(participant) : { kind: 'anonymous' }, ...(participant ? { conferenceId: participant.conferenceId } : {}), from: context.from, details: { reason: refusal ?? 'unknown' } })
        throw invitationNotValid()
      }
      if (!invitation.devices.includes(device)) {
        await this.storage.access.participants.put({ ...participant, invitation: { ...invitation, devices: [...invitation.devices, device] } })
      }
      await this.record({ action: 'invitation-redeemed', actor: participantActor(participant), conferenceId: participant.conferenceId, from: context.from, details: { devicesUsed: invitation.devices.length + (invitation.devices.includes(device) ? 0 : 1) } })
      const started = await this.startSession('participant', participant.id, participantActor(participant), context)
      return { ...started, conferenceId: participant.conferenceId }
    })
  }

  async revokeInvitation(by: ConferenceMember, who: Signedin, participantId: string, context: RequestContext): Promise<ParticipantSummary> {
    return this.decisions.run(async () => {
      const participant = this.participantIn(by, participantId)
      this.assertMayManage(by, participant.role, 'withdraw', participant)
      if (!participant.invitation) throw new HttpError(400, 'no-invitation', 'This person was not invited with a link.')
      // Withdrawn already (a second tab, a double tap): nothing changes, so nothing more is audited.
      if (participant.invitation.revoked) return this.participantSummary(participant, true)
      const revoked: StoredParticipant = { ...participant, invitation: { ...participant.invitation, revoked: true } }
      await this.storage.access.participants.put(revoked)
      // Their devices hear "no longer in this conference" (4403). Their sessions stop working but
      // are kept (liveSubject), so a device that was offline hears the same when it comes back.
      this.notifyParticipant(participant.id, false)
      await this.record({ action: 'invitation-revoked', actor: actorOf(who), conferenceId: participant.conferenceId, from: context.from, details: { participantId } })
      return this.participantSummary(revoked, true)
    })
  }

  async removeParticipant(by: ConferenceMember, who: Signedin, participantId: string, context: RequestContext): Promise<void> {
    return this.decisions.run(async () => {
      const participant = this.participantIn(by, participantId)
      if (participant.id === by.participant.id) throw new HttpError(400, 'cannot-remove-yourself', 'You cannot remove yourself from a conference.')
      this.assertMayManage(by, participant.role, 'remove', participant)
      await this.storage.access.participants.put({ ...participant, removed: true })
      // Their devices hear "no longer in this conference" (4403). Their sessions stop working but
      // are kept (liveSubject), so a device that was offline hears the same when it comes back.
      this.notifyParticipant(participant.id, false)
      await this.record({ action: 'participant-removed', actor: actorOf(who), conferenceId: participant.conferenceId, from: context.from, details: { participantId } })
    })
  }

  async changeRole(by: ConferenceMember, who: Signedin, participantId: string, role: Role, context: RequestContext): Promise<ParticipantSummary> {
    return this.decisions.run(async () => {
      const participant = this.participantIn(by, participantId)
      // Inviting lets a note-taker or social worker change roles, but never their own: that would make them chair.
      if (participant.id === by.participant.id) throw new HttpError(400, 'cannot-change-own-role', 'You cannot change your own role. Ask another organiser of this conference.')
      // Neither from nor to a role with more authority than the organiser's own.
      this.assertMayManage(by, participant.role, 'change', participant)
      this.assertMayManage(by, role, 'give')
      if (isProfessionalRole(role) !== (participant.accountId !== null)) {
        throw new HttpError(400, 'role-not-allowed', participant.accountId ? 'Professionals with accounts take a professional role.' : 'People invited by link cannot take a professional role.')
      }
      const changed: StoredParticipant = { ...participant, role }
      await this.storage.access.participants.put(changed)
      await this.record({ action: 'role-changed', actor: actorOf(who), conferenceId: participant.conferenceId, from: context.from, details: { participantId, from: participant.role, to: role } })
      // Their open connections carry the old role: close them, and they come back with the new one.
      this.notifyParticipant(participant.id, true)
      return this.participantSummary(changed, true)
    })
  }

  /** Refuses a change up front while the audit trail cannot be written: it is not made unaudited. */
  async assertAuditable(): Promise<void> {
    try {
      await this.audit.ready()
    } catch (error) {
      if (!isStorageError(error)) throw error
      throw auditUnavailable()
    }
  }

  /**
   * Audits what was just done. When the audit fails it says so, since the change stands, and the
   * trail is owed the entry: it is written, marked late, once the trail can be written again.
   */
  async record(event: AuditEvent): Promise<void> {
    await this.recordOr(event, notAudited, 'owed')
  }

  /** Audits a look (at the record, the trail, the figures) before it is given: one that cannot be audited is not given, so nothing is owed. */
  async recordLook(event: AuditEvent): Promise<void> {
    await this.recordOr(event, notAudited, 'not-done')
  }

  private async recordOr(event: AuditEvent, refusal: () => HttpError, ifUnaudited: 'owed' | 'not-done'): Promise<void> {
    try {
      await this.audit.record(event)
    } catch (error) {
      if (!isStorageError(error)) throw error
      // Loud and whole (ids, names, roles: never content), so an operator can still tell who did what.
      this.log.error('audit.not-recorded', { action: event.action, actorKind: event.actor.kind, actorId: event.actor.id, actorName: event.actor.name, conferenceId: event.conferenceId, from: event.from, details: JSON.stringify(event.details ?? {}), error: errorMessage(error) })
      if (ifUnaudited === 'owed') this.audit.owe(event)
      throw refusal()
    }
  }

  // ---- internals --------------------------------------------------------------------------------

  /** Where this person takes part (in `conferenceId` only, when given). */
  private participantsOf(who: Signedin, conferenceId?: string): StoredParticipant[] {
    const inScope = (participant: Readonly<StoredParticipant>): boolean => !participant.removed && (conferenceId === undefined || participant.conferenceId === conferenceId)
    if (who.kind === 'participant') return inScope(who.participant) ? [who.participant] : []
    return this.storage.access.participants.all((participant) => participant.accountId === who.account.id && inScope(participant))
  }

  /**
   * Refuses giving or touching a role with authority the organiser does not have themselves. Two
   * exceptions. Giving a role nobody in the conference can act in: a note-taker who set a
   * conference up adds its chair, or gives the role of a chair whose account was disabled to
   * someone else. And touching `holder`, someone who can no longer take part (their account
   * disabled): they hold their role in name only, and a conference must not be stuck with them.
   */
  private assertMayManage(by: ConferenceMember, role: Role, doing: 'give' | 'change' | 'remove' | 'withdraw', holder?: StoredParticipant): void {
    const vacant = doing === 'give' && !this.storage.access.participants.some((participant) =>
      participant.conferenceId === by.participant.conferenceId && participant.role === role && this.takesPart(participant))
    const inNameOnly = holder !== undefined && !this.takesPart(holder)
    if (!mayManage(by.role, role) && !vacant && !inNameOnly) {
      // Says what they tried: removing the chair is not "changing the role of chair".
      const label = ROLE_LABELS[role].toLowerCase()
      const what = {
        give: `give or change the role of ${label}`,
        change: `change the role of the ${label}`,
        remove: `remove the ${label} from this conference`,
        withdraw: `withdraw the invitation of the ${label}`,
      }[doing]
      throw new HttpError(403, 'not-allowed', `Your role cannot ${what}. Ask the chair or facilitator.`)
    }
  }

  /** The account as stored now: the copy a request started with may be older than a decision made since. */
  private storedAccount(account: StoredAccount): StoredAccount {
    return this.storage.access.accounts.get(account.id) ?? account
  }

  private participantIn(by: ConferenceMember, participantId: string): StoredParticipant {
    const participant = this.storage.access.participants.get(participantId)
    if (participant?.conferenceId !== by.participant.conferenceId || participant.removed) {
      throw new HttpError(404, 'participant-not-found', 'That person is not in this conference.')
    }
    return participant
  }

  private async addParticipant(conferenceId: string, input: Pick<StoredParticipant, 'name' | 'role' | 'accountId'> & { invitation?: StoredParticipant['invitation'] }): Promise<StoredParticipant> {
    const participant: StoredParticipant = {
      id: newId(),
      conferenceId,
      name: input.name,
      role: input.role,
      accountId: input.accountId,
      invitation: input.invitation ?? null,
      removed: false,
      createdAt: this.iso(),
    }
    await this.storage.access.participants.put(participant)
    return participant
  }

  /** The session's subject while the session is within its limits; ends it otherwise. */
  private async liveSubject(session: StoredSession): Promise<Signedin | null> {
    const now = this.now()
    const lastSeen = Math.max(Date.parse(session.lastSeenAt), this.lastSeen.get(session.id) ?? 0)
    const subject = this.subjectOf(session)
    if (subject && now - lastSeen <= IDLE_LIMIT_MS && now - Date.parse(session.createdAt) <= ABSOLUTE_LIMIT_MS) return subject
    // The session of someone taken out of their conference is left, dead, until pruned: see takenOutOf.
    if (!this.sessionOfTakenOut(session)) await this.endSession(session.id)
    return null
  }

  private subjectOf(session: StoredSession): Signedin | null {
    if (session.kind === 'account') {
      const account = this.storage.access.accounts.get(session.subjectId)
      return account && !account.disabled ? { kind: 'account', session, account } : null
    }
    const participant = this.storage.access.participants.get(session.subjectId)
    const invitation = participant?.invitation
    if (!participant || participant.removed || !invitation || invitation.revoked || this.expired(invitation.expiresAt)) return null
    return { kind: 'participant', session, participant }
  }

  private async startSession(kind: StoredSession['kind'], subjectId: string, actor: AuditActor, context: RequestContext): Promise<{ token: string; session: SessionInfo }> {
    // Audited first: a session the audit trail does not know of is never stored.
    await this.recordOr({ action: 'sign-in', actor, from: context.from, details: { kind } }, auditUnavailable, 'not-done')
    const token = newSecretToken()
    const session: StoredSession = { id: hashSecret(token), kind, subjectId, createdAt: this.iso(), lastSeenAt: this.iso() }
    await this.storage.access.sessions.put(session)
    await this.pruneSessions()
    const who = this.subjectOf(session)
    if (!who) throw new Error('a new session has no subject')
    return { token, session: this.sessionInfo(who) }
  }

  private async endSession(sessionId: string): Promise<void> {
    this.lastSeen.delete(sessionId)
    await this.storage.access.sessions.delete(sessionId)
    for (const listener of this.listeners) listener.sessionEnded?.(sessionId)
  }

  private sessionOfTakenOut(session: StoredSession): boolean {
    if (session.kind !== 'participant') return false
    const participant = this.storage.access.participants.get(session.subjectId)
    return participant !== undefined && takenOut(participant)
  }

  /** Sessions past their absolute limit are dropped whenever a new one starts, so the file stays small. */
  private async pruneSessions(): Promise<void> {
    const now = this.now()
    for (const session of this.storage.access.sessions.all()) {
      if (now - Date.parse(session.createdAt) > ABSOLUTE_LIMIT_MS) await this.endSession(session.id)
    }
  }

  private notifyParticipant(participantId: string, stillIn: boolean): void {
    for (const listener of this.listeners) listener.participantChanged?.(participantId, stillIn)
  }

  /** Can act in their role: still in the conference, their invitation working, or their account not disabled. */
  private takesPart(participant: StoredParticipant): boolean {
    if (takenOut(participant)) return false
    if (participant.invitation && this.expired(participant.invitation.expiresAt)) return false
    return participant.accountId === null || !this.accountDisabled(participant.accountId)
  }

  private accountDisabled(accountId: string): boolean {
    return this.storage.access.accounts.get(accountId)?.disabled ?? true
  }

  /**
   * One person as others see them. Their invitation, and which account a professional signs in
   * with, only `forOrganiser` (those who may invite and manage people): nobody else needs them.
   */
  private participantSummary(participant: StoredParticipant, forOrganiser: boolean): ParticipantSummary {
    const invitation = participant.invitation
    const summary: InvitationSummary | undefined = invitation && forOrganiser
      ? { id: invitation.id, expiresAt: invitation.expiresAt, maxDevices: invitation.maxDevices, devicesUsed: invitation.devices.length, revoked: invitation.revoked }
      : undefined
    return {
      id: participant.id,
      conferenceId: participant.conferenceId,
      name: participant.name,
      role: participant.role,
      ...(participant.accountId && forOrganiser ? { accountId: participant.accountId } : {}),
      ...(summary ? { invitation: summary } : {}),
      ...(participant.accountId && forOrganiser && this.accountDisabled(participant.accountId) ? { accountDisabled: true as const } : {}),
    }
  }

  private assertPasswordAcceptable(password: string): void {
    const problem = passwordProblem(password)
    if (problem) throw new HttpError(400, 'password-not-acceptable', problem, { password: problem })
  }

  private assertEmailFree(email: string): void {
    if (this.storage.access.accounts.some((account) => account.email === normalizeEmail(email))) {
      throw new HttpError(409, 'email-taken', 'There is already an account with that email address.', { email: 'already used' })
    }
  }

  private expired(iso: string): boolean {
    return this.now() > Date.parse(iso)
  }

  private iso(): string {
    return new Date(this.now()).toISOString()
  }

  private isoIn(ms: number): string {
    return new Date(this.now() + ms).toISOString()
  }

  /** An invitation works until a week after its conference's day, or a week from now if that day is past. */
  private invitationExpiry(date: IsoDate): string {
    return new Date(Math.max(this.endOfDay(date), this.now()) + INVITATION_GRACE_DAYS * DAY_MS).toISOString()
  }

  /**
   * The last moment of a conference's day. A conference stored with a date out of this world
   * (before such dates were refused) counts as today: its invitations must still get an expiry
   * the access file can hold.
   */
  private endOfDay(date: IsoDate): number {
    return inConferenceYears(date) ? Date.parse(`${date}T23:59:59.999Z`) : this.now()
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** What the sign-in throttle counts an attempt on this account from this request under; the device id hashed, as everywhere it is kept. */
function throttleKeys(account: string, context: RequestContext): ThrottleKeys {
  return { account, address: context.from, ...(context.deviceId === undefined ? {} : { device: hashSecret(context.deviceId) }) }
}

function accountSummary(account: StoredAccount): AccountSummary {
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    admin: account.admin,
    programmeLead: account.programmeLead ?? false,
    secondFactor: account.totp?.confirmed ?? false,
    active: account.passwordHash !== null && !account.disabled,
    disabled: account.disabled,
  }
}

function accountActor(account: StoredAccount): AuditActor {
  return { kind: 'account', id: account.id, name: account.name }
}

function participantActor(participant: StoredParticipant): AuditActor {
  return { kind: 'participant', id: participant.id, name: participant.name }
}

export function actorOf(who: Signedin): AuditActor {
  return who.kind === 'account' ? accountActor(who.account) : participantActor(who.participant)
}
