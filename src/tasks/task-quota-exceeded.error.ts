import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../common/api-error';

/** 409 QUOTA_EXCEEDED: the user already owns TASKS_PER_USER_MAX tasks; nothing was stored. */
export class TaskQuotaExceededError extends ApiError {
  constructor(max: number) {
    super(
      HttpStatus.CONFLICT,
      'QUOTA_EXCEEDED',
      `A user can have at most ${max} tasks; delete some to create more`,
      { max_tasks: max },
    );
  }
}
