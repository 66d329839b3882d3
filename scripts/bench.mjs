#!/usr/bin/env node
// npm run bench -- [--users 1000] [--tasks 100] [--big-user-tasks 100000] [--duration 10]
//                  [--connections 32] [--scenarios get,list,list-open,create,create-keyed,update,mixed]
//                  [--pool 10] [--json out.json] [--keep] [--pooler pgbouncer|URL]
//
// Sizes a deployment and catches regressions: seeds a database of its own (made by the project's
// migrations) on the server of BENCH_DATABASE_URL (an admin URL; default: an embedded PostgreSQL),
// starts the built service (the start:prod command, production settings, request logging on),
// drives each scenario with autocannon and prints a table (req/s, p50, p99, errors) and JSON,
// then the cost of a first page for a user with --big-user-tasks tasks against one with --tasks
// tasks (one request at a time, so the latencies are the service's, not a queue's), the time from
// process start to a ready service, and the resident memory after the run.
// It never touches an existing database: it creates `tasks_bench_<random>` and drops it at the end.
//
// --pooler: also runs every scenario through a transaction pooler, alternating with the direct
// service in the same run (two service processes, one driven at a time). `pgbouncer` starts
// Debian's PgBouncer (or PGBOUNCER_BIN) in transaction mode with its defaults in front of the bench
// server; a URL names a pooler of yours in front of BENCH_DATABASE_URL's server that routes any
// database name (e.g. `* = host=… port=…`); its database part is replaced by the bench's. The
// pooled service runs with the defaults (DATABASE_PREPARED_STATEMENTS=auto: on PgBouncer < 1.21 it
// switches to unnamed statements during the first warm-up) and migrates over the direct URL.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  chmodSync,
  writeFileSync,
  rmSync,
  openSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, startEmbeddedPostgres } from './embedded-postgres.mjs';

const require = createRequire(import.meta.url);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ALL_SCENARIOS = ['get', 'list', 'list-open', 'create', 'create-keyed', 'update', 'mixed'];
const { values: opts } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    tasks: { type: 'string', default: '100' },
    'big-user-tasks': { type: 'string', default: '100000' },
    'list-cost-requests': { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '3' },
    scenarios: { type: 'string', default: ALL_SCENARIOS.join(',') },
    pool: { type: 'string', default: '10' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
    pooler: { type: 'string' },
  },
});
const USERS = Number(opts.users);
const TASKS = Number(opts.tasks);
const BIG_USER_TASKS = Number(opts['big-user-tasks']);
const BIG_USER = 'user-big';
const SCENARIOS = opts.scenarios.split(',');
for (const s of SCENARIOS) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}`);

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const secret = randomBytes(32).toString('hex');
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function token(sub) {
  const now = Math.floor(Date.now() / 1000);
  const data = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, iat: now, exp: now + 86400 })}`;
  return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
}

