import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

/** `/metrics` on `prometheus_port` (when not 0), beside the app, as the old service did. */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    const port = this.config.prometheus_port;
    if (port === 0) return Promise.resolve();
    const server = createServer((req, res) => {
      if ((req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        return;
      }
      this.metrics.scrape().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
    });
    return new Promise((resolve) => {
      // A busy port costs the metrics, never the app.
      server.once('error', (err) => {
        this.logger.warn(`metrics not served on ${this.config.host}:${port}: ${err.message}`);
        resolve();
      });
      server.listen(port, this.config.host, () => {
        this.server = server;
        this.logger.log(`metrics on http://${this.config.host}:${port}/metrics`);
        resolve();
      });
    });
  }

  /** Where the metrics listen, when they have their own port. */
  address(): { port: number } | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? { port: address.port } : null;
  }

  onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
