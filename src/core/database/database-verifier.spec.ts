import { AppConfig } from '../config/app.config';
import { loadConfig } from '../config/config';
import { DatabaseConfig } from './database.config';
import { describeServerTimeouts } from './database-verifier';

const env = loadConfig(
  { DATABASE_URL: 'postgres://app@h/db', DATABASE_STATEMENT_TIMEOUT_MS: '3000' },
  [AppConfig, DatabaseConfig],
).get(DatabaseConfig);

describe('server-side timeouts', () => {
  it('wants statement_timeout as configured and twice that for idle transactions', () => {
    expect(env.serverTimeouts).toEqual({
      statementTimeoutMs: 3000,
      idleInTransactionTimeoutMs: 6000,
    });
    expect(env.deadlineMs).toBe(4000);
  });

  it('reports the timeouts in effect when they are what the configuration asks for', () => {
    const report = describeServerTimeouts(
      { statementTimeoutMs: 3000, idleInTransactionTimeoutMs: 6000 },
      env,
    );
    expect(report).toEqual({
      level: 'info',
      fields: {
        statementTimeoutMs: 3000,
        idleInTransactionTimeoutMs: 6000,
        clientDeadlineMs: 4000,
      },
      message:
        'server-side timeouts in effect: statement_timeout 3000 ms, idle_in_transaction_session_timeout 6000 ms; client deadline 4000 ms per call',
    });
  });

  it('says plainly when only the client deadline applies', () => {
    const report = describeServerTimeouts(
      { statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 },
      env,
    );
    expect(report.level).toBe('warn');
    expect(report.message).toMatch(
      /^no server-side statement_timeout: only the client deadline \(4000 ms per call\) bounds a query/,
    );
    expect(report.message).toContain('npm run migration:run:prod');
  });

  it('warns when the server bound differs from DATABASE_STATEMENT_TIMEOUT_MS', () => {
    const report = describeServerTimeouts(
      { statementTimeoutMs: 30_000, idleInTransactionTimeoutMs: 0 },
      env,
    );
    expect(report.level).toBe('warn');
    expect(report.message).toMatch(
      /^server-side statement_timeout is 30000 ms but DATABASE_STATEMENT_TIMEOUT_MS is 3000/,
    );
  });
});
