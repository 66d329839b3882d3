import { join } from 'node:path';
import { freePort } from './built-app';
import { ProcessUnderTest, ROOT, spawnProcess } from './child-process';

/** A signed-in Better Auth user: what a frontend holds after sign-up or sign-in. */
export interface BetterAuthUser {
  userId: string;
  /** `session.token`: what the family's frontend sends as the bearer token. */
  sessionToken: string;
  /** The signed session cookie, for Better Auth's own endpoints. */
  cookie: string;
}

export interface BetterAuthServer {
  /** Its base URL, e.g. http://127.0.0.1:41234: the jwt plugin's issuer and audience. */
  url: string;
  /** `<url>/api/auth/jwks`, for AUTH_JWKS_URL. */
  jwksUrl: string;
  process: ProcessUnderTest;
  signUp(email: string, password: string, name?: string): Promise<BetterAuthUser>;
  signIn(email: string, password: string): Promise<BetterAuthUser>;
  signOut(user: BetterAuthUser): Promise<void>;
  /** `GET /api/auth/token` (jwt plugin): a JWT for the session. */
  jwt(user: BetterAuthUser): Promise<string>;
  close(): Promise<void>;
}

export const BETTER_AUTH_TEST_SECRET = 'better-auth-test-secret-0123456789-abcdefghij';

/**
 * The real `better-auth` package (the version the family's frontend pins) in a child process on
 * 127.0.0.1 (better-auth-server.mjs), its tables migrated by its own API into `databaseUrl`.
 */
export async function startBetterAuth(
  databaseUrl: string,
  options: { jwt?: boolean } = {},
): Promise<BetterAuthServer> {
  const port = await freePort();
  const child = spawnProcess(
    process.execPath,
    [join(ROOT, 'test', 'support', 'better-auth-server.mjs')],
    {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      BETTER_AUTH_SECRET: BETTER_AUTH_TEST_SECRET,
      BETTER_AUTH_JWT: options.jwt ? '1' : '0',
      NODE_ENV: 'test',
    },
    { cwd: ROOT },
  );
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (!child.stdout().includes('listening')) {
    if (child.child.exitCode !== null || Date.now() - started > 20_000) {
      await child.kill();
      throw new Error(`Better Auth did not start:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const call = async (method: string, path: string, cookie?: string, body?: object) => {
    const headers: Record<string, string> = { origin: url };
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}/api/auth${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Better Auth ${method} ${path}: ${res.status} ${text}`);
    return { res, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  const signedIn = ({ res, json }: Awaited<ReturnType<typeof call>>): BetterAuthUser => {
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return {
      userId: (json.user as { id: string }).id,
      sessionToken: json.token as string,
      cookie,
    };
  };

  return {
    url,
    jwksUrl: `${url}/api/auth/jwks`,
    process: child,
    signUp: async (email, password, name = email) =>
      signedIn(await call('POST', '/sign-up/email', undefined, { email, password, name })),
    signIn: async (email, password) =>
      signedIn(await call('POST', '/sign-in/email', undefined, { email, password })),
    async signOut(user) {
      await call('POST', '/sign-out', user.cookie, {});
    },
    async jwt(user) {
      const { json } = await call('GET', '/token', user.cookie);
      return json.token as string;
    },
    close: () => child.kill(),
  };
}
