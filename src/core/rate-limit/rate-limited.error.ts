import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../errors/api-error';

/** 429 RATE_LIMITED, with `Retry-After`: when the user's window ends. */
export class RateLimitedError extends ApiError {
  constructor(readonly retryAfterS: number) {
    super(
      HttpStatus.TOO_MANY_REQUESTS,
      'RATE_LIMITED',
      'Too many requests, retry later',
      { retry_after_s: retryAfterS },
      { 'Retry-After': String(retryAfterS) },
    );
  }
}
