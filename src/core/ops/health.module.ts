import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { configProvider } from '../config/config';
import { OpsConfig } from './ops.config';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { LifecycleState } from './lifecycle';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [configProvider(OpsConfig), DatabaseHealthIndicator, LifecycleState],
  exports: [LifecycleState],
})
export class HealthModule {}
