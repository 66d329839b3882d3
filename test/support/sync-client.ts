import type { Changes } from '../../src/core/sync/change-feed';
import type { Task } from '../../src/tasks/task.entity';
import type { HttpClient } from './http';

export type TaskChanges = Changes<Task>;

/**
 * A client's local copy kept by the change feed, as docs/frontend.md tells a client to: apply each
 * answer, follow `has_more`, keep `next`. `answers` counts the requests of the last sync.
 */
export class SyncedCopy {
  readonly tasks = new Map<string, Task>();
  token: string | undefined;
  answers = 0;

  constructor(
    private readonly api: HttpClient,
    private readonly path: string,
    private readonly limit = 100,
  ) {}

  /** Syncs until `has_more` is false; fails on anything but 200. */
  async sync(maxAnswers = 10_000): Promise<void> {
    this.answers = 0;
    for (;;) {
      const query = new URLSearchParams({ limit: String(this.limit) });
      if (this.token) query.set('since', this.token);
      const res = await this.api.get<TaskChanges>(`${this.path}/changes?${query.toString()}`);
      if (res.status !== 200) throw new Error(`sync: ${res.status} ${JSON.stringify(res.body)}`);
      for (const task of res.body.changes) this.tasks.set(task.id, task);
      for (const { id } of res.body.deleted) this.tasks.delete(id);
      this.token = res.body.next;
      if (++this.answers > maxAnswers) throw new Error('sync: has_more never ended');
      if (!res.body.has_more) return;
    }
  }

  /** The copy as sorted JSON, to compare with the server's rows. */
  sorted(): Task[] {
    return [...this.tasks.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
