import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { trustedProxies, type TrustedProxies } from './http/auth'
import type { LogLevel } from './log'
import { parsePlaces, PILOT_PLACES, type ServiceAreaPlaces } from './programmes/places'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS, isIsoDate, type IsoDate } from '../shared/timescales'
import { isTimeZone } from '../shared/programmes/deadlines'

/** Where conferences are held unless a CSC's referral says otherwise: the default holidays are England and Wales's. */
export const DEFAULT_TIME_ZONE = 'Europe/London'

/** Every environment variable the server reads. Documented in README.md. */
const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  SAFETYMAP_BUILD_CLIENT: z.enum(['auto', 'never']).default('auto'),
  ALLOWED_ORIGINS: z.string().default(''),
  TRUST_PROXY: z.string().default(''),
  PUBLIC_HOLIDAYS: z.string().default(''),
  PARENT_PARTNER_PLACES: z.string().default(''),
  TIME_ZONE: z.string().default(DEFAULT_TIME_ZONE).refine(isTimeZone, 'not a time zone this server knows (an IANA name such as Europe/London or America/Chicago)'),
  SAFETYMAP_RESET_SIGN_IN: z.string().default(''),
})

export interface ServerConfig {
  port: number
  host: string
  dataDir: string
  logLevel: LogLevel
  /** 'auto': build the client at start if it is missing or older than its sources. */
  buildClient: 'auto' | 'never'
  /**
   * Origins (e.g. https://safetymap.example.org) that pages, API calls and websockets may come
   * from. Empty: the address each request was sent to, which is right for one server behind no proxy.
   */
  allowedOrigins: string[]
  /**
   * The proxies (a TLS terminator, a load balancer) whose X-Forwarded-For and X-Forwarded-Proto
   * are believed. None by default: right for one server behind no proxy, where those headers
   * could be made up by anyone.
   */
  trustProxy: TrustedProxies
  /** Days that are not working days besides weekends (timescales); England and Wales bank holidays by default. */
  publicHolidays: readonly IsoDate[]
  /** CSC service areas and their Parent Partner places ("Eastern=50,Western=50"); the pilot's five areas of 50 by default. */
  parentPartnerPlaces: readonly ServiceAreaPlaces[]
  /** The IANA time zone the documents give times in (a CSC's referral names its own). */
  timeZone: string
  /** An administrator's email: the start resets their sign-in and prints a password link (when no administrator can sign in). */
  resetSignIn: string
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = environment.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    throw new Error(`Invalid environment: ${problems}`)
  }
  const vars = parsed.data
  return {
    port: vars.PORT,
    host: vars.HOST,
    dataDir: path.resolve(vars.DATA_DIR),
    logLevel: vars.LOG_LEVEL,
    buildClient: vars.SAFETYMAP_BUILD_CLIENT,
    allowedOrigins: vars.ALLOWED_ORIGINS.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    trustProxy: readTrustProxy(vars.TRUST_PROXY),
    publicHolidays: readPublicHolidays(vars.PUBLIC_HOLIDAYS),
    parentPartnerPlaces: readPlaces(vars.PARENT_PARTNER_PLACES),
    timeZone: vars.TIME_ZONE,
    resetSignIn: vars.SAFETYMAP_RESET_SIGN_IN.trim(),
  }
}

function readTrustProxy(setting: string): TrustedProxies {
  try {
    return trustedProxies(setting)
  } catch (error) {
    throw new Error(`Invalid environment: TRUST_PROXY: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function readPlaces(setting: string): readonly ServiceAreaPlaces[] {
  if (setting.trim() === '') return PILOT_PLACES
  try {
    return parsePlaces(setting)
  } catch (error) {
    throw new Error(`Invalid environment: PARENT_PARTNER_PLACES: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * PUBLIC_HOLIDAYS: empty for the default list, dates separated by commas, or the path of a file
 * of dates (separated by commas, spaces or lines). Every date must be YYYY-MM-DD.
 */
function readPublicHolidays(setting: string): readonly IsoDate[] {
  const value = setting.trim()
  if (value === '') return ENGLAND_AND_WALES_BANK_HOLIDAYS
  const list = /^\d{4}-\d{2}-\d{2}\s*(,|$)/.test(value) ? value : readHolidayFile(value)
  const dates = list.split(/[\s,]+/).filter((date) => date !== '')
  const invalid = dates.filter((date) => !isIsoDate(date))
  if (invalid.length > 0) throw new Error(`Invalid environment: PUBLIC_HOLIDAYS: not YYYY-MM-DD dates: ${invalid.slice(0, 3).join(', ')}`)
  return dates
}

function readHolidayFile(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8')
  } catch (error) {
    throw new Error(`Invalid environment: PUBLIC_HOLIDAYS: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`)
  }
}
