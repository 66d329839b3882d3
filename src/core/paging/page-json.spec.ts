import type { Task } from '../../tasks/task.entity';
import { TASK_JSON_MIN_BYTES, taskPageJson } from './page-json';
import { toTaskResponse } from '../../tasks/dto/task.response';

const task = (text: string, description: string | null = text): Task => ({
  id: '0b7f5e3c-6a2d-4f59-9a8e-2f1f3c4d5e6f',
  userId: 'u',
  title: text,
  description,
  completed: true,
  createdAt: new Date('2026-01-14T12:00:00.000Z'),
  updatedAt: new Date('2026-01-14T12:00:00.000Z'),
});

const bytes = (text: string) => Buffer.byteLength(text);

describe('taskPageJson', () => {
  it('is the JSON array of the tasks when they fit', () => {
    const tasks = [task('a'), task('b', null)];
    const page = taskPageJson(tasks, 1_000_000);
    expect(page.count).toBe(2);
    expect(page.json).toBe(JSON.stringify(tasks.map(toTaskResponse)));
    expect(taskPageJson([], 100)).toEqual({ json: '[]', count: 0 });
  });

  it('stops before the task that would pass the budget, counting escaped UTF-8 bytes', () => {
    // 100 quotes are 200 bytes of JSON; 100 U+0001 are 600; 100 emoji are 400 bytes.
    const tasks = [task('"'.repeat(100)), task('\u0001'.repeat(100)), task('😀'.repeat(100))];
    const whole = taskPageJson(tasks, 1_000_000).json;
    for (let budget = 2; budget <= bytes(whole) + 1; budget += 7) {
      const page = taskPageJson(tasks, budget);
      expect(page.count).toBeGreaterThanOrEqual(1);
      if (page.count > 1) expect(bytes(page.json)).toBeLessThanOrEqual(budget);
      const more = taskPageJson(tasks.slice(0, page.count + 1), 1_000_000);
      if (page.count < tasks.length) expect(bytes(more.json)).toBeGreaterThan(budget);
      expect(JSON.parse(page.json)).toHaveLength(page.count);
    }
    expect(taskPageJson(tasks, bytes(whole)).count).toBe(3);
    expect(taskPageJson(tasks, bytes(whole) - 1).count).toBe(2);
  });

  it('takes the one-stringify path only when the page cannot pass the budget', () => {
    const tasks = [task('\u0001'.repeat(100)), task('\u0001'.repeat(100))];
    const whole = taskPageJson(tasks, 1_000_000).json;
    // 6 bytes per unit plus 200 fixed per task is the bound: just at it, the fast path
    const bound = 2 + 2 * (201 + 6 * (1 + 100 + 100));
    expect(taskPageJson(tasks, bound)).toEqual({ json: whole, count: 2 });
    expect(bytes(whole)).toBeLessThanOrEqual(bound);
    expect(taskPageJson(tasks, bytes(whole))).toEqual({ json: whole, count: 2 });
    expect(taskPageJson(tasks, bytes(whole) - 1).count).toBe(1);
  });

  it('always holds the first task, however small the budget', () => {
    expect(taskPageJson([task('x'.repeat(500)), task('y')], 10).count).toBe(1);
  });

  it('TASK_JSON_MIN_BYTES is a lower bound of a task without its texts', () => {
    for (const shape of [task('', null), task('', ''), { ...task('', null), completed: false }]) {
      const json = taskPageJson([shape], 1_000_000).json;
      expect(bytes(json) - 2 - bytes(shape.userId)).toBeGreaterThanOrEqual(TASK_JSON_MIN_BYTES);
    }
  });
});
