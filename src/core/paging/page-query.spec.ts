import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors/api-error';
import { BooleanParam } from '../validation/fields';
import { InputValidationPipe } from '../validation/input-validation.pipe';
import { encodeCursor, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from './keyset';
import { PageQuery } from './page-query';

/** A resource's list query: the page, and its filter. */
class ThingsQuery extends PageQuery {
  @BooleanParam({ description: 'Only done things.' })
  done?: boolean;
}

const pipe = new InputValidationPipe();
const read = (query: Record<string, unknown>) =>
  pipe.transform(query, { type: 'query', metatype: ThingsQuery }) as ThingsQuery;

function refused(query: Record<string, unknown>): { message: string; fields: object } {
  try {
    read(query);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const { code, message, details } = error as ApiError;
    expect(code).toBe('VALIDATION_ERROR');
    return { message, fields: details.fields as object };
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe('PageQuery', () => {
  it('defaults: 100 newest first, no filter, no cursor', () => {
    const query = read({});
    expect(query).toBeInstanceOf(ThingsQuery);
    expect({ ...query }).toEqual({ limit: PAGE_LIMIT_DEFAULT, order: 'desc' });
    expect(query.page(4096)).toEqual({
      limit: 100,
      order: 'desc',
      after: undefined,
      maxBytes: 4096,
    });
  });

  it('gives the handler typed values: limit a number, the filter a boolean, the cursor decoded', () => {
    const at = new Date('2026-01-14T12:00:00.123Z');
    const id = randomUUID();
    const cursor = encodeCursor({ at, id });
    const query = read({ limit: '500', done: 'false', order: 'asc', cursor });
    expect({ ...query }).toEqual({
      limit: PAGE_LIMIT_MAX,
      done: false,
      order: 'asc',
      cursor: { at, id },
    });
    expect(query.page(1)).toEqual({ limit: 500, order: 'asc', after: { at, id }, maxBytes: 1 });
    expect(read({ limit: '1', done: 'true', order: 'desc' }).done).toBe(true);
  });

  it.each(['0', '501', 'abc', '1.5', '-1', '', '1e2', ' 5', '5 ', '0x10', '1000'])(
    'refuses limit=%j',
    (limit) => {
      expect(refused({ limit })).toEqual({
        message: `limit: must be an integer from 1 to ${PAGE_LIMIT_MAX}`,
        fields: { limit: [`must be an integer from 1 to ${PAGE_LIMIT_MAX}`] },
      });
    },
  );

  it('refuses bad order, filter and cursor values, repeated and unknown parameters', () => {
    expect(refused({ order: 'DESC' }).message).toBe('order: must be desc or asc');
    expect(refused({ done: 'yes' }).message).toBe('done: must be true or false');
    for (const cursor of ['garbage!', 'AAAA', Buffer.from('1.x').toString('base64url')]) {
      expect(refused({ cursor }).message).toBe(
        'cursor: must be a cursor this list gave (X-Next-Cursor), unchanged',
      );
    }
    expect(refused({ limit: ['1', '2'] }).message).toBe('limit: must be given once');
    expect(refused({ _: '12345' }).message).toBe('_: is not an accepted field');
  });

  it('reports every bad parameter at once, the first in the message', () => {
    const all = refused({ limit: '0', done: 'x', order: 'x', cursor: '!', foo: 'bar' });
    expect(all.message).toBe('limit: must be an integer from 1 to 500 (and 4 more)');
    expect(Object.keys(all.fields)).toEqual(['limit', 'order', 'cursor', 'done', 'foo']);
  });
});
