import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { InvalidInputError } from '../../src/core/database/pg-errors';
import { TasksRepository } from '../../src/tasks/tasks.repository';
import { TasksService } from '../../src/tasks/tasks.service';
import { startTestApp, TestApp } from '../support/test-app';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const owner = (id: string) => ({ id });
const page = (limit: number) => ({ limit, order: 'desc' as const, maxBytes: 1 << 20 });
const NOT_FOUND = { code: 'NOT_FOUND', message: 'Task not found' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tasks data layer (TasksService and TasksRepository from the real app)', () => {
  let app: TestApp;
  let service: TasksService;
  let repository: TasksRepository;

  beforeAll(async () => {
    app = await startTestApp();
    service = app.get(TasksService);
    repository = app.get(TasksRepository);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('create and read', () => {
    it('creates with defaults and reads it back by owner and id', async () => {
      const before = Date.now();
      const task = await service.create(owner('alice'), { title: 'Buy milk' });
      expect(task).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        user_id: 'alice',
        title: 'Buy milk',
        description: null,
        completed: false,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated_at: expect.stringMatching(/Z$/),
      });
      expect(Date.parse(task.created_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(task.updated_at).toEqual(task.created_at);
      expect(await service.get(owner('alice'), task.id)).toEqual(task);
    });

    it('stores description and completed when given', async () => {
      const task = await service.create(owner('alice'), {
        title: 'Read',
        description: 'chapter 3',
        completed: true,
      });
      expect(await service.get(owner('alice'), task.id)).toMatchObject({
        description: 'chapter 3',
        completed: true,
      });
    });

    it('keeps characters beyond ASCII, and 255 of them fit the title and the user id', async () => {
      const userId = '🦊'.repeat(255);
      const task = await service.create(owner(userId), { title: 'ü'.repeat(255) });
      expect(await service.get(owner(userId), task.id)).toMatchObject({
        user_id: userId,
        title: 'ü'.repeat(255),
      });
    });

    it('answers an unknown id with null (repository) and 404 NOT_FOUND (service)', async () => {
      expect(await repository.findOne(owner('alice'), MISSING_ID)).toBeNull();
      await expect(service.get(owner('alice'), MISSING_ID)).rejects.toMatchObject(NOT_FOUND);
    });
  });

  describe('update, complete, delete', () => {
    it('moves updated_at on update while created_at stays', async () => {
      const task = await service.create(owner('alice'), { title: 'Draft', description: 'x' });
      await sleep(15);
      const updated = await service.update(owner('alice'), task.id, { title: 'Final' });
      expect(updated).toMatchObject({ id: task.id, title: 'Final', description: 'x' });
      expect(updated.created_at).toEqual(task.created_at);
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(task.updated_at));
    });

    it('changes only the fields given; null clears the description', async () => {
      const task = await service.create(owner('alice'), { title: 'T', description: 'd' });
      const updated = await service.update(owner('alice'), task.id, {
        description: null,
        completed: true,
      });
      expect(updated).toMatchObject({ title: 'T', description: null, completed: true });
    });

    it('refuses an update with no fields', async () => {
      const task = await service.create(owner('alice'), { title: 'T' });
      await expect(service.update(owner('alice'), task.id, {})).rejects.toThrow(
        new InvalidInputError('Nothing to update'),
      );
      await expect(
        service.update(owner('alice'), task.id, { title: undefined }),
      ).rejects.toBeInstanceOf(InvalidInputError);
    });

    it('toggles completed, and sets it idempotently when a value is given', async () => {
      const task = await service.create(owner('alice'), { title: 'T' });
      expect((await service.complete(owner('alice'), task.id)).completed).toBe(true);
      expect((await service.complete(owner('alice'), task.id)).completed).toBe(false);
      expect((await service.complete(owner('alice'), task.id, true)).completed).toBe(true);
      expect((await service.complete(owner('alice'), task.id, true)).completed).toBe(true);
      expect((await service.complete(owner('alice'), task.id, false)).completed).toBe(false);
    });

    it('deletes once; the second time the task is not found', async () => {
      const task = await service.create(owner('alice'), { title: 'T' });
      await service.delete(owner('alice'), task.id);
      expect(await repository.findOne(owner('alice'), task.id)).toBeNull();
      expect(await repository.delete(owner('alice'), task.id)).toBe(false);
      await expect(service.delete(owner('alice'), task.id)).rejects.toMatchObject(NOT_FOUND);
    });

    it('answers update and complete of an unknown id with 404 NOT_FOUND', async () => {
      await expect(
        service.update(owner('alice'), MISSING_ID, { title: 'x' }),
      ).rejects.toMatchObject(NOT_FOUND);
      await expect(service.complete(owner('alice'), MISSING_ID)).rejects.toMatchObject(NOT_FOUND);
    });
  });

  describe('input the data layer refuses, before or by the database', () => {
    const expectValidation = async (work: Promise<unknown>, field?: string) => {
      const error = await work.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      if (field) expect((error as InvalidInputError).field).toBe(field);
      return error as InvalidInputError;
    };

    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['too long', 'u'.repeat(256)],
      ['too long in code points', '😀'.repeat(256)],
      ['not a string', undefined as unknown as string],
    ])('refuses a user id that is %s', async (_, userId) => {
      await expectValidation(service.create(owner(userId), { title: 'T' }), 'user_id');
      await expectValidation(service.list(owner(userId), page(10)), 'user_id');
      await expectValidation(service.get(owner(userId), MISSING_ID), 'user_id');
    });

    it('takes a user id of 255 code points, though it is 510 UTF-16 units', async () => {
      const userId = '😀'.repeat(255);
      const task = await service.create(owner(userId), { title: 'T' });
      expect((await service.get(owner(userId), task.id)).user_id).toBe(userId);
    });

    it.each(['not-a-uuid', '', `${MISSING_ID}x`, "1' OR '1'='1", undefined as unknown as string])(
      'refuses the id %p as not a uuid',
      async (id) => {
        await expectValidation(service.get(owner('alice'), id), 'id');
        await expectValidation(service.update(owner('alice'), id, { title: 'x' }), 'id');
        await expectValidation(service.complete(owner('alice'), id), 'id');
        await expectValidation(service.delete(owner('alice'), id), 'id');
      },
    );

    it('refuses a NUL character in the title as a validation error', async () => {
      const error = await expectValidation(service.create(owner('alice'), { title: 'a\u0000b' }));
      expect(error.message).toBe('Value contains characters the database cannot store');
    });

    it('refuses a title over 255 characters and a blank title', async () => {
      const long = await expectValidation(
        service.create(owner('alice'), { title: 't'.repeat(256) }),
      );
      expect(long.message).toBe('Value too long');
      const blank = await expectValidation(service.create(owner('alice'), { title: '   ' }));
      expect(blank.message).toBe('Value is not allowed');
    });

    it('leaves the description length to the HTTP layer (the column is text)', async () => {
      const task = await service.create(owner('alice'), {
        title: 'T',
        description: 'd'.repeat(20_000),
      });
      expect(task.description).toHaveLength(20_000);
    });
  });

  describe('ownership', () => {
    it('user B can neither see nor change nor delete user A’s task, which stays as it was', async () => {
      const task = await service.create(owner('user-a'), {
        title: 'A’s secret',
        description: 'mine',
      });
      const [before] = await app.db.query('SELECT * FROM tasks WHERE id = $1', [task.id]);

      expect(await repository.findOne(owner('user-b'), task.id)).toBeNull();
      expect(await repository.update(owner('user-b'), task.id, { title: 'stolen' })).toBeNull();
      expect(await repository.toggle(owner('user-b'), task.id)).toBeNull();
      expect(await repository.update(owner('user-b'), task.id, { completed: true })).toBeNull();
      expect(await repository.delete(owner('user-b'), task.id)).toBe(false);
      expect((await repository.list(owner('user-b'), page(100))).rows).toEqual([]);
      for (const attempt of [
        service.get(owner('user-b'), task.id),
        service.update(owner('user-b'), task.id, { completed: true }),
        service.complete(owner('user-b'), task.id),
        service.delete(owner('user-b'), task.id),
      ]) {
        // Exactly what a missing task gives: nothing says whose it is.
        await expect(attempt).rejects.toMatchObject(NOT_FOUND);
      }

      const [after] = await app.db.query('SELECT * FROM tasks WHERE id = $1', [task.id]);
      expect(after).toEqual(before);
      expect(await service.get(owner('user-a'), task.id)).toEqual(task);
    });

    it('user ids are exact: case and surrounding spaces make a different user', async () => {
      const task = await service.create(owner('Carol'), { title: 'T' });
      expect(await repository.findOne(owner('carol'), task.id)).toBeNull();
      expect(await repository.findOne(owner(' Carol'), task.id)).toBeNull();
    });
  });
});
