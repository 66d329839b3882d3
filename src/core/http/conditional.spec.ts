import { etagOf, ifMatchVersions, noneMatch } from './conditional';

describe('entity tags', () => {
  const version = '2026-01-14T12:00:00.123Z';
  const tag = etagOf(version);

  it('a version is a short strong tag, and If-Match gives the version back', () => {
    expect(tag).toMatch(/^"[0-9a-z]+"$/);
    expect(ifMatchVersions(tag)).toEqual([version]);
    expect(ifMatchVersions(` "x-y" , ${tag}`)).toEqual([version]);
  });

  it('If-Match: * is any version; weak, malformed or out-of-range tags match none', () => {
    expect(ifMatchVersions('*')).toBeUndefined();
    expect(ifMatchVersions(`${tag}, *`)).toBeUndefined();
    for (const header of [`W/${tag}`, 'abc', '"A1"', '""', '"0"', '"zzzzzzzzzzzz"', ',']) {
      expect(ifMatchVersions(header)).toEqual([]);
    }
  });

  it('If-None-Match compares weakly, any tag in the list, * for any', () => {
    expect(noneMatch(undefined, tag)).toBe(false);
    expect(noneMatch(`W/${tag}`, tag)).toBe(true);
    expect(noneMatch(`"other", ${tag}`, tag)).toBe(true);
    expect(noneMatch('W/"abc"', 'W/"abc"')).toBe(true);
    expect(noneMatch('*', tag)).toBe(true);
    expect(noneMatch('"other"', tag)).toBe(false);
  });
});
