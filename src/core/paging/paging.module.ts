import { Global, Module } from '@nestjs/common';
import { configProvider } from '../config/config';
import { PagingConfig } from './paging.config';

/** The page byte budget, for every list route. */
@Global()
@Module({ providers: [configProvider(PagingConfig)], exports: [PagingConfig] })
export class PagingModule {}
