import { Global, Module } from '@nestjs/common';
import { MetricsHook } from './metrics.hook';
import { MetricsServer } from './metrics.server';
import { MetricsService } from './metrics.service';

@Global()
@Module({
  providers: [MetricsService, MetricsServer, MetricsHook],
  exports: [MetricsService, MetricsServer, MetricsHook],
})
export class MetricsModule {}
