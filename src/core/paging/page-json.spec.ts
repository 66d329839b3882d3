import { pageJson } from './page-response';

const row = (text: string, note: string | null = text) => ({
  id: '0b7f5e3c-6a2d-4f59-9a8e-2f1f3c4d5e6f',
  owner: 'u',
  text,
  note,
  done: true,
  at: new Date('2026-01-14T12:00:00.000Z'),
});

const bytes = (text: string) => Buffer.byteLength(text);

describe('pageJson', () => {
  it('is the JSON array of the items when they fit', () => {
    const items = [row('a'), row('b', null)];
    const page = pageJson(items, 1_000_000);
    expect(page.count).toBe(2);
    expect(page.json).toBe(JSON.stringify(items));
    expect(pageJson([], 100)).toEqual({ json: '[]', count: 0 });
  });

  it('stops before the item that would pass the budget, counting escaped UTF-8 bytes', () => {
    // 100 quotes are 200 bytes of JSON; 100 U+0001 are 600; 100 emoji are 400 bytes.
    const items = [row('"'.repeat(100)), row('\u0001'.repeat(100)), row('😀'.repeat(100))];
    const whole = pageJson(items, 1_000_000).json;
    for (let budget = 2; budget <= bytes(whole) + 1; budget += 7) {
      const page = pageJson(items, budget);
      expect(page.count).toBeGreaterThanOrEqual(1);
      if (page.count > 1) expect(bytes(page.json)).toBeLessThanOrEqual(budget);
      const more = pageJson(items.slice(0, page.count + 1), 1_000_000);
      if (page.count < items.length) expect(bytes(more.json)).toBeGreaterThan(budget);
      expect(JSON.parse(page.json)).toHaveLength(page.count);
    }
    expect(pageJson(items, bytes(whole)).count).toBe(3);
    expect(pageJson(items, bytes(whole) - 1).count).toBe(2);
  });

  it('is one JSON.stringify when the page could not pass the budget even at the worst escaping', () => {
    const items = [row('\u0001'.repeat(100)), row('\u0001'.repeat(100))];
    const whole = JSON.stringify(items);
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect(pageJson(items, 1_000_000)).toEqual({ json: whole, count: 2 });
      expect(stringify).toHaveBeenCalledTimes(1);
      stringify.mockClear();
      expect(pageJson(items, bytes(whole))).toEqual({ json: whole, count: 2 });
      expect(stringify).toHaveBeenCalledTimes(2);
      expect(pageJson(items, bytes(whole) - 1).count).toBe(1);
    } finally {
      stringify.mockRestore();
    }
  });

  it('always holds the first item, however small the budget', () => {
    expect(pageJson([row('x'.repeat(500)), row('y')], 10).count).toBe(1);
  });
});
