import { TokenVerifier, VERIFIED_CACHE_MAX_ENTRIES } from '../../src/core/auth/token-verifier';
import { AuthProbeModule } from '../support/auth-probe.module';
import { NO_RATE_LIMIT } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { signToken, tokenFor } from '../support/tokens';

/**
 * Respellings sent: enough that the old cache (keyed by the raw string) held thousands of entries
 * for one token, few enough to finish in seconds on a loaded CI machine (the closing note of
 * issue 12 has the 10,000-request figures).
 */
const SPELLINGS = 3_000;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Up to `count` other spellings jose would decode to the same bytes: the 4 last characters of an
 * HS256 signature that differ only in its 2 unused bits, each with 0 to 2999 `=` of padding (what
 * the bearer syntax allows), and `+` `/` for `-` `_`.
 */
function spellings(token: string, count: number): string[] {
  const [header, payload, signature] = token.split('.');
  const last = ALPHABET.indexOf(signature.at(-1)!);
  const bodies = [0, 1, 2, 3].map(
    (bits) => `${header}.${payload}.${signature.slice(0, -1)}${ALPHABET[(last & ~3) | bits]}`,
  );
  bodies.push(`${header}.${payload}.${signature.replace(/-/g, '+').replace(/_/g, '/')}`);
  const out = new Set<string>();
  for (let pad = 0; out.size <= count && pad < 3000; pad++) {
    for (const body of bodies) out.add(body + '='.repeat(pad));
  }
  out.delete(token);
  return [...out].slice(0, count);
}

describe('one token, one spelling (issue 12, item 4)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      database: { migrate: false },
      env: NO_RATE_LIMIT,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  const probe = (user: string, token: string) =>
    app.http.raw('GET', `/api/${user}/auth-probe`, {
      headers: { authorization: `Bearer ${token}` },
      timeoutMs: 10_000,
    });

  it('accepts the canonical spelling only: 3,000 others are 401 and leave the cache alone', async () => {
    const verifier = app.get(TokenVerifier);
    const bobToken = await tokenFor('bob');
    expect((await probe('bob', bobToken)).status).toBe(200);
    const attacker = await tokenFor('mallory');
    const others = spellings(attacker, SPELLINGS);
    expect(others).toHaveLength(SPELLINGS);
    const statuses = new Map<number, number>();
    let next = 0;
    const deadline = Date.now() + 40_000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < others.length && Date.now() < deadline) {
          const { status } = await probe('bob', others[next++]);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 401: SPELLINGS });
    const refused = await probe('bob', others[0]);
    expect(refused.body).toMatchObject({ code: 'INVALID_TOKEN', details: { reason: 'malformed' } });
    // The one spelling the issuer produced: verified, so another user's path is 403.
    expect((await probe('bob', attacker)).status).toBe(403);
    expect((await probe('mallory', attacker)).status).toBe(200);
    expect(verifier.cached(bobToken)).toEqual({ id: 'bob' });
    const cache = (verifier as unknown as { cache: { size: number } }).cache;
    expect(cache.size).toBeLessThanOrEqual(2);
    expect(cache.size).toBeLessThan(VERIFIED_CACHE_MAX_ENTRIES);
  });

  it('answers a blank sub 401 at authentication, not 400 from the data layer', async () => {
    const blank = await signToken({ sub: ' ', exp: Math.floor(Date.now() / 1000) + 60 });
    const res = await probe('%20', blank);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'INVALID_TOKEN', details: { reason: 'subject' } });
  });
});
