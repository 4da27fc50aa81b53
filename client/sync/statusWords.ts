import type { SaveStatus } from './saveTracker'

/** The status line, in words a worried parent can read on a phone. */
export function statusWords(status: SaveStatus): string {
  switch (status.state) {
    case 'connecting':
      return 'Connecting…'
    case 'saved':
      return 'Saved'
    case 'saving':
      return 'Saving…'
    case 'offline':
      return status.unsaved ? 'Offline — your changes are kept' : 'Offline'
    case 'stopped':
      switch (status.reason) {
        case 'conferenceNotFound':
          return 'This conference does not exist or the link is wrong.'
        case 'protocolMismatch':
          return 'SafetyMap was updated. Please reload the page.'
        default:
          return 'The connection was closed. Your changes are kept on this device; please reload.'
      }
  }
}

/** Whether the status is a problem the person should notice (styled as a warning). */
export function statusNeedsAttention(status: SaveStatus): boolean {
  return status.state === 'stopped' || (status.state === 'offline' && status.unsaved)
}
