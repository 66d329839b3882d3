import { Global, Module } from '@nestjs/common';
import { configProvider } from '../config/config';
import { OpsConfig } from './ops.config';
import { MetricsHook } from './metrics.hook';
import { MetricsServer } from './metrics.server';
import { MetricsService } from './metrics.service';

@Global()
@Module({
  providers: [configProvider(OpsConfig), MetricsService, MetricsServer, MetricsHook],
  exports: [MetricsService, MetricsServer, MetricsHook],
})
export class MetricsModule {}
