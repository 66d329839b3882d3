import type { TestDatabase } from './test-database';

/** Every migration in migrations/, in the order they apply: what a fresh database must end with. */
export const MIGRATIONS = [
  'CreateTasks1764150000000',
  'TaskCounts1764990000000',
  'TaskVersions1765100000000',
  'IdempotencyKeys1765150000000',
  'TaskChanges1765200000000',
];

/** The migrations recorded as applied in `db`, in the order they were applied. */
export async function migrationRows(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>('SELECT name FROM typeorm_migrations ORDER BY id');
  return rows.map((r) => r.name);
}
