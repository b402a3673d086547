import { Controller, Get, HttpCode, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { InstanceIdentity } from '../cluster/instance';
import { Leadership } from '../cluster/leadership';
import { ReadinessIndicators } from './readiness.indicators';

export interface LivenessAnswer {
  status: string;
  database: string;
  instance: string;
  leader: boolean;
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    private readonly instance: InstanceIdentity,
    private readonly leadership: Leadership,
  ) {}

  /** Liveness, the old shape: `{status:"ok"}` plus a database round trip; 503 when it does not answer. */
  @Get()
  @HttpCode(HttpStatus.OK)
  async live(@Res({ passthrough: true }) res: Response): Promise<LivenessAnswer> {
    // Which instance answered, and whether it runs the periodic work (several behind nginx).
    const instance = { instance: this.instance.name, leader: this.leadership.isLeader() };
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', database: 'ok', ...instance };
    } catch {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'degraded', database: 'unavailable', ...instance };
    }
  }

  /** Readiness with every indicator (terminus): 200 when up or degraded, 503 with the details when down. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.readiness.database(),
        () => this.readiness.apiGate(),
        () => this.readiness.mediaCms(),
        () => this.readiness.feed(),
        () => this.readiness.sagas(),
      ]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return err.getResponse() as HealthCheckResult;
    }
  }
}
