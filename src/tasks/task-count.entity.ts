import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { USER_ID_MAX_LENGTH } from '../common/user-id';

/**
 * How many tasks a user has, for the quota (TASKS_PER_USER_MAX). Raised by the create statement
 * itself and lowered by the `tasks_uncount` trigger on delete (migrations/…-TaskCounts.ts); this
 * mapping only keeps `npm run migration:check` aware of the table.
 */
@Entity({ name: 'task_counts' })
@Check('task_counts_tasks_not_negative', `"tasks" >= 0`)
export class TaskCount {
  @PrimaryColumn({
    name: 'user_id',
    type: 'varchar',
    length: USER_ID_MAX_LENGTH,
    primaryKeyConstraintName: 'task_counts_pkey',
  })
  userId: string;

  @Column({ type: 'integer' })
  tasks: number;
}
