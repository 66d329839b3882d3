import { FieldErrors, validationError } from '../../common/api-error';
import { ValidationError } from '../../database/data-layer.errors';
import { decodeCursor } from '../task-cursor';
import type { ListOptions } from '../tasks.repository';

export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 500;

/** The query string of GET /api/{user_id}/tasks, as Fastify parses it. */
export interface ListTasksQuery {
  limit?: string;
  completed?: string;
  order?: string;
  cursor?: string;
}

/**
 * Parses the list parameters, collecting every problem before failing so the client sees them
 * all at once. Unknown parameters are ignored (cache busters are common); repeated ones are not.
 */
export function parseListQuery(query: ListTasksQuery = {}): ListOptions {
  const fields: FieldErrors = {};
  const options: ListOptions = { limit: LIST_LIMIT_DEFAULT, order: 'desc' };

  const { limit, completed, order, cursor } = query as Record<string, unknown>;
  if (limit !== undefined) {
    if (
      typeof limit === 'string' &&
      /^\d{1,3}$/.test(limit) &&
      +limit >= 1 &&
      +limit <= LIST_LIMIT_MAX
    ) {
      options.limit = Number(limit);
    } else {
      fields.limit = [`limit must be an integer from 1 to ${LIST_LIMIT_MAX}`];
    }
  }
  if (completed !== undefined) {
    if (completed === 'true' || completed === 'false') options.completed = completed === 'true';
    else fields.completed = ['completed must be true or false'];
  }
  if (order !== undefined) {
    if (order === 'asc' || order === 'desc') options.order = order;
    else fields.order = ['order must be asc or desc'];
  }
  if (cursor !== undefined) {
    try {
      if (typeof cursor !== 'string') throw new ValidationError('cursor is not valid');
      options.after = decodeCursor(cursor);
    } catch {
      fields.cursor = ['cursor is not valid'];
    }
  }
  if (Object.keys(fields).length > 0) throw validationError('Invalid list parameters', fields);
  return options;
}
