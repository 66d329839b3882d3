import { Injectable } from '@nestjs/common';
import type { Owner } from '../core/database/owned-repository';
import type { Page, PageRequest } from '../core/paging/keyset';
import type { Changes, ChangesQuery } from '../core/sync/change-feed';
import { quotaExceeded, taskNotFound } from './task.errors';
import type { Task } from './task.entity';
import type { CreateTaskDto, UpdateTaskDto } from './task.dto';
import { TasksRepository } from './tasks.repository';

/** Turns "no such task for this owner" into 404 and "no row created" into the quota's 409. */
@Injectable()
export class TasksService {
  constructor(private readonly tasks: TasksRepository) {}

  async create(owner: Owner, task: CreateTaskDto): Promise<Task> {
    const created = await this.tasks.create(owner, task);
    if (!created) throw quotaExceeded(this.tasks.config.TASKS_PER_USER_MAX);
    return created;
  }

  list(owner: Owner, page: PageRequest, completed?: boolean): Promise<Page<Task>> {
    return this.tasks.list(owner, page, completed === undefined ? {} : { completed });
  }

  changes(owner: Owner, query: ChangesQuery, maxBytes: number): Promise<Changes<Task>> {
    const retentionDays = this.tasks.config.SYNC_TOMBSTONE_RETENTION_DAYS;
    return this.tasks.changes(owner, { ...query, maxBytes, retentionDays });
  }

  async get(owner: Owner, id: string): Promise<Task> {
    return found(await this.tasks.findOne(owner, id));
  }

  async update(owner: Owner, id: string, changes: UpdateTaskDto): Promise<Task> {
    return found(await this.tasks.update(owner, id, changes));
  }

  /** Sets `completed` when given (a retry does not flip it back), toggles it otherwise. */
  async complete(owner: Owner, id: string, completed?: boolean): Promise<Task> {
    if (completed === undefined) return found(await this.tasks.toggle(owner, id));
    return found(await this.tasks.update(owner, id, { completed }));
  }

  async delete(owner: Owner, id: string): Promise<void> {
    if (!(await this.tasks.delete(owner, id))) throw taskNotFound();
  }
}

function found(task: Task | null): Task {
  if (!task) throw taskNotFound();
  return task;
}
