// Types of pgbouncer.cjs, for the TypeScript test harness (test/support/pgbouncer.ts).
export interface PgBouncer {
  port: number;
  binary: string;
  /** e.g. [1, 18, 0]; undefined when `--version` did not say. */
  version: number[] | undefined;
  urlFor(database: string): string;
  pooledUrlOf(databaseUrl: string): string;
  output(): string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function findPgBouncer(): string | undefined;
export function pgBouncerVersion(binary: string): number[] | undefined;
export function startPgBouncer(options: {
  serverUrl: string;
  settings?: Record<string, string | number>;
  binary?: string;
}): Promise<PgBouncer>;
