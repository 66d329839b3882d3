import { randomUUID } from 'node:crypto';
import { ApiError } from '../../core/errors/api-error';
import { encodeCursor } from '../../core/paging/cursor';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from '../task-rules';
import { parseListQuery } from './list-tasks.query';

function fieldsOf(query: Record<string, unknown>): Record<string, string[]> {
  try {
    parseListQuery(query);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const { code, details } = (error as ApiError).getResponse() as {
      code: string;
      details: { fields: Record<string, string[]> };
    };
    expect(code).toBe('VALIDATION_ERROR');
    return details.fields;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe('parseListQuery', () => {
  it('defaults: 100 newest first, no filter, no cursor', () => {
    expect(parseListQuery()).toEqual({ limit: LIST_LIMIT_DEFAULT, order: 'desc' });
    expect(parseListQuery({})).toEqual({ limit: 100, order: 'desc' });
  });

  it('reads limit, completed, order and cursor', () => {
    const at = new Date('2026-01-14T12:00:00.123Z');
    const id = randomUUID();
    expect(
      parseListQuery({
        limit: '500',
        completed: 'false',
        order: 'asc',
        cursor: encodeCursor({ createdAt: at, id }),
      }),
    ).toEqual({
      limit: LIST_LIMIT_MAX,
      completed: false,
      order: 'asc',
      after: { createdAt: at, id },
    });
    expect(parseListQuery({ limit: '1', completed: 'true', order: 'desc' })).toEqual({
      limit: 1,
      completed: true,
      order: 'desc',
    });
    expect(parseListQuery({ limit: '007' }).limit).toBe(7);
  });

  it.each(['0', '501', 'abc', '1.5', '-1', '', '1e2', ' 5', '5 ', '0x10', '1000'])(
    'refuses limit=%j',
    (limit) => {
      expect(Object.keys(fieldsOf({ limit }))).toEqual(['limit']);
    },
  );

  it('refuses bad completed, order and cursor values, and repeated parameters', () => {
    expect(fieldsOf({ completed: 'yes' })).toEqual({
      completed: ['completed must be true or false'],
    });
    expect(fieldsOf({ order: 'DESC' })).toEqual({ order: ['order must be asc or desc'] });
    expect(fieldsOf({ cursor: 'garbage!' })).toEqual({ cursor: ['cursor is not valid'] });
    expect(Object.keys(fieldsOf({ cursor: ['a', 'b'] }))).toEqual(['cursor']);
    expect(Object.keys(fieldsOf({ limit: ['1', '2'] }))).toEqual(['limit']);
  });

  it('reports every bad parameter at once', () => {
    expect(
      Object.keys(fieldsOf({ limit: '0', completed: 'x', order: 'x', cursor: '!' })).sort(),
    ).toEqual(['completed', 'cursor', 'limit', 'order']);
  });
});
