import { IsObject } from 'class-validator';
import { EnumParam, IntegerParam } from '../validation/fields';
import { Field } from '../validation/shape';
import {
  CURSOR_PATTERN,
  decodeCursor,
  type KeysetCursor,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  type PageRequest,
  type SortOrder,
} from './keyset';

/** The query of a keyset-paged list; a resource extends it with its filters. */
export class PageQuery {
  @IntegerParam({
    min: 1,
    max: PAGE_LIMIT_MAX,
    default: PAGE_LIMIT_DEFAULT,
    description: 'Page size.',
  })
  limit: number;

  @EnumParam<SortOrder>({
    values: ['desc', 'asc'],
    default: 'desc',
    description: 'On created_at, ties broken by id.',
  })
  order: SortOrder;

  @Field({
    read: (raw) => decodeCursor(String(raw)) ?? raw,
    checks: [IsObject({ message: 'must be a cursor this list gave (X-Next-Cursor), unchanged' })],
    doc: {
      type: String,
      pattern: CURSOR_PATTERN.source,
      description: 'Opaque; from X-Next-Cursor or the next link of the previous page.',
    },
  })
  cursor?: KeysetCursor;

  /** The page to read, within `maxBytes` of JSON. */
  page(maxBytes: number): PageRequest {
    return { limit: this.limit, order: this.order, after: this.cursor, maxBytes };
  }
}
