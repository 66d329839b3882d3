import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** OpenAPI schemas of the health answers; documentation only. */

@ApiSchema({ name: 'Liveness' })
export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

@ApiSchema({ name: 'DatabaseProbe', description: 'One round trip to PostgreSQL.' })
export class DatabaseProbeDto {
  @ApiProperty()
  connected: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'null when not connected' })
  latency_ms: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'database name; null when not connected',
  })
  database: string | null;
}

@ApiSchema({ name: 'DatabaseReport' })
export class DatabaseReportDto extends DatabaseProbeDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';
}

@ApiSchema({ name: 'HealthReport' })
export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error'] })
  status: 'ok' | 'error';

  @ApiProperty({ description: 'package.json version', example: '1.0.0' })
  version: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  uptime_s: number;

  @ApiProperty()
  shutting_down: boolean;

  @ApiProperty({ type: DatabaseReportDto })
  database: DatabaseReportDto;
}

@ApiSchema({
  name: 'Readiness',
  description: 'The @nestjs/terminus report: `info` for checks that are up, `error` for the rest.',
})
export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  info?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  error?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;
}
