import { DynamicModule, Global, Module } from '@nestjs/common';
import { Environment, validateEnvironment } from './environment';

/**
 * The one configuration of the app: the validated {@link Environment}, injectable by its class
 * (`constructor(private readonly env: Environment)`), typed, and the same object `ormconfig.ts`
 * and the migrator validate with. `main.ts` validates before Nest starts (so a bad variable exits
 * 1 before anything else runs) and hands the result in; tests may pass their own.
 *
 * No `ConfigService`: it would be a second, string-keyed way to read the same values.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(environment?: Environment): DynamicModule {
    const env = environment ?? validateEnvironment(process.env);
    return {
      module: AppConfigModule,
      providers: [{ provide: Environment, useValue: env }],
      exports: [Environment],
    };
  }
}
