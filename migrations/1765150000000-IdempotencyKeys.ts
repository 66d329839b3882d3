import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The answers remembered per user and `Idempotency-Key`: claimed (inserted) in the same
 * transaction as the write it guards and completed with its status and body before COMMIT, so
 * a concurrent request with the key waits for that transaction, and a rolled-back one leaves
 * nothing. `body` is `json`, not `jsonb`: a replay sends the keys in their first order.
 * (user_id, created_at) finds a user's oldest keys to drop past the per-user bound;
 * expires_at serves the purge.
 */
export class IdempotencyKeys1765150000000 implements MigrationInterface {
  name = 'IdempotencyKeys1765150000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_keys" (
        "user_id" character varying(255) NOT NULL,
        "key" character varying(255) NOT NULL,
        "request_hash" text NOT NULL,
        "status" smallint,
        "body" json,
        "location" text,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("user_id", "key")
      )`);
    await queryRunner.query(
      `CREATE INDEX "idempotency_keys_user_created_idx" ON "idempotency_keys" ("user_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" ("expires_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
