import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../common/api-error';

/** 429 RATE_LIMITED; the guard sets `Retry-After` on the reply before throwing it. */
export class RateLimitedError extends ApiError {
  constructor(readonly retryAfterS: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', 'Too many requests, retry later', {
      retry_after_s: retryAfterS,
    });
  }
}
