import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { PURGE_BATCH, type Purge } from '../database/retention';
import { ErrorDef } from '../errors/api-error';
import { OpenApiSchema } from '../openapi/schema.decorator';
import {
  type KeysetTable,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  rowBytesSql,
} from '../paging/keyset';
import { pageJson } from '../paging/page-response';
import { IntegerParam } from '../validation/fields';
import { isUuid } from '../validation/identifiers';
import { Field } from '../validation/shape';

/** Rows stamped `from` or later are sent, `since` is when it was read (docs/architecture.md). */
export interface SyncToken {
  from: string;
  since: number;
  page?: [below: string, next: string, nextSince: number, afterXid: string, afterId: string];
}

export type ChangeRequest = Pick<ChangesQuery, 'since' | 'limit'> & {
  maxBytes: number;
  retentionDays: number;
};

export interface Changes<Row> {
  changes: Row[];
  deleted: Array<{ id: string; deleted_at: string }>;
  next: string;
  has_more: boolean;
}

export const SYNC_TOKEN_EXPIRED = new ErrorDef(
  410,
  'SYNC_TOKEN_EXPIRED',
  'The sync token is older than deletions are kept (SYNC_TOMBSTONE_RETENTION_DAYS): sync again without `since`.',
);

const DELETED = ['id', 'deleted_at'];
export const SYNC_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
const FORMAT =
  /^1\.(\d{1,18})\.(\d{1,15})(?:\.(\d{1,18})\.(\d{1,18})\.(\d{1,15})\.(\d{1,18})\.(.+))?$/;

/** Opaque to clients: base64url of "1.<from>.<since>[.<page>]". */
export function encodeSyncToken({ from, since, page }: SyncToken): string {
  return Buffer.from(['1', from, since, ...(page ?? [])].join('.')).toString('base64url');
}

export function decodeSyncToken(value: string): SyncToken | undefined {
  const text = SYNC_TOKEN_PATTERN.test(value) ? Buffer.from(value, 'base64url').toString() : '';
  const m = FORMAT.exec(text);
  if (!m) return;
  const token = { from: m[1], since: Number(m[2]) };
  if (m[3] === undefined) return token;
  if (isUuid(m[7])) return { ...token, page: [m[3], m[4], Number(m[5]), m[6], m[7].toLowerCase()] };
}

