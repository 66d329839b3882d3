import { SignJWT } from 'jose';

/** The HS256 secret the test apps are configured with (at least 32 bytes, as HS256 wants). */
export const TEST_SECRET = 'tasks-api-e2e-test-secret-0123456789abcdef';

/**
 * Environment overrides for an app under test: the JWT secret, and no rate limit (the tests fire
 * hundreds of requests). Unknown keys are ignored by config validation, so this works whether or
 * not the authentication module is present.
 */
export const AUTH_TEST_ENV: Record<string, string> = {
  AUTH_JWT_SECRET: TEST_SECRET,
  RATE_LIMIT_ENABLED: 'false',
};

export interface TokenOptions {
  secret?: string;
  alg?: 'HS256' | 'HS384' | 'HS512';
  /** seconds from now; negative for an expired token */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
}

/** A bearer token for `userId` (its `sub`), signed like the service expects. */
export async function tokenFor(userId: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}
