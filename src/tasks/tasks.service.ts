import { Injectable } from '@nestjs/common';
import { TaskNotFoundError } from './task-not-found.error';
import { TaskQuotaExceededError } from './task-quota-exceeded.error';
import type { Task } from './task.entity';
import { ListOptions, NewTask, TaskChanges, TaskPage, TasksRepository } from './tasks.repository';

/**
 * What the HTTP layer calls. It turns "no such task for this owner" into TaskNotFoundError, so a
 * controller never has to tell a missing task from another user's: both are the same error.
 */
@Injectable()
export class TasksService {
  constructor(private readonly tasks: TasksRepository) {}

  async create(userId: string, task: NewTask): Promise<Task> {
    const created = await this.tasks.create(userId, task);
    if (!created) throw new TaskQuotaExceededError(this.tasks.quota);
    return created;
  }

  list(userId: string, options: ListOptions): Promise<TaskPage> {
    return this.tasks.list(userId, options);
  }

  async get(userId: string, id: string): Promise<Task> {
    return found(await this.tasks.findOne(userId, id));
  }

  async update(userId: string, id: string, changes: TaskChanges): Promise<Task> {
    return found(await this.tasks.update(userId, id, changes));
  }

  async setCompleted(userId: string, id: string, completed?: boolean): Promise<Task> {
    return found(await this.tasks.setCompleted(userId, id, completed));
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!(await this.tasks.delete(userId, id))) throw new TaskNotFoundError();
  }
}

function found(task: Task | null): Task {
  if (!task) throw new TaskNotFoundError();
  return task;
}