/** One statement: the snapshot's xmin and xmax with the rows and tombstones after the position. */
export function changesQuery(table: KeysetTable & { tombstones?: string }, request: ChangeRequest) {
  const now = Date.now();
  const token = request.since ?? { from: '0', since: now };
  if (token.since < now - request.retentionDays * 86_400_000) {
    throw SYNC_TOKEN_EXPIRED.error('This sync token has expired; sync again without since');
  }
  // Without a position: after (from - 1, the greatest uuid), i.e. every change_xid >= from.
  const start = [String(BigInt(token.from) - 1n), 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
  const after = token.page?.slice(3) ?? start;
  const where = `user_id = $1 AND (change_xid, id) > ($5::bigint, $6::uuid)
    AND change_xid < coalesce($3::bigint, snap.xmax)`;
  const order = 'ORDER BY change_xid, id LIMIT $7';
  const nulls = table.select.split(', ').map((column) => (column === 'id' ? 'id' : 'NULL'));
  const text = `WITH snap AS (SELECT pg_snapshot_xmin(s)::text::bigint AS xmin,
      pg_snapshot_xmax(s)::text::bigint AS xmax FROM pg_current_snapshot() s)
    SELECT snap.xmin AS snap_xmin, snap.xmax AS snap_xmax, page.* FROM snap LEFT JOIN LATERAL (
      SELECT *, upto < $4 AS fits FROM (
        SELECT *, sum(bytes) OVER (ORDER BY change_xid, id ROWS UNBOUNDED PRECEDING) AS upto FROM (
          (SELECT change_xid, ${table.select}, NULL::timestamptz AS deleted_at,
            ${rowBytesSql(table)} AS bytes FROM ${table.name} WHERE ${where} ${order})
          UNION ALL (SELECT change_xid, ${nulls.join(', ')}, deleted_at, 0 FROM ${table.tombstones}
            WHERE ${where} AND $2::bigint > 0 ${order}) ${order}) items
      ) counted WHERE upto - bytes < $4) page ON true ORDER BY page.change_xid, page.id`;
  const below = token.page?.[0] ?? null;
  const values = [token.from, below, request.maxBytes, ...after, request.limit + 1];
  return { name: 'changes', text, values, token, now };
}

/** At most `limit` items cut on their JSON; then the next page's token or the first page's xmin. */
export function changesPage<Row>(
  table: KeysetTable,
  rows: Array<Record<string, unknown>>,
  { limit, maxBytes, token, now }: ChangeRequest & { token: SyncToken; now: number },
): Changes<Row> {
  const items = rows.filter((row) => row.id !== null);
  let kept = Math.min(items.length, 1);
  while (kept < items.length && kept < limit && items[kept].fits) kept++;
  const columns = table.select.split(', ');
  const out = items
    .slice(0, kept)
    .map((row) =>
      Object.fromEntries((row.deleted_at ? DELETED : columns).map((key) => [key, row[key]])),
    );
  const { count } = pageJson(out, maxBytes);
  const [below, next, nextSince] = token.page ?? [rows[0].snap_xmax, rows[0].snap_xmin, now];
  const last = items[count - 1];
  const more = count < items.length;
  const page = [below, next, nextSince, last?.change_xid, last?.id] as SyncToken['page'];
  const sent = out.slice(0, count);
  const after = more ? { ...token, page } : { from: String(next), since: Number(nextSince) };
  return {
    changes: sent.filter((item) => !('deleted_at' in item)) as Row[],
    deleted: sent.filter((item) => 'deleted_at' in item) as Changes<Row>['deleted'],
    next: encodeSyncToken(after),
    has_more: more,
  };
}

/** Tombstones go a day after tokens expire: a transaction open when a token was read may be older. */
export function tombstonePurge(tombstones: string, retentionDays: number): Purge {
  const text = `DELETE FROM ${tombstones} WHERE (user_id, change_xid, id) IN (SELECT user_id,
    change_xid, id FROM ${tombstones} WHERE deleted_at < now() - $1::int * interval '1 day' LIMIT ${PURGE_BATCH})`;
  const statement = { name: `${tombstones}_purge`, text };
  return { statement, values: () => [retentionDays + 1], everyMs: 3_600_000 };
}

/** The query of a change feed, validated by the global pipe; `since` is given decoded. */
export class ChangesQuery {
  @IntegerParam({ min: 1, max: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT, description: 'Items.' })
  limit: number;

  @Field({
    read: (raw) => decodeSyncToken(String(raw)) ?? raw,
    checks: [IsObject({ message: 'must be a token this feed gave (next), unchanged' })],
    doc: { type: String, pattern: SYNC_TOKEN_PATTERN.source, description: 'The last `next`.' },
  })
  since?: SyncToken;
}

@OpenApiSchema({ name: 'Deletion', closed: true })
class DeletionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'date-time' })
  deleted_at: string;
}

/** The OpenAPI schema of a change feed's answer whose `changes` are `item`s. */
export function changesSchema(item: Type, name: string): Type {
  @OpenApiSchema({ name, closed: true })
  class ChangesDto {
    @ApiProperty({ type: item, isArray: true, description: 'Current state of each item changed.' })
    changes: unknown[];

    @ApiProperty({ type: DeletionDto, isArray: true })
    deleted: DeletionDto[];

    @ApiProperty({ description: 'Pass it back as `since`; opaque.' })
    next: string;

    @ApiProperty({ description: 'More follow now: ask again with `next` at once.' })
    has_more: boolean;
  }
  return ChangesDto;
}
