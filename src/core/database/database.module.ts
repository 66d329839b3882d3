import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { getLoggerToken, PinoLogger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { configProvider } from '../config/config';
import { buildDataSourceOptions } from './data-source-options';
import { DatabaseConfig } from './database.config';
import { DatabaseVerifier } from './database-verifier';
import { RetentionService } from './retention';
import { SqlExecutor } from './sql-executor';

/** TypeORM's DataSource (the pool) and the SqlExecutor; entities come from `forFeature`. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [DatabaseConfig],
      extraProviders: [configProvider(DatabaseConfig)],
      useFactory: (config: DatabaseConfig) => ({
        ...buildDataSourceOptions(config, 'app'),
        autoLoadEntities: true,
        // Fail fast, once: DatabaseVerifier opens the connection at bootstrap and says why it failed.
        retryAttempts: 0,
        manualInitialization: true,
      }),
    }),
  ],
  providers: [
    configProvider(DatabaseConfig),
    DatabaseVerifier,
    RetentionService,
    {
      provide: SqlExecutor,
      inject: [DataSource, DatabaseConfig, getLoggerToken('Database')],
      useFactory: (dataSource: DataSource, config: DatabaseConfig, logger: PinoLogger) =>
        new SqlExecutor(() => (dataSource.driver as PostgresDriver).master as Pool, {
          deadlineMs: config.deadlineMs,
          prepared: config.DATABASE_PREPARED_STATEMENTS,
          onUnnamed: (code, statement) =>
            logger.warn(
              { code, statement },
              'the database refused a named prepared statement (a pooler that cannot keep them, e.g. PgBouncer before 1.21): unnamed statements from now on; DATABASE_PREPARED_STATEMENTS=false starts that way',
            ),
        }),
    },
  ],
  exports: [SqlExecutor, DatabaseConfig, RetentionService],
})
export class DatabaseModule {}
