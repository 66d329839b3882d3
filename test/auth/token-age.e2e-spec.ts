import { startTestApp, TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';
import { tokenFor } from '../support/tokens';

const now = () => Math.floor(Date.now() / 1000);

describe('AUTH_MAX_TOKEN_AGE_S: a bound on how long a token may still live', () => {
  let bounded: TestApp;
  let unbounded: TestApp;

  beforeAll(async () => {
    bounded = await startTestApp({ env: { ...NO_RATE_LIMIT, AUTH_MAX_TOKEN_AGE_S: '3600' } });
    unbounded = await startTestApp({ env: NO_RATE_LIMIT });
  });

  afterAll(async () => {
    await bounded?.close();
    await unbounded?.close();
  });

  it('refuses a token expiring further away than the bound, 401 naming exp', async () => {
    for (const exp of [now() + 7200, 1e300]) {
      const token = await tokenFor('alice', { exp });
      const res = await bounded.http.get<{ code: string }>('/api/alice/tasks', { token });
      expect({ exp, status: res.status, code: res.body.code }).toEqual({
        exp,
        status: 401,
        code: 'INVALID_TOKEN',
      });
      // Off by default: the same token passes where no bound is set.
      expect((await unbounded.http.get('/api/alice/tasks', { token })).status).toBe(200);
    }
    const fine = await tokenFor('alice', { exp: now() + 3000 });
    expect((await bounded.http.get('/api/alice/tasks', { token: fine })).status).toBe(200);
  });
});
