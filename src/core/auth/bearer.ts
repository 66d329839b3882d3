/** RFC 6750 section 2.1: `Bearer` (any case), one or more spaces, a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of an `Authorization: Bearer …` header; undefined when there is none or it is malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1];
}

/** Three non-empty segments of base64url characters (no `=`, `+`, `/`). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Whether `token` is a compact JWS spelled the one canonical way (RFC 7515): jose decodes
 * leniently, so else one signed token has thousands of spellings, each a new cache entry.
 */
export function isCanonicalCompactJws(token: string): boolean {
  if (!COMPACT_JWS.test(token)) return false;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  return (
    endsCanonically(token, first) &&
    endsCanonically(token, second) &&
    endsCanonically(token, token.length)
  );
}

/** The segment ending before `end` (it starts after the previous dot or at 0). */
function endsCanonically(token: string, end: number): boolean {
  const start = token.lastIndexOf('.', end - 1) + 1;
  switch ((end - start) % 4) {
    case 0:
      return true;
    case 2: // 1 byte in the last group: 2 of the last character's 6 bits used
      return (BASE64URL.indexOf(token[end - 1]) & 0x0f) === 0;
    case 3: // 2 bytes: 4 bits used
      return (BASE64URL.indexOf(token[end - 1]) & 0x03) === 0;
    default: // 1: no byte ends there
      return false;
  }
}
