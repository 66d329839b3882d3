import { isUuid } from '../validation/identifiers';

/**
 * Where a client's copy stands; xids are bigint decimals, times ms. A token between two pages of
 * one answer also carries the answer's upper bound and the token that follows it (docs/architecture.md).
 */
export interface SyncToken {
  /** Changes stamped with this transaction id or later are sent; '0': every current row. */
  from: string;
  /** When `from` was read: a token older than the tombstones' retention has expired. */
  since: number;
  page?: {
    below: string;
    next: string;
    nextSince: number;
    after: { xid: string; id: string };
  };
}

export const SYNC_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
const XID_MAX = 2n ** 63n - 1n;
const FORMAT =
  /^1\.(\d{1,19})\.(\d{1,15})(?:\.(\d{1,19})\.(\d{1,15})\.(\d{1,19})\.(\d{1,19})\.(.+))?$/;

/** Opaque to clients: base64url of "1.<from>.<since>" and, between pages, the page's fields. */
export function encodeSyncToken({ from, since, page }: SyncToken): string {
  const parts = ['1', from, since];
  if (page) parts.push(page.next, page.nextSince, page.below, page.after.xid, page.after.id);
  return Buffer.from(parts.join('.')).toString('base64url');
}

/** The token, or undefined when `value` is not one this service made. */
export function decodeSyncToken(value: string): SyncToken | undefined {
  const decoded = SYNC_TOKEN_PATTERN.test(value) ? Buffer.from(value, 'base64url').toString() : '';
  const m = FORMAT.exec(decoded);
  if (!m || [m[1], m[3], m[5], m[6]].some((xid) => xid && BigInt(xid) > XID_MAX)) return undefined;
  const token: SyncToken = { from: m[1], since: Number(m[2]) };
  if (m[3] === undefined) return token;
  if (!isUuid(m[7])) return undefined;
  const after = { xid: m[6], id: m[7].toLowerCase() };
  return { ...token, page: { next: m[3], nextSince: Number(m[4]), below: m[5], after } };
}
