import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `updated_at` becomes the task's version, the source of its ETag (If-Match compares it in the
 * write's own statement): every UPDATE now moves it forward by at least 1 ms, the column's
 * precision, so two writes in one millisecond (or one transaction) still give two versions, and
 * what the API shows is exactly the version. A row written over 1,000 times a second would run
 * ahead of the clock by the surplus; the per-user rate limit keeps that far away.
 */
export class TaskVersions1765100000000 implements MigrationInterface {
  name = 'TaskVersions1765100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "tasks_set_updated_at"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        -- clock_timestamp(), not now(): a writer that waited for the row lock must not stamp an
        -- older time than the one before it; + 1 ms: each write is a new version.
        NEW."updated_at" := GREATEST(clock_timestamp(), OLD."updated_at" + interval '1 millisecond');
        RETURN NEW;
      END
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "tasks_set_updated_at"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        NEW."updated_at" := GREATEST(clock_timestamp(), OLD."updated_at");
        RETURN NEW;
      END
      $$`);
  }
}
