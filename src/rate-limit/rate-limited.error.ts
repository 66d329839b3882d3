import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 RATE_LIMITED; the guard sets `Retry-After` on the reply before throwing it. */
export class RateLimitedError extends HttpException {
  readonly code = 'RATE_LIMITED';

  constructor(readonly retryAfterS: number) {
    super(
      {
        code: 'RATE_LIMITED',
        message: 'Too many requests, retry later',
        details: { retry_after_s: retryAfterS },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
