import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { Environment, validateEnvironment } from './environment';

/** The namespace under which @nestjs/config holds the validated environment. */
export const ENVIRONMENT_NAMESPACE = 'environment';

/**
 * The app's configuration, held by @nestjs/config: its ConfigModule keeps the validated
 * {@link Environment} as a configuration namespace (`ConfigService.get('environment.PORT')`
 * reads one value), and providers inject the whole typed object by its class
 * (`constructor(private readonly env: Environment)`), an alias of that namespace's token.
 *
 * Validation is not ConfigModule's `validate` hook: `main.ts` validates before Nest starts, so a
 * bad variable exits 1 with one line before anything else runs, and `ormconfig.ts` and the
 * migrator validate with the same function without Nest. ConfigModule reads neither `.env`
 * (main.ts has loaded it) nor process.env: only what was validated reaches the app, and a test
 * hands in an environment of its own.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(environment?: Environment): DynamicModule {
    const env = environment ?? validateEnvironment(process.env);
    const namespace = registerAs(ENVIRONMENT_NAMESPACE, () => env);
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [namespace] }),
      ],
      providers: [{ provide: Environment, useExisting: namespace.KEY }],
      exports: [Environment, ConfigModule],
    };
  }
}
