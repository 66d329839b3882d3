import { ApiError } from './api-error';
import {
  ApiValidationPipe,
  collectFieldErrors,
  MAX_BODY_DEPTH,
  nestsDeeperThan,
} from './validation.pipe';
import { CompleteTaskDto } from '../tasks/dto/complete-task.dto';
import { CreateTaskDto } from '../tasks/dto/create-task.dto';
import { UpdateTaskDto } from '../tasks/dto/update-task.dto';

const pipe = new ApiValidationPipe();
const body = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as never });

async function fields(value: unknown, metatype: unknown): Promise<Record<string, string[]>> {
  const error = await pipe.transform(value, body(metatype)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return ((error as ApiError).details as { fields: Record<string, string[]> }).fields;
}

describe('nestsDeeperThan', () => {
  it('measures depth iteratively, objects and arrays alike', () => {
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [[1]] } }, 3)).toBe(true);
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestsDeeperThan({ deep }, MAX_BODY_DEPTH)).toBe(true);
  });
});

describe('ApiValidationPipe', () => {
  it('lets a valid body through, trimmed', async () => {
    await expect(
      pipe.transform({ title: '  x  ', completed: true }, body(CreateTaskDto)),
    ).resolves.toMatchObject({ title: 'x', completed: true });
  });

  it('refuses non-objects and too-deep bodies', async () => {
    for (const value of [[], null, 'x', 1, undefined]) {
      expect(await fields(value, CreateTaskDto)).toEqual({ body: ['must be a JSON object'] });
    }
    let deep: unknown = [];
    for (let i = 0; i < MAX_BODY_DEPTH; i++) deep = [deep];
    expect(await fields({ title: 'x', deep }, CreateTaskDto)).toEqual({
      body: [`must not nest deeper than ${MAX_BODY_DEPTH} levels`],
    });
  });

  it('takes no body at all for an optional body, but not null', async () => {
    await expect(pipe.transform(undefined, body(CompleteTaskDto))).resolves.toBeUndefined();
    expect(await fields(null, CompleteTaskDto)).toEqual({ body: ['must be a JSON object'] });
  });

  it('refuses null for completed and title, allows null description', async () => {
    expect(Object.keys(await fields({ title: 'x', completed: null }, CreateTaskDto))).toEqual([
      'completed',
    ]);
    expect(Object.keys(await fields({ completed: null }, UpdateTaskDto))).toEqual(['completed']);
    expect(Object.keys(await fields({ completed: null }, CompleteTaskDto))).toEqual(['completed']);
    expect(Object.keys(await fields({ title: null }, UpdateTaskDto))).toEqual(['title']);
    await expect(pipe.transform({ description: null }, body(UpdateTaskDto))).resolves.toEqual({
      description: null,
    });
  });

  it('names unknown fields, and refuses lone surrogates and NUL', async () => {
    expect(await fields({ title: 'x', id: 'y' }, CreateTaskDto)).toEqual({
      id: ['is not an accepted field'],
    });
    expect(Object.keys(await fields({ title: 'a\ud800' }, CreateTaskDto))).toEqual(['title']);
    expect(
      Object.keys(await fields({ title: 'a', description: '\udc00b' }, CreateTaskDto)),
    ).toEqual(['description']);
    expect(Object.keys(await fields({ title: 'a\u0000' }, CreateTaskDto))).toEqual(['title']);
  });

  it('leaves non-body arguments to the base pipe', async () => {
    await expect(pipe.transform('abc', { type: 'param', metatype: String })).resolves.toBe('abc');
  });
});

describe('collectFieldErrors', () => {
  it('flattens nested errors into dotted paths', () => {
    expect(
      collectFieldErrors([
        {
          property: 'a',
          constraints: { isString: 'a must be a string' },
          children: [{ property: 'b', constraints: { whitelistValidation: 'x' }, children: [] }],
        },
        { property: 'c', children: [] },
      ]),
    ).toEqual({ a: ['a must be a string'], 'a.b': ['is not an accepted field'] });
  });
});
