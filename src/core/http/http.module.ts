import { Module } from '@nestjs/common';
import { configProvider } from '../config/config';
import { ConnectionCloseHook } from './connection-close.hook';
import { ExpectContinueHook } from './expect-continue.hook';
import { HttpConfig } from './http.config';
import { RequestIdHook } from './request-id.hook';
import { SecurityHeadersHook } from './security-headers.hook';

/** The pipeline's own hooks; pipeline.ts puts them in order. */
@Module({
  providers: [
    configProvider(HttpConfig),
    RequestIdHook,
    SecurityHeadersHook,
    ExpectContinueHook,
    ConnectionCloseHook,
  ],
  exports: [RequestIdHook, SecurityHeadersHook, ExpectContinueHook, ConnectionCloseHook],
})
export class HttpModule {}
