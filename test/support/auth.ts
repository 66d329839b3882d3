import { SignJWT } from 'jose';

/** The HS256 secret every test app verifies with (testEnvironment sets it). */
export const TEST_JWT_SECRET = 'test-secret-for-the-tasks-api-e2e-suite-0123456789';
const key = new TextEncoder().encode(TEST_JWT_SECRET);

/**
 * An HS256 token for `userId`, signed with TEST_JWT_SECRET, valid for an hour unless `claims`
 * says otherwise (e.g. a past `exp`).
 */
export function tokenFor(
  userId: string,
  claims: Record<string, unknown> = {},
  secret: Uint8Array = key,
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt();
  if (claims.exp === undefined) jwt.setExpirationTime('1h');
  return jwt.sign(secret);
}

/** `{ Authorization: 'Bearer …' }` for `userId`. */
export async function authHeaders(userId: string): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await tokenFor(userId)}` };
}

/**
 * Environment overrides for an app under test: the JWT secret, and no rate limit (the API suites
 * fire hundreds of requests). Config validation ignores keys it does not know, so this also works
 * on a build without the authentication module.
 */
export const AUTH_TEST_ENV: Record<string, string> = {
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  RATE_LIMIT_ENABLED: 'false',
};
