import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAppConfig } from '../../src/app.module';
import { AppConfig } from '../../src/core/config/app.config';
import { DatabaseConfig } from '../../src/core/database/database.config';
import { HttpConfig } from '../../src/core/http/http.config';
import { OpsConfig } from '../../src/core/ops/ops.config';
import { RateLimitConfig } from '../../src/core/rate-limit/rate-limit.config';
import { KNOWN_VARIABLES, requiredVariables } from '../support/app-config';
import { readPackageJson } from '../support/package-files';

// The fields of compose.yaml these tests read, service by service. The YAML is not checked against
// them: the assertions below are the check, field by field.
type Environment = Record<string, string | number | boolean>;
type DependsOn = Record<string, { condition: string }>;
interface AppService {
  image: string;
  build: string;
  environment: Environment;
  depends_on: DependsOn;
}
interface Compose {
  services: {
    postgres: { environment: Environment };
    pgbouncer: { build: { context: string; dockerfile: string }; depends_on: DependsOn };
    redis: { command: string[] };
    migrate: AppService & { command: string[] };
    api: AppService & {
      ports: string[];
      healthcheck: { test: string[] };
      stop_grace_period: string;
      read_only: boolean;
      tmpfs: string[];
      cap_drop: string[];
      security_opt: string[];
    };
    'otel-collector': { image: string; profiles: string[]; volumes: string[] };
  };
}

// No Docker engine runs where the tests run: this checks compose.yaml against the app's own
// configuration and the files it builds from, the way manifests.e2e-spec.ts checks Kubernetes.
const ROOT = join(__dirname, '..', '..');
const COMPOSE_DIR = join(ROOT, 'deploy', 'compose');
const pkg = readPackageJson();
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as Compose;
const { postgres, pgbouncer, redis, migrate, api } = compose.services;

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}`, from `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  // `rest` is undefined only when `kind` is, and then it is not read.
  return value.replace(
    /\$\{(\w+)(?::([?-])([^}]*))?\}/g,
    (_, name: string, kind: string | undefined, rest: string) => {
      if (vars[name]) return vars[name];
      if (kind === '?') throw new Error(`compose refuses to start: ${rest}`);
      return kind === '-' ? rest : '';
    },
  );
}

const USER_ENV = { AUTH_JWT_SECRET: 'a-compose-test-secret-of-more-than-32-bytes' };
const envOf = (service: AppService): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service.environment).map(([k, v]) => [k, interpolate(String(v), USER_ENV)]),
  );

