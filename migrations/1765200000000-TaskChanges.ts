import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed of tasks (core/sync): every write stamps the row with its transaction's id, a
 * delete leaves a tombstone stamped the same way, and (user_id, change_xid, id) indexes serve
 * "this user's changes after X". Rows that exist now get 0, "before any token": the constant
 * default is stored once in the catalogue, so adding the column rewrites nothing. The index build
 * holds writes to tasks off (the migrations run in one transaction, so not CONCURRENTLY);
 * docs/operations.md says for how long.
 */
export class TaskChanges1765200000000 implements MigrationInterface {
  name = 'TaskChanges1765200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ADD "change_xid" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `CREATE INDEX "tasks_user_change_idx" ON "tasks" ("user_id", "change_xid", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "task_tombstones" (
        "user_id" character varying(255) NOT NULL,
        "change_xid" bigint NOT NULL,
        "id" uuid NOT NULL,
        "deleted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "task_tombstones_pkey" PRIMARY KEY ("user_id", "change_xid", "id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "task_tombstones_deleted_at_idx" ON "task_tombstones" ("deleted_at")`,
    );
    // Any table with a change_xid column can use this one.
    await queryRunner.query(`
      CREATE FUNCTION "set_change_xid"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        NEW."change_xid" := pg_current_xact_id()::text::bigint;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "tasks_set_change_xid"
      BEFORE INSERT OR UPDATE ON "tasks"
      FOR EACH ROW EXECUTE FUNCTION "set_change_xid"()`);
    await queryRunner.query(`
      CREATE FUNCTION "tasks_tombstone"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "task_tombstones" ("user_id", "change_xid", "id", "deleted_at")
        VALUES (OLD."user_id", pg_current_xact_id()::text::bigint, OLD."id", clock_timestamp());
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "tasks_tombstone"
      AFTER DELETE ON "tasks"
      FOR EACH ROW EXECUTE FUNCTION "tasks_tombstone"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tasks_tombstone" ON "tasks"`);
    await queryRunner.query(`DROP FUNCTION "tasks_tombstone"()`);
    await queryRunner.query(`DROP TRIGGER "tasks_set_change_xid" ON "tasks"`);
    await queryRunner.query(`DROP FUNCTION "set_change_xid"()`);
    await queryRunner.query(`DROP TABLE "task_tombstones"`);
    await queryRunner.query(`DROP INDEX "tasks_user_change_idx"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "change_xid"`);
  }
}
