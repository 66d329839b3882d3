import { RetentionService } from '../../src/core/database/retention';
import { tombstonePurge } from '../../src/core/sync/change-feed';
import { decodeSyncToken, encodeSyncToken } from '../../src/core/sync/change-feed';
import type { Task } from '../../src/tasks/task.entity';
import type { HttpClient } from '../support/http';
import { SyncedCopy, type TaskChanges } from '../support/sync-client';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

const DAY_MS = 86_400_000;

/** GET /api/{user_id}/tasks/changes: a local copy kept by snapshot and deltas (contract "Sync"). */
describe('sync: GET /api/{user_id}/tasks/changes', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ...NO_RATE_LIMIT, LIST_PAGE_BYTES_MAX: '65536' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Every task of the user by the list route, page after page. */
  async function serverTasks(user: TestUser): Promise<Task[]> {
    const all: Task[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await user.api.get<Task[]>(`${user.tasks}?limit=500${query}`);
      all.push(...res.body);
      cursor = res.headers.get('x-next-cursor');
    }
    return all.sort((a, b) => a.id.localeCompare(b.id));
  }
  const ids = (tasks: Task[]) => tasks.map((t) => `${t.id} ${t.updated_at}`);

  const create = async (user: TestUser, title: string, description: string | null = null) =>
    (await user.api.post<Task>(user.tasks, { title, description })).body;

  const changes = (api: HttpClient, path: string, query: string) =>
    api.get<TaskChanges>(`${path}/changes?${query}`);

  it('a snapshot in pages, then deltas with what was created, changed and deleted', async () => {
    const user = await app.newUser();
    const made: Task[] = [];
    for (let i = 0; i < 5; i++) made.push(await create(user, `task ${i}`));
    const copy = new SyncedCopy(user.api, user.tasks, 2);
    await copy.sync();
    expect(copy.answers).toBe(3);
    expect(copy.sorted()).toEqual(await serverTasks(user));

    await user.api.put(`${user.tasks}/${made[1].id}`, { title: 'renamed' });
    expect((await user.api.delete(`${user.tasks}/${made[2].id}`)).status).toBe(204);
    const added = await create(user, 'added');
    const res = await changes(user.api, user.tasks, `since=${copy.token}`);
    expect(res.status).toBe(200);
    expect(res.body.has_more).toBe(false);
    expect(res.body.changes.map((t) => t.id)).toEqual(
      expect.arrayContaining([made[1].id, added.id]),
    );
    expect(res.body.changes.find((t) => t.id === made[1].id)?.title).toBe('renamed');
    expect(res.body.deleted).toEqual([
      { id: made[2].id, deleted_at: expect.stringMatching(/^\d{4}-.+\.\d{3}Z$/) as string },
    ]);
    await copy.sync();
    expect(copy.sorted()).toEqual(await serverTasks(user));
    expect(copy.tasks.has(made[2].id)).toBe(false);
  });

  it('a deleted task is still 404 everywhere else, and the quota counts only live tasks', async () => {
    const user = await app.newUser();
    const task = await create(user, 'doomed');
    await create(user, 'kept');
    expect((await user.api.delete(`${user.tasks}/${task.id}`)).status).toBe(204);
    expect((await user.api.get(`${user.tasks}/${task.id}`)).status).toBe(404);
    expect((await user.api.put(`${user.tasks}/${task.id}`, { title: 'x' })).status).toBe(404);
    expect((await user.api.delete(`${user.tasks}/${task.id}`)).status).toBe(404);
    expect((await serverTasks(user)).map((t) => t.title)).toEqual(['kept']);
    const [count] = await app.db.query('SELECT tasks FROM task_counts WHERE user_id = $1', [
      user.userId,
    ]);
    expect(count).toEqual({ tasks: 1 });
  });

  it("another user's creates, changes and deletes never appear", async () => {
    const [mine, theirs] = [await app.newUser(), await app.newUser()];
    await create(mine, 'mine');
    const copy = new SyncedCopy(mine.api, mine.tasks);
    await copy.sync();
    const other = await create(theirs, 'theirs');
    await theirs.api.put(`${theirs.tasks}/${other.id}`, { completed: true });
    await theirs.api.delete(`${theirs.tasks}/${other.id}`);
    const res = await changes(mine.api, mine.tasks, `since=${copy.token}`);
    expect(res.body.deleted).toEqual([]);
    expect(res.body.changes.every((t) => t.user_id === mine.userId)).toBe(true);
    await copy.sync();
    expect(copy.sorted().map((t) => t.title)).toEqual(['mine']);
    // Another user's route is refused before any token is read.
    expect((await changes(mine.api, theirs.tasks, `since=${copy.token}`)).status).toBe(403);
  });

  it('pages stop at the byte budget and still deliver every task', async () => {
    const user = await app.newUser();
    for (let i = 0; i < 4; i++) await create(user, `big ${i}`, '😀'.repeat(10_000));
    const res = await changes(user.api, user.tasks, 'limit=500');
    expect(res.body.changes).toHaveLength(1);
    expect(res.body.has_more).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(res.body))).toBeLessThan(65536 + 1024);
    const copy = new SyncedCopy(user.api, user.tasks, 500);
    await copy.sync();
    expect(copy.answers).toBe(4);
    expect(ids(copy.sorted())).toEqual(ids(await serverTasks(user)));
  });

  it('changes made between the pages of one sync are not lost', async () => {
    const user = await app.newUser();
    const made: Task[] = [];
    for (let i = 0; i < 9; i++) made.push(await create(user, `t${i}`));
    const first = await changes(user.api, user.tasks, 'limit=3');
    const seen = new Set(first.body.changes.map((t) => t.id));
    const unseen = made.filter((t) => !seen.has(t.id));
    await user.api.put(`${user.tasks}/${first.body.changes[0].id}`, { title: 'changed' });
    await user.api.delete(`${user.tasks}/${unseen[0].id}`);
    await user.api.delete(`${user.tasks}/${first.body.changes[1].id}`);
    const copy = new SyncedCopy(user.api, user.tasks, 3);
    for (const task of first.body.changes) copy.tasks.set(task.id, task);
    copy.token = first.body.next;
    await copy.sync();
    await create(user, 'later');
    await copy.sync();
    expect(copy.sorted()).toEqual(await serverTasks(user));
  });

  it('a token older than the retention is 410 SYNC_TOKEN_EXPIRED; a younger one works', async () => {
    const user = await app.newUser();
    const copy = new SyncedCopy(user.api, user.tasks);
    await copy.sync();
    const token = decodeSyncToken(copy.token!)!;
    const aged = (days: number) => encodeSyncToken({ ...token, since: Date.now() - days * DAY_MS });
    const expired = await changes(user.api, user.tasks, `since=${aged(30.01)}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ code: 'SYNC_TOKEN_EXPIRED' });
    expect((await changes(user.api, user.tasks, `since=${aged(29.9)}`)).status).toBe(200);
  });

  it.each([
    ['garbage', 'since=not*a*token'],
    ['base64url of something else', `since=${Buffer.from('2.1.1').toString('base64url')}`],
    ['an xid past bigint', `since=${Buffer.from('1.9999999999999999999.1').toString('base64url')}`],
    [
      'a page position without a uuid',
      `since=${Buffer.from('1.5.1.6.1.7.6.nope').toString('base64url')}`,
    ],
    ['two tokens', 'since=MS4xLjE&since=MS4xLjE'],
    ['limit 0', 'limit=0'],
    ['an unknown parameter', 'cursor=abc'],
  ])('a malformed request (%s) is 400 VALIDATION_ERROR', async (_, query) => {
    const user = await app.newUser();
    const res = await changes(user.api, user.tasks, query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('tombstones past the retention (and a day) are purged; younger ones stay', async () => {
    const user = await app.newUser();
    for (const title of ['old', 'young']) {
      const task = await create(user, title);
      await user.api.delete(`${user.tasks}/${task.id}`);
    }
    await app.db.query(
      `UPDATE task_tombstones SET deleted_at = now() - interval '31 days 1 minute'
        WHERE user_id = $1 AND deleted_at = (SELECT min(deleted_at) FROM task_tombstones WHERE user_id = $1)`,
      [user.userId],
    );
    const purged = await app.get(RetentionService).run(tombstonePurge('task_tombstones', 30));
    expect(purged).toBe(1);
    const left = await app.db.query('SELECT 1 FROM task_tombstones WHERE user_id = $1', [
      user.userId,
    ]);
    expect(left).toHaveLength(1);
  });
});
