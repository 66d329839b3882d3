/** What `.env.example`, `npm run dev` and `npm run token` use; public, so production refuses it. */
export const DEVELOPMENT_JWT_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
