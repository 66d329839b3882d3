import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { configProvider } from '../config/config';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { LifecycleState } from './lifecycle';
import { MetricsServer } from './metrics.server';
import { MetricsService } from './metrics.service';
import { OpsConfig } from './ops.config';
import { RequestLogHook } from './request-log.hook';

const EXPORTED = [LifecycleState, MetricsService, MetricsServer];

/** `/health*` (terminus), the shutdown state, Prometheus metrics and listener, the access log. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [configProvider(OpsConfig), DatabaseHealthIndicator, RequestLogHook, ...EXPORTED],
  exports: EXPORTED,
})
export class OpsModule {}
