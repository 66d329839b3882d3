import type { Task } from './task.entity';
import { TASKS_TABLE } from './tasks.repository';

describe('the tasks table as paging sees it', () => {
  it('jsonMinBytes is a lower bound of the JSON of a task without its texts', () => {
    const task = (completed: boolean, description: string | null): Task => ({
      id: '0b7f5e3c-6a2d-4f59-9a8e-2f1f3c4d5e6f',
      user_id: '',
      title: '',
      description,
      completed,
      created_at: '2026-01-14T12:00:00.000Z',
      updated_at: '2026-01-14T12:00:00.000Z',
    });
    for (const shape of [task(true, null), task(true, ''), task(false, null)]) {
      expect(Buffer.byteLength(JSON.stringify(shape))).toBeGreaterThanOrEqual(
        TASKS_TABLE.jsonMinBytes,
      );
    }
  });

  it('selects the columns in the order the API shows them', () => {
    expect(TASKS_TABLE.select.split(', ')).toEqual([
      'id',
      'user_id',
      'title',
      'description',
      'completed',
      'created_at',
      'updated_at',
    ]);
  });
});
