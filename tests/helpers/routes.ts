import type { Express } from 'express'

/**
 * The routes an Express 5 app really has, as `METHOD /path` with Express's own parameter names
 * (e.g. `PATCH /api/conferences/:conferenceId/people/:participantId`), found by walking
 * `app.router.stack` and every router mounted in it. Middleware (`app.use(fn)`) is not a route.
 * The layer shapes below are those of the `router` package Express 5 uses; @types/express does
 * not describe `rawPath` or `methods`.
 */
interface RouterLayer {
  rawPath?: unknown
  route?: { path: unknown; methods: Record<string, boolean | undefined> }
  handle: { stack?: RouterLayer[] }
}

export function listRoutes(app: Express): string[] {
  const routes: string[] = []
  const walk = (stack: readonly RouterLayer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const methods = Object.keys(layer.route.methods).filter((method) => layer.route?.methods[method] === true && method !== '_all')
        for (const method of methods) routes.push(`${method.toUpperCase()} ${joinPaths(prefix, pathOf(layer.route.path))}`)
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, joinPaths(prefix, pathOf(layer.rawPath)))
      }
    }
  }
  walk((app.router as unknown as { stack: RouterLayer[] }).stack, '')
  return routes
}

/** Every route under `/api`, sorted. */
export function listApiRoutes(app: Express): string[] {
  return listRoutes(app)
    .filter((route) => route.split(' ')[1]?.startsWith('/api/') === true || route.endsWith(' /api'))
    .sort()
}

function pathOf(path: unknown): string {
  if (typeof path !== 'string') throw new Error(`a route or mount path that is not a string: ${String(path)}; listRoutes only knows string paths`)
  return path
}

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/')
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined
}
