import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { BodyValidationCheck } from './common/body-validation.check';
import { AppConfigModule } from './config/app-config.module';
import { Environment, validateEnvironment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { HttpModule } from './http/http.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TasksModule } from './tasks/tasks.module';

@Module({})
export class AppModule {
  /**
   * `environment` is the validated config; without it, process.env is validated here.
   * `extraModules` lets a test mount a probe controller inside the otherwise unchanged app.
   */
  static forRoot(
    environment?: Environment,
    extraModules: Array<Type | DynamicModule> = [],
  ): DynamicModule {
    const env = environment ?? validateEnvironment(process.env);
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(env),
        LoggingModule.forRoot(),
        DatabaseModule,
        HealthModule,
        HttpModule,
        // Authentication is a Fastify onRequest hook (placed by src/http/pipeline.ts): it runs
        // before every guard, so the rate limiter below counts per user.
        AuthModule,
        RateLimitModule.forRoot(env),
        TasksModule,
        MetricsModule,
        ...extraModules,
      ],
      // No global ValidationPipe: each body is taken with `@ValidBody(TheDto)`, which puts the
      // DTO's own checks on it (JsonBodyPipe), and BodyValidationCheck refuses to start an app
      // with a plain `@Body()`; path and query parameters have their own pipes or parsers.
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }, BodyValidationCheck],
    };
  }
}
