import type { Type } from '@nestjs/common';
import { ApiError } from '../core/errors/api-error';
import { InputValidationPipe } from '../core/validation/input-validation.pipe';
import { CompleteTaskDto, CreateTaskDto, ListTasksQuery, UpdateTaskDto } from './task.dto';
import { DESCRIPTION_MAX, TITLE_MAX } from './task.entity';

/** The app's global pipe, as it runs on the task routes' bodies and queries. */
const pipe = new InputValidationPipe();
const valid = (type: Type, value: unknown, kind: 'body' | 'query' = 'body') => {
  const out = pipe.transform(value, { type: kind, metatype: type }) as object | undefined;
  return out && { ...out };
};

/** The message (the answer's `detail`) and the field errors of a refused body. */
function refused(
  type: Type,
  value: unknown,
): { message: string; fields: Record<string, string[]> } {
  try {
    pipe.transform(value, { type: 'body', metatype: type });
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const { message, details } = error as ApiError;
    return { message, fields: details.fields as Record<string, string[]> };
  }
  throw new Error('accepted');
}
const create = (body: unknown) => refused(CreateTaskDto, body);

describe('task bodies', () => {
  it('create: title required and trimmed, description null and completed false unless sent', () => {
    expect(valid(CreateTaskDto, { title: '  x  ', completed: true })).toEqual({
      title: 'x',
      description: null,
      completed: true,
    });
    expect(valid(CreateTaskDto, { title: 'x', description: 'd' })).toEqual({
      title: 'x',
      description: 'd',
      completed: false,
    });
    for (const body of [{}, { description: 'x' }]) {
      expect(create(body)).toEqual({
        message: 'title: is required',
        fields: { title: ['is required'] },
      });
    }
    expect(create({ title: null }).message).toBe('title: must be a string');
  });

  it('says what is wrong with the first field and counts the others; lists each', () => {
    expect(create({ title: '', description: 5, completed: 'yes', extra: 1 })).toEqual({
      message: 'title: must not be blank (and 3 more)',
      fields: {
        title: ['must not be blank'],
        description: ['must be a string or null'],
        completed: ['must be true or false'],
        extra: ['is not an accepted field'],
      },
    });
    expect(create({ title: 'x', description: 'x'.repeat(DESCRIPTION_MAX + 1) })).toEqual({
      message: `description: at most ${DESCRIPTION_MAX} characters`,
      fields: { description: [`at most ${DESCRIPTION_MAX} characters`] },
    });
  });

  it('counts lengths in code points, after trimming for the title', () => {
    const emoji = '😀'.repeat(TITLE_MAX);
    expect(valid(CreateTaskDto, { title: emoji })).toMatchObject({ title: emoji });
    expect(create({ title: `${emoji}😀` }).message).toBe(`title: at most ${TITLE_MAX} characters`);
    const padded = ` ${'a'.repeat(TITLE_MAX)}\n`;
    expect(valid(CreateTaskDto, { title: padded })).toMatchObject({ title: 'a'.repeat(TITLE_MAX) });
    for (const title of [' ', '\t\n', '\u00a0', '\u3000']) {
      expect(create({ title }).message).toBe('title: must not be blank');
    }
    const long = '😀'.repeat(DESCRIPTION_MAX);
    expect(valid(CreateTaskDto, { title: 'd', description: long })).toMatchObject({
      description: long,
    });
  });

  it('refuses control characters and lone surrogates, keeps surrogate pairs', () => {
    expect(create({ title: 'a\u0000' }).message).toBe('title: must not contain control characters');
    expect(create({ title: 'a\nb', description: 'a\u0001' }).fields).toEqual({
      title: ['must not contain control characters'],
      description: [
        'must not contain control characters other than tab, line feed and carriage return',
      ],
    });
    expect(valid(CreateTaskDto, { title: 'a', description: 'l1\r\n\tl2' })).toMatchObject({
      description: 'l1\r\n\tl2',
    });
    expect(create({ title: 'a\ud800' }).message).toBe(
      'title: must be valid Unicode (no lone surrogates)',
    );
    expect(create({ title: 'a', description: '\udc00b' }).fields).toEqual({
      description: ['must be valid Unicode (no lone surrogates)'],
    });
    expect(valid(CreateTaskDto, { title: '\ud83d\ude00' })).toMatchObject({ title: '😀' });
  });

  it('update: only what is sent, at least one; null clears the description only', () => {
    expect(valid(UpdateTaskDto, { completed: false })).toEqual({ completed: false });
    expect(valid(UpdateTaskDto, { description: null })).toEqual({ description: null });
    expect(refused(UpdateTaskDto, {})).toEqual({
      message: 'body: must set at least one of title, description, completed',
      fields: { body: ['must set at least one of title, description, completed'] },
    });
    expect(refused(UpdateTaskDto, { title: null }).message).toBe('title: must be a string');
    expect(refused(UpdateTaskDto, { completed: null }).message).toBe(
      'completed: must be true or false',
    );
    expect(refused(UpdateTaskDto, { id: 'x' }).message).toBe('id: is not an accepted field');
  });

  it('complete: no body, {}, or {"completed": boolean} only', () => {
    expect(valid(CompleteTaskDto, undefined)).toBeUndefined();
    expect(valid(CompleteTaskDto, {})).toEqual({});
    expect(valid(CompleteTaskDto, { completed: true })).toEqual({ completed: true });
    expect(refused(CompleteTaskDto, null).message).toBe('body: must be a JSON object');
    expect(refused(CompleteTaskDto, { completed: null }).message).toBe(
      'completed: must be true or false',
    );
    expect(refused(CompleteTaskDto, { title: 'x' }).message).toBe(
      'title: is not an accepted field',
    );
  });
});

describe('the list query', () => {
  it('is a page query with the completed filter', () => {
    expect(valid(ListTasksQuery, { completed: 'true', limit: '2' }, 'query')).toEqual({
      limit: 2,
      order: 'desc',
      completed: true,
    });
    expect(valid(ListTasksQuery, {}, 'query')).toEqual({ limit: 100, order: 'desc' });
  });
});
