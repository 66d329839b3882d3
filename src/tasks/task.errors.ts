import { ErrorDef } from '../core/errors/api-error';

export const TASK_ERRORS = {
  notFound: new ErrorDef(
    404,
    'NOT_FOUND',
    'No such task for this user (a task of another user is answered the same way).',
  ),
  quotaExceeded: new ErrorDef(
    409,
    'QUOTA_EXCEEDED',
    'The user already has as many tasks as the quota allows (TASKS_PER_USER_MAX); nothing was stored.',
  ),
};

/** Missing or another user's: the same answer, so nothing tells a caller whose a task is. */
export const taskNotFound = () => TASK_ERRORS.notFound.error('Task not found');

export const quotaExceeded = (max: number) =>
  TASK_ERRORS.quotaExceeded.error(
    `A user can have at most ${max} tasks; delete some to create more`,
    { max_tasks: max },
  );
