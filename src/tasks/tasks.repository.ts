import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment';
import { USER_ID_MAX_LENGTH, UserIdProblem, userIdProblem } from '../common/user-id';
import { isUuid } from '../common/uuid';
import { DataLayerError, InvalidInputError } from '../database/data-layer.errors';
import { SqlExecutor, Statement } from '../database/sql-executor';
import type { TaskCursor } from './task-cursor';
import type { Task } from './task.entity';
import { DESCRIPTION_MAX, LIST_LIMIT_MAX, LIST_PAGE_BYTES_DEFAULT, TITLE_MAX } from './task-rules';
import { TASK_JSON_MIN_BYTES } from './dto/task-page';

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
  /**
   * Byte budget of the page's JSON. The page stops before the row whose text alone (user id,
   * title, description in UTF-8, plus TASK_JSON_MIN_BYTES) would pass it: a lower bound of its
   * JSON, so the rows dropped here could never fit, and a page of huge rows is never read whole.
   * The exact cut, on the serialized JSON, is the controller's (task-page.ts).
   */
  maxBytes?: number;
}

export interface TaskPage {
  tasks: Task[];
  /** Set when more rows follow the page. */
  next: TaskCursor | null;
}

const COLUMNS = `id, user_id AS "userId", title, description, completed,
  created_at AS "createdAt", updated_at AS "updatedAt"`;
/**
 * A lower bound of a row's JSON bytes. octet_length reads a text's stored size without
 * detoasting it, so this costs the same for a 10 KB description as for an empty one.
 */
const ROW_BYTES = `${TASK_JSON_MIN_BYTES} + octet_length(user_id) + octet_length(title)
  + coalesce(octet_length(description), 0)`;
/** The largest ROW_BYTES of a row the API wrote: at most 4 UTF-8 bytes per code point. */
const ROW_BYTES_MAX = TASK_JSON_MIN_BYTES + 4 * (USER_ID_MAX_LENGTH + TITLE_MAX + DESCRIPTION_MAX);
const EDITABLE = ['title', 'description', 'completed'] as const;

/**
 * One statement, so it holds through a transaction pooler and costs no extra round trip: the
 * user's count goes up only while it is below the quota ($5; 0: none), and the task is inserted
 * only when it did. `ON CONFLICT … DO UPDATE` locks the user's count row and re-reads its latest
 * committed value, so of concurrent creates at the quota exactly the ones that fit get a row;
 * a first task inserts the count row (two first creates at once: one inserts, the other waits and
 * updates). No row back: over the quota, nothing stored. Deletes lower the count by trigger.
 */
const INSERT: Statement = {
  name: 'tasks_insert_counted',
  text: `WITH counted AS (
      INSERT INTO task_counts AS c (user_id, tasks) VALUES ($1, 1)
      ON CONFLICT (user_id) DO UPDATE SET tasks = c.tasks + 1 WHERE $5 = 0 OR c.tasks < $5
      RETURNING 1
    )
    INSERT INTO tasks (user_id, title, description, completed)
    SELECT $1, $2, $3, $4 FROM counted RETURNING ${COLUMNS}`,
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

  private readonly maxTasks: number;

  constructor(
    private readonly sql: SqlExecutor,
    env: Environment,
  ) {
    this.maxTasks = env.TASKS_PER_USER_MAX;
  }

  /** The new task; null when the owner already has TASKS_PER_USER_MAX tasks (nothing stored). */
  create(userId: string, task: NewTask): Promise<Task | null> {
    return this.runForOwner('create', userId, async () => {
      const { rows } = await this.sql.run<Task>(INSERT, [
        userId,
        task.title,
        task.description ?? null,
        task.completed ?? false,
        this.maxTasks,
      ]);
      return rows[0] ?? null;
    });
  }

  /** TASKS_PER_USER_MAX as this repository enforces it (0: no quota). */
  get quota(): number {
    return this.maxTasks;
  }

  findOne(userId: string, id: string): Promise<Task | null> {
    return this.runForOwner('findOne', userId, async () => {
      const { rows } = await this.sql.run<Task>(FIND, [userId, checkId(id)]);
      return rows[0] ?? null;
    });
  }

  /**
   * One page in (created_at, id) order, resuming after `after`: at most limit + 1 rows, cut
   * before the first row whose bytes (a lower bound, ROW_BYTES) would pass `maxBytes`. The row
   * that crosses the budget is read but not returned: it says that more follow.
   */
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
      const maxBytes = options.maxBytes ?? LIST_PAGE_BYTES_DEFAULT;
      const by = `created_at ${order.toUpperCase()}, id ${order.toUpperCase()}`;
      // Whether limit + 1 rows written through the API could pass the budget at all (24 rows
      // at 1 MiB); when not, the plain query, which costs PostgreSQL less than the running sum.
      const budgeted = (options.limit + 1) * ROW_BYTES_MAX > maxBytes;
      values.push(options.limit + 1);
      const limit = `$${values.length}`;
      if (budgeted) values.push(maxBytes);
      const budget = `$${values.length}`;
      const where = `WHERE ${filters.join(' AND ')} ORDER BY ${by} LIMIT ${limit}`;
      // The running sum streams over the LIMIT (a WindowAgg on top of it), so the index scan
      // still stops after one page. `upto - bytes` is what the rows ahead of this one take; the
      // row that crosses the budget is kept, to tell that more follow, and dropped below.
      const statement = this.statement(
        `tasks_list_${order}_${options.completed !== undefined}_${!!options.after}_${budgeted}`,
        () =>
          budgeted
            ? `SELECT ${COLUMNS}, upto < ${budget} AS fits FROM (
                 SELECT page.*, sum(bytes) OVER (ORDER BY ${by} ROWS UNBOUNDED PRECEDING) AS upto
                 FROM (SELECT *, ${ROW_BYTES} AS bytes FROM tasks ${where}) page
               ) counted WHERE upto - bytes < ${budget} ORDER BY ${by}`
            : `SELECT ${COLUMNS} FROM tasks ${where}`,
      );
      const { rows } = await this.sql.run<Task & { fits?: boolean }>(statement, values);
      let kept = Math.min(rows.length, options.limit);
      if (budgeted) {
        // The first row is always kept, so every page makes progress (LIST_PAGE_BYTES_MIN holds
        // any one task anyway).
        kept = Math.min(rows.length, 1);
        while (kept < rows.length && kept < options.limit && rows[kept].fits) kept++;
      }
      const page = rows.slice(0, kept);
      const tasks: Task[] = budgeted ? page.map(({ fits, ...task }) => task) : page;
      const last = tasks[tasks.length - 1];
      const more = rows.length > kept;
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
