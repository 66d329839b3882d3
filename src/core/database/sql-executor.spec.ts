import { isoTimestamp } from './sql-executor';

describe('isoTimestamp: timestamptz as the API shows it', () => {
  it.each([
    ['2026-01-14 12:00:00.123+00', '2026-01-14T12:00:00.123Z'],
    ['2026-01-14 12:00:00.12+00', '2026-01-14T12:00:00.120Z'],
    ['2026-01-14 12:00:00.1+00', '2026-01-14T12:00:00.100Z'],
    ['2026-01-14 12:00:00+00', '2026-01-14T12:00:00.000Z'],
    ['2026-01-14 12:00:00.123456+00', '2026-01-14T12:00:00.123Z'],
    // Another session time zone: through a Date, the same instant.
    ['2026-01-14 13:00:00.5+01', '2026-01-14T12:00:00.500Z'],
    ['2026-01-14 06:30:00-05:30', '2026-01-14T12:00:00.000Z'],
  ])('%s -> %s', (text, iso) => {
    expect(isoTimestamp(text)).toBe(iso);
    expect(new Date(iso).getTime()).toBe(
      new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).getTime(),
    );
  });
});
