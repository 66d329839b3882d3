import { type CryptoKey, SignJWT } from 'jose';

/**
 * The HS256 secret every app under test verifies with: testEnvironment() gives it to in-process
 * apps and startBuiltApp() to built ones. Long enough for NODE_ENV=production (32 bytes or more).
 */
export const TEST_JWT_SECRET = 'test-secret-for-the-tasks-api-e2e-suite-0123456789';

export interface SigningOptions {
  /** The test secret unless given: another secret (to be refused), or a private key (RS, ES, EdDSA). */
  key?: string | Uint8Array | CryptoKey;
  /** HS256 unless given. */
  alg?: string;
  kid?: string;
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * A JWT with exactly `claims` and no others: for the tokens a verifier must refuse (no exp, an
 * odd sub, a wrong algorithm or key). Most tests want tokenFor().
 */
export function signToken(
  claims: Record<string, unknown>,
  { key = TEST_JWT_SECRET, alg = 'HS256', kid }: SigningOptions = {},
): Promise<string> {
  const secret = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new SignJWT(claims)
    .setProtectedHeader(kid === undefined ? { alg } : { alg, kid })
    .sign(secret);
}

/**
 * A valid token for `userId`: its sub, issued now, expiring in an hour unless `claims` says
 * otherwise (e.g. a past `exp`), signed with the test secret unless `options` names another key.
 */
export function tokenFor(
  userId: string,
  claims: Record<string, unknown> = {},
  options: SigningOptions = {},
): Promise<string> {
  return signToken({ exp: now() + 3600, ...claims, sub: userId, iat: now() }, options);
}

/** The Authorization header value for `userId`: `Bearer <tokenFor(userId)>`. */
export async function bearer(userId: string): Promise<string> {
  return `Bearer ${await tokenFor(userId)}`;
}
