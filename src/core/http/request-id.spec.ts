import type { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id';

const request = (headers: Record<string, string | string[]> = {}) =>
  ({ headers }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it('keeps a sane X-Request-Id from the client', () => {
    expect(requestIdFor(request({ 'x-request-id': 'abc-123_x.y:z' }))).toBe('abc-123_x.y:z');
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'a b'],
    ['with a newline (log injection)', 'a\nb'],
    ['empty', ''],
  ])('replaces one that is %s with a new UUID', (_, sent) => {
    expect(requestIdFor(request({ 'x-request-id': sent }))).toMatch(UUID);
  });

  it('makes one when none or several are sent', () => {
    expect(requestIdFor(request())).toMatch(UUID);
    expect(requestIdFor(request({ 'x-request-id': ['a', 'b'] }))).toMatch(UUID);
  });
});
