import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { IsIn } from 'class-validator';
import { Config, ConfigSection, configProvider } from './config';

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

/** @nestjs/config holding the sections loadConfig validated; it reads no `.env` nor process.env. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: config.namespaces(),
        }),
      ],
      providers: [configProvider(AppConfig)],
      exports: [ConfigModule, AppConfig],
    };
  }
}
