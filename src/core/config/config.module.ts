import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app.config';
import { Config, configProvider } from './config';

/**
 * @nestjs/config holding the validated sections, one namespace each. Validation happens before
 * Nest starts (main.ts, `loadConfig`), so a bad variable exits with one line; neither `.env` nor
 * process.env is read here. A module provides its own section with `configProvider(ItsConfig)`;
 * `AppConfig` (NODE_ENV, LOG_LEVEL) is provided to all.
 */
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
