import { FieldErrors, validationError } from '../../common/api-error';
import { decodeCursor, InvalidCursorError, TaskCursor } from '../task-cursor';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from '../task-rules';
import type { ListOptions } from '../tasks.repository';

const LIMIT_DIGITS = new RegExp(`^\\d{1,${String(LIST_LIMIT_MAX).length}}$`);

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
      LIMIT_DIGITS.test(limit) &&
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
    const after = typeof cursor === 'string' ? decodedOrUndefined(cursor) : undefined;
    if (after) options.after = after;
    else fields.cursor = ['cursor is not valid'];
  }
  if (Object.keys(fields).length > 0) throw validationError('Invalid list parameters', fields);
  return options;
}

function decodedOrUndefined(cursor: string): TaskCursor | undefined {
  try {
    return decodeCursor(cursor);
  } catch (error) {
    if (error instanceof InvalidCursorError) return undefined;
    throw error;
  }
}
