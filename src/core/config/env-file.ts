import { existsSync } from 'node:fs';

/**
 * Loads `.env` from the working directory when there is one. Variables already set in the
 * environment win, so a deployment's real environment is never overridden by a stray file.
 */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
