import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { USER_ID_MAX_LENGTH } from '../common/user-id';
import { TITLE_MAX } from './task-rules';

/**
 * A task, owned by exactly one user. The schema is made by the migrations in `migrations/`;
 * this mapping must agree with them (`npm run migration:check` fails when it does not).
 * Timestamps keep milliseconds, the precision the API shows, so a keyset cursor made from a
 * returned row addresses that row exactly.
 */
@Entity({ name: 'tasks' })
@Check('tasks_user_id_not_blank', `btrim("user_id") <> ''`)
@Check('tasks_title_not_blank', `btrim("title") <> ''`)
@Index('tasks_user_created_idx', ['userId', 'createdAt', 'id'])
@Index('tasks_user_completed_created_idx', ['userId', 'completed', 'createdAt', 'id'])
export class Task {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'tasks_pkey' })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: USER_ID_MAX_LENGTH })
  userId: string;

  @Column({ type: 'varchar', length: TITLE_MAX })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: false })
  completed: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  /** Set by the `tasks_set_updated_at` trigger on every UPDATE, whatever path made it. */
  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
