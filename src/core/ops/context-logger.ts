import type { INestApplicationContext } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

/**
 * The logger `@InjectPinoLogger(context)` would give, for code that is not a provider (main.ts,
 * the shutdown sequence it installs).
 */
export async function contextLogger(
  app: INestApplicationContext,
  context: string,
): Promise<PinoLogger> {
  const logger = await app.resolve(PinoLogger);
  logger.setContext(context);
  return logger;
}
