import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OpsConfig } from './ops.config';
import { MetricsService } from './metrics.service';

export const METRICS_PATH = '/metrics';

/** The liveness path, answered here too: the same answer as the API's `/health/live`. */
export const LIVE_PATH = '/health/live';
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

/**
 * `/metrics` on a port of its own, which can stay inside the cluster; a bare node:http server.
 * It answers the liveness probe too: under a flood the API port may be full (HTTP_MAX_CONNECTIONS),
 * and a pod that is only busy must not be restarted.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;
  private readonly routes = new Map<string, () => Promise<{ ok: boolean; body: object }>>([
    [LIVE_PATH, () => Promise.resolve({ ok: true, body: { status: 'ok' } })],
  ]);

  constructor(
    private readonly metrics: MetricsService,
    private readonly env: OpsConfig,
    @InjectPinoLogger('Metrics') private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.env.metricsPort;
    if (port === undefined) return;
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const route = this.routes.get(path);
      if (req.method === 'GET' && route) {
        void route().then(({ ok, body }) =>
          res.writeHead(ok ? 200 : 503, JSON_TYPE).end(JSON.stringify(body)),
        );
        return;
      }
      if (req.method !== 'GET' || path !== METRICS_PATH) {
        res.writeHead(404).end();
        return;
      }
      const { registry } = this.metrics;
      registry.metrics().then(
        (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.env.metricsHost, () => resolve());
    });
    this.server = server;
    this.logger.info({ port: this.port }, 'metrics listening');
  }

  /** Answers a GET of `path` here too, 200 or 503 by `ok`: the health details an operator moved. */
  serve(path: string, route: () => Promise<{ ok: boolean; body: object }>): void {
    this.routes.set(path, route);
  }

  /** The metrics port actually bound (METRICS_PORT=0 picks a free one), if any. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
