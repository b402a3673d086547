import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics` on the app's own port, only when `prometheus_port` is 0 (otherwise the metrics
 * have a port of their own). Not authenticated, like any Prometheus target: the nginx example
 * keeps it off the public site.
 */
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  async scrape(@Res() res: Response): Promise<void> {
    if (this.config.prometheus_port !== 0) throw new NotFoundException();
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType).send(body);
  }
}
