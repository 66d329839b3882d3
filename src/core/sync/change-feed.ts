import { PURGE_BATCH, type Purge } from '../database/retention';
import { ErrorDef } from '../errors/api-error';
import { type KeysetTable, rowBytesSql } from '../paging/keyset';
import { pageJson } from '../paging/page-json';
import { encodeSyncToken, type SyncToken } from './sync-token';

export const SYNC_ERRORS = {
  expired: new ErrorDef(
    410,
    'SYNC_TOKEN_EXPIRED',
    'The sync token is older than the deletions are kept (SYNC_TOMBSTONE_RETENTION_DAYS): sync again without `since`.',
  ),
};

/** A table with a change feed: `change_xid` kept by trigger, deletions in `tombstones`. */
export interface ChangeTable extends KeysetTable {
  tombstones: string;
}

/** One answer to read: after `token` (none: every current row), within `limit` and `maxBytes`. */
export interface ChangeRequest {
  token?: SyncToken;
  limit: number;
  maxBytes: number;
  retentionDays: number;
}

export interface Deleted {
  id: string;
  deleted_at: string;
}

export interface Changes<Row> {
  changes: Row[];
  deleted: Deleted[];
  next: string;
  has_more: boolean;
}

export interface ChangeRow {
  snap_xmin: string;
  snap_xmax: string;
  change_xid: string;
  id: string | null;
  deleted_at: string | null;
  fits: boolean;
  [column: string]: unknown;
}

const DAY_MS = 86_400_000;

/**
 * One statement, so the rows and the snapshot they were read in come together (no session state,
 * a transaction pooler is fine): the snapshot's xmin and xmax, then the owner's rows and tombstones
 * stamped in [from, below) after the page's position, in (change_xid, id) order, merged from two
 * index scans that stop after limit + 1, cut where their least JSON bytes pass the budget (as
 * keysetQuery does). Without `since` (from 0) no tombstones: a new copy has nothing to delete.
 */
export function changesQuery(table: ChangeTable, request: ChangeRequest, now: number) {
  const token = request.token ?? { from: '0', since: now };
  if (token.since < now - request.retentionDays * DAY_MS) {
    throw SYNC_ERRORS.expired.error('This sync token has expired; sync again without since');
  }
  const after = token.page?.after;
  const range = after ? '(change_xid, id) > ($6::bigint, $7::uuid)' : 'change_xid >= $2::bigint';
  const where = `user_id = $1 AND ${range} AND change_xid < coalesce($3::bigint, snap.xmax)`;
  const order = 'ORDER BY change_xid, id LIMIT $5';
  const nulls = table.select.split(', ').map((column) => (column === 'id' ? 'id' : 'NULL'));
  const text = `WITH snap AS (
      SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax
      FROM pg_current_snapshot() s
    )
    SELECT snap.xmin AS snap_xmin, snap.xmax AS snap_xmax, page.* FROM snap LEFT JOIN LATERAL (
      SELECT *, upto < $4 AS fits FROM (
        SELECT *, sum(bytes) OVER (ORDER BY change_xid, id ROWS UNBOUNDED PRECEDING) AS upto FROM (
          (SELECT change_xid, ${table.select}, NULL::timestamptz AS deleted_at,
              ${rowBytesSql(table)} AS bytes FROM ${table.name} WHERE ${where} ${order})
          UNION ALL
          (SELECT change_xid, ${nulls.join(', ')}, deleted_at, 0 FROM ${table.tombstones}
            WHERE ${where} AND $2::bigint > 0 ${order})
          ${order}
        ) items
      ) counted WHERE upto - bytes < $4
    ) page ON true ORDER BY page.change_xid, page.id`;
  const values: unknown[] = [token.from, token.page?.below ?? null, request.maxBytes];
  values.push(request.limit + 1, ...(after ? [after.xid, after.id] : []));
  return { name: `changes_${!!after}`, text, values, token };
}

/**
 * The answer out of what changesQuery read: at most `limit` items, cut on their JSON, and the
 * token to go on with: the next page's (same bound, after its last item), or after the last page
 * the first page's snapshot xmin, below which every transaction had ended when it was read.
 */
export function changesPage<Row>(
  table: ChangeTable,
  rows: ChangeRow[],
  request: ChangeRequest & { token: SyncToken },
  now: number,
): Changes<Row> {
  const items = rows.filter((row) => row.id !== null) as Array<ChangeRow & { id: string }>;
  let kept = Math.min(items.length, 1);
  while (kept < items.length && kept < request.limit && items[kept].fits) kept++;
  const columns = table.select.split(', ');
  const out = items
    .slice(0, kept)
    .map((row): object =>
      row.deleted_at === null
        ? Object.fromEntries(columns.map((column) => [column, row[column]]))
        : { id: row.id, deleted_at: row.deleted_at },
    );
  const { count } = pageJson(out, request.maxBytes);
  const { token } = request;
  const page = token.page ?? { next: rows[0].snap_xmin, nextSince: now, below: rows[0].snap_xmax };
  const more = count < items.length;
  const last = items[count - 1];
  const next: SyncToken = more
    ? { ...token, page: { ...page, after: { xid: last.change_xid, id: last.id } } }
    : { from: page.next, since: page.nextSince };
  const sent = out.slice(0, count);
  return {
    changes: sent.filter((item) => !('deleted_at' in item)) as Row[],
    deleted: sent.filter((item): item is Deleted => 'deleted_at' in item),
    next: encodeSyncToken(next),
    has_more: more,
  };
}

/**
 * Deletes tombstones older than the retention, a day later than tokens expire: a transaction open
 * when a token was read may have stamped its tombstone before it.
 */
export function tombstonePurge(tombstones: string, retentionDays: number): Purge {
  const text = `DELETE FROM ${tombstones} WHERE (user_id, change_xid, id) IN (
      SELECT user_id, change_xid, id FROM ${tombstones}
      WHERE deleted_at < now() - $1::int * interval '1 day' LIMIT ${PURGE_BATCH})`;
  return {
    statement: { name: `${tombstones}_purge`, text },
    values: () => [retentionDays + 1],
    everyMs: 3_600_000,
  };
}
