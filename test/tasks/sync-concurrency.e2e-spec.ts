import { Client } from 'pg';
import type { Task } from '../../src/tasks/task.entity';
import { SyncedCopy } from '../support/sync-client';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

const ROUNDS = 8;
const WRITERS = 3;
const OPS_PER_WRITER = 20;

/**
 * The guarantee of the contract's "Sync": a client that syncs in a loop while several writers
 * create, update and delete ends, after one more sync, with exactly the server's tasks. Besides
 * the HTTP writers, a writer in SQL keeps its transaction open while the others commit, so
 * transactions end in another order than they began (the gap a sequence number would leave).
 */
describe('sync under concurrent writers', () => {
  let app: TestApp;
  let sqlWriter: Client;

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
    sqlWriter = new Client({ connectionString: app.db.url });
    await sqlWriter.connect();
  });

  afterAll(async () => {
    await sqlWriter?.end();
    await app?.close();
  });

  const pick = <T>(items: T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
  const forget = (ids: string[], id: string) => ids.includes(id) && ids.splice(ids.indexOf(id), 1);

  async function serverTasks(user: TestUser): Promise<Task[]> {
    const res = await user.api.get<Task[]>(`${user.tasks}?limit=500`);
    expect(res.headers.get('x-next-cursor')).toBeNull();
    return res.body.sort((a, b) => a.id.localeCompare(b.id));
  }

  async function httpWriter(user: TestUser, ids: string[]): Promise<void> {
    for (let i = 0; i < OPS_PER_WRITER; i++) {
      const id = pick(ids);
      const op = Math.random();
      if (op < 0.35 || !id) {
        const res = await user.api.post<Task>(user.tasks, { title: `new ${i}` });
        ids.push(res.body.id);
      } else if (op < 0.7) {
        await user.api.patch(`${user.tasks}/${id}`, { title: `edit ${i}`, completed: i % 2 === 0 });
      } else {
        await user.api.delete(`${user.tasks}/${id}`);
        forget(ids, id);
      }
    }
  }

  /** Updates and deletes in transactions held open while the HTTP writers commit theirs. */
  async function slowSqlWriter(user: TestUser, ids: string[], until: () => boolean) {
    while (!until()) {
      await sqlWriter.query('BEGIN');
      const id = pick(ids);
      await sqlWriter.query(`UPDATE tasks SET title = 'slow' WHERE user_id = $1 AND id = $2`, [
        user.userId,
        id,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
      const doomed = pick(ids);
      if (doomed && doomed !== id && Math.random() < 0.3) {
        await sqlWriter.query('DELETE FROM tasks WHERE user_id = $1 AND id = $2', [
          user.userId,
          doomed,
        ]);
        forget(ids, doomed);
      }
      await sqlWriter.query('COMMIT');
    }
  }

  it(`ends with exactly the server's tasks, ${ROUNDS} rounds of ${WRITERS} writers`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await app.newUser();
      const ids: string[] = [];
      for (let i = 0; i < 15; i++)
        ids.push((await user.api.post<Task>(user.tasks, { title: `seed ${i}` })).body.id);
      const copy = new SyncedCopy(user.api, user.tasks, 4);
      let done = false;
      const syncing = (async () => {
        while (!done) await copy.sync();
      })();
      const slow = slowSqlWriter(user, ids, () => done);
      try {
        await Promise.all(Array.from({ length: WRITERS }, () => httpWriter(user, ids)));
      } finally {
        done = true;
        await Promise.all([syncing, slow]);
      }
      await copy.sync();
      expect(copy.sorted()).toEqual(await serverTasks(user));
    }
  });
});
