import {
  decodeCursor,
  encodeCursor,
  keysetPage,
  keysetQuery,
  type KeysetTable,
  type PageRequest,
  rowBytesSql,
} from './keyset';

const ID = '0b6f8f3e-7d2a-4c1e-9f7a-2d3c4b5a6e7f';

describe('keyset cursor', () => {
  it('round-trips the time (to the millisecond) and the id', () => {
    const cursor = { at: new Date('2026-01-14T12:00:00.123Z'), id: ID };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
    for (const at of [new Date(0), new Date(1), new Date(999_999_999_999_999)]) {
      expect(decodeCursor(encodeCursor({ at, id: ID }))).toEqual({ at, id: ID });
    }
  });

  it('normalises the id to lower case', () => {
    const encoded = Buffer.from(`1.${ID.toUpperCase()}`).toString('base64url');
    expect(decodeCursor(encoded)?.id).toBe(ID);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['too long', 'A'.repeat(97)],
    ['no separator', Buffer.from(`123${ID}`).toString('base64url')],
    ['not a number', Buffer.from(`abc.${ID}`).toString('base64url')],
    ['a negative time', Buffer.from(`-1.${ID}`).toString('base64url')],
    ['not a uuid', Buffer.from('123.not-a-uuid').toString('base64url')],
    ['prefixed by another character', `$${encodeCursor({ at: new Date(1), id: ID })}`],
    ['followed by another character', `${encodeCursor({ at: new Date(1), id: ID })}$`],
    ['text before the time', Buffer.from(`x123.${ID}`).toString('base64url')],
    ['a time of 16 digits', Buffer.from(`1234567890123456.${ID}`).toString('base64url')],
    ['text after the id', Buffer.from(`123.${ID}x`).toString('base64url')],
    ['a line after the id', Buffer.from(`123.${ID}\nx`).toString('base64url')],
    ['no time', Buffer.from(`.${ID}`).toString('base64url')],
    ['a space after it', `${encodeCursor({ at: new Date(1), id: ID })} `],
  ])('refuses a cursor that is %s', (_, value) => {
    expect(decodeCursor(value)).toBeUndefined();
  });
});

/** A table as a repository declares it: rows `{ id, madeAt, body, tag }`, at most 530 bytes each. */
const NOTES: KeysetTable = {
  name: 'notes',
  select: 'id, made_at AS "madeAt", body, tag',
  orderBy: { column: 'made_at', field: 'madeAt' },
  texts: { body: 100, tag: 20 },
  jsonMinBytes: 50,
};
const ROW_BYTES_MAX = 50 + 4 * (100 + 20);
const AFTER = { at: new Date('2026-01-14T12:00:00.123Z'), id: ID };
const OWNER = { user_id: 'u1' };
const request = (page: Partial<PageRequest> = {}): PageRequest => ({
  limit: 10,
  order: 'desc',
  maxBytes: 1 << 20,
  ...page,
});
const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');

