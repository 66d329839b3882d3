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
