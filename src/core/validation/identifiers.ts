/** Code points, as PostgreSQL counts; the UTF-16 length bounds them, so the walk is rarely needed. */
export function hasMoreCodePointsThan(text: string, max: number): boolean {
  return text.length > max && [...text].length > max;
}

export function hasFewerCodePointsThan(text: string, min: number): boolean {
  return text.length < min || (text.length < 2 * min && [...text].length < min);
}

/** An RFC 4122 shaped id, any version, either case: the one UUID rule of the service. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** In code points; bounds the token subject, the `{user_id}` segment and the column alike. */
export const USER_ID_MAX_LENGTH = 255;

/** The user id rule of both authentication and the data layer; the problems are safe to show. */
export function userIdProblem(id: unknown): 'missing' | 'blank' | 'too_long' | 'nul' | undefined {
  if (typeof id !== 'string' || id === '') return 'missing';
  if (id.trim() === '') return 'blank';
  if (hasMoreCodePointsThan(id, USER_ID_MAX_LENGTH)) return 'too_long';
  // PostgreSQL text cannot hold a NUL.
  if (id.includes('\u0000')) return 'nul';
  return undefined;
}

export function isValidUserId(id: unknown): id is string {
  return userIdProblem(id) === undefined;
}
