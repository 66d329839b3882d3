import { Injectable } from '@nestjs/common';
import {
  checkId,
  type Owner,
  OwnedRepository,
  type OwnedTable,
} from '../core/database/owned-repository';
import { RetentionService } from '../core/database/retention';
import { SqlExecutor, type Statement } from '../core/database/sql-executor';
import { tombstonePurge } from '../core/sync/change-feed';
import { USER_ID_MAX_LENGTH } from '../core/validation/identifiers';
import { DESCRIPTION_MAX, Task, TITLE_MAX } from './task.entity';
import type { CreateTaskDto } from './task.dto';
import { TasksConfig } from './tasks.config';

const SELECT = 'id, user_id, title, description, completed, created_at, updated_at';

/**
 * The count goes up while below the quota ($5; 0: none), then the task is inserted. `ON CONFLICT
 * … DO UPDATE` locks and re-reads the count row, so concurrent creates cannot pass it together.
 */
const INSERT: Statement = {
  name: 'tasks_insert_counted',
  text: `WITH counted AS (
      INSERT INTO task_counts AS c (user_id, tasks) VALUES ($1, 1)
      ON CONFLICT (user_id) DO UPDATE SET tasks = c.tasks + 1 WHERE $5 = 0 OR c.tasks < $5
      RETURNING 1
    )
    INSERT INTO tasks (user_id, title, description, completed)
    SELECT $1, $2, $3, $4 FROM counted RETURNING ${SELECT}`,
};

export const TASKS_TABLE: OwnedTable = {
  name: 'tasks',
  select: SELECT,
  orderBy: { column: 'created_at', field: 'created_at' },
  texts: { user_id: USER_ID_MAX_LENGTH, title: TITLE_MAX, description: DESCRIPTION_MAX },
  // Keys, a UUID, two timestamps, `false`, `null`: the JSON of a task with empty texts.
  jsonMinBytes: 180,
  editable: ['title', 'description', 'completed'],
  version: 'updated_at',
  tombstones: 'task_tombstones',
};

/** The tasks table; every statement has the owner in its WHERE (OwnedRepository). */
@Injectable()
export class TasksRepository extends OwnedRepository<Task> {
  constructor(
    sql: SqlExecutor,
    readonly config: TasksConfig,
    retention: RetentionService,
  ) {
    super(sql, TASKS_TABLE);
    retention.register(tombstonePurge('task_tombstones', config.SYNC_TOMBSTONE_RETENTION_DAYS));
  }

  /** The new task; null when the owner already has as many as the quota allows. */
  create(owner: Owner, task: CreateTaskDto): Promise<Task | null> {
    const { TASKS_PER_USER_MAX: quota } = this.config;
    const values = [task.title, task.description ?? null, task.completed ?? false, quota];
    return this.first('create', owner, INSERT, values);
  }

  toggle(owner: Owner, id: string): Promise<Task | null> {
    return this.write('toggle', owner, 'toggle', 'SET completed = NOT completed', [checkId(id)]);
  }
}
