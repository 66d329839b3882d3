import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeCursor, type Page } from './keyset';
import { pageJson } from './page-json';

/**
 * Sends one page as a plain JSON array, cut exactly on its JSON to `maxBytes` (the query cut on a
 * lower bound). When more follow: `Link: <…?cursor=…>; rel="next"` (RFC 8288) and `X-Next-Cursor`,
 * with the request's other parameters, so the next page keeps its filters. With `versionField`,
 * a weak ETag.
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
