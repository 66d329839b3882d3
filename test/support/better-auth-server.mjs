// Better Auth as the family's frontend runs it (email + password, sessions in PostgreSQL), on
// 127.0.0.1, for test/support/better-auth.ts. Its tables are made by its own migration API on
// DATABASE_URL; with BETTER_AUTH_JWT=1 its jwt() plugin issues EdDSA tokens and serves the JWKS.
// Prints one line, `listening <url>`, once it serves.
import { createServer } from 'node:http';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import pg from 'pg';

const { DATABASE_URL, PORT, BETTER_AUTH_SECRET, BETTER_AUTH_JWT } = process.env;
const baseURL = `http://127.0.0.1:${PORT}`;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });

const options = {
  baseURL,
  secret: BETTER_AUTH_SECRET,
  database: pool,
  emailAndPassword: { enabled: true },
  telemetry: { enabled: false },
  plugins:
    BETTER_AUTH_JWT === '1'
      ? [jwt({ jwks: { keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' } } })]
      : [],
};

const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);
const server = createServer(toNodeHandler(auth));
server.listen(Number(PORT), '127.0.0.1', () => console.log(`listening ${baseURL}`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
