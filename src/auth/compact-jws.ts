/**
 * Whether `token` is a JWS in compact form spelled the one canonical way: three dot-separated
 * segments of unpadded base64url (RFC 7515 section 2), header and payload not empty, every
 * segment of a length base64 can end at, and the unused low bits of a segment's last character
 * zero. jose decodes leniently (padding, `+` and `/`, stray low bits), so without this one
 * signed token has thousands of accepted spellings, each a new entry in any cache keyed by it.
 *
 * One pass over the characters with no allocation: it runs on every token the cache has not seen.
 */
export function isCanonicalCompactJws(token: string): boolean {
  let segment = 0;
  let start = 0;
  for (let i = 0; i <= token.length; i++) {
    const code = i === token.length ? DOT : token.charCodeAt(i);
    if (code === DOT) {
      if (!segmentEndsCanonically(token, start, i, segment)) return false;
      segment += 1;
      start = i + 1;
    } else if (sextet(code) < 0) {
      return false;
    }
  }
  return segment === 3;
}

const DOT = 0x2e;

/** The segment token[start, end): a possible base64url length whose last character has no stray bits. */
function segmentEndsCanonically(token: string, start: number, end: number, index: number): boolean {
  if (index > 2) return false;
  const length = end - start;
  if (length === 0) return false; // an empty signature is `alg: none`, refused anyway
  switch (length % 4) {
    case 0:
      return true;
    case 2: // 1 byte in the last group: 2 of its 6 bits used
      return (sextet(token.charCodeAt(end - 1)) & 0x0f) === 0;
    case 3: // 2 bytes: 4 bits used
      return (sextet(token.charCodeAt(end - 1)) & 0x03) === 0;
    default:
      return false;
  }
}

/** The 6-bit value of a base64url character, or -1 for any other (`=`, `+`, `/` included). */
function sextet(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code - 0x41; // A-Z
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 26; // a-z
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 52; // 0-9
  if (code === 0x2d) return 62; // -
  if (code === 0x5f) return 63; // _
  return -1;
}
