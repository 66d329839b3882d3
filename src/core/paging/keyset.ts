import { isUuid } from '../validation/identifiers';

export type SortOrder = 'asc' | 'desc';

export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 500;

/** Where a page ended: the sort key of its last row (a timestamp, then the id). */
export interface KeysetCursor {
  at: Date;
  id: string;
}

export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,96}$/;

/** Opaque to clients: base64url of "<ms>.<id>". */
export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(`${cursor.at.getTime()}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string): KeysetCursor | undefined {
  const decoded = CURSOR_PATTERN.test(value) ? Buffer.from(value, 'base64url').toString() : '';
  const match = /^(\d{1,15})\.(.+)$/.exec(decoded);
  if (!match || !isUuid(match[2])) return undefined;
  return { at: new Date(Number(match[1])), id: match[2].toLowerCase() };
}

/** One page to read: at most `limit` rows after `after`, within `maxBytes` of JSON. */
export interface PageRequest {
  limit: number;
  order: SortOrder;
  after?: KeysetCursor;
  maxBytes: number;
}

export interface Page<Row> {
  rows: Row[];
  next: KeysetCursor | null;
}

export interface KeysetTable {
  name: string;
  /** The select list; it must yield `id` and the `orderBy` field. */
  select: string;
  /** The timestamp column rows are ordered by (ties broken by id), and its field in a row. */
  orderBy: { column: string; field: string };
  /** Text columns with their longest value in code points: bounds of a row's JSON size. */
  texts: Record<string, number>;
  /** A row's JSON with every text empty is at least this many bytes. */
  jsonMinBytes: number;
}

/** A row's JSON bytes, at least: octet_length reads a text's stored size without detoasting it. */
export const rowBytesSql = (table: KeysetTable) =>
  [
    String(table.jsonMinBytes),
    ...Object.keys(table.texts).map((c) => `coalesce(octet_length(${c}), 0)`),
  ].join(' + ');

/** The largest rowBytesSql of a row the API wrote: at most 4 UTF-8 bytes per code point. */
const rowBytesMax = (table: KeysetTable) =>
  table.jsonMinBytes + 4 * Object.values(table.texts).reduce((a, b) => a + b, 0);

/**
 * limit + 1 rows of `table` after `page.after` (the extra one says more follow). When they could
 * pass the budget, a running sum of least row bytes (streamed, so the scan still stops) marks `fits`.
 */
export function keysetQuery(
  table: KeysetTable,
  filters: Record<string, unknown>,
  page: PageRequest,
) {
  const values = Object.values(filters);
  const where = Object.keys(filters).map((column, i) => `${column} = $${i + 1}`);
  const dir = page.order === 'desc' ? 'DESC' : 'ASC';
  const sort = table.orderBy.column;
  if (page.after) {
    values.push(page.after.at, page.after.id);
    const op = page.order === 'desc' ? '<' : '>';
    where.push(`(${sort}, id) ${op} ($${values.length - 1}, $${values.length})`);
  }
  const budgeted = (page.limit + 1) * rowBytesMax(table) > page.maxBytes;
  values.push(page.limit + 1);
  const by = `${sort} ${dir}, id ${dir}`;
  const rows = `FROM ${table.name} WHERE ${where.join(' AND ')} ORDER BY ${by} LIMIT $${values.length}`;
  const name = `${table.name}_page_${Object.keys(filters).join('_')}_${dir}_${!!page.after}_${budgeted}`;
  if (!budgeted) return { name, text: `SELECT ${table.select} ${rows}`, values, budgeted };
  values.push(page.maxBytes);
  const budget = `$${values.length}`;
  const text = `SELECT ${table.select}, upto < ${budget} AS fits FROM (
      SELECT page.*, sum(bytes) OVER (ORDER BY ${by} ROWS UNBOUNDED PRECEDING) AS upto
      FROM (SELECT *, ${rowBytesSql(table)} AS bytes ${rows}) page
    ) counted WHERE upto - bytes < ${budget} ORDER BY ${by}`;
  return { name, text, values, budgeted };
}

/** At most `limit` rows, cut before the first that does not fit but never before the first. */
export function keysetPage<Row extends { id: string }>(
  table: KeysetTable,
  rows: Array<Row & { fits?: boolean }>,
  page: PageRequest,
  budgeted: boolean,
): Page<Row> {
  let kept = Math.min(rows.length, budgeted ? 1 : page.limit);
  while (kept < rows.length && kept < page.limit && rows[kept].fits) kept++;
  const out = rows.slice(0, kept) as Row[];
  if (budgeted) for (const row of out) delete (row as { fits?: boolean }).fits;
  if (rows.length <= kept) return { rows: out, next: null };
  const last = out[kept - 1] as Row & Record<string, unknown>;
  return { rows: out, next: { at: new Date(last[table.orderBy.field] as string), id: last.id } };
}
