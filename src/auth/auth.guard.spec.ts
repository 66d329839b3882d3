import type { ExecutionContext } from '@nestjs/common';
import { AuthGuard } from './auth.guard';
import type { TokenVerifier } from './token-verifier';

function contextFor(authorization: string) {
  const reply = { header: jest.fn() };
  const request = { routeOptions: { url: '/api/x' }, headers: { authorization }, params: {} };
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, reply };
}

describe('AuthGuard', () => {
  it('lets an unexpected verifier failure through untranslated (it becomes a 500)', async () => {
    const boom = new Error('bug');
    const verifier = { cached: () => undefined, verify: () => Promise.reject(boom) };
    const guard = new AuthGuard(verifier as unknown as TokenVerifier);
    const { context, reply } = contextFor('Bearer abc');
    await expect(guard.canActivate(context)).rejects.toBe(boom);
    expect(reply.header).not.toHaveBeenCalled();
  });
});
