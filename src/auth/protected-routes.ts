/**
 * Which routes need a bearer token: every route whose pattern is `/api` or starts with `/api/`.
 * Decided on Fastify's route pattern (`/api/:user_id/tasks`), not the raw URL, so no spelling
 * of a URL can reach an /api handler without the authentication hook. New /api routes are
 * protected by default; nothing else is (health, metrics, docs).
 */
export function isApiRoute(routePattern: string | undefined): boolean {
  return (
    routePattern !== undefined &&
    routePattern.startsWith('/api') &&
    (routePattern.length === 4 || routePattern[4] === '/')
  );
}

/** Operational routes that are never rate limited: probes and scrapes come often and on purpose. */
export function isOperationalRoute(routePattern: string | undefined): boolean {
  return (
    routePattern !== undefined &&
    (routePattern === '/health' ||
      routePattern.startsWith('/health/') ||
      routePattern === '/metrics' ||
      routePattern.startsWith('/metrics/'))
  );
}
