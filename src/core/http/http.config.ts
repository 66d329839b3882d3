import { IsString } from 'class-validator';
import { AuthConfig } from '../auth/auth.config';
import { Config, ConfigSection } from '../config/config';
import { EnvBool, EnvInt, EnvOptionalInt } from '../config/env.decorators';
import { Satisfies } from '../config/validators';
import { DatabaseConfig } from '../database/database.config';
import { isTrustedProxies } from './client-address';
import { isCorsOrigins } from './cors';

@ConfigSection('http')
export class HttpConfig {
  @EnvInt(0, 65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Most connections the API port holds; a new one past it is closed on accept (0: no cap). */
  @EnvInt(0, 1_000_000)
  HTTP_MAX_CONNECTIONS = 4096;

  /** Most of them one client address holds (IPv6: its /64). Unset: half the cap. */
  @EnvOptionalInt(0, 1_000_000)
  HTTP_MAX_CONNECTIONS_PER_ADDRESS?: number;

  /** Above the usual load balancers' 60 s idle timeout, so they end the connections they pool. */
  @EnvInt(1000, 600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72_000;

  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client; empty: none. */
  @Satisfies(
    isTrustedProxies,
    'must be a comma-separated list of IP addresses or CIDR ranges (prefix at least 1), like 10.0.0.0/8,192.168.1.10',
  )
  TRUSTED_PROXIES = '';

  /** Origins allowed to call the API from a browser: `*` or a comma-separated list; empty: none. */
  @Satisfies(
    isCorsOrigins,
    'must be * or a comma-separated list of origins like https://app.example.com (no path, no trailing slash)',
  )
  CORS_ORIGINS = '';

  /** `Access-Control-Allow-Credentials: true` (not with `*`). Bearer tokens do not need it. */
  @EnvBool()
  CORS_CREDENTIALS = false;

  /** Writes to a versioned resource without `If-Match` are refused (428) instead of applied. */
  @EnvBool()
  REQUIRE_IF_MATCH = false;

  /** Derived: socket silence that closes a connection; the longest healthy wait, plus a margin. */
  socketTimeoutMs: number;
  /** Derived: the per-address share in effect (0: none). */
  connectionsPerAddress: number;

  check(config: Config): string[] {
    this.connectionsPerAddress =
      this.HTTP_MAX_CONNECTIONS_PER_ADDRESS ?? Math.ceil(this.HTTP_MAX_CONNECTIONS / 2);
    this.socketTimeoutMs =
      config.get(AuthConfig).AUTH_JWKS_TIMEOUT_MS + config.get(DatabaseConfig).deadlineMs + 2_000;
    return this.CORS_CREDENTIALS === true && this.CORS_ORIGINS.trim() === '*'
      ? ['CORS_CREDENTIALS is invalid: cannot be true when CORS_ORIGINS is *; list the origins']
      : [];
  }
}
