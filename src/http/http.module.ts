import { Module } from '@nestjs/common';
import { ConnectionCloseHook } from './connection-close.hook';
import { ExpectContinueHook } from './expect-continue.hook';
import { RequestIdHook } from './request-id.hook';
import { SecurityHeadersHook } from './security-headers.hook';

/** The pipeline's hooks that belong to no feature; src/http/pipeline.ts puts them in order. */
@Module({
  providers: [RequestIdHook, SecurityHeadersHook, ExpectContinueHook, ConnectionCloseHook],
  exports: [RequestIdHook, SecurityHeadersHook, ExpectContinueHook, ConnectionCloseHook],
})
export class HttpModule {}
