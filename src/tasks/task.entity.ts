import { ApiProperty } from '@nestjs/swagger';
import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { OpenApiSchema } from '../core/openapi/schema.decorator';
import { USER_ID_MAX_LENGTH } from '../core/validation/identifiers';

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
const TIMESTAMP = { type: String, format: 'date-time' };

/**
 * A task: the table's mapping (`npm run migration:check` compares it with the migrations) and the
 * response schema; the SQL executor reads timestamps as ISO-8601 text, so a row is what is shown.
 */
@Entity({ name: 'tasks' })
@Check('tasks_user_id_not_blank', `btrim("user_id") <> ''`)
@Check('tasks_title_not_blank', `btrim("title") <> ''`)
@Index('tasks_user_created_idx', ['user_id', 'created_at', 'id'])
@Index('tasks_user_completed_created_idx', ['user_id', 'completed', 'created_at', 'id'])
@Index('tasks_user_change_idx', ['user_id', 'change_xid', 'id'])
@OpenApiSchema({
  name: 'Task',
  description: 'A task, as every task route returns it.',
  closed: true,
})
export class Task {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'tasks_pkey' })
  @ApiProperty({ format: 'uuid', example: '0b7f5e3c-6a2d-4f59-9a8e-2f1f3c4d5e6f' })
  id: string;

  @Column({ type: 'varchar', length: USER_ID_MAX_LENGTH })
  @ApiProperty({
    minLength: 1,
    maxLength: USER_ID_MAX_LENGTH,
    description: 'The owner (the token subject).',
  })
  user_id: string;

  @Column({ type: 'varchar', length: TITLE_MAX })
  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX, example: 'Buy milk' })
  title: string;

  @Column({ type: 'text', nullable: true })
  @ApiProperty({ type: String, nullable: true, maxLength: DESCRIPTION_MAX })
  description: string | null;

  @Column({ type: 'boolean', default: false })
  @ApiProperty({ example: false })
  completed: boolean;

  /** Milliseconds, the precision the API shows, so a cursor made from a row addresses it exactly. */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  @ApiProperty({ ...TIMESTAMP, description: 'ISO-8601 UTC with milliseconds.' })
  created_at: string;

  /** Set by the `tasks_set_updated_at` trigger on every UPDATE, whatever path made it. */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  @ApiProperty({
    ...TIMESTAMP,
    description: 'ISO-8601 UTC with milliseconds; set by the database on every change.',
  })
  updated_at: string;

  /** The change feed's stamp (core/sync), set by a trigger; never selected, so never shown. */
  @Column({ type: 'bigint', default: 0 })
  change_xid?: string;
}

/** Each user's task count for the quota: raised by the create statement, lowered by a trigger. */
@Entity({ name: 'task_counts' })
@Check('task_counts_tasks_not_negative', `"tasks" >= 0`)
export class TaskCount {
  @PrimaryColumn({
    type: 'varchar',
    length: USER_ID_MAX_LENGTH,
    primaryKeyConstraintName: 'task_counts_pkey',
  })
  user_id: string;

  @Column({ type: 'integer' })
  tasks: number;
}

export const TASK_ENTITIES = [Task, TaskCount];
