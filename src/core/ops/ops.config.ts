import { AppConfig } from '../config/app.config';
import { Config, ConfigSection } from '../config/config';
import { EnvBool, EnvInt, EnvOptionalInt } from '../config/env.decorators';
import { HttpConfig } from '../http/http.config';

/** Where Prometheus scrapes in production unless METRICS_PORT says otherwise. */
export const PRODUCTION_METRICS_PORT = 9464;

@ConfigSection('ops')
export class OpsConfig {
  /** After SIGTERM, how long the process serves with readiness 503. Unset: 5000 in production, else 0. */
  @EnvOptionalInt(0, 300_000)
  SHUTDOWN_DRAIN_DELAY_MS?: number;

  /** After the drain delay, how long in-flight requests may take before the exit is forced. */
  @EnvInt(100, 600_000)
  SHUTDOWN_TIMEOUT_MS = 20_000;

  /** `/metrics` and a second `/health/live`. Unset: 9464 in production, else the API port. */
  @EnvOptionalInt(0, 65535)
  METRICS_PORT?: number;

  /** `/health` and `/health/db` (database details) on the metrics port only: 404 on the API's. */
  @EnvBool()
  HEALTH_DETAILS_ON_METRICS_PORT = false;

  /** Derived: the drain delay in effect. */
  drainDelayMs: number;
  /** Derived: the metrics listener's port; undefined serves `/metrics` on the API port. */
  metricsPort: number | undefined;
  /** Derived: the API's HOST, where the metrics listener binds too. */
  metricsHost: string;

  check(config: Config): string[] {
    const production = config.get(AppConfig).production;
    this.drainDelayMs = this.SHUTDOWN_DRAIN_DELAY_MS ?? (production ? 5000 : 0);
    const port = this.METRICS_PORT ?? (production ? PRODUCTION_METRICS_PORT : undefined);
    const http = config.get(HttpConfig);
    this.metricsPort = port === http.PORT ? undefined : port;
    this.metricsHost = http.HOST;
    if (!this.HEALTH_DETAILS_ON_METRICS_PORT || this.metricsPort !== undefined) return [];
    return [
      'HEALTH_DETAILS_ON_METRICS_PORT needs a metrics port of its own: set METRICS_PORT (other than PORT)',
    ];
  }
}
