import { ConfigSection } from '../core/config/config';
import { EnvInt } from '../core/config/env.decorators';

@ConfigSection('tasks')
export class TasksConfig {
  /** Most tasks one user may own; a create beyond it is 409 QUOTA_EXCEEDED (0: no quota). */
  @EnvInt(0, 100_000_000)
  TASKS_PER_USER_MAX = 10_000;

  /** Days a deleted task is kept for the change feed; an older token is 410 SYNC_TOKEN_EXPIRED. */
  @EnvInt(1, 3650)
  SYNC_TOMBSTONE_RETENTION_DAYS = 30;
}
