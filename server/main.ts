/**
 * `npm start`: build the client if needed, open the embedded store, seed the demo
 * conference on first start, and serve everything on one port.
 */
import { readConfig } from './config'
import { ensureClientBuilt } from './clientBuild'
import { createLogger, errorMessage } from './log'
import { seedDemoConference } from './seed'
import { defaultClientDir, projectRoot, startServer } from './server'

async function main(): Promise<void> {
  const config = readConfig()
  const log = createLogger(config.logLevel)
  if (config.buildClient === 'auto') await ensureClientBuilt(projectRoot, defaultClientDir, log)

  const server = await startServer({ port: config.port, host: config.host, dataDir: config.dataDir, allowedOrigins: config.allowedOrigins, trustProxy: config.trustProxy, publicHolidays: config.publicHolidays, parentPartnerPlaces: config.parentPartnerPlaces, timeZone: config.timeZone, log })
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    log.info('server.stopping', { signal })
    server.stop().then(
      () => { log.info('server.stopped', {}); process.exit(0) },
      (error: unknown) => { log.error('server.stop-failed', { error: errorMessage(error) }); process.exit(1) },
    )
  }
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  process.on('SIGINT', () => { shutdown('SIGINT') })

  const demo = await seedDemoConference(server.storage, server.rooms)
  const setupLink = await server.access.newSetupLink()
  const reset = config.resetSignIn ? await server.access.resetAdministratorAtStart(config.resetSignIn) : null
  log.info('server.started', { url: server.url, dataDir: config.dataDir })
  // One write, so whoever reads it (a person, a test) sees the whole message at once.
  const lines = [`SafetyMap is running at ${server.url}`]
  if (demo) lines.push(`A fictional demo conference was created: ${server.url}/conferences/${demo.id}`)
  if (setupLink) lines.push('', 'No administrator yet. Open this one-time link to set up the first one (it works once):', `  ${server.url}${setupLink}`)
  if (reset) lines.push('', `The sign-in of ${reset.account.name} was reset. Give them this one-time link to choose a new password (then set up their second step again):`, `  ${server.url}${reset.passwordLink}`)
  process.stdout.write(`\n${lines.join('\n')}\n\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`SafetyMap could not start: ${errorMessage(error)}\n`)
  process.exit(1)
})
