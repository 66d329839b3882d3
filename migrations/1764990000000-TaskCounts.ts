import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many tasks each user has, for the per-user quota (TASKS_PER_USER_MAX). The create
 * statement raises a user's count and inserts the task in one statement, refusing when the count
 * is at the quota (tasks.repository.ts); its `ON CONFLICT … DO UPDATE` locks the user's row and
 * sees its latest committed count, so concurrent creates cannot pass the quota together. Deletes
 * lower it by trigger, so a task deleted by any path (psql included) gives its place back.
 * The backfill runs with writes to tasks held off, so no task is created uncounted meanwhile.
 * Every create updates its user's row: half-empty pages let those be HOT updates (no index
 * entry per update), the usual setting for a table of counters.
 */
export class TaskCounts1764990000000 implements MigrationInterface {
  name = 'TaskCounts1764990000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "task_counts" (
        "user_id" character varying(255) NOT NULL,
        "tasks" integer NOT NULL,
        CONSTRAINT "task_counts_tasks_not_negative" CHECK ("tasks" >= 0),
        CONSTRAINT "task_counts_pkey" PRIMARY KEY ("user_id")
      ) WITH (fillfactor = 50)`);
    await queryRunner.query(`LOCK TABLE "tasks" IN SHARE MODE`);
    await queryRunner.query(`
      INSERT INTO "task_counts" ("user_id", "tasks")
      SELECT "user_id", count(*) FROM "tasks" GROUP BY "user_id"`);
    await queryRunner.query(`
      CREATE FUNCTION "tasks_uncount"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "task_counts" SET "tasks" = "tasks" - 1
        WHERE "user_id" = OLD."user_id" AND "tasks" > 0;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "tasks_uncount"
      AFTER DELETE ON "tasks"
      FOR EACH ROW EXECUTE FUNCTION "tasks_uncount"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tasks_uncount" ON "tasks"`);
    await queryRunner.query(`DROP FUNCTION "tasks_uncount"()`);
    await queryRunner.query(`DROP TABLE "task_counts"`);
  }
}
