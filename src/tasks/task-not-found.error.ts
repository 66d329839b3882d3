import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../common/api-error';

/**
 * The owner has no such task: it may not exist at all, or belong to someone else, and the answer
 * (404, same body) does not say which.
 */
export class TaskNotFoundError extends ApiError {
  constructor() {
    super(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'Task not found');
  }
}