/** pgbouncer.ini as { section: { key: value } }. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) sections[(current = section[1])] = {};
    else {
      const eq = line.indexOf('=');
      sections[current][line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return sections;
}

const ini = parseIni(readFileSync(join(COMPOSE_DIR, 'pgbouncer.ini'), 'utf8'));
const userlist = new Map(
  [
    ...readFileSync(join(COMPOSE_DIR, 'userlist.txt'), 'utf8').matchAll(/^"([^"]+)" "([^"]*)"$/gm),
  ].map((m) => [m[1], m[2]]),
);
const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1]);

describe('compose.yaml (PostgreSQL, PgBouncer in transaction mode, migrations, the service)', () => {
  const appEnv = envOf(api);
  const config = loadAppConfig(appEnv);
  const db = config.get(DatabaseConfig);
  const { PORT } = config.get(HttpConfig);
  const ops = config.get(OpsConfig);
  const pooled = new URL(appEnv.DATABASE_URL);
  const direct = new URL(appEnv.DATABASE_MIGRATIONS_URL);

  it('gives the service every variable it requires, each one it knows, all valid for production', () => {
    for (const name of requiredVariables())
      expect([name, name.split(' or ').some((n) => (appEnv[n] ?? '') !== '')]).toEqual([
        name,
        true,
      ]);
    // OTEL_* are the OpenTelemetry SDK's own variables.
    for (const name of Object.keys(appEnv))
      expect([name, KNOWN_VARIABLES.has(name) || name.startsWith('OTEL_')]).toEqual([name, true]);
    expect(config.get(AppConfig).NODE_ENV).toBe('production');
    // The secret comes from whoever runs it, never from the file.
    expect(api.environment.AUTH_JWT_SECRET).toMatch(/^\$\{AUTH_JWT_SECRET:\?/);
    expect(() => interpolate(String(api.environment.AUTH_JWT_SECRET), {})).toThrow(
      /compose refuses to start/,
    );
  });

  it('sends the queries through PgBouncer in transaction mode, to the PostgreSQL service', () => {
    expect(ini.pgbouncer.pool_mode).toBe('transaction');
    expect([pooled.hostname, Number(pooled.port)]).toEqual([
      'pgbouncer',
      Number(ini.pgbouncer.listen_port),
    ]);
    const database = pooled.pathname.slice(1);
    const target = Object.fromEntries(
      ini.databases[database].split(/\s+/).map((kv) => kv.split('=') as [string, string]),
    );
    expect(target).toEqual({
      host: 'postgres',
      port: '5432',
      dbname: postgres.environment.POSTGRES_DB,
    });
    // The pooler knows the service's user, with PostgreSQL's password for it.
    expect(userlist.get(decodeURIComponent(pooled.username))).toBe(
      decodeURIComponent(pooled.password),
    );
    expect([pooled.username, pooled.password]).toEqual([
      postgres.environment.POSTGRES_USER,
      postgres.environment.POSTGRES_PASSWORD,
    ]);
  });

  it('keeps named prepared statements working through the pooler, and its pools within PostgreSQL`s limit', () => {
    // Named statements in transaction mode need PgBouncer >= 1.21 with max_prepared_statements.
    if (db.DATABASE_PREPARED_STATEMENTS) {
      expect(Number(ini.pgbouncer.max_prepared_statements)).toBeGreaterThan(0);
      expect(readFileSync(join(COMPOSE_DIR, pgbouncer.build.dockerfile), 'utf8')).toMatch(
        /^FROM debian:trixie-slim$/m, // trixie's pgbouncer is 1.24
      );
    }
    expect(Number(ini.pgbouncer.max_client_conn)).toBeGreaterThanOrEqual(db.DATABASE_POOL_SIZE);
    expect(Number(ini.pgbouncer.default_pool_size)).toBeLessThan(100); // postgres' max_connections
  });

  it('migrates first, over the direct connection, with the same configuration and the production command', () => {
    expect(envOf(migrate)).toEqual(appEnv);
    expect([direct.hostname, direct.port, direct.pathname]).toEqual([
      'postgres',
      '5432',
      pooled.pathname,
    ]);
    expect(migrate.command.join(' ')).toBe(pkg.scripts['migration:run:prod']);
    expect(migrate.image).toBe(api.image);
    expect([migrate.build, api.build]).toEqual(['.', '.']);
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
    expect(migrate.depends_on.postgres.condition).toBe('service_healthy');
    expect(api.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(api.depends_on.pgbouncer.condition).toBe('service_healthy');
    expect(pgbouncer.depends_on.postgres.condition).toBe('service_healthy');
  });

  it('counts the rate limits in its Redis, with its password, saving nothing, in bounded memory', () => {
    const url = new URL(config.get(RateLimitConfig).RATE_LIMIT_REDIS_URL!);
    const option = (name: string) => redis.command[redis.command.indexOf(`--${name}`) + 1];
    expect([url.hostname, url.port || '6379']).toEqual(['redis', '6379']);
    expect(url.password).toBe(option('requirepass'));
    expect([option('save'), option('appendonly')]).toEqual(['', 'no']);
    expect(option('maxmemory')).toMatch(/^\d+mb$/);
    expect(option('maxmemory-policy')).toBe('volatile-ttl');
    expect(api.depends_on.redis.condition).toBe('service_started');
  });

  it('publishes PORT on this machine only, checks readiness there, and lets shutdown finish', () => {
    expect(api.ports).toEqual([`127.0.0.1:${PORT}:${PORT}`]);
    expect(api.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${PORT}/health/ready`);
    expect(seconds(api.stop_grace_period) * 1000).toBeGreaterThan(
      ops.drainDelayMs + ops.SHUTDOWN_TIMEOUT_MS,
    );
  });

  it('runs the service like the Kubernetes manifests do: read-only root, /tmp writable, no capabilities', () => {
    expect(api.read_only).toBe(true);
    expect(api.tmpfs).toEqual(['/tmp']);
    expect(api.cap_drop).toEqual(['ALL']);
    expect(api.security_opt).toContain('no-new-privileges:true');
    const dockerfile = readFileSync(join(COMPOSE_DIR, pgbouncer.build.dockerfile), 'utf8');
    expect(dockerfile).toMatch(/^USER postgres$/m);
    for (const file of /^COPY (.+) \/etc\/pgbouncer\/$/m.exec(dockerfile)![1].split(' '))
      expect(existsSync(join(COMPOSE_DIR, file))).toBe(true);
  });

  it('exports traces only when asked, to the collector of the `tracing` profile over OTLP/HTTP', () => {
    expect(appEnv.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('');
    const tracedEnv = interpolate(String(api.environment.OTEL_EXPORTER_OTLP_ENDPOINT), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
    });
    expect(tracedEnv).toBe('http://otel-collector:4318');
    const collector = compose.services['otel-collector'];
    expect(collector.profiles).toEqual(['tracing']);
    const [file, mountedAt] = collector.volumes[0].split(':');
    expect(mountedAt).toBe('/etc/otelcol/config.yaml');
    const config = parse(readFileSync(join(ROOT, file), 'utf8')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      service: { pipelines: { traces: { receivers: string[] } } };
    };
    expect(config.receivers.otlp.protocols.http.endpoint).toBe(
      `0.0.0.0:${new URL(tracedEnv).port}`,
    );
    expect(config.service.pipelines.traces.receivers).toContain('otlp');
  });
});
