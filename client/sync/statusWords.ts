import type { SaveStatus } from './saveTracker'

/**
 * The status line, in words a worried parent can read on a phone. `keptOnDevice`: this device
 * keeps a copy of the record (IndexedDB), so changes not yet sent survive closing the page.
 * `invited`: a family member or someone in their network, who joined by a link or code and has
 * never signed in with a password.
 */
export function statusWords(status: SaveStatus, { keptOnDevice, invited }: { keptOnDevice: boolean; invited: boolean }): string {
  switch (status.state) {
    case 'connecting':
      return 'Connecting…'
    case 'saved':
      return 'Saved'
    case 'saving':
      return 'Saving…'
    case 'offline':
      if (!status.unsaved) return 'Offline'
      return keptOnDevice
        ? 'Offline — your changes are kept on this device'
        : 'Offline — keep this page open to keep your changes'
    case 'stopped':
      switch (status.reason) {
        case 'conferenceNotFound':
          return 'This conference does not exist or the link is wrong.'
        case 'protocolMismatch':
          return 'SafetyMap was updated. Please reload the page.'
        case 'unauthorized': {
          // The session ended (signed out elsewhere, or expired). What was typed is sent after signing in.
          const comeBack = invited ? 'Open your link again, or type your code, to carry on.' : 'Sign in again to carry on.'
          if (!status.unsaved) return `You have been signed out. ${comeBack}`
          return keptOnDevice
            ? `You have been signed out. ${comeBack} Your changes are kept on this device.`
            : 'You have been signed out. Your latest changes could not be saved.'
        }
        case 'forbidden':
          // Removed from the conference, or the invitation was withdrawn. Words not yet sent are
          // dropped with the device's copy of the record (Board), whatever `keptOnDevice` says:
          // the record must not stay with someone taken out. They are told, not left to wonder.
          return status.unsaved
            ? 'You no longer have access to this conference, so what you typed last was not added.'
            : 'You no longer have access to this conference.'
        case 'recordFinal':
          // Not "the chair": a US conference has a facilitator, and these words do not know the kind.
          return status.unsaved
            ? 'This record has been closed, so it cannot be changed any more. Your last changes were not added.'
            : 'This record has been closed, so it cannot be changed any more.'
        case 'messageTooBig':
          return 'Your last change was too big to send, so it was not added. Was it a very long paste?'
        case 'updateRejected':
          // The server refused a change this role may not make (e.g. removing someone else's words).
          // After time offline, everything typed meanwhile is sent (and refused) together, not only the last change.
          return 'A change you made is not allowed for your part in this conference, so the changes waiting on this device were not added.'
        case 'readOnly':
          // The role changed to one that only reads while this device still had changes to send.
          return 'You can now read this record but not change it. Your last changes were not added.'
        default:
          return keptOnDevice || !status.unsaved
            ? 'The connection was closed. Your changes are kept on this device; please reload.'
            : 'The connection was closed. Keep this page open: your changes are not saved yet.'
      }
  }
}

/** Whether the status is a problem the person should notice (styled as a warning). */
export function statusNeedsAttention(status: SaveStatus): boolean {
  return status.state === 'stopped' || (status.state === 'offline' && status.unsaved)
}

/**
 * Changes typed here that the server will never take (the record was closed, the person may
 * now only read it, the change is too big to send, or their role may not make it): the reason,
 * or null. The device copy
 * would send them again on every visit.
 */
export function changesNotAddedReason(status: SaveStatus): NotAddedReason | null {
  if (status.state !== 'stopped' || !status.unsaved) return null
  return isNotAddedReason(status.reason) ? status.reason : null
}

const NOT_ADDED_REASONS = ['recordFinal', 'readOnly', 'messageTooBig', 'updateRejected'] as const
export type NotAddedReason = (typeof NOT_ADDED_REASONS)[number]
const isNotAddedReason = (reason: string): reason is NotAddedReason => (NOT_ADDED_REASONS as readonly string[]).includes(reason)

/** Nothing typed here is waiting for the server: this device holds nothing the server lacks. */
export function nothingUnsaved(status: SaveStatus): boolean {
  switch (status.state) {
    case 'saved':
      return true
    case 'offline':
    case 'stopped':
      return !status.unsaved
    case 'connecting':
    case 'saving':
      return false
  }
}
