import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '../config/environment';
import { buildDataSourceOptions } from './data-source-options';
import { DatabaseVerifier } from './database-verifier';
import { SqlExecutor } from './sql-executor';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        ...buildDataSourceOptions(env, 'app'),
        // Fail fast: a process that cannot reach its database should exit and be restarted
        // by its supervisor, not retry silently for half a minute.
        retryAttempts: 0,
        // DatabaseVerifier opens the connection at bootstrap, so a failure is reported as one
        // clear line (host, user, database; no password) instead of TypeORM's and Nest's stack
        // traces on stderr.
        manualInitialization: true,
      }),
    }),
  ],
  providers: [SqlExecutor, DatabaseVerifier],
  exports: [SqlExecutor],
})
export class DatabaseModule {}
