// Imported first by main.ts, which reads .env too late for the OTEL_* variables.
import { existsSync } from 'node:fs';
import { startTracing } from './core/ops/tracing';

if (existsSync('.env')) process.loadEnvFile('.env');
startTracing(process.env);
