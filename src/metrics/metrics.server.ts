import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Environment } from '../config/environment';
import { MetricsService } from './metrics.service';

export const METRICS_PATH = '/metrics';

/**
 * `/metrics` on its own port when METRICS_PORT is set, so it can stay inside the cluster while
 * the main port is exposed. A bare node:http server: nothing of the API (auth, rate limits) applies.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly metrics: MetricsService,
    private readonly env: Environment,
    @InjectPinoLogger('Metrics') private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.METRICS_PORT === undefined) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== METRICS_PATH) {
        res.writeHead(404).end();
        return;
      }
      this.metrics.scrape().then(
        ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.env.METRICS_PORT, this.env.HOST, () => resolve());
    });
    this.server = server;
    this.logger.info({ port: this.port }, 'metrics listening');
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
