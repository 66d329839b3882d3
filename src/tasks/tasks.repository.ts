import { Injectable } from '@nestjs/common';
import { UserIdProblem, userIdProblem } from '../common/user-id';
import { isUuid } from '../common/uuid';
import { DataLayerError, InvalidInputError } from '../database/data-layer.errors';
import { SqlExecutor, Statement } from '../database/sql-executor';
import type { TaskCursor } from './task-cursor';
import type { Task } from './task.entity';
import { LIST_LIMIT_MAX } from './task-rules';

export type SortOrder = 'asc' | 'desc';

export interface NewTask {
  title: string;
  description?: string | null;
  completed?: boolean;
}

export type TaskChanges = Partial<NewTask>;

export interface ListOptions {
  limit: number;
  order?: SortOrder;
  completed?: boolean;
  after?: TaskCursor;
}

export interface TaskPage {
  tasks: Task[];
  /** Set when more rows follow the page. */
  next: TaskCursor | null;
}

const COLUMNS = `id, user_id AS "userId", title, description, completed,
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const EDITABLE = ['title', 'description', 'completed'] as const;

const INSERT: Statement = {
  name: 'tasks_insert',
  text: `INSERT INTO tasks (user_id, title, description, completed)
    VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
};
const FIND: Statement = {
  name: 'tasks_find',
  text: `SELECT ${COLUMNS} FROM tasks WHERE user_id = $1 AND id = $2`,
};
const TOGGLE: Statement = {
  name: 'tasks_toggle',
  text: `UPDATE tasks SET completed = NOT completed
    WHERE user_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
};
const DELETE: Statement = {
  name: 'tasks_delete',
  text: `DELETE FROM tasks WHERE user_id = $1 AND id = $2`,
};

/**
 * The only way to tasks. Every method takes the owner's user id first and puts it in the WHERE
 * clause, so a task of another user is, to the caller, exactly a task that does not exist
 * (null / false). Statements are built from a fixed set of shapes and cached by name.
 */
@Injectable()
export class TasksRepository {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly sql: SqlExecutor) {}

  create(userId: string, task: NewTask): Promise<Task> {
    return this.runForOwner('create', userId, async () => {
      const { rows } = await this.sql.run<Task>(INSERT, [
        userId,
        task.title,
        task.description ?? null,
        task.completed ?? false,
      ]);
      return rows[0];
    });
  }

  findOne(userId: string, id: string): Promise<Task | null> {
    return this.runForOwner('findOne', userId, async () => {
      const { rows } = await this.sql.run<Task>(FIND, [userId, checkId(id)]);
      return rows[0] ?? null;
    });
  }

  /** One page in (created_at, id) order, resuming after `after`; reads at most limit + 1 rows. */
  list(userId: string, options: ListOptions): Promise<TaskPage> {
    return this.runForOwner('list', userId, async () => {
      checkLimit(options.limit);
      const order = options.order ?? 'desc';
      const values: unknown[] = [userId];
      const filters = ['user_id = $1'];
      if (options.completed !== undefined) {
        values.push(options.completed);
        filters.push(`completed = $${values.length}`);
      }
      if (options.after) {
        values.push(options.after.createdAt, options.after.id);
        const op = order === 'desc' ? '<' : '>';
        filters.push(`(created_at, id) ${op} ($${values.length - 1}, $${values.length})`);
      }
      values.push(options.limit + 1);
      const direction = order.toUpperCase();
      const statement = this.statement(
        `tasks_list_${order}_${options.completed !== undefined}_${!!options.after}`,
        () =>
          `SELECT ${COLUMNS} FROM tasks WHERE ${filters.join(' AND ')}
           ORDER BY created_at ${direction}, id ${direction} LIMIT $${values.length}`,
      );
      const { rows } = await this.sql.run<Task>(statement, values);
      const more = rows.length > options.limit;
      const tasks = more ? rows.slice(0, options.limit) : rows;
      const last = tasks[tasks.length - 1];
      return { tasks, next: more ? { createdAt: last.createdAt, id: last.id } : null };
    });
  }

  /** Changes only the fields present in `changes`; null when the owner has no such task. */
  update(userId: string, id: string, changes: TaskChanges): Promise<Task | null> {
    return this.runForOwner('update', userId, async () => {
      const fields = EDITABLE.filter((field) => changes[field] !== undefined);
      // Not the API's "at least one field" rule (UpdateTaskDto states that): an UPDATE needs a SET.
      if (fields.length === 0) throw new InvalidInputError('Nothing to update');
      const statement = this.statement(
        `tasks_update_${fields.join('_')}`,
        () =>
          `UPDATE tasks SET ${fields.map((f, i) => `${f} = $${i + 3}`).join(', ')}
           WHERE user_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      );
      const values = [userId, checkId(id), ...fields.map((field) => changes[field])];
      const { rows } = await this.sql.run<Task>(statement, values);
      return rows[0] ?? null;
    });
  }

  /** Sets `completed` when given (retry-safe), flips it otherwise. */
  setCompleted(userId: string, id: string, completed?: boolean): Promise<Task | null> {
    if (completed !== undefined) return this.update(userId, id, { completed });
    return this.runForOwner('toggle', userId, async () => {
      const { rows } = await this.sql.run<Task>(TOGGLE, [userId, checkId(id)]);
      return rows[0] ?? null;
    });
  }

  /** True when the owner's task was deleted, false when the owner has no such task. */
  delete(userId: string, id: string): Promise<boolean> {
    return this.runForOwner('delete', userId, async () => {
      const { rowCount } = await this.sql.run(DELETE, [userId, checkId(id)]);
      return rowCount > 0;
    });
  }

  private statement(name: string, text: () => string): Statement {
    let statement = this.statements.get(name);
    if (!statement) {
      statement = { name, text: text() };
      this.statements.set(name, statement);
    }
    return statement;
  }

  /**
   * Runs `work` for `userId`: refuses a missing or over-long owner before any SQL runs, and names
   * the operation on what fails, for the one log line the exceptions filter writes about it (with
   * the request id and the user).
   */
  private async runForOwner<T>(
    operation: string,
    userId: string,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      checkUserId(userId);
      return await work();
    } catch (error) {
      (error as DataLayerError).operation = operation;
      throw error;
    }
  }
}

/** The same rule as authentication's (common/user-id.ts), so only a caller bypassing it meets this. */
function checkUserId(userId: unknown): asserts userId is string {
  const problem = userIdProblem(userId);
  if (problem === undefined) return;
  throw new InvalidInputError(USER_ID_MESSAGES[problem], 'user_id');
}

const USER_ID_MESSAGES: Record<UserIdProblem, string> = {
  missing: 'user id is required',
  blank: 'user id is required',
  too_long: 'user id is too long',
  nul: 'user id must not contain NUL',
};

/** A page of 0 rows would have no last row to resume after; the contract bounds the rest. */
function checkLimit(limit: unknown): void {
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > LIST_LIMIT_MAX) {
    throw new InvalidInputError(`limit must be an integer from 1 to ${LIST_LIMIT_MAX}`, 'limit');
  }
}

function checkId(id: string): string {
  if (!isUuid(id)) throw new InvalidInputError('id must be a uuid', 'id');
  return id;
}
