import { createHash } from 'node:crypto';
import { Global, Injectable, Module } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../auth/decorators';
import { ConfigSection, configProvider } from '../config/config';
import { EnvInt } from '../config/env.decorators';
import { PURGE_BATCH, RetentionService } from '../database/retention';
import { SqlExecutor, type SqlRunner } from '../database/sql-executor';
import { ERRORS, validationError } from '../errors/api-error';

@ConfigSection('idempotency')
export class IdempotencyConfig {
  /** How long an `Idempotency-Key`'s answer is replayed (and then purged). */
  @EnvInt(1, 30 * 86_400)
  IDEMPOTENCY_KEY_TTL_S = 86_400;

  /** Keys one user has stored at most; a new key past it drops the user's oldest. */
  @EnvInt(1, 1_000_000)
  IDEMPOTENCY_KEYS_PER_USER_MAX = 1000;
}

const KEY = /^[\x20-\x7e]{1,255}$/;
/** How long a request waits for the transaction of an earlier one with its key: then 409. */
const BEGIN = `BEGIN; SET LOCAL lock_timeout = 1000`;
/** A new key, or an expired one taken over; with it the user's keys past the bound ($5) go. */
const CLAIM = {
  name: 'idempotency_keys_claim',
  text: `WITH claimed AS (
      INSERT INTO idempotency_keys AS k (user_id, key, request_hash, expires_at)
      VALUES ($1, $2, $3, now() + $4::int * interval '1 second')
      ON CONFLICT (user_id, key) DO UPDATE SET request_hash = $3, status = NULL, body = NULL,
        location = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
      WHERE k.expires_at <= now() RETURNING 1
    ), dropped AS (
      DELETE FROM idempotency_keys WHERE EXISTS (SELECT 1 FROM claimed) AND user_id = $1
        AND (created_at, key) <= (SELECT created_at, key FROM idempotency_keys WHERE user_id = $1
          ORDER BY created_at DESC, key DESC OFFSET $5::int - 1 LIMIT 1)
    ) SELECT count(*)::int AS claimed FROM claimed`,
};
const FIND = {
  name: 'idempotency_keys_find',
  text: `SELECT request_hash, status, body, location FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
};
const COMPLETE = {
  name: 'idempotency_keys_complete',
  text: `UPDATE idempotency_keys SET status = $3, body = $4, location = $5 WHERE user_id = $1 AND key = $2`,
};
const PURGE = {
  name: 'idempotency_keys_purge',
  text: `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT ${PURGE_BATCH}))`,
};

/**
 * `Idempotency-Key`: the first answer is stored in the transaction of its writes (errors roll both
 * back) and replayed on a repeat. Called by the handler: an interceptor costs every request.
 */
@Injectable()
export class Idempotency {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly config: IdempotencyConfig,
  ) {}

  /** `write` for the request's user, once per `Idempotency-Key` when the request has one. */
  once<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    write: (owner: AuthenticatedUser) => Promise<T>,
  ): Promise<T> {
    const key = request.headers['idempotency-key'];
    const user = request.user;
    if (!user) throw new Error('Idempotency.once() on a @Public() route, which has no user');
    if (key === undefined) return write(user);
    if (typeof key !== 'string' || !KEY.test(key)) {
      const problem = 'must be 1 to 255 printable ASCII characters';
      throw validationError(`Idempotency-Key: ${problem}`, { 'Idempotency-Key': [problem] });
    }
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('base64url');
    const { IDEMPOTENCY_KEY_TTL_S: ttl, IDEMPOTENCY_KEYS_PER_USER_MAX: max } = this.config;
    return this.sql
      .transaction(BEGIN, async (tx: SqlRunner): Promise<T> => {
        const { rows } = await tx.run<{ claimed: number }>(CLAIM, [user.id, key, hash, ttl, max]);
        if (rows[0].claimed === 0) return this.replay<T>(tx, [user.id, key], hash, reply);
        const body = await write({ ...user, runner: tx } as AuthenticatedUser);
        const location = reply.getHeader('location') ?? null;
        await tx.run(COMPLETE, [user.id, key, reply.statusCode, JSON.stringify(body), location]);
        return body;
      })
      .catch((error: Error & { code?: string }) => {
        if ((error.cause as { code?: string } | undefined)?.code !== '55P03') throw error;
        throw ERRORS.idempotencyKeyInUse.error(
          'A request with this Idempotency-Key is still running; retry shortly',
          {},
          { 'Retry-After': '1' },
        );
      });
  }

  private async replay<T>(tx: SqlRunner, ownerKey: string[], hash: string, reply: FastifyReply) {
    type Row = { request_hash: string; status: number; body: unknown; location: string | null };
    const [first] = (await tx.run<Row>(FIND, ownerKey)).rows;
    if (first.request_hash !== hash) {
      throw ERRORS.idempotencyKeyMismatch.error(
        'This Idempotency-Key was already used for a different request; use a new key',
      );
    }
    reply.code(first.status).header('Idempotent-Replayed', 'true');
    if (first.location) reply.header('Location', first.location);
    return first.body as T;
  }
}

export const IDEMPOTENT_ERRORS = [ERRORS.idempotencyKeyInUse, ERRORS.idempotencyKeyMismatch];

/** Documents the header; list IDEMPOTENT_ERRORS in the same `@ApiErrors` call as the route's. */
export const Idempotent = (): MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1 to 255 printable ASCII characters, new per intended change: a retry with the same key and request gets the first answer again (`Idempotent-Replayed: true`) and changes nothing.',
  });

@Global()
@Module({
  providers: [configProvider(IdempotencyConfig), Idempotency],
  exports: [IdempotencyConfig, Idempotency],
})
export class IdempotencyModule {
  constructor(retention: RetentionService, config: IdempotencyConfig) {
    const everyMs = Math.min(config.IDEMPOTENCY_KEY_TTL_S, 600) * 1000;
    retention.register({ statement: PURGE, values: () => [], everyMs });
  }
}
