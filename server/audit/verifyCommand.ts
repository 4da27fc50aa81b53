/**
 * `npm run audit:verify [file]`: checks the audit log's hash chain without changing the file.
 * Prints one line; exits 0 when it verifies, 1 when it is tampered, 2 when it cannot be read.
 */
import path from 'node:path'
import { errorMessage } from '../log'
import { isNotFound } from '../storage/durable'
import { verifyAuditLog } from './verify'

const file = process.argv[2] ?? path.join(process.env.DATA_DIR ?? './data', 'audit.log')

try {
  const verdict = await verifyAuditLog(file)
  if (verdict.ok) {
    const torn = verdict.torn ? ` (line ${verdict.torn.line} was cut short by a crash; the server cuts it off at its next start)` : ''
    const newline = verdict.newlineMissing ? ' (the last line has no newline; the server adds it at its next start)' : ''
    process.stdout.write(`Audit log OK: ${verdict.entries} entries, head ${verdict.head}${torn}${newline}\n`)
  } else {
    process.stdout.write(`Audit log TAMPERED at line ${verdict.line}: ${verdict.problem}\n`)
    process.exitCode = 1
  }
} catch (error) {
  process.stderr.write(isNotFound(error) ? `Audit log not found: ${file}\n` : `Audit log could not be read: ${errorMessage(error)}\n`)
  process.exitCode = 2
}
