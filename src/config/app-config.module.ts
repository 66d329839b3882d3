import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Environment, validateEnvironment } from './environment';

/**
 * Makes the validated {@link Environment} injectable by its class. `main.ts` validates before
 * Nest starts (so a bad variable exits 1 before anything else runs) and hands the result in;
 * tests may pass their own.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(environment?: Environment): DynamicModule {
    const env = environment ?? validateEnvironment(process.env);
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, cache: true, validate: () => env })],
      providers: [{ provide: Environment, useValue: env }],
      exports: [Environment, ConfigModule],
    };
  }
}
