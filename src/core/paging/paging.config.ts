import { ConfigSection } from '../config/config';
import { EnvInt } from '../config/env.decorators';

/**
 * The least page budget still holds the largest single row written through the API (a
 * 10,000-character description of 6-byte escapes is 60 KB), so every page makes progress.
 */
export const PAGE_BYTES_MIN = 64 * 1024;
export const PAGE_BYTES_DEFAULT = 1024 * 1024;

@ConfigSection('paging')
export class PagingConfig {
  /** Byte budget of one page's JSON: a page ends before the row that would pass it. */
  @EnvInt(PAGE_BYTES_MIN, 64 * 1024 * 1024)
  LIST_PAGE_BYTES_MAX = PAGE_BYTES_DEFAULT;
}