const cleanups = [];
async function cleanup() {
  while (cleanups.length)
    await cleanups
      .pop()()
      .catch(() => {});
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

async function main() {
  if (!existsSync(join(ROOT, 'dist/main.js')) || !existsSync(join(ROOT, 'dist/migrations'))) {
    log('building (npm run build)');
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('build failed');
  }

  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'tasks-bench-pg-'));
    chmodSync(dir, 0o755);
    log('starting an embedded PostgreSQL (set BENCH_DATABASE_URL to use a server of yours)');
    const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), persistent: false });
    cleanups.push(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    adminUrl = server.url;
  }
  const name = `tasks_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();
  cleanups.push(async () => {
    if (!opts.keep) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  log(`migrating ${name} with the project's migrations`);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  };
  await migrate(env);

  const t0 = Date.now();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const width = Math.max(4, String(USERS).length);
  await db.query(`
    INSERT INTO tasks (user_id, title, description, completed, created_at, updated_at)
    SELECT 'user-' || lpad(((n - 1) / ${TASKS} + 1)::text, ${width}, '0'),
           'Task ' || n,
           CASE WHEN n % 2 = 0 THEN NULL ELSE repeat('lorem ipsum ', 1 + n % 10) END,
           n % 3 = 0, ts, ts
    FROM (SELECT n, now() - (n % 100000) * interval '5 minutes' AS ts
          FROM generate_series(1, ${USERS * TASKS}) n) s`);
  if (BIG_USER_TASKS > 0) {
    await db.query(
      `INSERT INTO tasks (user_id, title, completed, created_at, updated_at)
       SELECT $1, 'Big ' || n, n % 3 = 0, now() - n * interval '1 second', now() - n * interval '1 second'
       FROM generate_series(1, $2::int) n`,
      [BIG_USER, BIG_USER_TASKS],
    );
  }
  await db.query('VACUUM ANALYZE tasks');
  const { rows } = await db.query(
    `
    SELECT user_id, array_agg(id::text) AS ids FROM (
      SELECT user_id, id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS r FROM tasks
      WHERE user_id <> $1
    ) s WHERE r <= 10 GROUP BY user_id`,
    [BIG_USER],
  );
  const users = rows.map((r) => ({
    path: `/api/${r.user_id}/tasks`,
    auth: `Bearer ${token(r.user_id)}`,
    ids: r.ids,
  }));
  log(
    `seeded ${USERS * TASKS} tasks for ${USERS} users` +
      (BIG_USER_TASKS > 0 ? ` and ${BIG_USER_TASKS} for ${BIG_USER}` : '') +
      ` in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const seededAt = (await db.query('SELECT now() AS now')).rows[0].now;

  const direct = await startService('direct', databaseUrl);
  const pooled = opts.pooler
    ? await startService('pooler', await poolerUrl(adminUrl, databaseUrl), databaseUrl)
    : null;
  const services = pooled ? [direct, pooled] : [direct];

  const results = [];
  for (const [k, scenario] of SCENARIOS.entries()) {
    // With a pooler, the two services take turns on each scenario, in alternating order, so both
    // see the same machine and neither always runs first.
    for (const service of k % 2 === 0 ? services : [...services].reverse()) {
      if (Number(opts.warmup) > 0) await drive(service.base, users, scenario, Number(opts.warmup));
      const r = {
        ...(await drive(service.base, users, scenario, Number(opts.duration))),
        via: service.label,
      };
      results.push(r);
      log(
        `${scenario} (${r.via}): ${r.rps} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, errors ${r.errors}`,
      );
      if (['create', 'create-keyed', 'update', 'mixed'].includes(scenario)) {
        await db.query('DELETE FROM tasks WHERE created_at > $1', [seededAt]);
      }
    }
  }
  const listCost = BIG_USER_TASKS > 0 ? await measureListCost(direct.base, users[0]) : null;
  const rssMb = await rssOf(direct.server.pid);
  printTable(results, rssMb);
  if (pooled) {
    const unnamed = readFileSync(pooled.logFile, 'utf8').includes(
      'refused a named prepared statement',
    );
    pooled.statements = unnamed ? 'unnamed (auto switched)' : 'named';
    process.stderr.write(
      `through the pooler: statements ${pooled.statements}; ${ratios(results)}\n`,
    );
  }
  if (listCost) {
    process.stderr.write(
      `first page (limit=20), one request at a time: p50 ${listCost.big.p50_ms} ms for a user with ` +
        `${BIG_USER_TASKS} tasks, ${listCost.small.p50_ms} ms for one with ${TASKS} ` +
        `(ratio ${listCost.p50_ratio})\n`,
    );
  }
  process.stderr.write(
    services.map((svc) => `${svc.label}: ready ${svc.readyMs} ms after process start`).join('\n') +
      '\n\n',
  );
  const report = {
    meta: {
      date: new Date().toISOString(),
      users: USERS,
      tasks: TASKS,
      duration_s: Number(opts.duration),
      connections: Number(opts.connections),
      pool: Number(opts.pool),
      node: process.version,
      rss_mb_after: rssMb,
      ready_ms: direct.readyMs,
      ...(pooled
        ? {
            pooler: {
              ready_ms: pooled.readyMs,
              statements: pooled.statements,
              url: redact(pooled.url),
            },
          }
        : {}),
      big_user_tasks: BIG_USER_TASKS,
    },
    results,
    list_cost: listCost,
  };
  const json = JSON.stringify(report, null, 2);
  if (opts.json) writeFileSync(opts.json, json + '\n');
  process.stdout.write(json + '\n');
  return results.some((r) => r.errors > 0) ? 1 : 0;
}

/**
 * The built service (the start:prod command, production settings, request logging on) on a free
 * port, with `databaseUrl` as DATABASE_URL and the direct URL for its migrations.
 */
async function startService(label, url, databaseUrl = url) {
  const port = await freePort();
  const logFile = join(tmpdir(), `tasks-bench-${label}-${port}.log`);
  // Started exactly as production starts it (package.json start:prod, the image's CMD).
  const [command, ...args] = readPackageJson().scripts['start:prod'].split(' ');
  const server = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: String(port),
      // In production /metrics has a port of its own (9464): one per service, as the bench may
      // run two at once (--pooler).
      METRICS_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      DATABASE_MIGRATIONS_URL: databaseUrl,
      DATABASE_POOL_SIZE: opts.pool,
      AUTH_JWT_SECRET: secret,
      RATE_LIMIT_ENABLED: 'false',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
    stdio: ['ignore', openSync(logFile, 'w'), 'inherit'],
  });
  const started = Date.now();
  cleanups.push(
    () =>
      new Promise((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', resolve);
        server.kill('SIGTERM');
      }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/health/ready`, 15_000);
  const readyMs = Date.now() - started;
  log(`${label} service ready in ${readyMs} ms (request log: ${logFile})`);
  return { label, url, base, server, logFile, readyMs };
}

