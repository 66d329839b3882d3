import { Finished, ROOT, run, runMain } from '../support/child-process';

const SECRET = 'Sup3r-s3cret-pw';

/** Every startup failure: exit code 1, one line naming the problem, the password nowhere. */
function expectCleanFailure(result: Finished, message: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('the built app (node dist/main.js) with bad configuration', () => {
  it('npm run start:prod without DATABASE_URL exits 1 naming the variable', async () => {
    // npm runs the script in the project folder, so a developer's own .env applies here.
    const result = await run('npm', ['run', '--silent', 'start:prod'], {}, { cwd: ROOT });
    expectCleanFailure(result, /DATABASE_URL is required but not set/);
  });

  it('refuses a DATABASE_URL that is not a postgres URL, without echoing it', async () => {
    const result = await runMain({ DATABASE_URL: `mysql://root:${SECRET}@127.0.0.1/tasks` });
    expectCleanFailure(result, /DATABASE_URL is invalid: .*postgres:\/\/ or postgresql:\/\//);
  });

  it('lists every bad variable, one line each', async () => {
    const result = await runMain({ DATABASE_URL: 'not a url', PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT is invalid/);
    expect(result.stderr).toMatch(/LOG_LEVEL is invalid/);
    expect(result.stderr).toMatch(/DATABASE_URL is invalid/);
  });
});
