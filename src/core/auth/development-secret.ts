/**
 * The secret `.env.example` ships for local development, and what `npm run token` signs with
 * when nothing else is set. It is public, so the config refuses it when NODE_ENV=production.
 */
export const DEVELOPMENT_JWT_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
