import { IsIn } from 'class-validator';
import { ConfigSection } from './config';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** What every module may read: the kind of deployment and the log level. */
@ConfigSection('app')
export class AppConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  get production(): boolean {
    return this.NODE_ENV === 'production';
  }
}
