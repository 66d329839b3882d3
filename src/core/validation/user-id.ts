import { hasMoreCodePointsThan } from './code-points';

/**
 * The longest user id, in characters (code points): the token subject, the `{user_id}` path
 * segment and the `tasks.user_id` column are all bounded by it.
 */
export const USER_ID_MAX_LENGTH = 255;

/** What is wrong with a would-be user id; a fixed vocabulary, safe to show. */
export type UserIdProblem = 'missing' | 'blank' | 'too_long' | 'nul';

/**
 * The one user id rule, applied by authentication (a token's `sub`, a session's `userId`) and by
 * the data layer alike, so an id that passes one never fails the other: a string, not empty or
 * only white space, at most USER_ID_MAX_LENGTH code points, no NUL (PostgreSQL text cannot hold one).
 */
export function userIdProblem(id: unknown): UserIdProblem | undefined {
  if (typeof id !== 'string' || id === '') return 'missing';
  if (id.trim() === '') return 'blank';
  if (hasMoreCodePointsThan(id, USER_ID_MAX_LENGTH)) return 'too_long';
  if (id.includes('\u0000')) return 'nul';
  return undefined;
}

export function isValidUserId(id: unknown): id is string {
  return userIdProblem(id) === undefined;
}
