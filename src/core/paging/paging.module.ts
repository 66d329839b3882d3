import { Global, Module } from '@nestjs/common';
import { ConfigSection, configProvider } from '../config/config';
import { EnvInt } from '../config/env.decorators';

/** The least budget holds the largest row the API writes (60 KB of escapes): pages progress. */
export const PAGE_BYTES_MIN = 64 * 1024;
export const PAGE_BYTES_DEFAULT = 1024 * 1024;

@ConfigSection('paging')
export class PagingConfig {
  /** Byte budget of one page's JSON: a page ends before the row that would pass it. */
  @EnvInt(PAGE_BYTES_MIN, 64 * 1024 * 1024)
  LIST_PAGE_BYTES_MAX = PAGE_BYTES_DEFAULT;
}

/** The page byte budget, for every list route. */
@Global()
@Module({ providers: [configProvider(PagingConfig)], exports: [PagingConfig] })
export class PagingModule {}
