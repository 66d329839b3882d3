import { ApiError } from '../../core/errors/api-error';
import { bodyPipeFor } from '../../core/validation/json-body.decorators';
import { DESCRIPTION_MAX, TITLE_MAX } from '../task-rules';
import { CompleteTaskDto } from './complete-task.dto';
import { CreateTaskDto } from './create-task.dto';
import { UpdateTaskDto } from './update-task.dto';

/** The pipes `@ValidBody(…)` puts on the task routes. */
const CreateTaskBody = bodyPipeFor(CreateTaskDto);
const UpdateTaskBody = bodyPipeFor(UpdateTaskDto);
const CompleteTaskBody = bodyPipeFor(CompleteTaskDto);

/** The field errors of a refused body. */
function fields(run: () => unknown): Record<string, string[]> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return ((error as ApiError).details as { fields: Record<string, string[]> }).fields;
  }
  throw new Error('accepted');
}
const create = (body: unknown) => () => CreateTaskBody.transform(body);
const update = (body: unknown) => () => UpdateTaskBody.transform(body);

describe('task bodies', () => {
  it('create: title required and trimmed, description and completed optional', () => {
    expect(CreateTaskBody.transform({ title: '  x  ', completed: true })).toEqual({
      title: 'x',
      completed: true,
    });
    expect(CreateTaskBody.transform({ title: 'x', description: null })).toEqual({
      title: 'x',
      description: null,
    });
    expect(fields(create({}))).toEqual({ title: ['title must be a string'] });
    expect(fields(create({ description: 'x' }))).toEqual({ title: ['title must be a string'] });
  });

  it('names each bad field once, with what is wrong', () => {
    expect(fields(create({ title: '', description: 5, completed: 'yes', extra: 1 }))).toEqual({
      title: [`title must be 1 to ${TITLE_MAX} characters after trimming`],
      description: ['description must be a string or null'],
      completed: ['completed must be true or false'],
      extra: ['is not an accepted field'],
    });
  });

  it('counts lengths in code points, after trimming for the title', () => {
    expect(CreateTaskBody.transform({ title: '😀'.repeat(TITLE_MAX) })).toEqual({
      title: '😀'.repeat(TITLE_MAX),
    });
    expect(Object.keys(fields(create({ title: '😀'.repeat(TITLE_MAX + 1) })))).toEqual(['title']);
    expect(CreateTaskBody.transform({ title: ` ${'a'.repeat(TITLE_MAX)}\n` })).toEqual({
      title: 'a'.repeat(TITLE_MAX),
    });
    for (const title of [' ', '\t\n', '\u00a0', '\u3000']) {
      expect(Object.keys(fields(create({ title })))).toEqual(['title']);
    }
    const emoji = '😀'.repeat(DESCRIPTION_MAX);
    expect(CreateTaskBody.transform({ title: 'd', description: emoji })).toEqual({
      title: 'd',
      description: emoji,
    });
    expect(fields(create({ title: 'd', description: 'x'.repeat(DESCRIPTION_MAX + 1) }))).toEqual({
      description: [`description must be at most ${DESCRIPTION_MAX} characters`],
    });
  });

  it('refuses control characters and lone surrogates, keeps surrogate pairs', () => {
    expect(fields(create({ title: 'a\u0000' }))).toEqual({
      title: ['title must not contain control characters'],
    });
    expect(fields(create({ title: 'a\nb', description: 'a\u0001' }))).toEqual({
      title: ['title must not contain control characters'],
      description: [
        'description must not contain control characters other than tab, line feed and carriage return',
      ],
    });
    expect(CreateTaskBody.transform({ title: 'a', description: 'l1\r\n\tl2' })).toEqual({
      title: 'a',
      description: 'l1\r\n\tl2',
    });
    expect(fields(create({ title: 'a\ud800' }))).toEqual({
      title: ['title must be valid Unicode (no lone surrogates)'],
    });
    expect(fields(create({ title: 'a', description: '\udc00b' }))).toEqual({
      description: ['description must be valid Unicode (no lone surrogates)'],
    });
    expect(fields(create({ title: 'a', description: 'x\u0000' }))).toEqual({
      description: [
        'description must not contain control characters other than tab, line feed and carriage return',
      ],
    });
    expect(CreateTaskBody.transform({ title: '\ud83d\ude00' })).toEqual({ title: '😀' });
  });

  it('update: only what is sent; null clears the description but is refused for the others', () => {
    expect(UpdateTaskBody.transform({ completed: false })).toEqual({ completed: false });
    expect(UpdateTaskBody.transform({ description: null })).toEqual({ description: null });
    // The update body states "at least one field" itself now (it was the controller's check).
    expect(fields(update({}))).toEqual({
      body: ['must set at least one of title, description, completed'],
    });
    expect(Object.keys(fields(update({ title: null })))).toEqual(['title']);
    expect(Object.keys(fields(update({ completed: null })))).toEqual(['completed']);
    expect(Object.keys(fields(update({ id: 'x' })))).toEqual(['id']);
  });

  it('complete: no body, {}, or {"completed": boolean} only', () => {
    expect(CompleteTaskBody.transform(undefined)).toBeUndefined();
    expect(CompleteTaskBody.transform({})).toEqual({});
    expect(CompleteTaskBody.transform({ completed: true })).toEqual({ completed: true });
    expect(fields(() => CompleteTaskBody.transform(null))).toEqual({
      body: ['must be a JSON object'],
    });
    expect(Object.keys(fields(() => CompleteTaskBody.transform({ completed: null })))).toEqual([
      'completed',
    ]);
    expect(Object.keys(fields(() => CompleteTaskBody.transform({ title: 'x' })))).toEqual([
      'title',
    ]);
  });
});
