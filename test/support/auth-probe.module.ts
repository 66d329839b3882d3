import { Controller, Get, Module, Param } from '@nestjs/common';
import { CurrentUser } from '../../src/auth/current-user.decorator';
import type { AuthenticatedUser } from '../../src/auth/token-verifier';

/**
 * Test-only routes mounted inside the real app: one under /api with `:user_id` (authenticated,
 * path checked), one under /api without it (authenticated), one outside /api (not authenticated),
 * and one there that misuses @CurrentUser().
 */
@Controller()
class AuthProbeController {
  @Get('api/:user_id/auth-probe')
  forUser(@CurrentUser() user: AuthenticatedUser, @Param('user_id') userId: string) {
    return { user: user.id, path_user: userId };
  }

  @Get('api/auth-probe')
  whoAmI(@CurrentUser() user: AuthenticatedUser) {
    return { user: user.id };
  }

  @Get('open-probe')
  open() {
    return { open: true };
  }

  @Get('open-probe/misused')
  misused(@CurrentUser() user: AuthenticatedUser) {
    return { user: user.id };
  }
}

@Module({ controllers: [AuthProbeController] })
export class AuthProbeModule {}
