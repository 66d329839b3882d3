import { applyDecorators, Controller, Get, NotFoundException, Res, Type } from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';
import { SkipRateLimit } from '../rate-limit/rate-limit.guard';
import { RETRY_AFTER_S } from '../errors/api-error';
import { COMMON_RESPONSE_HEADERS, ERROR_HEADERS } from '../openapi/error-responses';
import { DatabaseHealthIndicator } from './database.health';
import { MetricsServer } from './metrics.server';
import { OpsConfig } from './ops.config';
import { DatabaseProbeDto, HealthReportDto, LivenessDto, ReadinessDto } from './health.dto';
import { APP_INFO, LifecycleState } from './lifecycle';

/** 200 and 503 share the body: an unhealthy answer still says what is down. */
function HealthResponses(type: Type<unknown>, ok: string, down?: string) {
  const headers = COMMON_RESPONSE_HEADERS;
  const retryAfter = { ...headers, 'Retry-After': ERROR_HEADERS['Retry-After'] };
  return applyDecorators(
    ApiResponse({ status: 200, description: ok, type, headers }),
    ...(down ? [ApiResponse({ status: 503, description: down, type, headers: retryAfter })] : []),
  );
}

/**
 * Probes: no token, no rate limit; unhealthy is 503 with `Retry-After` and the report. `/health`
 * and `/health/db` move to the metrics port when OpsConfig says so, and answer 404 here.
 */
@ApiTags('health')
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  private readonly moved: boolean;

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly lifecycle: LifecycleState,
    ops: OpsConfig,
    metrics: MetricsServer,
  ) {
    this.moved = ops.HEALTH_DETAILS_ON_METRICS_PORT;
    if (!this.moved) return;
    metrics.serve('/health', () => this.report());
    metrics.serve('/health/db', () => this.databaseReport());
  }

  /** Liveness: the event loop answers. Never touches the database, so an outage never restarts pods. */
  @Get('live')
  @ApiOperation({ operationId: 'liveness', summary: 'Liveness: the process serves' })
  @HealthResponses(LivenessDto, 'The process serves.')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ operationId: 'readiness', summary: 'Readiness: the database answers in time' })
  @HealthResponses(
    ReadinessDto,
    'Ready to serve.',
    'Not ready: the database does not answer in time, or the process is shutting down.',
  )
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    if (this.lifecycle.isShuttingDown) {
      unavailable(reply);
      return { status: 'shutting_down' };
    }
    const reports = [...this.lifecycle.reports].map(([key, report]) => () => ({
      [key]: { status: 'up' as const, ...report() },
    }));
    const result = await this.health
      .check([() => this.database.check('database'), ...reports])
      .catch((error: { response?: unknown }) => error.response as { status: string });
    if (result.status !== 'ok') unavailable(reply);
    return result;
  }

  @Get()
  @ApiOperation({ operationId: 'health', summary: 'Overall report: status, database, version' })
  @HealthResponses(HealthReportDto, 'Healthy.', 'A check is down, or the process is shutting down.')
  async overall(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, () => this.report());
  }

  @Get('db')
  @ApiOperation({ operationId: 'databaseHealth', summary: 'Database: connected, latency, name' })
  @HealthResponses(DatabaseProbeDto, 'Connected.', 'Not connected.')
  async db(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, () => this.databaseReport());
  }

  /** Moved to the metrics port: 404 here, without probing the database for nothing. */
  private async answer(reply: FastifyReply, report: () => Promise<{ ok: boolean; body: object }>) {
    if (this.moved) throw new NotFoundException();
    const { ok, body } = await report();
    if (!ok) unavailable(reply);
    return body;
  }

  private async report() {
    const database = await this.database.probe();
    const ok = database.connected && !this.lifecycle.isShuttingDown;
    const body = {
      status: ok ? 'ok' : 'error',
      version: APP_INFO.version,
      uptime_s: Math.round(process.uptime()),
      shutting_down: this.lifecycle.isShuttingDown,
      database: { status: database.connected ? 'up' : 'down', ...database },
    };
    return { ok, body };
  }

  private async databaseReport() {
    const body = await this.database.probe();
    return { ok: body.connected, body };
  }
}

function unavailable(reply: FastifyReply): void {
  reply.status(503).header('Retry-After', String(RETRY_AFTER_S));
}
