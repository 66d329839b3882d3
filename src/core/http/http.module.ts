import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { configProvider } from '../config/config';
import { ConditionalInterceptor } from './conditional';
import { ConnectionCloseHook } from './connection-close.hook';
import { ExpectContinueHook } from './expect-continue.hook';
import { HttpConfig } from './http.config';
import { ResponseHeadersHook } from './response-headers.hook';

/** The pipeline's own hooks; pipeline.ts puts them in order. */
@Module({
  providers: [
    configProvider(HttpConfig),
    ResponseHeadersHook,
    ExpectContinueHook,
    ConnectionCloseHook,
    { provide: APP_INTERCEPTOR, useClass: ConditionalInterceptor },
  ],
  exports: [ResponseHeadersHook, ExpectContinueHook, ConnectionCloseHook],
})
export class HttpModule {}