describe('keysetQuery', () => {
  it('reads limit + 1 rows of the owner after the cursor, in (time, id) order', () => {
    const first = keysetQuery(NOTES, OWNER, request());
    expect(first).toEqual({
      name: 'notes_page_user_id_DESC_false_false',
      text: 'SELECT id, made_at AS "madeAt", body, tag FROM notes WHERE user_id = $1 ORDER BY made_at DESC, id DESC LIMIT $2',
      values: ['u1', 11],
      budgeted: false,
    });
    const next = keysetQuery(NOTES, { ...OWNER, done: true }, request({ after: AFTER }));
    expect(next.text).toBe(
      'SELECT id, made_at AS "madeAt", body, tag FROM notes WHERE user_id = $1 AND done = $2 AND (made_at, id) < ($3, $4) ORDER BY made_at DESC, id DESC LIMIT $5',
    );
    expect(next.values).toEqual(['u1', true, AFTER.at, AFTER.id, 11]);
    expect(next.name).toBe('notes_page_user_id_done_DESC_true_false');
  });

  it('oldest first: ascending, and after the cursor is greater', () => {
    const { text, values } = keysetQuery(NOTES, OWNER, request({ order: 'asc', after: AFTER }));
    expect(text).toBe(
      'SELECT id, made_at AS "madeAt", body, tag FROM notes WHERE user_id = $1 AND (made_at, id) > ($2, $3) ORDER BY made_at ASC, id ASC LIMIT $4',
    );
    expect(values).toEqual(['u1', AFTER.at, AFTER.id, 11]);
  });

  it('counts bytes only when limit + 1 of the largest rows could pass the budget', () => {
    expect(rowBytesSql(NOTES)).toBe(
      '50 + coalesce(octet_length(body), 0) + coalesce(octet_length(tag), 0)',
    );
    const fits = 11 * ROW_BYTES_MAX;
    expect(keysetQuery(NOTES, OWNER, request({ maxBytes: fits })).budgeted).toBe(false);
    expect(keysetQuery(NOTES, OWNER, request({ maxBytes: fits - 1 })).budgeted).toBe(true);
    expect(keysetQuery(NOTES, OWNER, request({ limit: 9, maxBytes: fits - 1 })).budgeted).toBe(
      false,
    );
  });

  it('with a budget: a running sum of the least bytes stops at the first row past it', () => {
    const query = keysetQuery(NOTES, OWNER, request({ after: AFTER, maxBytes: 1000 }));
    expect(query.name).toBe('notes_page_user_id_DESC_true_true');
    expect(query.budgeted).toBe(true);
    expect(query.values).toEqual(['u1', AFTER.at, AFTER.id, 11, 1000]);
    const by = 'made_at DESC, id DESC';
    expect(oneLine(query.text)).toBe(
      `SELECT id, made_at AS "madeAt", body, tag, upto < $5 AS fits FROM (` +
        `SELECT page.*, sum(bytes) OVER (ORDER BY ${by} ROWS UNBOUNDED PRECEDING) AS upto ` +
        `FROM (SELECT *, ${rowBytesSql(NOTES)} AS bytes FROM notes WHERE user_id = $1 AND ` +
        `(made_at, id) < ($2, $3) ORDER BY ${by} LIMIT $4) page` +
        `) counted WHERE upto - bytes < $5 ORDER BY ${by}`,
    );
  });

  it('numbers every value once, and names each shape of statement apart (prepared once)', () => {
    const texts = new Map<string, string>();
    for (const filters of [OWNER, { ...OWNER, done: false }, { ...OWNER, done: true }])
      for (const order of ['asc', 'desc'] as const)
        for (const after of [undefined, AFTER, { at: new Date(0), id: ID }])
          for (const [limit, maxBytes] of [
            [10, 1 << 20],
            [10, 1000],
            [500, 1 << 20],
            [1, 1],
          ]) {
            const query = keysetQuery(NOTES, filters, { limit, order, after, maxBytes });
            const used = [...query.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
            const numbers = query.values.map((_, i) => i + 1);
            expect(new Set(used)).toEqual(new Set(numbers));
            expect(texts.get(query.name) ?? query.text).toBe(query.text);
            texts.set(query.name, query.text);
          }
    // Filter columns (none, done) x order x cursor or not x budgeted or not.
    expect(texts.size).toBe(2 * 2 * 2 * 2);
  });
});

describe('keysetPage', () => {
  const row = (n: number, fits?: boolean) => ({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    madeAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    ...(fits !== undefined && { fits }),
  });
  const cursorOf = (r: { id: string; madeAt: string }) => ({ at: new Date(r.madeAt), id: r.id });

  it('keeps limit rows and continues after the last when one more was read', () => {
    const rows = [1, 2, 3, 4].map((n) => row(n));
    expect(keysetPage(NOTES, rows, request({ limit: 3 }), false)).toStrictEqual({
      rows: rows.slice(0, 3),
      next: cursorOf(rows[2]),
    });
    // The cursor a client gets back starts the next page right after that row.
    const { next } = keysetPage(NOTES, rows, request({ limit: 3 }), false);
    expect(next && decodeCursor(encodeCursor(next))).toEqual(cursorOf(rows[2]));
  });

  it('ends when no more than limit rows were read', () => {
    for (const count of [0, 2, 3]) {
      const rows = [1, 2, 3].slice(0, count).map((n) => row(n));
      expect(keysetPage(NOTES, rows, request({ limit: 3 }), false)).toStrictEqual({
        rows,
        next: null,
      });
    }
  });

  it('with a budget: cuts before the first row that does not fit, never before the first', () => {
    const read = (...fits: boolean[]) => fits.map((f, i) => row(i + 1, f));
    const plain = (...ns: number[]) => ns.map((n) => row(n));
    const cases: Array<[boolean[], number, ReturnType<typeof row>[], number | null]> = [
      [[true, true, false, false], 3, plain(1, 2), 2],
      [[false, false], 3, plain(1), 1],
      [[true, true, true, true], 3, plain(1, 2, 3), 3],
      [[true, true, true], 3, plain(1, 2, 3), null],
      [[true, false], 3, plain(1), 1],
      [[true, true], 3, plain(1, 2), null],
      [[], 3, [], null],
    ];
    for (const [fits, limit, rows, last] of cases) {
      const page = keysetPage(NOTES, read(...fits), request({ limit }), true);
      const next = last === null ? null : cursorOf(row(last));
      expect({ fits, page }).toStrictEqual({ fits, page: { rows, next } });
    }
  });
});
