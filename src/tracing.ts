// Imported first by main.ts: the instrumentations patch http, pg and fastify as they are required.
import { existsSync } from 'node:fs';
import { startTracing } from './core/ops/tracing';

// The OTEL_* variables may be in .env, which main.ts reads too late for this.
if (existsSync('.env')) process.loadEnvFile('.env');
startTracing(process.env);
