import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './core/auth/auth.module';
import { AppConfigModule } from './core/config/app.config';
import { type Config, type EnvironmentInput, loadConfig } from './core/config/config';
import { DatabaseModule } from './core/database/database.module';
import { AllExceptionsFilter } from './core/errors/all-exceptions.filter';
import { HttpModule } from './core/http/http.module';
import { IdempotencyModule } from './core/idempotency/idempotency';
import { loggingModule } from './core/ops/logging.module';
import { OpsModule } from './core/ops/ops.module';
import { PagingModule } from './core/paging/paging.module';
import { RateLimitConfig } from './core/rate-limit/rate-limit.config';
import { RateLimitModule } from './core/rate-limit/rate-limit.module';
import { InputValidationPipe } from './core/validation/input-validation.pipe';
import { UndeclaredQueryGuard } from './core/validation/undeclared-query.guard';
import { TasksModule } from './tasks/tasks.module';

/** The resources; a new one is one line here. */
const FEATURES = [TasksModule];

@Module({})
export class AppModule {
  /** `config` is validated (main.ts); `extraModules` mounts a test's probe controllers. */
  static forRoot(config: Config, extraModules: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        loggingModule(),
        DatabaseModule,
        OpsModule,
        HttpModule,
        AuthModule,
        RateLimitModule.forRoot(config.get(RateLimitConfig)),
        PagingModule,
        IdempotencyModule,
        ...FEATURES,
        ...extraModules,
      ],
      // Nest's steps of the request path (core/http/pipeline.ts, step 5).
      providers: [
        { provide: APP_GUARD, useClass: UndeclaredQueryGuard },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}

/** Every section of the app (this file imports every module, so all are registered). */
export function loadAppConfig(raw: EnvironmentInput): Config {
  return loadConfig(raw);
}