/** --pooler: the bench database's URL through the pooler (one started here for `pgbouncer`). */
async function poolerUrl(adminUrl, databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (opts.pooler === 'pgbouncer') {
    const { startPgBouncer } = require('./pgbouncer.cjs');
    const bouncer = await startPgBouncer({ serverUrl: adminUrl });
    cleanups.push(() => bouncer.close());
    log(
      `started PgBouncer ${bouncer.version?.join('.')} (transaction mode) on port ${bouncer.port}`,
    );
    return bouncer.urlFor(name);
  }
  const url = new URL(opts.pooler);
  url.pathname = `/${name}`;
  return url.toString();
}

function redact(value) {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Pooled against direct, per scenario: req/s and p99 ratios. */
function ratios(results) {
  return SCENARIOS.map((scenario) => {
    const [d, p] = ['direct', 'pooler'].map((via) =>
      results.find((r) => r.scenario === scenario && r.via === via),
    );
    const rps = (p.rps / d.rps).toFixed(2);
    return `${scenario} ${rps}x req/s, p99 ${p.p99_ms} vs ${d.p99_ms} ms`;
  }).join('; ');
}

function readPackageJson() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/** The production migration step (compiled): migrations under their lock, role timeouts set. */
async function migrate(env) {
  const { loadConfig } = require(join(ROOT, 'dist/core/config/config.js'));
  const { AppConfig } = require(join(ROOT, 'dist/core/config/app.config.js'));
  const { DatabaseConfig } = require(join(ROOT, 'dist/core/database/database.config.js'));
  const { runMigrationsLocked } = require(join(ROOT, 'dist/core/database/migration-runner.js'));
  const quiet = { info: () => {}, warn: (fields, message) => log(message) };
  const config = loadConfig(env, [AppConfig, DatabaseConfig]).get(DatabaseConfig);
  await runMigrationsLocked(config, quiet);
}

async function waitReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet: try again until the deadline
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service not ready at ${url} within ${timeoutMs} ms`);
}

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

/** One autocannon run; every request picks a random user and one of that user's tasks. */
function drive(base, users, scenario, duration) {
  const kinds = {
    get: () => ['get'],
    list: () => ['list'],
    'list-open': () => ['list-open'],
    create: () => ['create'],
    'create-keyed': () => ['create-keyed'],
    update: () => ['update'],
    mixed: () => {
      const x = Math.random();
      return [x < 0.4 ? 'get' : x < 0.8 ? 'list' : x < 0.9 ? 'create' : 'update'];
    },
  };
  const setupRequest = (req) => {
    const user = pick(users);
    const [kind] = kinds[scenario]();
    req.headers = { authorization: user.auth, 'content-type': 'application/json' };
    req.body = undefined;
    if (kind === 'get')
      Object.assign(req, { method: 'GET', path: `${user.path}/${pick(user.ids)}` });
    else if (kind === 'list') Object.assign(req, { method: 'GET', path: `${user.path}?limit=20` });
    else if (kind === 'list-open')
      Object.assign(req, { method: 'GET', path: `${user.path}?limit=20&completed=false` });
    else if (kind === 'create' || kind === 'create-keyed') {
      if (kind === 'create-keyed') req.headers['idempotency-key'] = randomBytes(12).toString('hex');
      Object.assign(req, {
        method: 'POST',
        path: user.path,
        body: JSON.stringify({ title: `bench ${Math.random()}` }),
      });
    } else {
      Object.assign(req, {
        method: 'PUT',
        path: `${user.path}/${pick(user.ids)}`,
        body: JSON.stringify({ completed: Math.random() < 0.5 }),
      });
    }
    return req;
  };
  return new Promise((resolve, reject) => {
    autocannon(
      { url: base, connections: Number(opts.connections), duration, requests: [{ setupRequest }] },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          scenario,
          rps: Math.round(result.requests.average),
          p50_ms: result.latency.p50,
          p99_ms: result.latency.p99,
          errors: result.errors + result.timeouts + result.non2xx,
          requests: result.requests.total,
        });
      },
    );
  });
}

/**
 * The first page of a user with BIG_USER_TASKS tasks against that of a user with TASKS, one
 * request at a time, alternating, so both see the same machine: keyset pagination on
 * (user_id, created_at, id) should make the two cost the same.
 */
async function measureListCost(base, small) {
  const big = { path: `/api/${BIG_USER}/tasks`, auth: `Bearer ${token(BIG_USER)}` };
  const times = { small: [], big: [] };
  const n = Number(opts['list-cost-requests']);
  for (let i = 0; i < n + 50; i++) {
    for (const [name, user] of [
      ['small', small],
      ['big', big],
    ]) {
      const t0 = performance.now();
      const res = await fetch(`${base}${user.path}?limit=20`, {
        headers: { authorization: user.auth },
      });
      const body = await res.json();
      const ms = performance.now() - t0;
      if (res.status !== 200 || body.length !== 20)
        throw new Error(`list of ${name}: ${res.status}`);
      if (i >= 50) times[name].push(ms); // the first 50 warm up
    }
  }
  const summary = (list) => {
    list.sort((a, b) => a - b);
    const at = (q) => Math.round(list[Math.floor(q * (list.length - 1))] * 1000) / 1000;
    return { p50_ms: at(0.5), p99_ms: at(0.99) };
  };
  const result = { small: summary(times.small), big: summary(times.big) };
  result.p50_ratio = Math.round((result.big.p50_ms / result.small.p50_ms) * 100) / 100;
  return result;
}

async function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    return null;
  }
}

function printTable(results, rssMb) {
  const rows = [
    ['scenario', 'via', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
    ...results.map((r) => [r.scenario, r.via, r.rps, r.p50_ms, r.p99_ms, r.errors]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => String(cell).padStart(widths[i])).join('  ');
  process.stderr.write(`\n${rows.map(line).join('\n')}\nRSS after run: ${rssMb ?? '?'} MB\n\n`);
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error) => {
    log(error.stack ?? String(error));
    await cleanup();
    process.exit(1);
  });
