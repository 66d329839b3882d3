import { runNode } from '../support/built-app';
import { expectCleanFailure, ROOT, run } from '../support/child-process';
import { TEST_JWT_SECRET } from '../support/tokens';

const SECRET = 'Sup3r-s3cret-pw';

/** `node dist/main.js` to its exit, with the test token secret unless `env` sets its own. */
const runMain = (env: Record<string, string>) =>
  runNode('dist/main.js', { AUTH_JWT_SECRET: TEST_JWT_SECRET, ...env }).finish();

describe('the built app (node dist/main.js) with bad configuration', () => {
  it('npm run start:prod without DATABASE_URL exits 1 naming the variable', async () => {
    // npm runs the script in the project folder, so a developer's own .env applies here.
    const result = await run(
      'npm',
      ['run', '--silent', 'start:prod'],
      { AUTH_JWT_SECRET: TEST_JWT_SECRET },
      { cwd: ROOT },
    );
    expectCleanFailure(result, /DATABASE_URL is required but not set/, SECRET);
  });

  it('refuses to start without a token secret or JWKS URL, in one line', async () => {
    const result = await runMain({
      DATABASE_URL: 'postgres://app@127.0.0.1/tasks',
      AUTH_JWT_SECRET: '',
    });
    expectCleanFailure(
      result,
      /AUTH_JWT_SECRET or AUTH_JWKS_URL is required but neither is set/,
      SECRET,
    );
  });

  it('refuses a JWKS with an issuer but no AUTH_AUDIENCE in production, naming it', async () => {
    const result = await runMain({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@127.0.0.1/tasks',
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example/',
    });
    expectCleanFailure(
      result,
      /AUTH_AUDIENCE is required with AUTH_JWKS_URL when NODE_ENV=production/,
      SECRET,
    );
  });

  it('refuses an http:// JWKS on another host in production, naming AUTH_JWKS_URL', async () => {
    const result = await runMain({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@127.0.0.1/tasks',
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: 'http://idp.example/.well-known/jwks.json',
      AUTH_AUDIENCE: 'tasks-api',
    });
    expectCleanFailure(result, /AUTH_JWKS_URL is invalid: must be an https:\/\/ URL/, SECRET);
  });

  it('refuses at validation the TRUSTED_PROXIES Fastify could not start with, naming it', async () => {
    const result = await runMain({
      DATABASE_URL: 'postgres://app@127.0.0.1/tasks',
      TRUSTED_PROXIES: '10.0.0.0/8,0.0.0.0/0',
    });
    expectCleanFailure(
      result,
      /TRUSTED_PROXIES is invalid: must be a comma-separated list/,
      SECRET,
    );
    expect(result.stderr).not.toMatch(/invalid range on address/);
  });

  it('refuses a short secret in production, without echoing it', async () => {
    const result = await runMain({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@127.0.0.1/tasks',
      AUTH_JWT_SECRET: SECRET,
    });
    expectCleanFailure(result, /AUTH_JWT_SECRET is invalid: must be at least 32 bytes/, SECRET);
  });

  it('refuses a DATABASE_URL that is not a postgres URL, without echoing it', async () => {
    const result = await runMain({ DATABASE_URL: `mysql://root:${SECRET}@127.0.0.1/tasks` });
    expectCleanFailure(
      result,
      /DATABASE_URL is invalid: .*postgres:\/\/ or postgresql:\/\//,
      SECRET,
    );
  });

  it('lists every bad variable, one line each', async () => {
    const result = await runMain({ DATABASE_URL: 'not a url', PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT is invalid/);
    expect(result.stderr).toMatch(/LOG_LEVEL is invalid/);
    expect(result.stderr).toMatch(/DATABASE_URL is invalid/);
  });
});
