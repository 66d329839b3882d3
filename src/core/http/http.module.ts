import { Module } from '@nestjs/common';
import { configProvider } from '../config/config';
import { ConditionalHook } from './conditional';
import { ConnectionCloseHook } from './connection-close.hook';
import { ExpectContinueHook } from './expect-continue.hook';
import { HttpConfig } from './http.config';
import { ResponseHeadersHook } from './response-headers.hook';

/** The pipeline's own hooks; pipeline.ts puts them in order. */
const HOOKS = [ResponseHeadersHook, ExpectContinueHook, ConnectionCloseHook, ConditionalHook];

@Module({ providers: [configProvider(HttpConfig), ...HOOKS], exports: HOOKS })
export class HttpModule {}
