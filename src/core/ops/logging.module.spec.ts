import type { INestApplicationContext } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { contextLogger } from './logging.module';

describe('contextLogger', () => {
  it('resolves a new PinoLogger from the app and gives it the context', async () => {
    const logger = { setContext: jest.fn() };
    const app = { resolve: jest.fn().mockResolvedValue(logger) };
    await expect(
      contextLogger(app as unknown as INestApplicationContext, 'Bootstrap'),
    ).resolves.toBe(logger);
    expect(app.resolve).toHaveBeenCalledWith(PinoLogger);
    expect(logger.setContext).toHaveBeenCalledWith('Bootstrap');
  });
});
