import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { APP_INFO } from './app-info';
import { DatabaseHealthIndicator } from './database.health';
import { LifecycleState } from './lifecycle.state';

/** How long a probe waits for the database; below Kubernetes' default probe timeout budget. */
export const HEALTH_DB_TIMEOUT_MS = 2000;
const RETRY_AFTER_S = '5';

/**
 * Probes for Kubernetes and operators. No auth; no request logging when they succeed.
 * Unhealthy answers are 503 with `Retry-After`, and their body keeps the report a person needs.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly lifecycle: LifecycleState,
  ) {}

  /** Liveness: the event loop answers. Never touches the database, so an outage never restarts pods. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    if (this.lifecycle.isShuttingDown) {
      unavailable(reply);
      return { status: 'shutting_down' };
    }
    const result = await this.health
      .check([() => this.database.check('database', HEALTH_DB_TIMEOUT_MS)])
      .catch((error: { response?: unknown }) => error.response as { status: string });
    if (result.status !== 'ok') unavailable(reply);
    return result;
  }

  @Get()
  async overall(@Res({ passthrough: true }) reply: FastifyReply) {
    const database = await this.database.probe(HEALTH_DB_TIMEOUT_MS);
    const ok = database.connected && !this.lifecycle.isShuttingDown;
    if (!ok) unavailable(reply);
    return {
      status: ok ? 'ok' : 'error',
      version: APP_INFO.version,
      uptime_s: Math.round(process.uptime()),
      shutting_down: this.lifecycle.isShuttingDown,
      database: { status: database.connected ? 'up' : 'down', ...database },
    };
  }

  @Get('db')
  async db(@Res({ passthrough: true }) reply: FastifyReply) {
    const database = await this.database.probe(HEALTH_DB_TIMEOUT_MS);
    if (!database.connected) unavailable(reply);
    return database;
  }
}

function unavailable(reply: FastifyReply): void {
  reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('Retry-After', RETRY_AFTER_S);
}
