import { type FieldErrors, validationError } from '../errors/api-error';
import { decodeCursor } from './cursor';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type PageRequest } from './keyset';

const LIMIT_DIGITS = new RegExp(`^\\d{1,${String(PAGE_LIMIT_MAX).length}}$`);

export interface ParsedPageQuery {
  page: Omit<PageRequest, 'maxBytes'>;
  /** The boolean filters that were given. */
  filters: Record<string, boolean>;
}

/**
 * `limit`, `order`, `cursor` and the named boolean filters of a list's query string, every
 * problem collected before failing. Unknown parameters are ignored; repeated ones are not.
 */
export function parsePageQuery(
  query: Record<string, unknown> = {},
  booleanFilters: readonly string[] = [],
): ParsedPageQuery {
  const fields: FieldErrors = {};
  const page: ParsedPageQuery['page'] = { limit: PAGE_LIMIT_DEFAULT, order: 'desc' };
  const filters: Record<string, boolean> = {};
  const { limit, order, cursor } = query;
  if (limit !== undefined) {
    if (
      typeof limit === 'string' &&
      LIMIT_DIGITS.test(limit) &&
      +limit >= 1 &&
      +limit <= PAGE_LIMIT_MAX
    ) {
      page.limit = Number(limit);
    } else {
      fields.limit = [`limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`];
    }
  }
  for (const name of booleanFilters) {
    const value = query[name];
    if (value === undefined) continue;
    if (value === 'true' || value === 'false') filters[name] = value === 'true';
    else fields[name] = [`${name} must be true or false`];
  }
  if (order !== undefined) {
    if (order === 'asc' || order === 'desc') page.order = order;
    else fields.order = ['order must be asc or desc'];
  }
  if (cursor !== undefined) {
    const after = typeof cursor === 'string' ? decodeCursor(cursor) : undefined;
    if (after) page.after = after;
    else fields.cursor = ['cursor is not valid'];
  }
  if (Object.keys(fields).length > 0) throw validationError('Invalid list parameters', fields);
  return { page, filters };
}
