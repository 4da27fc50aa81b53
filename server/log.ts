/**
 * One JSON line per event, so a log can be grepped and parsed. Never log record content:
 * it is the most sensitive information a family has.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  const at = (lineLevel: Exclude<LogLevel, 'silent'>) => (event: string, fields: LogFields = {}) => {
    if (order[lineLevel] < order[level]) return
    write(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, event, ...fields }))
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** The message of an unknown thrown value, for a log line. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
