import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tasks table. The two indexes serve "this user's tasks, newest first" as a keyset scan,
 * with and without the `completed` filter, so a page costs the same whatever the user's total.
 * `updated_at` is kept by a trigger so that no write path (ORM, raw SQL, psql) can forget it, and
 * it never moves backwards, even when concurrent writers queue for the same row.
 * `gen_random_uuid()` is built into PostgreSQL 13+: no extension, so a least-privilege role works.
 */
export class CreateTasks1764150000000 implements MigrationInterface {
  name = 'CreateTasks1764150000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "tasks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" character varying(255) NOT NULL,
        "title" character varying(255) NOT NULL,
        "description" text,
        "completed" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "tasks_user_id_not_blank" CHECK (btrim("user_id") <> ''),
        CONSTRAINT "tasks_title_not_blank" CHECK (btrim("title") <> ''),
        CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "tasks_user_created_idx" ON "tasks" ("user_id", "created_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "tasks_user_completed_created_idx" ON "tasks" ("user_id", "completed", "created_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION "tasks_set_updated_at"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        -- clock_timestamp(), not now(): now() is when the writer's transaction began, and a
        -- writer that waited for the row lock would stamp an older time than the one before it.
        -- GREATEST keeps updated_at from ever moving backwards (clock steps, ms rounding).
        NEW."updated_at" := GREATEST(clock_timestamp(), OLD."updated_at");
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "tasks_set_updated_at"
      BEFORE UPDATE ON "tasks"
      FOR EACH ROW EXECUTE FUNCTION "tasks_set_updated_at"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tasks_set_updated_at" ON "tasks"`);
    await queryRunner.query(`DROP FUNCTION "tasks_set_updated_at"()`);
    await queryRunner.query(`DROP INDEX "tasks_user_completed_created_idx"`);
    await queryRunner.query(`DROP INDEX "tasks_user_created_idx"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
  }
}
