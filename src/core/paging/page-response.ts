import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeCursor, type Page } from './keyset';

/** Upper bound of an item's JSON: 6 bytes per UTF-16 unit of text (`\u0001`), 32 per other field. */
function mostBytes(item: object): number {
  let bytes = 2;
  for (const key in item) {
    const value = (item as Record<string, unknown>)[key];
    bytes += key.length + 4 + (typeof value === 'string' ? 6 * value.length : 32);
  }
  return bytes;
}

/**
 * The JSON array of the first `count` items within `maxBytes` of UTF-8, never fewer than one; one
 * JSON.stringify when even the worst escaping could not pass the budget, else item by item.
 */
export function pageJson(items: readonly object[], maxBytes: number) {
  const most = items.reduce((sum: number, item) => sum + mostBytes(item) + 1, 2);
  if (most <= maxBytes) return { json: JSON.stringify(items), count: items.length };
  const parts: string[] = [];
  let bytes = 1; // the brackets, less the first item's comma
  for (const item of items) {
    const part = JSON.stringify(item);
    bytes += Buffer.byteLength(part) + 1;
    if (parts.length > 0 && bytes > maxBytes) break;
    parts.push(part);
  }
  return { json: `[${parts.join()}]`, count: parts.length };
}

/**
 * Sends a page as a JSON array cut exactly to `maxBytes` (the query cut on a lower bound); the next
 * link keeps the request's other parameters. With `versionField`, a weak ETag.
 */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: Page<object & { id: string }>,
  options: { limit: number; maxBytes: number; orderField: string; versionField?: string },
): string {
  const { json, count } = pageJson(page.rows, options.maxBytes);
  const last = count < page.rows.length ? page.rows[count - 1] : undefined;
  const after = last
    ? { at: new Date((last as Record<string, unknown>)[options.orderField] as string), id: last.id }
    : page.next;
  const cursor = after && encodeCursor(after);
  const { versionField } = options;
  if (versionField) {
    // Weak: equal for pages of the same rows at the same versions with the same continuation.
    const rows = page.rows.slice(0, count) as Array<Record<string, string>>;
    const tags = `${rows.map((row) => row.id + row[versionField]).join()}:${cursor}`;
    reply.header('ETag', `W/"${createHash('sha1').update(tags).digest('base64url')}"`);
  }
  if (cursor) {
    const given = (request.query ?? {}) as Record<string, string>;
    const next = new URLSearchParams({ cursor, limit: String(options.limit) });
    for (const [name, value] of Object.entries(given)) {
      if (name !== 'cursor' && name !== 'limit') next.set(name, value);
    }
    const path = request.url.split('?')[0];
    reply.header('Link', `<${path}?${next.toString()}>; rel="next"`);
    reply.header('X-Next-Cursor', cursor);
  }
  reply.type('application/json; charset=utf-8');
  return json;
}
