import { Controller, Get, Module, Param } from '@nestjs/common';
import { type AuthenticatedUser, CurrentUser, Public } from '../../src/core/auth/decorators';

/**
 * Test-only routes mounted inside the real app: one with `:user_id` (authenticated, path
 * checked), one without it (authenticated), and two marked @Public() (no token).
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

  @Public()
  @Get('open-probe')
  open() {
    return { open: true };
  }

  @Public()
  @Get('open-probe/misused')
  misused(@CurrentUser() user: AuthenticatedUser) {
    return { user: user.id };
  }
}

@Module({ controllers: [AuthProbeController] })
export class AuthProbeModule {}
